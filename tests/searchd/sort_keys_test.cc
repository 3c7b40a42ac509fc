#include "searchd/sort_keys.h"

#include <gtest/gtest.h>

#include <xapian.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "common/schema.h"
#include "tests/test_support.h"

namespace afori::searchd {
namespace {

constexpr const char* kToday = "20240615";

TEST(DeadlineKeyMakerTest, KeysOrderOpenThenClosedThenNone) {
  const DeadlineKeyMaker maker(kToday);
  // Ascending key order, as a listing shows it.
  const std::vector<std::string> deadlines = {
      "20240615",  // closes today: still open, and the most urgent
      "20240616", "20241231", "20300101",
      "20240614",  // closed yesterday: the most recently closed
      "20240101", "20191231", "19991231",
      "",  // no deadline
  };
  for (std::size_t i = 0; i + 1 < deadlines.size(); ++i) {
    EXPECT_LT(maker.KeyFor(deadlines[i]), maker.KeyFor(deadlines[i + 1]))
        << deadlines[i] << " vs " << deadlines[i + 1];
  }
  for (const char* bad : {"bogus", "2024-06-20", "20240231", "2025"}) {
    EXPECT_EQ(maker.KeyFor(bad), maker.KeyFor("")) << bad;
  }
  EXPECT_EQ(maker.KeyFor("20240620"), maker.KeyFor("20240620"));  // deterministic
}

TEST(DeadlineKeyMakerTest, ReadsTheDeadlineSlot) {
  const DeadlineKeyMaker maker(kToday);
  Xapian::Document doc;
  doc.add_value(schema::kSlotPublished, "20240620");
  EXPECT_EQ(maker(doc), maker.KeyFor(""));
  doc.add_value(schema::kSlotDeadline, "20240620");
  EXPECT_EQ(maker(doc), maker.KeyFor("20240620"));
}

TEST(DeadlineKeyMakerTest, RejectsAnInvalidToday) {
  EXPECT_THROW(DeadlineKeyMaker("15 juni"), std::invalid_argument);
  EXPECT_THROW(DeadlineKeyMaker("20240631"), std::invalid_argument);
}

// Deadlines by docid (index + 1), in an order unrelated to the expected listing.
const std::vector<std::string> kDeadlines = {
    "",          // 1
    "20240101",  // 2: closed
    "20240701",  // 3: open
    "20240615",  // 4: open, closes today
    "",          // 5
    "20240614",  // 6: closed yesterday
    "20240701",  // 7: open, same day as 3
    "nonsense",  // 8: as no deadline
    "20230301",  // 9: closed long ago
};
const std::vector<Xapian::docid> kListing = {4, 3, 7, 6, 2, 9, 1, 5, 8};

std::string BuildDatabase(const testing::TempDir& dir) {
  const std::string path = dir.Join("db");
  Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE);
  for (const std::string& deadline : kDeadlines) {
    Xapian::Document doc;
    doc.add_term("finansiering");
    if (!deadline.empty()) doc.add_value(schema::kSlotDeadline, deadline);
    db.add_document(doc);
  }
  db.commit();
  return path;
}

std::vector<Xapian::docid> Listing(Xapian::Enquire& enquire, const Xapian::Database& db) {
  enquire.set_query(Xapian::Query("finansiering"));
  std::vector<Xapian::docid> ids;
  const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
  for (auto it = mset.begin(); it != mset.end(); ++it) ids.push_back(*it);
  return ids;
}

TEST(DeadlineKeyMakerTest, EnquireListsByDeadlineWithTiesByDocid) {
  testing::TempDir dir;
  Xapian::Database db(BuildDatabase(dir));
  Xapian::Enquire enquire(db);
  enquire.set_sort_by_key((new DeadlineKeyMaker(kToday))->release(), false);
  EXPECT_EQ(Listing(enquire, db), kListing);

  // Equal keys follow the docid order Enquire is told: 3 and 7 share a deadline; 1, 5 and 8
  // have none.
  enquire.set_docid_order(Xapian::Enquire::DESCENDING);
  EXPECT_EQ(Listing(enquire, db), (std::vector<Xapian::docid>{4, 7, 3, 6, 2, 9, 8, 5, 1}));
}

TEST(DeadlineKeyMakerTest, ReverseListsTheOtherWayRound) {
  testing::TempDir dir;
  Xapian::Database db(BuildDatabase(dir));
  Xapian::Enquire enquire(db);
  enquire.set_sort_by_key((new DeadlineKeyMaker(kToday))->release(), true);
  const std::vector<Xapian::docid> reversed = Listing(enquire, db);
  ASSERT_EQ(reversed.size(), kListing.size());
  EXPECT_EQ(reversed.front(), 1u);  // no deadline first, ties still by ascending docid
  EXPECT_EQ(reversed.back(), 4u);
}

TEST(DeadlineKeyMakerTest, CallerOwnedKeyMakerWorksWithoutRelease) {
  testing::TempDir dir;
  Xapian::Database db(BuildDatabase(dir));
  DeadlineKeyMaker maker(kToday);  // outlives the Enquire below
  Xapian::Enquire enquire(db);
  enquire.set_sort_by_key(&maker, false);
  EXPECT_EQ(Listing(enquire, db), kListing);
}

int destroyed = 0;
class CountingKeyMaker : public DeadlineKeyMaker {
 public:
  using DeadlineKeyMaker::DeadlineKeyMaker;
  ~CountingKeyMaker() override { ++destroyed; }
};

TEST(DeadlineKeyMakerTest, ReleasedKeyMakerIsDeletedWithTheLastEnquire) {
  testing::TempDir dir;
  Xapian::Database db(BuildDatabase(dir));
  destroyed = 0;
  {
    Xapian::Enquire enquire(db);
    enquire.set_sort_by_key((new CountingKeyMaker(kToday))->release(), false);
    {
      Xapian::Enquire copy = enquire;  // shares the key maker
      EXPECT_EQ(Listing(copy, db), kListing);
    }
    EXPECT_EQ(destroyed, 0);
    EXPECT_EQ(Listing(enquire, db), kListing);
  }
  EXPECT_EQ(destroyed, 1);
}

}  // namespace
}  // namespace afori::searchd
