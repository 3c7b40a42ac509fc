#include "searchd/sort_keys.h"

#include <stdexcept>
#include <utility>

#include "common/schema.h"
#include "searchd/boosts.h"

namespace afori::searchd {
namespace {

// The group byte comes first so that groups never interleave; within a group the rest of the
// key orders the documents.
constexpr char kOpenGroup = '0';
constexpr char kClosedGroup = '1';
constexpr char kNoDeadlineGroup = '2';

}  // namespace

DeadlineKeyMaker::DeadlineKeyMaker(std::string today, bool then_id)
    : today_(std::move(today)), then_id_(then_id) {
  if (!ParseCompactDate(today_)) {
    throw std::invalid_argument("DeadlineKeyMaker: today is not a YYYYMMDD date: " + today_);
  }
}

std::string DeadlineKeyMaker::KeyFor(const std::string& deadline) const {
  if (!ParseCompactDate(deadline)) return std::string(1, kNoDeadlineGroup);
  // Valid "YYYYMMDD" strings compare as their dates do, so no parsing is needed to order them.
  if (deadline >= today_) return kOpenGroup + deadline;  // soonest first
  // Most recently closed first: complementing every digit reverses the order of equally long
  // digit strings, where a negated number would need a sign-aware encoding.
  std::string key(1, kClosedGroup);
  for (char c : deadline) key += static_cast<char>('9' - (c - '0'));
  return key;
}

std::string DeadlineKeyMaker::operator()(const Xapian::Document& doc) const {
  // Within a group every key has the same length, so the id appended orders only ties.
  std::string key = KeyFor(doc.get_value(schema::kSlotDeadline));
  if (then_id_) key += doc.get_value(schema::kSlotId);
  return key;
}

}  // namespace afori::searchd
