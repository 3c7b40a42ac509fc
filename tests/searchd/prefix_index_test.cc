#include "searchd/prefix_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace afori::searchd {
namespace {

struct Added {
  std::string key;
  std::uint32_t item, rank;
};

// The answer Best must give, by looking at every entry.
std::vector<std::pair<std::uint32_t, std::uint32_t>> BruteBest(const std::vector<Added>& added,
                                                               const std::string& prefix) {
  std::map<std::uint32_t, std::uint32_t> best_rank;  // item -> best rank
  for (const Added& a : added) {
    if (!std::string_view(a.key).starts_with(prefix)) continue;
    auto [it, inserted] = best_rank.emplace(a.item, a.rank);
    if (!inserted) it->second = std::min(it->second, a.rank);
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;  // (rank, item)
  for (const auto& [item, rank] : best_rank) out.emplace_back(rank, item);
  std::sort(out.begin(), out.end());
  if (out.size() > PrefixIndex::kBest) out.resize(PrefixIndex::kBest);
  return out;
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> Got(const PrefixIndex& index,
                                                         const std::string& prefix) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  for (const PrefixIndex::Entry* e : index.Best(prefix)) {
    EXPECT_TRUE(index.Key(*e).starts_with(prefix));
    out.emplace_back(e->rank, e->item);
  }
  return out;
}

std::size_t BruteCount(const std::vector<Added>& added, const std::string& prefix) {
  std::vector<std::pair<std::string, std::uint32_t>> distinct;
  for (const Added& a : added) {
    if (std::string_view(a.key).starts_with(prefix)) distinct.emplace_back(a.key, a.item);
  }
  std::sort(distinct.begin(), distinct.end());
  return std::unique(distinct.begin(), distinct.end()) - distinct.begin();
}

// Every string over `alphabet` up to `length` letters, the empty one included.
std::vector<std::string> AllPrefixes(const std::string& alphabet, std::size_t length) {
  std::vector<std::string> out{""};
  for (std::size_t begin = 0, n = 0; n < length; ++n) {
    const std::size_t end = out.size();
    for (std::size_t i = begin; i < end; ++i) {
      for (char c : alphabet) out.push_back(out[i] + c);
    }
    begin = end;
  }
  return out;
}

void ExpectMatchesBruteForce(const std::vector<Added>& added,
                             const std::vector<std::string>& prefixes) {
  PrefixIndex index;
  for (const Added& a : added) index.Add(a.key, a.item, a.rank);
  index.Finish();
  for (const std::string& p : prefixes) {
    EXPECT_EQ(Got(index, p), BruteBest(added, p)) << "prefix '" << p << "'";
    const auto [first, last] = index.Range(p);
    EXPECT_EQ(last - first, BruteCount(added, p)) << "prefix '" << p << "'";
  }
}

// Long ranges are answered from Finish and short ones by walking; both must agree with a
// walk over everything, including items found by several keys and repeated (key, item).
TEST(PrefixIndexTest, BestAgreesWithBruteForceOnRandomKeys) {
  std::mt19937 random(7);
  const std::string alphabet = "abc";
  std::vector<Added> added;
  for (int i = 0; i < 4000; ++i) {
    std::string key;
    const int length = 1 + static_cast<int>(random() % 6);
    for (int k = 0; k < length; ++k) key += alphabet[random() % alphabet.size()];
    added.push_back({key, static_cast<std::uint32_t>(random() % 900),
                     static_cast<std::uint32_t>(random() % 5000)});
  }
  std::vector<std::string> prefixes = AllPrefixes(alphabet, 5);
  prefixes.insert(prefixes.end(), {"d", "abcabcabc", "\xff", "ab\xc3\xa4"});
  ExpectMatchesBruteForce(added, prefixes);
}

TEST(PrefixIndexTest, LongSharedPrefixesAndFewKeys) {
  std::vector<Added> added;
  for (std::uint32_t i = 0; i < 300; ++i) {
    added.push_back({"innovationsupphandling" + std::to_string(i % 37), i, (i * 7919) % 301});
  }
  added.push_back({"inn", 1000, 0});
  added.push_back({"i", 1001, 1});
  ExpectMatchesBruteForce(added, {"i", "in", "innovation", "innovationsupphandling",
                                  "innovationsupphandling3", "innovationsupphandling36", "x"});
  ExpectMatchesBruteForce({{"upp", 0, 2}, {"upphandling", 1, 1}, {"upp", 0, 0}},
                          {"", "u", "upp", "upph", "uppz"});
  ExpectMatchesBruteForce({}, {"", "a"});
}

TEST(PrefixIndexTest, ReportsMemory) {
  PrefixIndex index;
  for (std::uint32_t i = 0; i < 1000; ++i) index.Add("ord" + std::to_string(i), i, i);
  index.Finish();
  EXPECT_GE(index.MemoryBytes(), 1000 * sizeof(PrefixIndex::Entry));
}

}  // namespace
}  // namespace afori::searchd
