#include "searchd/ranking.h"

#include <gtest/gtest.h>

#include <cmath>

namespace afori::searchd {
namespace {

TEST(CoordinationWeightTest, Bm25PartGrowsWithWdfAndSaturates) {
  const double idf = std::log(1.0 + (1000 - 10 + 0.5) / (10 + 0.5));
  const double one = CoordinationWeight::Bm25Part(idf, 1, 1, 100, 100);
  const double four = CoordinationWeight::Bm25Part(idf, 1, 4, 100, 100);
  const double many = CoordinationWeight::Bm25Part(idf, 1, 1000, 100, 100);
  EXPECT_GT(four, one);
  EXPECT_LT(many, idf * 2.2);
  EXPECT_EQ(CoordinationWeight::Bm25Part(idf, 1, 0, 100, 100), 0.0);
}

TEST(CoordinationWeightTest, LongerDocumentsWeighLessForTheSameWdf) {
  EXPECT_GT(CoordinationWeight::Bm25Part(2.0, 1, 2, 50, 100),
            CoordinationWeight::Bm25Part(2.0, 1, 2, 400, 100));
}

TEST(CoordinationWeightTest, OneMoreMatchingTermBeatsAnyBm25Difference) {
  // The largest BM25 part a term can reach in a million-document collection, with the
  // query-frequency factor at its cap, summed over 50 terms, stays below one bonus.
  const double max_idf = std::log(1.0 + (1e6 + 0.5) / 0.5);
  const double max_part = CoordinationWeight::Bm25Part(max_idf, 3, 1e9, 1, 1000);
  EXPECT_LT(50 * max_part, CoordinationWeight::kCoordinationBonus);
}

TEST(CoordinationWeightTest, NameAndCloneRoundTrip) {
  CoordinationWeight w;
  std::unique_ptr<Xapian::Weight> clone(w.clone());
  EXPECT_EQ(clone->name(), w.name());
  std::unique_ptr<Xapian::Weight> back(w.unserialise(w.serialise()));
  EXPECT_EQ(back->name(), "afori::CoordinationWeight");
}

}  // namespace
}  // namespace afori::searchd
