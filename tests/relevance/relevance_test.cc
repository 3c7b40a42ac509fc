// Relevance over corpus/relevance/queries.tsv on the shipped corpus: prints nDCG@10, MRR and
// recall@10 per query category and overall (run build/tests/relevance_tests to see the
// table; docs/relevance.md records it). The judgments were written before any ranking work
// and are not edited to fit results. The floors below are regression guards set under the
// figures measured when ranking last changed; raise them when ranking improves.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "searchd/search.h"
#include "tests/test_support.h"

namespace afori {
namespace {

// Regression floors (see the header comment and docs/relevance.md).
constexpr double kFloorNdcg = 0.70;
constexpr double kFloorMrr = 0.80;
constexpr double kFloorRecall = 0.70;

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
  void Add(const Metrics& m) {
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

TEST(RelevanceTest, ShippedCorpusAgainstJudgments) {
  const std::vector<Judged> judged =
      ReadJudgments(AFORI_SOURCE_DIR "/corpus/relevance/queries.tsv");
  ASSERT_GE(judged.size(), 60u);

  testing::TempDir dir;
  stemming::Analyzer analyzer;
  const corpus::LoadReport report = corpus::LoadDocuments({AFORI_SOURCE_DIR "/corpus/data"});
  std::set<std::string> ids;
  for (const auto& d : report.documents) ids.insert(d.document.id);
  ASSERT_TRUE(indexer::BuildDatabase(dir.Join("db"), report.documents, analyzer).ok());
  Xapian::Database db(dir.Join("db"));

  std::map<std::string, Metrics> by_category;
  Metrics all;
  for (const Judged& j : judged) {
    for (const std::string& id : j.relevant) EXPECT_TRUE(ids.count(id)) << j.query << ": " << id;
    searchd::SearchRequest request;
    request.query = j.query;
    request.facets = std::vector<std::string>{};
    Result<searchd::SearchResponse> r = searchd::Search(db, analyzer, request);
    ASSERT_TRUE(r.ok()) << j.query;
    std::vector<std::string> ranked;
    for (const auto& hit : r->hits) ranked.push_back(hit.id);
    Metrics m = Score(ranked, j.relevant);
    by_category[j.category].Add(m);
    all.Add(m);
  }
  std::printf("\n| category | queries | nDCG@10 | MRR | recall@10 |\n| --- | --- | --- | --- | --- |\n");
  for (const auto& [category, m] : by_category) {
    std::printf("| %s | %d | %.3f | %.3f | %.3f |\n", category.c_str(), m.n, m.ndcg / m.n,
                m.mrr / m.n, m.recall / m.n);
  }
  std::printf("| **all** | %d | %.3f | %.3f | %.3f |\n\n", all.n, all.ndcg / all.n, all.mrr / all.n,
              all.recall / all.n);
  EXPECT_GE(all.ndcg / all.n, kFloorNdcg);
  EXPECT_GE(all.mrr / all.n, kFloorMrr);
  EXPECT_GE(all.recall / all.n, kFloorRecall);
}

}  // namespace
}  // namespace afori
