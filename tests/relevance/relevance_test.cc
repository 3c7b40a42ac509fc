// Relevance over corpus/relevance/queries.tsv on the shipped corpus: prints nDCG@10, MRR and
// recall@10 per query category and overall (run build/tests/relevance_tests to see the
// table; docs/relevance.md records it). The judgments were written before any ranking work
// and are not edited to fit results. The floors below are regression guards set under the
// figures measured when ranking last changed; raise them when ranking improves.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "searchd/search.h"
#include "stemming/synonyms.h"
#include "stemming/vocabulary.h"
#include "tests/test_support.h"

namespace afori {
namespace {

// Regression floors (see the header comment and docs/relevance.md).
constexpr double kFloorNdcg = 0.85;
constexpr double kFloorMrr = 0.95;
constexpr double kFloorRecall = 0.85;

struct Judged {
  std::string category;
  std::string query;
  std::vector<std::string> relevant;
};

std::vector<Judged> ReadJudgments(const std::string& path) {
  std::ifstream in(path);
  std::vector<Judged> out;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    Judged j;
    std::string ids;
    std::getline(fields, j.category, '\t');
    std::getline(fields, j.query, '\t');
    std::getline(fields, ids, '\t');
    std::istringstream split(ids);
    for (std::string id; std::getline(split, id, ',');) j.relevant.push_back(id);
    out.push_back(j);
  }
  return out;
}

struct Metrics {
  double ndcg = 0, mrr = 0, recall = 0;
  int n = 0;
  int zero_results = 0;  // queries that found nothing at all
  void Add(const Metrics& m) {
    zero_results += m.zero_results;
    ndcg += m.ndcg;
    mrr += m.mrr;
    recall += m.recall;
    n += m.n;
  }
};

// Binary relevance: a hit is relevant if it is listed for the query.
Metrics Score(const std::vector<std::string>& ranked, const std::vector<std::string>& relevant) {
  const std::set<std::string> rel(relevant.begin(), relevant.end());
  Metrics m;
  m.n = 1;
  double dcg = 0, ideal = 0;
  int found = 0;
  for (std::size_t i = 0; i < ranked.size() && i < 10; ++i) {
    if (!rel.count(ranked[i])) continue;
    dcg += 1.0 / std::log2(i + 2.0);
    if (found++ == 0) m.mrr = 1.0 / (i + 1.0);
  }
  for (std::size_t i = 0; i < rel.size() && i < 10; ++i) ideal += 1.0 / std::log2(i + 2.0);
  m.ndcg = dcg / ideal;
  m.recall = static_cast<double>(found) / std::min<std::size_t>(rel.size(), 10);
  return m;
}

struct Evaluation {
  std::map<std::string, Metrics> by_category;
  Metrics all;
  std::vector<std::string> per_query;  // "nDCG  query  top ids", for AFORI_RELEVANCE_VERBOSE
};

// One analysis configuration: the shipped corpus indexed with it, every judged query run.
Evaluation Evaluate(const std::vector<Judged>& judged, const stemming::AnalysisConfig& config,
                    const stemming::QueryOptions& options, const stemming::SynonymTable* synonyms) {
  auto analyzer = stemming::Analyzer::Load(config);
  if (!analyzer.ok()) throw std::runtime_error(analyzer.status().message());
  testing::TempDir dir;
  const corpus::LoadReport report = corpus::LoadDocuments({AFORI_SOURCE_DIR "/corpus/data"});
  if (!indexer::BuildDatabase(dir.Join("db"), report.documents, **analyzer).ok()) {
    throw std::runtime_error("cannot build the index");
  }
  Xapian::Database db(dir.Join("db"));
  const auto vocabulary = stemming::Vocabulary::FromDatabase(db);
  searchd::SearchContext context;
  context.analyzer = analyzer->get();
  context.vocabulary = vocabulary.get();
  context.synonyms = synonyms;
  context.query_options = options;
  Evaluation e;
  for (const Judged& j : judged) {
    searchd::SearchRequest request;
    request.query = j.query;
    request.facets = std::vector<std::string>{};
    Result<searchd::SearchResponse> r = searchd::Search(db, context, request);
    if (!r.ok()) throw std::runtime_error(j.query + ": " + r.status().message());
    std::vector<std::string> ranked;
    for (const auto& hit : r->hits) ranked.push_back(hit.id);
    Metrics m = Score(ranked, j.relevant);
    m.zero_results = r->total == 0 ? 1 : 0;
    std::string line = std::to_string(m.ndcg).substr(0, 5) + "\t" + j.query + "\t";
    for (std::size_t i = 0; i < ranked.size() && i < 5; ++i) line += ranked[i] + " ";
    e.per_query.push_back(line);
    e.by_category[j.category].Add(m);
    e.all.Add(m);
  }
  return e;
}

TEST(RelevanceTest, JudgmentsNameShippedDocuments) {
  const std::vector<Judged> judged =
      ReadJudgments(AFORI_SOURCE_DIR "/corpus/relevance/queries.tsv");
  ASSERT_GE(judged.size(), 60u);
  std::set<std::string> ids;
  for (const auto& d : corpus::LoadDocuments({AFORI_SOURCE_DIR "/corpus/data"}).documents) {
    ids.insert(d.document.id);
  }
  for (const Judged& j : judged) {
    for (const std::string& id : j.relevant) EXPECT_TRUE(ids.count(id)) << j.query << ": " << id;
  }
}

// Each feature of the Swedish analysis switched on in turn, so that docs/swedish.md can show
// what each one is worth; the last row is the configuration searchd runs.
TEST(RelevanceTest, ShippedCorpusAgainstJudgments) {
  const std::vector<Judged> judged =
      ReadJudgments(AFORI_SOURCE_DIR "/corpus/relevance/queries.tsv");
  auto synonyms = stemming::SynonymTable::Load(AFORI_SOURCE_DIR "/corpus/synonyms.txt",
                                                 testing::SharedAnalyzer().StemFunction());
  ASSERT_TRUE(synonyms.ok()) << synonyms.status().message();

  stemming::AnalysisConfig config = stemming::DefaultAnalysisConfig(AFORI_SOURCE_DIR);
  stemming::QueryOptions options;
  config.stemmer = stemming::StemmerKind::kXapianLegacy;
  config.decompound = options.decompound = false;
  options.fold_diacritics = options.typo_tolerance = options.synonyms = false;

  struct Step {
    const char* name;
    std::function<void()> enable;
  };
  const std::vector<Step> steps = {
      {"Xapian's Swedish stemmer, nothing else", [] {}},
      {"+ Snowball 3 stemmer", [&] { config.stemmer = stemming::StemmerKind::kSnowball3; }},
      {"+ compound splitting", [&] { config.decompound = options.decompound = true; }},
      {"+ missing å/ä/ö", [&] { options.fold_diacritics = true; }},
      {"+ typo tolerance", [&] { options.typo_tolerance = true; }},
      {"+ synonyms (all on)", [&] { options.synonyms = true; }},
  };
  std::printf("\n| configuration | nDCG@10 | MRR | recall@10 | zero results |\n"
              "| --- | --- | --- | --- | --- |\n");
  Evaluation last;
  for (const Step& step : steps) {
    step.enable();
    last = Evaluate(judged, config, options, &*synonyms);
    const Metrics& a = last.all;
    if (std::getenv("AFORI_RELEVANCE_VERBOSE")) {
      for (const std::string& line : last.per_query) std::printf("    %s\n", line.c_str());
    }
    std::printf("| %s | %.3f | %.3f | %.3f | %d |\n", step.name, a.ndcg / a.n, a.mrr / a.n,
                a.recall / a.n, a.zero_results);
  }
  std::printf("\n| category | queries | nDCG@10 | MRR | recall@10 | zero results |\n"
              "| --- | --- | --- | --- | --- | --- |\n");
  for (const auto& [category, m] : last.by_category) {
    std::printf("| %s | %d | %.3f | %.3f | %.3f | %d |\n", category.c_str(), m.n, m.ndcg / m.n,
                m.mrr / m.n, m.recall / m.n, m.zero_results);
  }
  const Metrics& all = last.all;
  std::printf("| **all** | %d | %.3f | %.3f | %.3f | %d |\n\n", all.n, all.ndcg / all.n,
              all.mrr / all.n, all.recall / all.n, all.zero_results);
  EXPECT_GE(all.ndcg / all.n, kFloorNdcg);
  EXPECT_GE(all.mrr / all.n, kFloorMrr);
  EXPECT_GE(all.recall / all.n, kFloorRecall);
}

}  // namespace
}  // namespace afori
