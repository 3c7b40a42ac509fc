// ExpressionQuery (searchd/filters.h) on the shipped corpus: every filter expression matches
// exactly the documents a brute-force predicate over the parsed corpus picks.
#include "searchd/filters.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>

#include <nlohmann/json.hpp>

#include "searchd/meili_filter.h"
#include "tests/test_support.h"

namespace afori::searchd {
namespace {

using corpus::Document;
using corpus::DocType;

constexpr const char* kToday = "20261201";

class ExpressionQueryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const std::vector<corpus::LoadedDocument> loaded =
        corpus::LoadDocuments({AFORI_SOURCE_DIR "/corpus/data"}).documents;
    for (const corpus::LoadedDocument& d : loaded) docs_.push_back(d.document);
    ASSERT_TRUE(indexer::BuildDatabase(dir_->Join("db"), loaded, testing::SharedAnalyzer()).ok());
    db_ = new Xapian::Database(dir_->Join("db"));
  }
  static void TearDownTestSuite() {
    delete db_;
    delete dir_;
  }

  // The ids the filter matches, or the error message.
  static Result<std::set<std::string>> Matching(const std::string& filter) {
    Result<FilterExpression> parsed = ParseMeiliFilter(filter);
    if (!parsed.ok()) return parsed.status();
    Result<Xapian::Query> q = ExpressionQuery(*parsed, *db_, kToday);
    if (!q.ok()) return q.status();
    Xapian::Enquire enquire(*db_);
    enquire.set_query(*q);
    std::set<std::string> ids;
    const Xapian::MSet mset = enquire.get_mset(0, db_->get_doccount());
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      ids.insert(nlohmann::json::parse(it.get_document().get_data())["id"].get<std::string>());
    }
    return ids;
  }

  static std::set<std::string> Expected(const std::function<bool(const Document&)>& pick) {
    std::set<std::string> ids;
    for (const Document& d : docs_) {
      if (pick(d)) ids.insert(d.id);
    }
    return ids;
  }

  static bool Has(const std::vector<std::string>& list, const std::string& v) {
    return std::find(list.begin(), list.end(), v) != list.end();
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline Xapian::Database* db_ = nullptr;
  static inline std::vector<Document> docs_;
};

struct Case {
  const char* filter;
  std::function<bool(const Document&)> pick;
};

TEST_F(ExpressionQueryTest, MatchesExactlyWhatTheFilterSays) {
  auto year = [](const Document& d) {
    return d.published ? std::stoi(d.published->substr(0, 4)) : -1;
  };
  const std::vector<Case> cases = {
      {"type = funding", [](const Document& d) { return d.type == DocType::kFunding; }},
      {"themes = Energi", [](const Document& d) { return Has(d.themes, "Energi"); }},
      // Case is ignored when no value is spelled exactly so.
      {"themes = 'cirkulär ekonomi'", [](const Document& d) { return Has(d.themes, "Cirkulär ekonomi"); }},
      {"themes != Energi", [](const Document& d) { return !Has(d.themes, "Energi"); }},
      {"type IN [case, guide]", [](const Document& d) { return d.type != DocType::kFunding; }},
      {"NOT type = guide", [](const Document& d) { return d.type != DocType::kGuide; }},
      {"region = Nationell", [](const Document& d) { return d.region == "Nationell"; }},
      {"tags = innovationspartnerskap", [](const Document& d) { return Has(d.tags, "innovationspartnerskap"); }},
      {"amount_max_sek >= 1000000", [](const Document& d) { return d.amount_max_sek && *d.amount_max_sek >= 1000000; }},
      {"amount_max_sek > 500000", [](const Document& d) { return d.amount_max_sek && *d.amount_max_sek > 500000; }},
      {"amount_max_sek < 500000", [](const Document& d) { return d.amount_max_sek && *d.amount_max_sek < 500000; }},
      {"amount_max_sek 200000 TO 800000", [](const Document& d) {
         return d.amount_max_sek && *d.amount_max_sek >= 200000 && *d.amount_max_sek <= 800000; }},
      {"amount_max_sek = 500000", [](const Document& d) { return d.amount_max_sek == 500000; }},
      {"published >= 2025-01-01", [](const Document& d) { return d.published && *d.published >= "2025-01-01"; }},
      {"published < 2024-06-01", [](const Document& d) { return d.published && *d.published < "2024-06-01"; }},
      {"deadline 2026-12-01 TO 2027-06-30", [](const Document& d) {
         return d.deadline && *d.deadline >= "2026-12-01" && *d.deadline <= "2027-06-30"; }},
      {"year = 2024", [&](const Document& d) { return year(d) == 2024; }},
      {"year > 2023", [&](const Document& d) { return year(d) > 2023; }},
      {"year <= 2022", [&](const Document& d) { return d.published && year(d) <= 2022; }},
      {"year 2022 TO 2023", [&](const Document& d) { return year(d) >= 2022 && year(d) <= 2023; }},
      {"status = open", [](const Document& d) { return d.deadline && *d.deadline >= "2026-12-01"; }},
      {"status = closed", [](const Document& d) { return d.deadline && *d.deadline < "2026-12-01"; }},
      {"deadline EXISTS", [](const Document& d) { return d.deadline.has_value(); }},
      {"themes EXISTS", [](const Document& d) { return !d.themes.empty(); }},
      {"amount_max_sek NOT EXISTS", [](const Document& d) { return !d.amount_max_sek; }},
      {"funder IS NULL", [](const Document&) { return false; }},
      {"funder IS NOT NULL", [](const Document&) { return true; }},
      {"(type = case OR type = guide) AND themes = Energi", [](const Document& d) {
         return d.type != DocType::kFunding && Has(d.themes, "Energi"); }},
      {"type = funding AND NOT (status = open OR amount_max_sek > 1000000)", [](const Document& d) {
         return d.type == DocType::kFunding && !(d.deadline && *d.deadline >= "2026-12-01") &&
                !(d.amount_max_sek && *d.amount_max_sek > 1000000); }},
      {"id = exempel-adalsviken-anropsstyrd-trafik", [](const Document& d) {
         return d.id == "exempel-adalsviken-anropsstyrd-trafik"; }},
      {"themes = 'Finns inte'", [](const Document&) { return false; }},
  };
  for (const Case& c : cases) {
    Result<std::set<std::string>> got = Matching(c.filter);
    ASSERT_TRUE(got.ok()) << c.filter << ": " << got.status().message();
    const std::set<std::string> expected = Expected(c.pick);
    EXPECT_EQ(*got, expected) << c.filter;
  }
  // The table means something only if the filters split the corpus.
  EXPECT_GT(Expected([](const Document& d) { return d.amount_max_sek > 1000000; }).size(), 0u);
  EXPECT_GT(Expected([](const Document& d) { return d.deadline && *d.deadline < "2026-12-01"; }).size(), 0u);
}

struct ErrorCase {
  const char* filter;
  const char* message_part;
};

TEST_F(ExpressionQueryTest, RefusesWhatItCannotAnswerNamingTheAttribute) {
  const std::vector<ErrorCase> cases = {
      {"colour = red", "`colour` is not a filterable attribute; filterable are: type, themes"},
      {"themes > 3", "`themes` does not take >"},
      {"published > yesterday", "`published` takes dates YYYY-MM-DD, got \"yesterday\""},
      {"published = 2023-02-29", "takes dates YYYY-MM-DD"},
      {"amount_max_sek = lots", "`amount_max_sek` takes numbers, got \"lots\""},
      {"year = 20x4", "`year` takes a year 1-9999"},
      {"status = maybe", "`status` is \"open\" or \"closed\", got \"maybe\""},
      {"tags EXISTS", "`tags` does not take EXISTS"},
      {"themes IS EMPTY", "IS EMPTY is not supported"},
      {"_geoRadius(59.3, 18.0, 1000)", "_geoRadius is not supported: the documents have no _geo field"},
      {"type = case AND colour = red", "`colour` is not a filterable attribute"},
  };
  for (const ErrorCase& c : cases) {
    Result<std::set<std::string>> got = Matching(c.filter);
    ASSERT_FALSE(got.ok()) << c.filter;
    EXPECT_EQ(got.status().code(), ErrorCode::kInvalidArgument) << c.filter;
    EXPECT_EQ(got.status().message().rfind("filter: ", 0), 0u) << got.status().message();
    EXPECT_NE(got.status().message().find(c.message_part), std::string::npos)
        << c.filter << ": " << got.status().message();
  }
}

}  // namespace
}  // namespace afori::searchd
