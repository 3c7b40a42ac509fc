// The Decompounder's morphology: how a lexicon word inflects, derives and joins (the rules in
// decompounder.cc refer to these). Split across two files only to keep each readable.
#include <string>

#include "stemming/decompounder.h"
#include "stemming/decompounder_internal.h"

namespace afori::stemming {

using namespace decompounder_internal;

// The lexicon word that `rest` inflects, following `stem` (the prefix X of the word that `r`
// stands for): X itself (kvarter+et), X+a (skol+or), X+e (pojk+ar), or X with the e of -el/-er
// restored (hindr+en, cykl+ar: syncope). Sets `vowel` to the replaced vowel, 'S' for syncope,
// or '\0'.
const Decompounder::Entry* Decompounder::Inflected(Range r, std::string_view stem,
                                                   std::string_view rest, char& vowel) const {
  vowel = '\0';
  const std::size_t depth = stem.size();
  const char last = stem.back();
  // -n and -r follow a vowel (skolan, skolor), -n also -el/-er (cykeln): not svag+n.
  const bool after_vowel = !IsAsciiConsonant(last);  // å, ä, ö, é included
  const bool ok = (rest != "n" && rest != "r") || after_vowel ||
                  (rest == "n" && (last == 'l' || last == 'r'));
  if (const Entry* e = ExactAt(r, depth); e && ok && In(kEndings, rest)) return e;
  for (char v : {'a', 'e'}) {
    if (!(v == 'a' ? In(kEndingsAfterA, rest) : In(kEndingsAfterE, rest))) continue;
    if (const Entry* e = ExactAt(Narrow(r, depth, v), depth + 1)) {
      vowel = v;
      return e;
    }
  }
  char buf[kMaxWordBytes + 8];
  const char weak[] = {'e', last};
  const bool syncope = depth >= 4 && (last == 'l' || last == 'r' || last == 'n') &&
                       IsAsciiConsonant(stem[depth - 2]);
  if (syncope && rest.size() >= 2 && (rest[0] == 'a' || rest[0] == 'e') && In(kEndings, rest)) {
    const Entry* e = Find(Concat(buf, stem.substr(0, depth - 1), std::string_view(weak, 2)));
    if (e) vowel = 'S';
    return e;
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
    } else if (letters >= 3 && word.size() - j <= 7 && !IsContinuation(word[j])) {
      const std::string_view rest = word.substr(j);
      char vowel;
      const Entry* e = rest.size() <= 5 ? Inflected(r, word.substr(0, j), rest, vowel) : nullptr;
      if (e) lemma = {true, lemma.never_split || (e->flags & kNeverSplit), j, vowel};
      // Derived from a never-split word, which may drop its final vowel: handlägg(a)+ning.
      if (In(kDerivations, rest)) {
        e = ExactAt(r, j);
        for (char v : {'a', 'e'}) e = e ? e : ExactAt(Narrow(r, j, v), j + 1);
        lemma.never_split = lemma.never_split || (e && (e->flags & kNeverSplit));
      }
    }
  }
  return lemma;
}

// A word derived from a lexicon word by a prefix (rule 6) or, if `lexical`, by a derivational
// ending (rule 7). `head`: where the split under test puts the head; a derivational ending
// only rules out a split inside the word it derives from (annons·ering, not damm·sugare).
bool Decompounder::IsDerivation(std::string_view word, bool lexical, std::size_t head) const {
  for (std::string_view p : kPrefixes) {
    const std::string_view rest = word.substr(std::min(p.size(), word.size()));
    if (word.starts_with(p) && Letters(rest) >= 3 && Find(rest)) return true;
  }
  if (!lexical) return false;
  for (std::string_view d : kDerivations) {
    const std::string_view stem = word.substr(0, word.size() - std::min(d.size(), word.size()));
    if (!word.ends_with(d) || Letters(stem) < 3) continue;
    // The split is compatible with the derivation when its head is a word plus the same ending
    // (damm·sug+are: sug is a word; erfar·en+het: en is too short).
    const std::string_view tail = stem.substr(std::min(head, stem.size()));
    char buf[kMaxWordBytes + 8];
    const bool word_tail = Letters(tail) >= 3 && (Find(tail) || Find(Concat(buf, tail, "a")));
    if (head < stem.size() && word_tail) continue;
    if (Find(stem)) return true;
    // A verb or noun drops its final vowel before a vowel-initial ending (lindra: lindring).
    const bool vowel_initial = d[0] == 'a' || d[0] == 'e' || d[0] == 'i';
    if (!vowel_initial) continue;
    if (Find(Concat(buf, stem, "a")) || Find(Concat(buf, stem, "e"))) return true;
  }
  return false;
}

// Whether a modifier usually joins with -s-, deciding kontrakt·s·värdet or kontrakt·svärdet:
// by its ending (upphandling·s·, marknad·s·), because it is itself a compound or derivation
// (solcell·s·park, över·skott·s·värme), or because most lexicon words it starts continue with
// an s (liv·s·längd, skog·s·ägare). `r` is the range of lexicon words starting with it.
bool Decompounder::TakesLinkingS(std::string_view modifier, Range r) const {
  for (std::string_view e : {"ing", "het", "skap", "tion", "sion", "nad", "dom", "else", "itet"}) {
    if (modifier.ends_with(e)) return true;
  }
  const Range with_s = Narrow(r, modifier.size(), 's');
  if (2 * (with_s.hi - with_s.lo) > r.hi - r.lo) return true;
  if (IsDerivation(modifier, false, 0)) return true;
  for (std::size_t k = 3; k + 3 <= modifier.size(); ++k) {
    if (IsContinuation(modifier[k]) || !Find(modifier.substr(0, k))) continue;
    if (Find(modifier.substr(k))) return true;
    if (modifier[k] == 's' && Find(modifier.substr(k + 1))) return true;
  }
  return false;
}

// Whether `word` inflects like its head: a compound has the gender and the plural of its last
// part (rule 7: matris-en is common, ris-et neuter; matros-er, ros-or; budget-ar, get-ter).
// Either is judged only when the lexicon shows it for both words.
bool Decompounder::InflectsLike(std::string_view word, std::string_view head) const {
  // Whether the lexicon has w, changed (0: as is, 1: final consonant doubled, 2: final vowel
  // dropped, 3: -el/-er/-en without its e), plus an ending.
  auto has = [this](std::string_view w, int change, std::string_view ending) {
    char buf[kMaxWordBytes + 8], tail[2] = {w.back(), w.back()};
    if (w.size() < 3 || w.size() + ending.size() + 1 > kMaxWordBytes) return false;
    std::string_view stem = change == 1 ? Concat(buf, w, std::string_view(tail, 1)) : w;
    if (change == 2) stem = w.substr(0, w.size() - 1);
    if (change == 3) stem = Concat(buf, w.substr(0, w.size() - 2), std::string_view(tail, 1));
    char out[kMaxWordBytes + 8];
    return Find(Concat(out, stem, ending)) != nullptr;
  };
  auto gender = [&](std::string_view w) {  // 'n'euter, 'c'ommon or '?'
    const bool vowel_end = !IsAsciiConsonant(w.back()), weak = WeakEnding(w);
    if (has(w, 0, "et") || has(w, 1, "et") || (vowel_end && w.back() != 'a' && has(w, 0, "t")) ||
        (weak && has(w, 3, "et"))) {
      return 'n';
    }
    const bool common =
        has(w, 0, "en") || has(w, 1, "en") || ((vowel_end || weak) && has(w, 0, "n"));
    return common ? 'c' : '?';
  };
  auto plural = [&](std::string_view w) {  // by the definite plural: bilarna, platserna, flickorna
    const bool vowel_end = !IsAsciiConsonant(w.back()), weak = WeakEnding(w);
    for (std::string_view e : {"arna", "erna", "orna"}) {
      if (has(w, 0, e) || has(w, 1, e) || (vowel_end && has(w, 2, e)) || (weak && has(w, 3, e))) {
        return e[0];
      }
    }
    return '?';
  };
  const char gw = gender(word), gh = gender(head), pw = plural(word), ph = plural(head);
  return !(gw != '?' && gh != '?' && gw != gh) && !(pw != '?' && ph != '?' && pw != ph);
}

}  // namespace afori::stemming
