// `indexer analyze` as a user runs it: the binary, its JSON on stdout, its exit status.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>

#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "tests/test_support.h"

namespace afori {
namespace {

using nlohmann::json;

using testing::Shell;

const std::string kIndexer = AFORI_INDEXER_BIN;

TEST(IndexerCliTest, AnalyzeStemReadsAWordALineAndPrintsItsStem) {
  testing::CommandRun run = Shell("printf 'anbudet\\nUpphandlingarna\\nva\\314\\210lfa\\314\\210rden\\n' | " +
                  kIndexer + " analyze --stem");
  EXPECT_EQ(run.status, 0) << run.out;
  EXPECT_EQ(run.out, "anbud\nupphandling\nvälfärd\n");
}

TEST(IndexerCliTest, AnalyzeBodyPrintsTokensAndIndexTerms) {
  testing::CommandRun run = Shell(kIndexer + " analyze --field body 'LOU-upphandlingar av elbussar'");
  ASSERT_EQ(run.status, 0) << run.out;
  const json report = json::parse(run.out);
  EXPECT_EQ(report["field"], "body");
  EXPECT_EQ(report["tokens"][0]["token"], "louupphandlingar");
  EXPECT_EQ(report["tokens"][1]["token"], "lou");
  std::set<std::string> terms;
  for (const json& t : report["terms"]) terms.insert(t["term"]);
  for (const char* t : {"lou", "Zlou", "Zupphandling", "Zelbuss", "elbussar", "av"}) {
    EXPECT_TRUE(terms.count(t)) << t;
  }
}

TEST(IndexerCliTest, AnalyzeQueryAppliesTheShippedSynonyms) {
  testing::CommandRun run = Shell(kIndexer + " analyze FKU");
  ASSERT_EQ(run.status, 0) << run.out;
  const json report = json::parse(run.out);
  EXPECT_EQ(report["field"], "query");
  const json& synonyms = report["words"][0]["synonyms"];
  EXPECT_NE(std::find(synonyms.begin(), synonyms.end(), "förkommersiell upphandling"),
            synonyms.end())
      << synonyms;
}

TEST(IndexerCliTest, AnalyzeUsageErrors) {
  testing::CommandRun bad_field = Shell(kIndexer + " analyze --field colour text");
  EXPECT_EQ(bad_field.status, 2);
  EXPECT_NE(bad_field.out.find("--field must be"), std::string::npos) << bad_field.out;
  testing::CommandRun no_text = Shell(kIndexer + " analyze");
  EXPECT_EQ(no_text.status, 2);
  EXPECT_NE(no_text.out.find("missing TEXT"), std::string::npos) << no_text.out;
  testing::CommandRun bad_synonyms = Shell(kIndexer + " analyze --synonyms /nonexistent/s.txt FKU");
  EXPECT_EQ(bad_synonyms.status, 3);
  EXPECT_NE(bad_synonyms.out.find("/nonexistent/s.txt"), std::string::npos) << bad_synonyms.out;
}

}  // namespace
}  // namespace afori
