// gen_corpus: a deterministic synthetic Swedish corpus and query set for benchmarks.
//
//   gen_corpus --docs N --out corpus.jsonl [--queries M --queries-out queries.tsv]
//              [--seed 42] [--words /usr/share/dict/swedish] [--domain corpus/data]
//
// Text draws real Swedish words from Debian's word list (wswedish, Latin-1, converted to
// UTF-8) with a Zipf-like frequency (s = 1.1, ranks assigned by a seeded shuffle), mixed at a
// higher rate with the domain vocabulary of the shipped corpus (its most frequent words that
// are not function words). Facets follow skewed but realistic distributions. The same seed,
// word list and domain give byte-identical output. See docs/benchmarks.md for the query file
// format and the measured speed.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "corpus/loader.h"
#include "corpus/taxonomy.h"
#include "stemming/analysis.h"
#include "stemming/tokenizer.h"

namespace {

// splitmix64: tiny, fast, and the same sequence on every platform (unlike std:: engines'
// distributions).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return (Next() >> 11) * (1.0 / 9007199254740992.0); }
  std::size_t Below(std::size_t n) { return static_cast<std::size_t>(Uniform() * n); }
  std::size_t Between(std::size_t lo, std::size_t hi) { return lo + Below(hi - lo + 1); }

 private:
  std::uint64_t state_;
};

// Draws indexes 0..n-1 with probability proportional to 1 / (i + 1)^s.
class Zipf {
 public:
  Zipf(std::size_t n, double s) : cdf_(n) {
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) cdf_[i] = (sum += 1.0 / std::pow(i + 1.0, s));
    for (double& c : cdf_) c /= sum;
  }
  std::size_t Draw(Rng& rng) const {
    auto it = std::lower_bound(cdf_.begin(), cdf_.end(), rng.Uniform());
    return std::min<std::size_t>(it - cdf_.begin(), cdf_.size() - 1);
  }

 private:
  std::vector<double> cdf_;
};

template <typename T>
void Shuffle(std::vector<T>& v, Rng& rng) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.Below(i)]);
}


// Lowercase words of the list (proper nouns and abbreviations are left out).
std::vector<std::string> ReadWordList(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> words;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.size() > 24) continue;
    bool ok = true;
    for (unsigned char c : line) ok = ok && ((c >= 'a' && c <= 'z') || c >= 0xDF);
    if (ok) words.push_back(afori::stemming::Latin1ToUtf8(line));
  }
  return words;
}

// The shipped corpus's most frequent content words: lowercased letter runs of at least six
// characters (shorter frequent words are mostly function words) that are not stop words.
std::vector<std::string> DomainVocabulary(const std::string& dir, std::size_t n) {
  std::unordered_map<std::string, std::size_t> freq;
  for (const auto& loaded : afori::corpus::LoadDocuments({dir}).documents) {
    const std::string text = loaded.document.title + " " + loaded.document.body;
    std::string word;
    for (std::size_t i = 0; i <= text.size(); ++i) {
      unsigned char c = i < text.size() ? text[i] : ' ';
      if ((c >= 'a' && c <= 'z') || c >= 0x80) {
        word += static_cast<char>(c);
      } else if (c >= 'A' && c <= 'Z') {
        word += static_cast<char>(c + 32);
      } else {
        std::size_t chars = 0;
        for (unsigned char b : word) chars += (b & 0xC0) != 0x80;
        if (chars >= 6 && !afori::stemming::IsSwedishStopWord(word)) ++freq[word];
        word.clear();
      }
    }
  }
  std::vector<std::pair<std::size_t, std::string>> ranked;
  for (auto& [w, f] : freq) ranked.emplace_back(f, w);
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < ranked.size() && i < n; ++i) out.push_back(ranked[i].second);
  return out;
}

const std::vector<std::string> kThemes(afori::corpus::kShippedThemes.begin(),
                                       afori::corpus::kShippedThemes.end());
const std::vector<std::string> kRegions(afori::corpus::kShippedRegions.begin(),
                                        afori::corpus::kShippedRegions.end());

struct Generator {
  Rng rng;
  std::vector<std::string> words;   // shuffled: index = Zipf rank
  std::vector<std::string> domain;  // shipped-corpus vocabulary, most frequent first
  Zipf word_zipf;
  Zipf domain_zipf;
  Zipf theme_zipf{kThemes.size(), 0.8};
  Zipf region_zipf{kRegions.size(), 1.0};
  Zipf org_zipf{600, 1.0};
  Zipf funder_zipf{40, 1.0};
  std::vector<std::string> organisations, funders;

  Generator(std::uint64_t seed, std::vector<std::string> w, std::vector<std::string> d)
      : rng(seed), words(std::move(w)), domain(std::move(d)), word_zipf(words.size(), 1.1),
        domain_zipf(domain.size(), 1.0) {
    Shuffle(words, rng);
    for (std::size_t i = 0; i < 600; ++i) {
      std::string base = words[rng.Below(std::min<std::size_t>(words.size(), 20000))];
      base[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(base[0])));
      organisations.push_back(base + (i % 3 == 0 ? "s kommun" : i % 3 == 1 ? " region" : " myndighet"));
    }
    for (std::size_t i = 0; i < 40; ++i) {
      funders.push_back("Fonden för " + domain[rng.Below(std::min<std::size_t>(domain.size(), 200))]);
    }
  }

  const std::string& Word() {
    // One word in four comes from the domain vocabulary.
    return rng.Below(4) == 0 ? domain[domain_zipf.Draw(rng)] : words[word_zipf.Draw(rng)];
  }

  void Words(std::size_t n, std::string& out) {
    for (std::size_t i = 0; i < n; ++i) {
      if (i) out += ' ';
      out += Word();
    }
  }

  std::string Date(int from_year, int to_year) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(rng.Between(from_year, to_year)),
                  static_cast<int>(rng.Between(1, 12)), static_cast<int>(rng.Between(1, 28)));
    return buf;
  }

  void List(const std::vector<std::string>& pool, const Zipf& zipf, std::size_t n, std::string& out) {
    std::vector<std::size_t> picked;
    out += '[';
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t k = zipf.Draw(rng);
      if (std::find(picked.begin(), picked.end(), k) != picked.end()) continue;
      if (!picked.empty()) out += ',';
      picked.push_back(k);
      out += '"' + pool[k] + '"';
    }
    out += ']';
  }

  void Document(std::size_t n, std::string& out) {
    const std::size_t t = rng.Below(10);
    const char* type = t < 4 ? "guide" : t < 8 ? "case" : "funding";
    out += "{\"id\":\"gen-" + std::to_string(n) + "\",\"type\":\"" + type + "\",\"title\":\"";
    Words(rng.Between(3, 9), out);
    out += "\",\"summary\":\"";
    Words(rng.Between(12, 30), out);
    out += "\",\"published\":\"" + Date(2019, 2026) + "\",\"themes\":";
    List(kThemes, theme_zipf, rng.Between(1, 3), out);
    out += ",\"organisations\":";
    List(organisations, org_zipf, rng.Between(1, 2), out);
    out += ",\"region\":\"" + kRegions[region_zipf.Draw(rng)] + "\",\"tags\":";
    List(domain, domain_zipf, rng.Between(2, 5), out);
    if (t >= 8) {
      out += ",\"funder\":\"" + funders[funder_zipf.Draw(rng)] + "\",\"deadline\":\"" +
             Date(2025, 2027) + "\",\"amount_max_sek\":" + std::to_string(50000 * rng.Between(3, 600));
    }
    out += ",\"body\":\"";
    const std::size_t paragraphs = rng.Between(1, 5);
    for (std::size_t p = 0; p < paragraphs; ++p) {
      if (p) out += "\\n\\n";
      Words(rng.Between(25, 90), out);
      out += '.';
    }
    out += "\"}\n";
  }

  // qid, class, q, filters (URL query string of facet filters, or empty)
  void Query(std::size_t n, std::string& out) {
    const std::size_t c = rng.Below(10);
    std::string q, filters;
    const char* cls = "words";
    auto domain_word = [&]() -> const std::string& { return domain[domain_zipf.Draw(rng)]; };
    if (c < 5) {
      for (std::size_t i = 0, k = rng.Between(1, 3); i < k; ++i) q += (i ? " " : "") + (i == 1 ? Word() : domain_word());
    } else if (c < 7) {
      cls = "faceted";
      q = domain_word();
      filters = "theme=" + kThemes[theme_zipf.Draw(rng)];
      if (rng.Below(2)) filters += std::string("&type=") + (rng.Below(2) ? "case" : "funding");
    } else if (c < 8) {
      cls = "browse";
      filters = "region=" + kRegions[region_zipf.Draw(rng)];
    } else {
      cls = "prefix";
      const std::string& w = domain_word();
      q = w.substr(0, std::max<std::size_t>(3, w.size() * 2 / 3));
      if ((static_cast<unsigned char>(q.back()) & 0xC0) == 0xC0) q.pop_back();  // whole UTF-8 chars
    }
    out += "q" + std::to_string(n) + '\t' + cls + '\t' + q + '\t' + filters + '\n';
  }
};

bool Write(const std::string& path, std::size_t count, Generator& g,
           void (Generator::*make)(std::size_t, std::string&)) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  std::string buf;
  for (std::size_t i = 0; i < count; ++i) {
    (g.*make)(i, buf);
    if (buf.size() > (1 << 20)) {
      std::fwrite(buf.data(), 1, buf.size(), f);
      buf.clear();
    }
  }
  std::fwrite(buf.data(), 1, buf.size(), f);
  return std::fclose(f) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> opt = {{"--seed", "42"},
                                            {"--words", "/usr/share/dict/swedish"},
                                            {"--domain", "corpus/data"},
                                            {"--docs", "0"},
                                            {"--queries", "0"}};
  for (int i = 1; i + 1 < argc; i += 2) opt[argv[i]] = argv[i + 1];
  if ((argc - 1) % 2 != 0 || (!opt.count("--out") && !opt.count("--queries-out"))) {
    std::cerr << "usage: gen_corpus --docs N --out corpus.jsonl [--queries M --queries-out q.tsv]\n"
                 "                  [--seed 42] [--words /usr/share/dict/swedish] [--domain corpus/data]\n";
    return 2;
  }
  std::vector<std::string> words = ReadWordList(opt["--words"]);
  std::vector<std::string> domain = DomainVocabulary(opt["--domain"], 400);
  if (words.size() < 1000 || domain.size() < 100) {
    std::cerr << "gen_corpus: need the word list " << opt["--words"]
              << " (Debian package wswedish) and the shipped corpus " << opt["--domain"] << "\n";
    return 2;
  }
  Generator g(std::stoull(opt["--seed"]), std::move(words), std::move(domain));
  if (opt.count("--out") && !Write(opt["--out"], std::stoull(opt["--docs"]), g, &Generator::Document)) {
    std::cerr << "gen_corpus: cannot write " << opt["--out"] << "\n";
    return 1;
  }
  if (opt.count("--queries-out") &&
      !Write(opt["--queries-out"], std::stoull(opt["--queries"]), g, &Generator::Query)) {
    std::cerr << "gen_corpus: cannot write " << opt["--queries-out"] << "\n";
    return 1;
  }
  return 0;
}
