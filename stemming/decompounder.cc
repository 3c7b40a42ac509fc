#include "stemming/decompounder.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace afori::stemming {
namespace {

enum Flag : std::uint8_t {
  kNeverSplit = 1,  // from never_split.txt: kept whole, also inflected
  kNoPart = 2,      // a function word: never a part
  kNoHead = 4,      // a derivational suffix that is also a word: never the last part
  kGenitive = 8,    // X+s of a lexicon word X ("tids"): read as X plus linking s, never bare
  kInflected = 16,  // a definite or plural noun form (kylan, lagar): an unlikely modifier
};

constexpr std::size_t kMaxWordBytes = 127;  // longer words are not split; bounds the arrays

// Prepositions, particles, adverbs, pronouns, conjunctions and auxiliaries (rule 5).
constexpr std::string_view kFunctionWords[] = {
    "all", "alla", "allt", "andra", "annan", "annat", "att", "bak", "bakom", "bara", "bland",
    "bli", "blir", "blev", "bort", "bör", "dem", "den", "denna", "deras", "dess", "dessa", "det",
    "detta", "din", "dina", "ditt", "där", "efter", "eller", "enligt", "era", "ert", "ett",
    "fast", "fort", "fram", "framför", "från", "för", "före", "förut", "genom", "hade", "han", "hans", "har",
    "henne", "hennes", "hit", "hon", "honom", "hos", "hur", "här", "icke", "idag", "ifråga",
    "inge", "ingen", "inget", "inga", "inne", "inom", "inte", "jag", "kan", "kring", "kunde", "kvar", "med", "mellan", "men", "mig",
    "min", "mina", "mitt", "mot", "måste", "ned", "nere", "ner", "någon", "något", "några", "och",
    "ovan", "redo", "samma", "samme", "samman", "samt", "sedan", "sig", "sin", "sina", "sitt", "ska",
    "skulle", "som", "till", "tillgodo", "tillhanda", "tills", "undan", "under", "upp", "uppe", "utan", "ute", "utom",
    "var", "vad", "varit", "vem", "vid", "vidare", "vill", "åsido", "åstad", "åter", "över", "överens",
};
// Derivational suffixes that are also words: never the head (rule 5).
constexpr std::string_view kSuffixWords[] = {
    "ande",  "aren", "arens", "bar", "bart", "ende", "era", "eras", "het", "heten", "heter", "hets",
    "ism", "kap", "kapen", "kapet", "liga", "maste", "otal", "otals", "rar", "rara", "rart", "skapet",
};
// Prefixes and particles that derive words from words (rule 4: behov, förskola, innehålla).
constexpr std::string_view kPrefixes[] = {
    "an", "av", "be", "efter", "er", "fast", "fort", "fram", "för", "före", "förut", "genom",
    "ge", "in", "inne", "med", "miss", "mot", "o", "om", "på", "redo", "sam", "samman", "till",
    "undan", "under", "upp", "ut", "van", "vidare", "åter", "över",
};
// Derivational endings (rule 4: annons+ering, stat+liga, erfaren+het, lever+anser).
constexpr std::string_view kDerivations[] = {
    "ande", "anden", "ans", "ansen", "anser", "are", "aren", "arens", "arisk", "ariska", "ariskt",
    "dom", "domen", "else",
    "elsen", "ende", "era", "erad", "erade", "erar", "eras", "erat", "ering", "eringar",
    "eringen", "het", "heten", "heter", "ig", "iga", "igt", "ing", "ingar", "ingen", "isk",
    "iska", "iskt", "ist", "isten", "ister", "isterna", "itet", "iteten", "iteter", "iteterna", "lig", "liga", "ligen", "ligt", "ning", "ningar", "ningen",
    "sam", "samma", "samt", "skap", "skapen", "skapet",
};
// Regular inflectional endings: after the word itself, after a word's final -a replaced
// (skola: skolor, reglera: reglerad), after a final -e replaced (pojke: pojkar).
constexpr std::string_view kEndings[] = {
    "a",  "e",  "n",   "r",   "s",   "t",   "de",  "en",  "er",   "ar",   "or",    "et",
    "na", "ns", "rs",  "te",  "ts",  "des", "ens", "ers", "ets",  "ars",  "ors",   "nas",
    "rna", "tes", "arna", "erna", "orna", "rnas", "arnas", "ernas", "ornas", "nde", "ndes",
    "ndet", "nden", "are", "ast", "aste",
};
constexpr std::string_view kEndingsAfterA[] = {"ad", "ade", "ades", "ats", "at", "or", "ors", "orna", "ornas"};
constexpr std::string_view kEndingsAfterE[] = {"ar", "ars", "arna", "arnas", "na", "nas"};

template <typename List>
bool In(const List& list, std::string_view s) {
  return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::size_t Letters(std::string_view s) {
  return std::count_if(s.begin(), s.end(), [](char c) { return !IsContinuation(c); });
}

bool IsValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = s[i];
    const std::size_t len = c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if (!IsContinuation(s[i + k])) return false;
    }
    i += len;
  }
  return true;
}

std::string Latin1ToUtf8(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x80) out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(c < 0x80 ? c : 0x80 | (c & 0x3F));
  }
  return out;
}

// Only lowercase letters: ASCII a-z or non-ASCII, but no Latin-1 capital (U+00C0-U+00DE).
bool IsLowercaseWord(std::string_view w) {
  if (w.empty() || w.size() > kMaxWordBytes) return false;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const unsigned char c = w[i], next = i + 1 < w.size() ? w[i + 1] : 0;
    if ((c < 0x80 && (c < 'a' || c > 'z')) || (c == 0xC3 && next >= 0x80 && next <= 0x9E && next != 0x97)) {
      return false;
    }
  }
  return true;
}

bool IsAsciiConsonant(char c) {
  return c >= 'b' && c <= 'z' && c != 'e' && c != 'i' && c != 'o' && c != 'u' && c != 'y';
}

Status ReadWordList(const std::string& path, std::vector<std::string>& out) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Status::IoError("word list " + path + " is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot read word list " + path);
  std::string line;
  while (std::getline(in, line)) {
    if (std::size_t hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    const std::size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    line = line.substr(first, line.find_last_not_of(" \t\r") + 1 - first);
    out.push_back(IsValidUtf8(line) ? line : Latin1ToUtf8(line));
  }
  if (in.bad()) return Status::IoError("error reading word list " + path);
  return Status::Ok();
}

}  // namespace

std::vector<std::string> DefaultLexiconPaths(const std::string& source_dir) {
  return {"/usr/share/dict/swedish", source_dir + "/stemming/lexicon/domain_words.txt"};
}

std::string DefaultNeverSplitPath(const std::string& source_dir) {
  return source_dir + "/stemming/lexicon/never_split.txt";
}

Result<Decompounder> Decompounder::Load(const std::vector<std::string>& lexicon_paths,
                                        const std::string& never_split_path) {
  std::vector<std::string> words, never_split;
  for (const std::string& path : lexicon_paths) {
    if (Status s = ReadWordList(path, words); !s.ok()) return s;
  }
  if (!never_split_path.empty()) {
    if (Status s = ReadWordList(never_split_path, never_split); !s.ok()) return s;
  }
  return Decompounder(std::move(words), std::move(never_split));
}

Decompounder::Decompounder(std::vector<std::string> lexicon_words,
                           std::vector<std::string> never_split_words) {
  std::vector<std::pair<std::string, std::uint8_t>> words;
  for (std::string& w : lexicon_words) {
    if (!IsLowercaseWord(w)) continue;
    // Verbs in -era make nouns in -ering (kvalificera: kvalificering), which wswedish lacks.
    // Adjectives in -lig and -bar make nouns in -het (offentlig: offentlighet).
    const bool era = w.size() >= 7 && w.ends_with("era");
    if (era || (w.size() >= 6 && (w.ends_with("lig") || w.ends_with("bar")))) {
      const std::string stem = era ? w.substr(0, w.size() - 1) + "ing" : w + "het";
      for (std::string_view ending : {"", "en", era ? "ar" : "er", era ? "arna" : "erna"}) {
        words.emplace_back(stem + std::string(ending), 0);
      }
    }
    words.emplace_back(std::move(w), 0);
  }
  for (std::string& w : never_split_words) {
    if (IsLowercaseWord(w)) words.emplace_back(std::move(w), kNeverSplit);
  }
  std::sort(words.begin(), words.end());
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (!entries_.empty() && words[i].first == words[i - 1].first) {
      entries_.back().flags |= words[i].second;
      continue;
    }
    entries_.push_back({static_cast<std::uint32_t>(arena_.size()),
                        static_cast<std::uint8_t>(words[i].first.size()), words[i].second});
    arena_ += words[i].first;
  }
  for (std::uint32_t i = 0; i < entries_.size(); ++i) {
    Range& r = by_first_byte_[static_cast<unsigned char>(arena_[entries_[i].offset])];
    if (r.lo == r.hi) r.lo = i;
    r.hi = i + 1;
  }
  auto flag = [this](std::string_view w, std::uint8_t f) {
    if (const Entry* e = Find(w)) entries_[e - entries_.data()].flags |= f;
  };
  for (std::string_view w : kFunctionWords) flag(w, kNoPart);
  for (std::string_view w : kSuffixWords) flag(w, kNoHead);
  for (Entry& e : entries_) {
    std::string_view w = Text(e);
    for (std::string_view ending : {"n", "en", "et", "ar", "er", "or", "na", "arna", "erna", "orna"}) {
      const std::string_view stem = w.substr(0, w.size() - std::min(w.size(), ending.size()));
      if (w.ends_with(ending) && Letters(stem) >= 3 && (ending != "n" || stem.ends_with('a') || stem.ends_with('e')) &&
          Find(stem)) {
        e.flags |= kInflected;
      }
    }
    // A genitive has no inflected forms of its own (kurs has kursen).
    if (Letters(w) < 4 || !w.ends_with('s') || !Find(w.substr(0, w.size() - 1))) continue;
    bool own = false;
    for (std::string_view ending : {"en", "et", "er", "ar"}) own = own || Find(std::string(w) + std::string(ending));
    if (!own) e.flags |= kGenitive;
  }
}

std::string_view Decompounder::Text(const Entry& e) const {
  return std::string_view(arena_).substr(e.offset, e.size);
}

Decompounder::Range Decompounder::Narrow(Range r, std::size_t depth, char c) const {
  const char* arena = arena_.data();
  const int target = static_cast<unsigned char>(c);
  auto byte_at = [arena, depth](const Entry& e) -> int {
    return e.size > depth ? static_cast<unsigned char>(arena[e.offset + depth]) : -1;
  };
  const Entry* base = entries_.data();
  const Entry* lo = std::partition_point(base + r.lo, base + r.hi,
                                         [&](const Entry& e) { return byte_at(e) < target; });
  const Entry* hi = std::partition_point(lo, base + r.hi,
                                         [&](const Entry& e) { return byte_at(e) <= target; });
  return {static_cast<std::uint32_t>(lo - base), static_cast<std::uint32_t>(hi - base)};
}

const Decompounder::Entry* Decompounder::ExactAt(Range r, std::size_t depth) const {
  return r.lo < r.hi && entries_[r.lo].size == depth ? &entries_[r.lo] : nullptr;
}

const Decompounder::Entry* Decompounder::Find(std::string_view word) const {
  if (word.empty() || word.size() > kMaxWordBytes) return nullptr;
  Range r = by_first_byte_[static_cast<unsigned char>(word[0])];
  for (std::size_t d = 1; d < word.size() && r.lo < r.hi; ++d) r = Narrow(r, d, word[d]);
  return ExactAt(r, word.size());
}

// The lexicon word that `rest`, following the prefix X that `r` stands for, inflects: X itself
// (kvarter+et), or X+a (skol+or), or X+e (pojk+ar). Sets `vowel` to the replaced vowel or '\0'.
const Decompounder::Entry* Decompounder::Inflected(Range r, std::size_t depth, std::string_view rest,
                                                   char& vowel) const {
  vowel = '\0';
  if (const Entry* e = ExactAt(r, depth); e && In(kEndings, rest)) return e;
  for (char v : {'a', 'e'}) {
    if (!(v == 'a' ? In(kEndingsAfterA, rest) : In(kEndingsAfterE, rest))) continue;
    if (const Entry* e = ExactAt(Narrow(r, depth, v), depth + 1)) {
      vowel = v;
      return e;
    }
  }
  return nullptr;
}

Decompounder::Lemma Decompounder::FindLemma(std::string_view word) const {
  Lemma lemma;
  Range r = by_first_byte_[static_cast<unsigned char>(word[0])];
  std::size_t letters = 0;
  for (std::size_t j = 1; j <= word.size() && r.lo < r.hi; ++j) {
    if (j > 1) r = Narrow(r, j - 1, word[j - 1]);
    letters += !IsContinuation(word[j - 1]);
    if (j == word.size()) {
      const Entry* e = ExactAt(r, j);
      lemma.in_lexicon = lemma.in_lexicon || e;
      lemma.never_split = lemma.never_split || (e && (e->flags & kNeverSplit));
    } else if (letters >= 3 && word.size() - j <= 5 && !IsContinuation(word[j])) {
      char vowel;
      if (const Entry* e = Inflected(r, j, word.substr(j), vowel)) {
        lemma = {true, lemma.never_split || (e->flags & kNeverSplit), j, vowel};
      }
    }
  }
  return lemma;
}

// A lexicon word derived from another by a prefix or a derivational ending (rule 4).
bool Decompounder::IsDerivation(std::string_view word, bool lexical) const {
  for (std::string_view p : kPrefixes) {
    if (word.starts_with(p) && Letters(word.substr(p.size())) >= 3 && Find(word.substr(p.size()))) return true;
  }
  if (!lexical) return false;
  for (std::string_view d : kDerivations) {
    const std::string_view stem = word.substr(0, word.size() - std::min(d.size(), word.size()));
    if (!word.ends_with(d) || Letters(stem) < 3) continue;
    if (Find(stem)) return true;
    // A verb or noun drops its final vowel before a vowel-initial ending (lindra: lindring).
    for (char vowel : {'a', 'e'}) {
      if (d[0] != 'a' && d[0] != 'e' && d[0] != 'i') break;
      char buf[kMaxWordBytes + 1];
      std::copy(stem.begin(), stem.end(), buf);
      buf[stem.size()] = vowel;
      if (Find(std::string_view(buf, stem.size() + 1))) return true;
    }
  }
  return false;
}

// Whether a modifier usually joins with -s-, deciding kontrakt·s·värdet against kontrakt·svärdet:
// by its ending (upphandling·s·, marknad·s·), because it is itself a compound or derivation
// (solcell·s·park, över·skott·s·värme), or because most lexicon words it starts continue with
// an s (liv·s·längd, skog·s·ägare). `r` is the range of lexicon words starting with it.
bool Decompounder::TakesLinkingS(std::string_view modifier, Range r) const {
  for (std::string_view e : {"ing", "het", "skap", "tion", "sion", "nad", "dom", "else", "itet"}) {
    if (modifier.ends_with(e)) return true;
  }
  const Range with_s = Narrow(r, modifier.size(), 's');
  if (2 * (with_s.hi - with_s.lo) > r.hi - r.lo) return true;
  if (IsDerivation(modifier, false)) return true;
  for (std::size_t k = 3; k + 3 <= modifier.size(); ++k) {
    if (IsContinuation(modifier[k]) || !Find(modifier.substr(0, k))) continue;
    if (Find(modifier.substr(k)) || (modifier[k] == 's' && Find(modifier.substr(k + 1)))) return true;
  }
  return false;
}

// The working state of one Split() call, on the stack: for each byte position p, the best way
// found so far of covering word[0, p) with modifiers, and the best head.
struct Decompounder::Segmentation {
  static constexpr std::uint8_t kUnreached = 255;
  std::array<std::uint8_t, kMaxWordBytes + 1> parts;     // number of modifiers
  std::array<std::uint16_t, kMaxWordBytes + 1> penalty;  // unusual seams so far
  std::array<std::uint8_t, kMaxWordBytes + 1> from;      // where the last modifier begins
  std::array<std::uint8_t, kMaxWordBytes + 1> stem_end;  // where its stem ends
  std::array<char, kMaxWordBytes + 1> restored;          // its dropped vowel, or '\0'
  std::uint8_t best_parts = kUnreached;
  std::uint16_t best_penalty = 0;
  std::size_t head = 0;                                  // where the head begins
};

// The rules:
//  1. Parts are lexicon words. The head (last part) is a lexicon word as written, or one with
//     a regular inflectional ending (innovation+s+upphandlingar; förpackning+s+storlekar,
//     wswedish lacking "storlekar"). A modifier is a lexicon word followed by nothing or a
//     linking letter: -s- (innovation·s·upphandling), -e- (barn·e·morska), -a- (gäst·a·bud);
//     or a lexicon word that dropped its final -a/-e (flick·skola, skol·mat), maybe followed
//     by -u-/-o- after a dropped a (gat·u·kök, människ·o·handel) or -s- after a dropped e
//     (arbet·s·plats); or ending in a double consonant that lost a letter at the seam
//     (natt+tillsyn: nattillsyn). A genitive in the lexicon (tids) is read as tid + s.
//  2. Every part has at least 3 letters, linking letter not counted. Two-letter parts (el,
//     is, ny, ö) would let too many words split; 3-letter words are too common as parts to
//     exclude (avtals·tid, ram·avtal, mat·svinn, hem·tjänst).
//  3. Fewest parts, then the fewest unusual seams (all but bare and -s-), then the longest
//     head. Seams before head length: huvud·regel, not huv(a)·dregel. When the two readings
//     differ in whether an s links or starts the head (kontrakts·värdet or kontrakt·svärdet),
//     the head that ends more lexicon words wins (värdet). When a modifier reads both as X+s
//     and as the word Xs (kur+s, kurs), the longer word wins.
//  4. A word in the lexicon is lexicalised and must earn its split: every part has at least
//     4 letters, seams are bare, -s- or a dropped vowel only, and it is not a derivation (a
//     prefix or particle before a word: be·skriva, för·skola, inne·hålla, an·bud; a word
//     before a derivational ending: annons·ering, stat·liga). An inflected form of a lexicon
//     word splits as that word splits: tjänsten stays whole like tjänst, not tjäna+sten.
//     This keeps never_split.txt short: misleading splits of real words nearly always need
//     a short part (kvar+ter, fat+tig, all+tid, kan+ske, part+ner) or are derivations, while
//     lexicon compounds of long parts are transparent (sjuk·vård, kompetens·utveckling).
//     sjukhus and livsmedel stay whole (hus, liv: 3 letters), the lexicon lists them as
//     words of their own.
//  5. Function words are never parts (över·prövning, upp·handla, med·finansiering,
//     dess·utom): they start derivations, not compounds, and add nothing to the index.
//     Derivational suffixes that are also words are never the head (reparerbar·het).
//  6. never_split.txt lists the words that pass all this but change meaning when split; they
//     are kept whole, also inflected (sparris, sparrisen).
bool Decompounder::Segment(std::string_view word, bool lexical, Segmentation& seg) const {
  const std::size_t n = word.size(), min_letters = lexical ? 4 : 3;
  seg.parts.fill(Segmentation::kUnreached);
  seg.parts[0] = 0;
  seg.penalty[0] = 0;

  // A part starting inside a derivational suffix: annons·e·ring, dimension·e·rad (-ering, -erad).
  auto inside_suffix = [&](std::size_t p) {
    const std::string_view rest = word.substr(p);
    return word[p - 1] == 'e' && (rest.starts_with("ring") || rest.starts_with("rad") || rest.starts_with("rat"));
  };
  auto relax = [&](std::size_t i, std::size_t stem_end, std::size_t next, char restored, int cost) {
    if (next + min_letters > n || inside_suffix(next)) return;
    const auto parts = static_cast<std::uint8_t>(seg.parts[i] + 1);
    const auto penalty = static_cast<std::uint16_t>(seg.penalty[i] + cost);
    if (parts > seg.parts[next] || (parts == seg.parts[next] && penalty > seg.penalty[next])) return;
    if (parts == seg.parts[next] && penalty == seg.penalty[next] && stem_end <= seg.stem_end[next]) return;
    seg.parts[next] = parts;
    seg.penalty[next] = penalty;
    seg.from[next] = static_cast<std::uint8_t>(i);
    seg.stem_end[next] = static_cast<std::uint8_t>(stem_end);
    seg.restored[next] = restored;
  };
  auto head = [&](std::size_t i, const Entry* e, int cost) {
    if ((e->flags & (kNoPart | kNoHead)) || inside_suffix(i)) return;
    const auto parts = static_cast<std::uint8_t>(seg.parts[i] + 1);
    const auto penalty = static_cast<std::uint16_t>(seg.penalty[i] + cost);
    if (parts > seg.best_parts || (parts == seg.best_parts && penalty >= seg.best_penalty)) return;
    seg.best_parts = parts;
    seg.best_penalty = penalty;
    seg.head = i;
  };

  for (std::size_t i = 0; i < n; ++i) {
    if (seg.parts[i] == Segmentation::kUnreached || seg.parts[i] + 1 > seg.best_parts) continue;
    if (lexical && seg.parts[i] > 1) continue;  // a lexicon word splits in two at most
    Range r = by_first_byte_[static_cast<unsigned char>(word[i])];
    std::size_t letters = 0;
    for (std::size_t j = i + 1; j <= n && r.lo < r.hi; ++j) {
      if (j > i + 1 && (r = Narrow(r, j - 1 - i, word[j - 1])).lo == r.hi) break;
      letters += !IsContinuation(word[j - 1]);
      if (letters < min_letters || (j < n && IsContinuation(word[j]))) continue;
      const std::size_t depth = j - i;
      const Entry* exact = ExactAt(r, depth);
      const int short_part = letters == 3 ? 1 : 0;  // 3-letter parts are more often accidental
      if (i > 0 && j == n && exact) head(i, exact, short_part);
      if (j == n) break;
      char vowel;
      if (i > 0 && !lexical && letters >= 4 && n - j <= 5) {
        if (const Entry* e = Inflected(r, depth, word.substr(j), vowel)) head(i, e, 0);
      }
      if (exact && (exact->flags & kNoPart)) continue;
      const char next = word[j];
      auto takes_s = [&] { return next == 's' && TakesLinkingS(word.substr(i, depth), r) ? 1 : 0; };
      if (exact && !(exact->flags & kGenitive)) {
        relax(i, j, j, '\0', short_part + takes_s() + (exact->flags & kInflected ? 2 : 0));
        if (next == 's') relax(i, j, j + 1, '\0', short_part);
        if (!lexical && (next == 'e' || next == 'a')) relax(i, j, j + 1, '\0', short_part + 2);
        if (!lexical && word[j - 1] == word[j - 2] && IsAsciiConsonant(word[j - 1])) {
          relax(i, j, j - 1, '\0', short_part + 2);
        }
      }
      for (char v : {'a', 'e'}) {
        if (next == v) continue;
        const Entry* full = ExactAt(Narrow(r, depth, v), depth + 1);
        if (!full || (full->flags & kNoPart)) continue;
        relax(i, j, j, v, short_part + 2 + takes_s());
        if (!lexical && v == 'a' && (next == 'u' || next == 'o' || next == 'e')) relax(i, j, j + 1, v, short_part + 2);
        if (v == 'e' && next == 's') relax(i, j, j + 1, v, short_part + 2);
      }
    }
  }
  return seg.best_parts != Segmentation::kUnreached;
}

std::vector<CompoundPart> Decompounder::Split(std::string_view word) const {
  const std::size_t n = word.size();
  if (n > kMaxWordBytes || Letters(word) < 6) return {};
  const Lemma lemma = FindLemma(word);
  if (lemma.never_split) return {};
  if (lemma.stem_bytes > 0) {  // an inflected form: split as the word it inflects
    char base[kMaxWordBytes + 1];
    std::copy(word.begin(), word.begin() + lemma.stem_bytes, base);
    if (lemma.vowel != '\0') base[lemma.stem_bytes] = lemma.vowel;
    std::vector<CompoundPart> parts =
        Split(std::string_view(base, lemma.stem_bytes + (lemma.vowel != '\0')));
    if (!parts.empty()) {
      parts.back().text = std::string(word.substr(parts.back().begin));
      parts.back().end = n;
    }
    return parts;
  }
  if (lemma.in_lexicon && Letters(word) < 8) return {};
  Segmentation seg;
  if (!Segment(word, lemma.in_lexicon, seg) || IsDerivation(word, lemma.in_lexicon)) return {};

  std::vector<CompoundPart> parts;
  parts.push_back({std::string(word.substr(seg.head)), seg.head, n});
  for (std::size_t p = seg.head; p > 0; p = seg.from[p]) {
    CompoundPart part{std::string(word.substr(seg.from[p], seg.stem_end[p] - seg.from[p])),
                      seg.from[p], seg.stem_end[p]};
    if (seg.restored[p] != '\0') part.text += seg.restored[p];
    parts.push_back(std::move(part));
  }
  std::reverse(parts.begin(), parts.end());
  return parts;
}

}  // namespace afori::stemming
