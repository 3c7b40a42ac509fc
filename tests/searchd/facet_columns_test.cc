// FacetColumns must hold exactly what the value slots hold (that only the columns of exactly
// a handle's revision are used is tested in index_refresher_test.cc).
#include "searchd/facet_columns.h"

#include <gtest/gtest.h>

#include <stop_token>

#include "common/schema.h"
#include "searchd/facets.h"
#include "tests/test_support.h"

namespace afori::searchd {
namespace {

using afori::testing::TempDir;

// The values of docid `did` as the column holds them.
std::vector<std::string> ColumnValues(const FacetColumns::Column& c, Xapian::docid did) {
  std::vector<std::string> out;
  if (!c.single.empty()) {
    if (c.single[did] != 0) out.push_back(c.values[c.single[did]]);
  } else if (!c.offsets.empty()) {
    for (std::uint32_t k = c.offsets[did]; k < c.offsets[did + 1]; ++k) {
      out.push_back(c.values[c.ordinals[k]]);
    }
  }
  return out;
}

// The values of one document's slot, split as FacetCounter splits them.
std::vector<std::string> SlotValues(const Xapian::Document& doc, unsigned slot, bool split) {
  const std::string joined = doc.get_value(slot);
  std::vector<std::string> out;
  if (joined.empty()) return out;
  if (!split) return {joined};
  std::size_t from = 0;
  while (from < joined.size()) {
    const std::size_t sep = joined.find(schema::kFacetValueSeparator, from);
    out.push_back(joined.substr(from, sep == std::string::npos ? std::string::npos : sep - from));
    from = sep == std::string::npos ? joined.size() : sep + 1;
  }
  return out;
}

TEST(FacetColumnsTest, HoldEveryDocumentsFacetValuesAfterDeletesAndAdds) {
  TempDir dir;
  const std::string path = testing::BuildFixtureIndex(dir, testing::SharedAnalyzer());
  {
    // Holes in the docid range, and documents with values the build did not have.
    Xapian::WritableDatabase w(path);
    w.delete_document(2);
    w.delete_document(5);
    Xapian::Document extra;
    extra.add_value(schema::FindFacet("theme")->slot,
                    std::string("Ny") + schema::kFacetValueSeparator + "Annan");
    extra.add_value(schema::FindFacet("type")->slot, "case");
    w.add_document(extra);
    w.commit();
  }
  Xapian::Database db(path);
  const auto columns = FacetColumns::FromDatabase(db);
  EXPECT_EQ(columns->last_docid(), db.get_lastdocid());
  for (const schema::FacetField& f : schema::kFacets) {
    const FacetColumns::Column* c = columns->ForSlot(f.slot);
    ASSERT_NE(c, nullptr) << f.name;
    const bool split = f.source != schema::FacetSource::kDeadlineStatus;
    for (Xapian::docid did = 1; did <= db.get_lastdocid(); ++did) {
      std::vector<std::string> expected;
      if (did != 2 && did != 5) expected = SlotValues(db.get_document(did), f.slot, split);
      EXPECT_EQ(ColumnValues(*c, did), expected) << f.name << " of docid " << did;
    }
  }
  // Themes are lists (several per document), types are single values: the dense form.
  EXPECT_FALSE(columns->ForSlot(schema::FindFacet("theme")->slot)->offsets.empty());
  EXPECT_FALSE(columns->ForSlot(schema::FindFacet("type")->slot)->single.empty());
  EXPECT_FALSE(columns->ForSlot(schema::kSlotPublished)->days.empty());  // for the boosts
  EXPECT_EQ(columns->ForSlot(schema::kSlotTitleSort), nullptr);          // not read
  EXPECT_GT(columns->MemoryBytes(), 0u);
}

TEST(FacetColumnsTest, ABuildAskedToStopReturnsNothing) {
  TempDir dir;
  const Xapian::Database db(testing::BuildFixtureIndex(dir, testing::SharedAnalyzer()));
  std::stop_source stop;
  EXPECT_NE(FacetColumns::FromDatabase(db, stop.get_token()), nullptr);
  stop.request_stop();
  EXPECT_EQ(FacetColumns::FromDatabase(db, stop.get_token()), nullptr);
}

TEST(FacetColumnsTest, CounterCountsLaterDocumentsFromTheirValues) {
  TempDir dir;
  Xapian::WritableDatabase w(dir.Join("db"), Xapian::DB_CREATE);
  const unsigned slot = schema::FindFacet("theme")->slot;
  Xapian::Document a;
  a.add_value(slot, std::string("X") + schema::kFacetValueSeparator + "Y");
  w.add_document(a);
  w.commit();
  const auto columns = FacetColumns::FromDatabase(Xapian::Database(dir.Join("db")));
  Xapian::Document b;
  b.add_value(slot, "Y");
  w.add_document(b);  // docid 2: beyond the columns
  w.commit();

  Xapian::Database db(dir.Join("db"));
  FacetCounter counter({*schema::FindFacet("theme")}, "20261201", columns.get());
  counter(db.get_document(1), 0);
  counter(db.get_document(2), 0);
  const auto counts = counter.Counts();
  ASSERT_EQ(counts[0].values.size(), 2u);
  EXPECT_EQ(counts[0].values[0].value, "Y");
  EXPECT_EQ(counts[0].values[0].count, 2u);
  EXPECT_EQ(counts[0].values[1].value, "X");
  EXPECT_EQ(counts[0].values[1].count, 1u);
}

TEST(FacetColumnsTest, StatusFromColumnsComesFromTheDeadlineAgainstToday) {
  TempDir dir;
  {
    Xapian::WritableDatabase w(dir.Join("db"), Xapian::DB_CREATE);
    for (const char* deadline : {"20261130", "20261201", "20270315", ""}) {
      Xapian::Document d;
      if (*deadline) d.add_value(schema::kSlotDeadline, deadline);
      w.add_document(d);
    }
    w.commit();
  }
  Xapian::Database db(dir.Join("db"));
  const auto columns = FacetColumns::FromDatabase(db);
  FacetCounter counter({*schema::FindFacet("status")}, "20261201", columns.get());
  for (Xapian::docid did = 1; did <= 4; ++did) counter(db.get_document(did), 0);
  const auto counts = counter.Counts();
  ASSERT_EQ(counts[0].values.size(), 2u);
  EXPECT_EQ(counts[0].values[0].value, "open");  // the last day is still open
  EXPECT_EQ(counts[0].values[0].count, 2u);
  EXPECT_EQ(counts[0].values[1].value, "closed");
  EXPECT_EQ(counts[0].values[1].count, 1u);
}

}  // namespace
}  // namespace afori::searchd
