// The knowledge base shipped in corpus/data: what the run command indexes and every newcomer
// sees first. It must load without a single rejection and meet the coverage rules that make
// its facets meaningful (docs/corpus.md).
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "corpus/loader.h"
#include "corpus/taxonomy.h"

namespace afori::corpus {
namespace {

const std::set<std::string> kThemes(kShippedThemes.begin(), kShippedThemes.end());
const std::set<std::string> kRegions(kShippedRegions.begin(), kShippedRegions.end());

// The date the corpus was written against: calls before it are closed, after it open.
constexpr const char* kCorpusDate = "2026-11-25";

std::size_t WordCount(const std::string& text) {
  std::istringstream in(text);
  std::size_t n = 0;
  for (std::string w; in >> w;) ++n;
  return n;
}

class ShippedCorpusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    report_ = new LoadReport(LoadDocuments({AFORI_SOURCE_DIR "/corpus/data"}));
  }
  static void TearDownTestSuite() { delete report_; }
  static LoadReport* report_;
};
LoadReport* ShippedCorpusTest::report_ = nullptr;

TEST_F(ShippedCorpusTest, EveryDocumentIsValid) {
  for (const Rejection& r : report_->rejections) ADD_FAILURE() << r.ToString();
}

TEST_F(ShippedCorpusTest, CountsPerType) {
  std::map<DocType, std::size_t> counts;
  for (const auto& d : report_->documents) ++counts[d.document.type];
  EXPECT_GE(report_->documents.size(), 180u);
  EXPECT_GE(counts[DocType::kGuide], 70u);
  EXPECT_GE(counts[DocType::kCase], 70u);
  EXPECT_GE(counts[DocType::kFunding], 40u);
}

TEST_F(ShippedCorpusTest, MetadataIsCompleteAndFromTheFixedLists) {
  for (const auto& loaded : report_->documents) {
    const Document& d = loaded.document;
    const std::string where = loaded.where.ToString();
    EXPECT_TRUE(d.summary && d.url && d.published && d.region) << where;
    EXPECT_FALSE(d.themes.empty() || d.organisations.empty() || d.tags.empty()) << where;
    for (const std::string& t : d.themes) EXPECT_TRUE(kThemes.count(t)) << where << ": theme " << t;
    if (d.region) {
      EXPECT_TRUE(kRegions.count(*d.region)) << where << ": region " << *d.region;
    }
    const std::size_t words = WordCount(d.body);
    EXPECT_GE(words, 150u) << where;
    EXPECT_LE(words, 900u) << where;
    if (d.type == DocType::kFunding) {
      EXPECT_TRUE(d.funder && d.deadline && d.amount_max_sek) << where;
    }
    if (d.updated && d.published) {
      EXPECT_GE(*d.updated, *d.published) << where;
    }
  }
}

TEST_F(ShippedCorpusTest, EveryFacetValueIsUsedAtLeastThreeTimes) {
  std::map<std::string, std::map<std::string, int>> uses;
  for (const auto& loaded : report_->documents) {
    const Document& d = loaded.document;
    for (const auto& t : d.themes) ++uses["theme"][t];
    for (const auto& o : d.organisations) ++uses["organisation"][o];
    if (d.region) ++uses["region"][*d.region];
    if (d.funder) ++uses["funder"][*d.funder];
  }
  EXPECT_EQ(uses["theme"].size(), kThemes.size());
  EXPECT_EQ(uses["region"].size(), kRegions.size());
  for (const auto& [facet, values] : uses) {
    for (const auto& [value, n] : values) EXPECT_GE(n, 3) << facet << " " << value;
  }
}

TEST_F(ShippedCorpusTest, TitlesAreUnique) {
  std::map<std::string, std::string> seen;
  for (const auto& loaded : report_->documents) {
    auto [it, inserted] = seen.emplace(loaded.document.title, loaded.where.ToString());
    EXPECT_TRUE(inserted) << loaded.where.ToString() << " repeats the title of " << it->second;
  }
}

TEST_F(ShippedCorpusTest, FundingHasClosedCallsAndOpenCallsSpreadOver2027) {
  std::size_t closed = 0;
  std::set<std::string> open_months_2027;
  for (const auto& loaded : report_->documents) {
    const Document& d = loaded.document;
    if (!d.deadline) continue;
    if (*d.deadline < kCorpusDate) {
      ++closed;
    } else if (d.deadline->starts_with("2027-")) {
      open_months_2027.insert(d.deadline->substr(0, 7));
    }
  }
  EXPECT_GE(closed, 5u);
  EXPECT_GE(open_months_2027.size(), 9u) << "open calls should spread over 2027";
}

}  // namespace
}  // namespace afori::corpus
