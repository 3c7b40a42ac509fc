// The Decompounder: loading, the lexicon as an implicit trie, and the segmentation itself (the
// morphology it consults is in decompounder_morphology.cc).
#include "stemming/decompounder.h"
#include "stemming/tokenizer.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "stemming/decompounder_internal.h"

namespace afori::stemming {

using namespace decompounder_internal;

namespace {

// Only lowercase letters: ASCII a-z or non-ASCII, but no Latin-1 capital (U+00C0-U+00DE).
bool IsLowercaseWord(std::string_view w) {
  if (w.empty() || w.size() > kMaxWordBytes) return false;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const unsigned char c = w[i], next = i + 1 < w.size() ? w[i + 1] : 0;
    if (c < 0x80 && (c < 'a' || c > 'z')) return false;
    if (c == 0xC3 && next >= 0x80 && next <= 0x9E && next != 0x97) return false;
  }
  return true;
}

Status ReadWordList(const std::string& path, std::vector<std::string>& out) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::IoError("word list " + path + " is a directory");
  }
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
  for (std::string_view w : kShortRoots) flag(w, kShortRoot);
  for (Entry& e : entries_) {
    std::string_view w = Text(e);
    for (std::string_view ending : {"n", "en", "et", "ar", "er", "or", "na", "arna", "erna"}) {
      if (!w.ends_with(ending)) continue;
      const std::string_view stem = w.substr(0, w.size() - ending.size());
      const bool vowel_n = ending != "n" || stem.ends_with('a') || stem.ends_with('e');  // kyla·n
      if (vowel_n && Letters(stem) >= 3 && Find(stem)) e.flags |= kInflected;
    }
    // A genitive has no inflected forms of its own (kurs has kursen).
    if (Letters(w) < 4 || !w.ends_with('s') || !Find(w.substr(0, w.size() - 1))) continue;
    char buf[kMaxWordBytes + 8];
    if (!Find(Concat(buf, w, "en")) && !Find(Concat(buf, w, "et"))) e.flags |= kGenitive;
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

// The working state of one Split() call, on the stack: for each byte position p, the best way
// found so far of covering word[0, p) with modifiers, and the best head.
struct Decompounder::Segmentation {
  static constexpr std::uint8_t kUnreached = 255;
  std::array<std::uint8_t, kMaxWordBytes + 1> parts;     // number of modifiers
  std::array<std::uint16_t, kMaxWordBytes + 1> penalty;  // unusual seams so far
  std::array<std::uint8_t, kMaxWordBytes + 1> from;      // where the last modifier begins
  std::array<std::uint8_t, kMaxWordBytes + 1> stem_end;  // where its stem ends
  std::array<int, kMaxWordBytes + 1> restored;           // its dropped vowel (| kDoubled), or 0
  std::uint8_t best_parts = kUnreached;
  std::uint16_t best_penalty = 0;
  std::size_t head = 0;                                  // where the head begins
};

// The rules, numbered as the comments elsewhere refer to them:
//  1. Never split: words under 6 letters, and never_split.txt words, also inflected or derived
//     (sparris, sparrisen; frivillig, frivillighet).
//  2. An inflected form of a lexicon word (tjänsten, regleras, hindren) splits as that word
//     splits, with the ending on the head: tjänsten stays whole like tjänst, not tjäna+sten.
//  3. Parts. The head is a lexicon word as written or, in a word outside the lexicon, one with
//     a regular inflectional ending (förpackning·s·storlekar: wswedish lacks storlekar). A
//     modifier is a lexicon word followed by nothing or a linking letter: -s- (innovation·s·
//     upphandling), -e- (barn·e·morska), -a- (gäst·a·bud); or a lexicon word that dropped its
//     final -a/-e (flick·skola, skol·mat; sim·hall from simma), maybe followed by -u-/-o-/-e-
//     after a dropped a (gat·u·kök, människ·o·handel, skad·e·stånd) or -s- after a dropped e
//     (arbet·s·plats); or ending in a double consonant that lost a letter at the seam
//     (nattillsyn: natt + tillsyn). A genitive in the lexicon (tids) is read as tid + s.
//  4. Every part has at least 3 letters, linking letters not counted. Two-letter parts (el,
//     is, ny, ö) would let almost anything split; 3-letter words are far too common as parts
//     to require 4 (avtals·tid, ram·avtal, mat·svinn, hem·tjänst, sjuk·hus), so the risk they
//     bring is handled by rules 5 and 7 instead.
//  5. Fewest parts, then the fewest unusual seams, then the longest head. Unusual: a linking
//     -e-/-a-, a dropped vowel, a lost double letter, a 3-letter part (rest·värde, not
//     res·tvärde), a definite or plural modifier (kyl·anläggning, not kylan·läggning), and a
//     bare join by a modifier that takes -s- (kontrakt·s·värdet, not kontrakt·svärdet; see
//     TakesLinkingS). Seams count before head length: huvud·regel, not huv(a)·dregel.
//  6. Function words are never parts (upp·handla, över·prövning, dess·utom): they start
//     derivations, and a stop word adds nothing to the index. Derivational suffixes that are
//     words are never the head (offentlig·het, doku·ment), no part starts inside -ering, -erad
//     or -atur (annons·e·ring, dikt·a·tur), and a prefix or particle followed by a lexicon word
//     is a derivation, kept whole (be·hov, för·kommersiell, ut·lysning).
//  7. A lexicon word is lexicalised and must earn its split: into two parts (before rule 9),
//     no lost double letter, a 3-letter part only if it is a common short root (sjuk·hus,
//     bad·rum; not dia·log, for·don, kom·post), no split inside a derivational ending
//     (annons·ering, stat·liga, erfar·enhet), and the word has its head's gender and plural
//     (matris-en, but ris-et; matros-er, but ros-or; budget-ar, but get-ter). These general
//     tests keep never_split.txt short (kvarter, fattig, alltid, partner, dialog stay whole).
//  8. never_split.txt keeps whole what passes all of this but changes meaning when split.
//  9. A part that is itself a compound is split too (fotboll·s·plan: fot, boll, plan).
bool Decompounder::Segment(std::string_view word, bool lexical, Segmentation& seg) const {
  const std::size_t n = word.size(), min_letters = 3;
  seg.parts.fill(Segmentation::kUnreached);
  seg.parts[0] = 0;
  seg.penalty[0] = 0;

  // A part starting inside a derivational suffix: annons·e·ring, dimension·e·rad, dikt·a·tur
  // (-ering, -erad, -atur).
  auto inside_suffix = [&](std::size_t p) {
    const std::string_view rest = word.substr(p);
    if (word[p - 1] == 'a') return rest.starts_with("tur");
    return word[p - 1] == 'e' &&
           (rest.starts_with("ring") || rest.starts_with("rad") || rest.starts_with("rat"));
  };
  auto relax = [&](std::size_t i, std::size_t stem_end, std::size_t next, int restored, int cost) {
    if (next + min_letters > n || inside_suffix(next)) return;
    const auto parts = static_cast<std::uint8_t>(seg.parts[i] + 1);
    const auto penalty = static_cast<std::uint16_t>(seg.penalty[i] + cost);
    if (parts != seg.parts[next]) {
      if (parts > seg.parts[next]) return;
    } else if (penalty != seg.penalty[next] ? penalty > seg.penalty[next]
                                             : stem_end <= seg.stem_end[next]) {
      return;  // on a tie the longer stem wins: kurs·plan, not kur·s·plan
    }
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
    if (parts > seg.best_parts || (parts == seg.best_parts && penalty >= seg.best_penalty)) {
      return;  // on a tie the earlier, longer head stays
    }
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
      // In a lexicon word a 3-letter part must be a common short root (rule 7), unless a
      // dropped vowel and a linking letter make it longer (var(a)·u·hus).
      const bool short_ok = !lexical || letters > 3 || (exact && (exact->flags & kShortRoot));
      const int short_part = letters == 3 ? 1 : 0;  // 3-letter parts are more often accidental
      if (i > 0 && j == n && exact && short_ok) head(i, exact, short_part);
      if (j == n) break;
      char vowel;
      if (i > 0 && !lexical && letters >= 4 && n - j <= 5) {
        const Entry* e = Inflected(r, word.substr(i, depth), word.substr(j), vowel);
        if (e) head(i, e, 0);
      }
      if (exact && (exact->flags & kNoPart)) continue;
      const char next = word[j];
      // A modifier that takes -s-, or one after another (a compound modifier: vind·kraft·s·park),
      // joined bare to an s-initial head: vindkraft·spark is the unlikely reading.
      auto takes_s = [&] {
        return next == 's' && (i > 0 || TakesLinkingS(word.substr(i, depth), r)) ? 2 : 0;
      };
      if (exact && short_ok && !(exact->flags & kGenitive)) {
        const int inflected = exact->flags & kInflected ? 2 : 0;  // kylan·läggning
        relax(i, j, j, 0, short_part + takes_s() + inflected);
        if (next == 's') relax(i, j, j + 1, 0, short_part);
        if (next == 'e' || next == 'a') relax(i, j, j + 1, 0, short_part + 2);
        if (!lexical && word[j - 1] == word[j - 2] && IsAsciiConsonant(word[j - 1])) {
          relax(i, j, j - 1, 0, short_part + 2);
        }
      }
      // A dropped final vowel, maybe with a doubled consonant lost too (simm(a): sim·hall).
      for (int restored : {int{'a'}, int{'e'}, kDoubled | 'a', kDoubled | 'e'}) {
        const char v = static_cast<char>(restored & 0x7F);
        Range full = r;
        if (restored & kDoubled) {
          if (!IsAsciiConsonant(word[j - 1]) || word[j - 1] == word[j - 2]) continue;
          full = Narrow(full, depth, word[j - 1]);
        }
        const std::size_t full_depth = depth + ((restored & kDoubled) ? 1 : 0);
        const Entry* e = ExactAt(Narrow(full, full_depth, v), full_depth + 1);
        if (next == v || !e || (e->flags & kNoPart)) continue;
        if (short_ok) relax(i, j, j, restored, short_part + 2 + takes_s());
        const bool link = v == 'a' ? next == 'u' || next == 'o' || next == 'e' : next == 's';
        if (link) relax(i, j, j + 1, restored, short_part + 2);
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
    char buf[kMaxWordBytes + 8];
    const std::size_t k = lemma.stem_bytes;
    const char weak[] = {'e', word[k - 1]};
    std::string_view base = word.substr(0, k);
    if (lemma.vowel == 'S') base = Concat(buf, word.substr(0, k - 1), std::string_view(weak, 2));
    if (lemma.vowel == 'a' || lemma.vowel == 'e') base = Concat(buf, base, {&lemma.vowel, 1});
    if (base.size() >= n) return {};
    std::vector<CompoundPart> parts = Split(base);
    if (!parts.empty()) {
      parts.back().text = std::string(word.substr(parts.back().begin));
      parts.back().end = n;
    }
    return parts;
  }
  Segmentation seg;
  if (!Segment(word, lemma.in_lexicon, seg)) return {};
  if (IsDerivation(word, lemma.in_lexicon, seg.head)) return {};
  if (lemma.in_lexicon && !InflectsLike(word, word.substr(seg.head))) return {};

  std::vector<CompoundPart> parts;
  parts.push_back({std::string(word.substr(seg.head)), seg.head, n});
  for (std::size_t p = seg.head; p > 0; p = seg.from[p]) {
    CompoundPart part{std::string(word.substr(seg.from[p], seg.stem_end[p] - seg.from[p])),
                      seg.from[p], seg.stem_end[p]};
    if (seg.restored[p] & kDoubled) part.text += part.text.back();
    if (seg.restored[p] != 0) part.text += static_cast<char>(seg.restored[p] & 0x7F);
    parts.push_back(std::move(part));
  }
  std::reverse(parts.begin(), parts.end());
  // A part that is itself a compound is split too (fotboll·s·plan: fot, boll, plan).
  std::vector<CompoundPart> flat;
  for (CompoundPart& part : parts) {
    std::vector<CompoundPart> sub = Split(part.text);
    if (sub.empty()) {
      flat.push_back(std::move(part));
      continue;
    }
    for (CompoundPart& s : sub) {
      flat.push_back(
          {std::move(s.text), part.begin + s.begin, std::min(part.begin + s.end, part.end)});
    }
  }
  return flat;
}

}  // namespace afori::stemming
