#include "searchd/boosts.h"

#include <gtest/gtest.h>

#include <xapian.h>

#include <map>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common/schema.h"
#include "searchd/ranking.h"
#include "tests/test_support.h"

namespace afori::searchd {
namespace {

constexpr const char* kToday = "20240615";

double Fresh(int age_days) { return kMaxFreshnessBoost * (1.0 - age_days / 1826.0); }

TEST(ParseCompactDateTest, ReadsRealDatesOnly) {
  EXPECT_EQ(ParseCompactDate("19700101"), 0);
  EXPECT_EQ(ParseCompactDate("19700102"), 1);
  EXPECT_EQ(ParseCompactDate("20240615"), 19889);
  EXPECT_TRUE(ParseCompactDate("20240229"));
  for (const char* bad : {"20230229", "20241301", "20240600", "2024061", "202406150",
                          "2024-06-15", "2024061x", ""}) {
    EXPECT_FALSE(ParseCompactDate(bad)) << bad;
  }
}

struct BoostCase {
  const char* name;
  std::string published, deadline, today;
  double freshness, open_call;
};
void PrintTo(const BoostCase& c, std::ostream* os) {
  *os << "published=" << c.published << " deadline=" << c.deadline << " today=" << c.today;
}

class ComputeBoostsTest : public ::testing::TestWithParam<BoostCase> {};
TEST_P(ComputeBoostsTest, Table) {
  const BoostCase& c = GetParam();
  const BoostParts parts = ComputeBoosts(c.published, c.deadline, c.today);
  EXPECT_NEAR(parts.freshness, c.freshness, 1e-12);
  EXPECT_EQ(parts.open_call, c.open_call);
}
INSTANTIATE_TEST_SUITE_P(
    Table, ComputeBoostsTest,
    ::testing::Values(
        BoostCase{"published_today", "20240615", "", kToday, kMaxFreshnessBoost, 0},
        BoostCase{"a_year_ago", "20230615", "", kToday, Fresh(366), 0},
        BoostCase{"half_way", "20211215", "", kToday, kMaxFreshnessBoost / 2, 0},
        BoostCase{"a_day_before_horizon", "20190617", "", kToday, Fresh(1825), 0},
        BoostCase{"at_horizon", "20190616", "", kToday, 0, 0},
        BoostCase{"five_years_ago", "20190615", "", kToday, 0, 0},
        BoostCase{"ten_years_ago", "20140101", "", kToday, 0, 0},
        BoostCase{"future_counts_as_today", "20250101", "", kToday, kMaxFreshnessBoost, 0},
        BoostCase{"no_date", "", "", kToday, 0, 0},
        BoostCase{"malformed_date", "2024-06-15", "", kToday, 0, 0},
        BoostCase{"impossible_date", "20240231", "", kToday, 0, 0},
        BoostCase{"deadline_today_is_open", "", "20240615", kToday, 0, kOpenCallBoost},
        BoostCase{"deadline_ahead_is_open", "", "20241231", kToday, 0, kOpenCallBoost},
        BoostCase{"deadline_passed", "", "20240614", kToday, 0, 0},
        BoostCase{"malformed_deadline", "", "2025", kToday, 0, 0},
        BoostCase{"both", "20240515", "20240701", kToday, Fresh(31), kOpenCallBoost},
        BoostCase{"invalid_today_gives_nothing", "20240615", "20240701", "idag", 0, 0}),
    [](const ::testing::TestParamInfo<BoostCase>& info) { return info.param.name; });

struct TestDoc {
  std::string published, deadline;
  std::string text = "upphandling innovation";
};

// A glass database with one document per entry (docid = index + 1). Documents with the same
// text have the same BM25 weight for any query, so only the boosts tell them apart.
std::string BuildDatabase(const testing::TempDir& dir, const std::vector<TestDoc>& docs) {
  const std::string path = dir.Join("db");
  Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE);
  for (const TestDoc& doc : docs) {
    Xapian::Document xdoc;
    Xapian::TermGenerator generator;
    generator.set_document(xdoc);
    generator.index_text(doc.text);
    if (!doc.published.empty()) xdoc.add_value(schema::kSlotPublished, doc.published);
    if (!doc.deadline.empty()) xdoc.add_value(schema::kSlotDeadline, doc.deadline);
    db.add_document(xdoc);
  }
  db.commit();
  return path;
}

double ExpectedBoost(const TestDoc& doc) {
  const BoostParts parts = ComputeBoosts(doc.published, doc.deadline, kToday);
  return parts.freshness + parts.open_call;
}

// Every match of `query` in rank order, with its weight.
std::vector<std::pair<Xapian::docid, double>> Search(const Xapian::Database& db,
                                                     const Xapian::Query& query) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  std::vector<std::pair<Xapian::docid, double>> matches;
  const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
  for (auto it = mset.begin(); it != mset.end(); ++it) matches.emplace_back(*it, it.get_weight());
  return matches;
}

std::map<Xapian::docid, double> Weights(const Xapian::Database& db, const Xapian::Query& query) {
  const auto matches = Search(db, query);
  return {matches.begin(), matches.end()};
}

std::vector<Xapian::docid> Ranking(const Xapian::Database& db, const Xapian::Query& query) {
  std::vector<Xapian::docid> ids;
  for (const auto& match : Search(db, query)) ids.push_back(match.first);
  return ids;
}

Xapian::Query Boosted(const Xapian::Query& query, Xapian::PostingSource& source) {
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, query, Xapian::Query(&source));
}

// The later docid is the one that should win, so docid order cannot pass for a boost.
TEST(BoostPostingSourceTest, FresherDocumentRanksFirstAtEqualRelevance) {
  testing::TempDir dir;
  const std::vector<TestDoc> docs = {{"20210101", ""}, {"20240601", ""}};
  Xapian::Database db(BuildDatabase(dir, docs));
  const Xapian::Query query("upphandling");
  BoostPostingSource source(kToday);

  EXPECT_EQ(Ranking(db, Boosted(query, source)), (std::vector<Xapian::docid>{2, 1}));
  const auto plain = Weights(db, query);
  const auto boosted = Weights(db, Boosted(query, source));
  ASSERT_EQ(plain.at(1), plain.at(2));
  for (Xapian::docid did : {1u, 2u}) {
    EXPECT_NEAR(boosted.at(did) - plain.at(did), ExpectedBoost(docs[did - 1]), 1e-9) << did;
  }
}

TEST(BoostPostingSourceTest, OpenCallRanksAboveClosedCallAtEqualRelevance) {
  testing::TempDir dir;
  const std::vector<TestDoc> docs = {
      {"20240101", "20240301"}, {"20240101", "20240615"}, {"", "20240614"}, {"", "20250101"}};
  Xapian::Database db(BuildDatabase(dir, docs));
  BoostPostingSource source(kToday);
  EXPECT_EQ(Ranking(db, Boosted(Xapian::Query("innovation"), source)),
            (std::vector<Xapian::docid>{2, 1, 4, 3}));
}

TEST(BoostPostingSourceTest, BoostsStayWithinACoordinationTier) {
  testing::TempDir dir;
  const std::vector<TestDoc> docs = {{"", "", "upphandling innovation"},
                                     {"20240615", "20240701", "upphandling"}};
  Xapian::Database db(BuildDatabase(dir, docs));
  BoostPostingSource source(kToday);
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(CoordinationWeight());
  enquire.set_query(Boosted(Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("upphandling"),
                                          Xapian::Query("innovation")),
                            source));
  const Xapian::MSet mset = enquire.get_mset(0, 10);
  ASSERT_EQ(mset.size(), 2u);
  EXPECT_EQ(*mset.begin(), 1u);
}

// Mixed documents: with a date, a deadline, both, neither, malformed values.
const std::vector<TestDoc>& MixedDocs() {
  // 6 has both values, old and closed (boost 0); 7 has a value that is no date (boost 0).
  static const std::vector<TestDoc> docs = {
      {"", ""}, {"20240610", ""}, {"", "20240620"}, {"", ""}, {"", ""}, {"20200101", "20240101"},
      {"bogus", ""}, {"", ""}, {"", "20240615"}, {"20240615", ""}, {"", ""}};
  return docs;
}
const std::vector<Xapian::docid> kWithValues = {2, 3, 6, 7, 9, 10};

TEST(BoostPostingSourceTest, MatchesEveryDocumentWithAValueWeighingItsBoost) {
  testing::TempDir dir;
  Xapian::Database db(BuildDatabase(dir, MixedDocs()));
  BoostPostingSource source(kToday);
  std::map<Xapian::docid, double> weights = Weights(db, Xapian::Query(&source));
  // Documents whose boost is 0 ("bogus", old and closed) still match, with weight 0.
  ASSERT_EQ(weights.size(), kWithValues.size());
  for (Xapian::docid did : kWithValues) {
    ASSERT_TRUE(weights.count(did)) << did;
    EXPECT_NEAR(weights[did], ExpectedBoost(MixedDocs()[did - 1]), 1e-9) << did;
  }
}

std::vector<Xapian::docid> IterateAll(Xapian::PostingSource& source) {
  std::vector<Xapian::docid> ids;
  for (source.next(0); !source.at_end(); source.next(0)) ids.push_back(source.get_docid());
  return ids;
}

TEST(BoostPostingSourceTest, NextVisitsTheUnionOfBothSlotsInOrder) {
  testing::TempDir dir;
  Xapian::Database db(BuildDatabase(dir, MixedDocs()));
  BoostPostingSource source(kToday);
  source.init(db);
  std::vector<Xapian::docid> ids;
  for (source.next(0); !source.at_end(); source.next(0)) {
    ids.push_back(source.get_docid());
    EXPECT_NEAR(source.get_weight(), ExpectedBoost(MixedDocs()[source.get_docid() - 1]), 1e-12);
    EXPECT_LE(source.get_weight(), source.get_maxweight());
  }
  EXPECT_EQ(ids, kWithValues);
  EXPECT_LE(source.get_termfreq_min(), kWithValues.size());
  EXPECT_GE(source.get_termfreq_max(), kWithValues.size());
  EXPECT_LE(source.get_termfreq_min(), source.get_termfreq_est());
  EXPECT_LE(source.get_termfreq_est(), source.get_termfreq_max());

  source.init(db);  // init() starts over
  EXPECT_EQ(IterateAll(source), kWithValues);
}

TEST(BoostPostingSourceTest, SkipToLandsOnTheFirstDocumentAtOrAfterTheTarget) {
  testing::TempDir dir;
  Xapian::Database db(BuildDatabase(dir, MixedDocs()));
  const std::map<Xapian::docid, Xapian::docid> expected = {
      {1, 2}, {2, 2}, {3, 3}, {4, 6}, {5, 6}, {6, 6}, {7, 7}, {8, 9}, {9, 9}, {10, 10}};
  for (const auto& [target, landing] : expected) {
    BoostPostingSource source(kToday);
    source.init(db);
    source.skip_to(target, 0);
    ASSERT_FALSE(source.at_end()) << target;
    EXPECT_EQ(source.get_docid(), landing) << target;
    BoostPostingSource checked(kToday);
    checked.init(db);
    EXPECT_TRUE(checked.check(target, 0));
    EXPECT_EQ(checked.get_docid(), landing) << target;
  }
  BoostPostingSource source(kToday);
  source.init(db);
  source.skip_to(11, 0);
  EXPECT_TRUE(source.at_end());
  source.skip_to(12, 0);
  EXPECT_TRUE(source.at_end());
}

TEST(BoostPostingSourceTest, SkipToAndNextInterleave) {
  testing::TempDir dir;
  Xapian::Database db(BuildDatabase(dir, MixedDocs()));
  BoostPostingSource source(kToday);
  source.init(db);
  source.next(0);
  EXPECT_EQ(source.get_docid(), 2u);
  source.skip_to(2, 0);  // the current document: stays
  EXPECT_EQ(source.get_docid(), 2u);
  source.skip_to(1, 0);  // backwards: stays
  EXPECT_EQ(source.get_docid(), 2u);
  source.next(0);
  EXPECT_EQ(source.get_docid(), 3u);
  source.skip_to(7, 0);
  EXPECT_EQ(source.get_docid(), 7u);
  source.next(0);
  EXPECT_EQ(source.get_docid(), 9u);
  EXPECT_TRUE(source.check(10, 0));
  EXPECT_EQ(source.get_docid(), 10u);
  EXPECT_NEAR(source.get_weight(), kMaxFreshnessBoost, 1e-12);
  source.next(0);
  EXPECT_TRUE(source.at_end());
}

TEST(BoostPostingSourceTest, WorksWhenOneSlotIsEmptyOrTheDatabaseHasNoValues) {
  testing::TempDir only_deadlines, none;
  Xapian::Database db(
      BuildDatabase(only_deadlines, {{"", ""}, {"", "20240101"}, {"", "20240701"}}));
  BoostPostingSource source(kToday);
  source.init(db);
  EXPECT_EQ(IterateAll(source), (std::vector<Xapian::docid>{2, 3}));
  EXPECT_EQ(source.get_maxweight(), kOpenCallBoost);

  Xapian::Database empty(BuildDatabase(none, {{"", ""}, {"", ""}}));
  source.init(empty);
  EXPECT_EQ(source.get_termfreq_max(), 0u);
  EXPECT_EQ(source.get_maxweight(), 0.0);
  EXPECT_TRUE(IterateAll(source).empty());
  EXPECT_EQ(Ranking(empty, Boosted(Xapian::Query("upphandling"), source)).size(), 2u);
}

// Each visited docid with its weight.
std::vector<std::pair<Xapian::docid, double>> Walk(Xapian::PostingSource& source) {
  std::vector<std::pair<Xapian::docid, double>> out;
  for (source.next(0); !source.at_end(); source.next(0)) {
    out.emplace_back(source.get_docid(), source.get_weight());
  }
  return out;
}

// searchd hands the source the in-memory columns (searchd/facet_columns.h): every walk,
// skip, check and weight must be what the value streams give.
TEST(BoostPostingSourceTest, ColumnsGiveWhatTheValueStreamsGive) {
  const std::vector<std::vector<TestDoc>> databases = {
      MixedDocs(), {{"", ""}, {"", "20240101"}, {"", "20240701"}}, {{"", ""}, {"", ""}}};
  for (std::size_t n = 0; n < databases.size(); ++n) {
    SCOPED_TRACE("database " + std::to_string(n));
    testing::TempDir dir;
    Xapian::Database db(BuildDatabase(dir, databases[n]));
    const auto columns = FacetColumns::FromDatabase(db);
    BoostPostingSource streams(kToday), in_memory(kToday, columns.get());
    streams.init(db);
    in_memory.init(db);
    EXPECT_EQ(Walk(in_memory), Walk(streams));
    EXPECT_EQ(in_memory.get_maxweight(), streams.get_maxweight());
    for (Xapian::docid target = 1; target <= db.get_lastdocid() + 1; ++target) {
      BoostPostingSource a(kToday), b(kToday, columns.get());
      a.init(db);
      b.init(db);
      a.skip_to(target, 0);
      b.skip_to(target, 0);
      ASSERT_EQ(b.at_end(), a.at_end()) << target;
      if (!a.at_end()) {
        EXPECT_EQ(b.get_docid(), a.get_docid()) << target;
        EXPECT_EQ(b.get_weight(), a.get_weight()) << target;
        a.next(0);
        b.next(0);
        ASSERT_EQ(b.at_end(), a.at_end()) << target;
        if (!a.at_end()) {
          EXPECT_EQ(b.get_docid(), a.get_docid()) << target;
        }
      }
    }
    EXPECT_EQ(Weights(db, Boosted(Xapian::Query("upphandling"), in_memory)),
              Weights(db, Boosted(Xapian::Query("upphandling"), streams)));
  }
}

// Columns of another revision (here: fewer documents) are not used; the streams are.
TEST(BoostPostingSourceTest, ColumnsOfAnotherRevisionAreIgnored) {
  testing::TempDir small, big;
  const auto columns =
      FacetColumns::FromDatabase(Xapian::Database(BuildDatabase(small, {{"20240101", ""}})));
  Xapian::Database db(BuildDatabase(big, MixedDocs()));
  BoostPostingSource streams(kToday), mismatched(kToday, columns.get());
  streams.init(db);
  mismatched.init(db);
  EXPECT_EQ(Walk(mismatched), Walk(streams));
}

TEST(BoostPostingSourceTest, MaxWeightIsTightForOldDatesAndClosedCalls) {
  testing::TempDir dir;
  Xapian::Database db(BuildDatabase(dir, {{"20230615", "20240101"}, {"20220101", "20240614"}}));
  BoostPostingSource source(kToday);
  source.init(db);
  EXPECT_NEAR(source.get_maxweight(), Fresh(366), 1e-12);
}

TEST(BoostPostingSourceTest, CloneAndSerialiseKeepTodayNotPosition) {
  testing::TempDir dir;
  Xapian::Database db(BuildDatabase(dir, MixedDocs()));
  BoostPostingSource source(kToday);
  source.init(db);
  source.skip_to(9, 0);

  std::unique_ptr<Xapian::PostingSource> clone(source.clone());
  ASSERT_NE(clone, nullptr);
  EXPECT_EQ(clone->name(), "afori::searchd::BoostPostingSource");
  EXPECT_EQ(clone->get_description(), "afori::searchd::BoostPostingSource(today=20240615)");
  clone->init(db);
  EXPECT_EQ(IterateAll(*clone), kWithValues);
  EXPECT_EQ(source.get_docid(), 9u);  // the original did not move

  std::unique_ptr<Xapian::PostingSource> back(source.unserialise(source.serialise()));
  EXPECT_EQ(static_cast<BoostPostingSource&>(*back).today(), kToday);
}

TEST(BoostPostingSourceTest, EnquireUsesClonesSoTheSourceServesManySearches) {
  testing::TempDir dir;
  Xapian::Database db(BuildDatabase(dir, MixedDocs()));
  BoostPostingSource source(kToday);
  const Xapian::Query query = Boosted(Xapian::Query("upphandling"), source);
  const auto first = Weights(db, query);
  EXPECT_EQ(Weights(db, query), first);
  // The prototype itself was never initialised by the searches, and still works alone.
  source.init(db);
  EXPECT_EQ(IterateAll(source), kWithValues);

  // Handing ownership to Xapian: the query deletes the source with its last copy.
  const Xapian::Query owned(Xapian::Query::OP_AND_MAYBE, Xapian::Query("upphandling"),
                            Xapian::Query((new BoostPostingSource(kToday))->release()));
  EXPECT_EQ(Weights(db, owned), first);
}

TEST(BoostPostingSourceTest, RejectsAnInvalidToday) {
  EXPECT_THROW(BoostPostingSource("2024-06-15"), std::invalid_argument);
  EXPECT_THROW(BoostPostingSource(""), std::invalid_argument);
}

}  // namespace
}  // namespace afori::searchd
