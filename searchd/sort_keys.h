// Sort keys for listings that are not ordered by relevance: funding calls by deadline.
//
// A visitor browsing funding calls wants the ones that can still be applied for, the most
// urgent first; then the calls that have closed, the most recently closed first (the likeliest
// to open again, and the most useful as examples); then documents without a deadline at all.
// DeadlineKeyMaker gives Xapian::Enquire keys that sort ascending in exactly that order:
//   enquire.set_sort_by_key((new DeadlineKeyMaker(today))->release(), false);
// release() hands the object to Xapian, which deletes it when the last Enquire using it goes
// away; without release() the caller keeps ownership and must keep the object alive for as
// long as the Enquire may sort with it (Xapian neither copies nor deletes it then).
//
// Documents with equal keys (the same deadline, or no deadline) are left to Enquire, which
// orders ties by relevance, then docid; with `then_id` the key ends with the document id
// (schema::kSlotId), so that a listing without relevance (browsing) is ordered alike in one
// index and in shards, whose docids interleave.
// Deadlines are read from schema::kSlotDeadline as "YYYYMMDD"; a value that is not a valid
// date there counts as no deadline.
//
// Thread safety: operator() is const and reads only its argument and today, but the reference
// count that release() enables is not atomic: give each Enquire (and thread) its own object.
#pragma once

#include <string>

#include <xapian.h>

namespace afori::searchd {

class DeadlineKeyMaker : public Xapian::KeyMaker {
 public:
  // Throws std::invalid_argument unless today is a valid "YYYYMMDD" date.
  explicit DeadlineKeyMaker(std::string today, bool then_id = false);

  std::string operator()(const Xapian::Document& doc) const override;

  // The key for a deadline value ("" or malformed: no deadline), for tests and explanations.
  std::string KeyFor(const std::string& deadline) const;

 private:
  std::string today_;
  bool then_id_;
};

}  // namespace afori::searchd
