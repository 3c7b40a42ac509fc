// Internals of the Decompounder shared by decompounder.cc and decompounder_morphology.cc:
// entry flags, small UTF-8 helpers and the word tables of the rules (decompounder.cc explains
// the rules by number). Not for use elsewhere.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

namespace afori::stemming::decompounder_internal {

enum Flag : std::uint8_t {
  kNeverSplit = 1,  // from never_split.txt: kept whole, also inflected (rule 1)
  kNoPart = 2,      // a function word: never a part (rule 6)
  kNoHead = 4,      // a derivational suffix that is also a word: never the head (rule 6)
  kGenitive = 8,    // X+s of a lexicon word X (tids): read as X plus linking s (rule 3)
  kInflected = 16,  // a definite or plural noun (kylan, lagar): an unusual modifier (rule 5)
  kShortRoot = 32,  // a 3-letter word common in compounds (rule 7)
};

inline constexpr std::size_t kMaxWordBytes = 127;  // longer words are not split
inline constexpr int kDoubled = 0x100;  // a restored vowel after a restored double consonant

template <typename List>
bool In(const List& list, std::string_view s) {
  return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

inline bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

inline std::size_t Letters(std::string_view s) {
  return std::count_if(s.begin(), s.end(), [](char c) { return !IsContinuation(c); });
}

inline bool IsAsciiConsonant(char c) {
  return c >= 'b' && c <= 'z' && c != 'e' && c != 'i' && c != 'o' && c != 'u' && c != 'y';
}

// Ends in an unstressed -el, -er or -en (cykel, hinder), which may lose its e (cykl·ar).
inline bool WeakEnding(std::string_view w) {
  return w.size() > 2 && w[w.size() - 2] == 'e' &&
         (w.back() == 'l' || w.back() == 'r' || w.back() == 'n');
}

// Writes a + b into buf (room for kMaxWordBytes + 8 bytes) and returns it.
inline std::string_view Concat(char* buf, std::string_view a, std::string_view b) {
  std::copy(b.begin(), b.end(), std::copy(a.begin(), a.end(), buf));
  return {buf, a.size() + b.size()};
}

// Rule 6: prepositions, particles, adverbs, pronouns, conjunctions and auxiliaries: never a part.
inline constexpr std::string_view kFunctionWords[] = {
    "all", "alla", "allt", "andra", "annan", "annat", "att", "bak", "bakom", "bara", "bland",
    "blev", "bli", "blir", "bort", "bör", "dem", "den", "denna", "deras", "dess", "dessa", "det",
    "detta", "din", "dina", "ditt", "där", "efter", "eller", "enligt", "era", "ert", "ett", "fast",
    "fort", "fram", "framför", "från", "för", "före", "förut", "genom", "hade", "han", "hans",
    "har", "henne", "hennes", "hit", "hon", "honom", "hos", "hur", "här", "icke", "idag", "ifråga",
    "igen", "inga", "inge", "ingen", "inget", "inne", "inom", "inte", "jag", "kan", "kring",
    "kunde", "kvar", "med", "mellan", "men", "mig", "min", "mina", "mitt", "mot", "måste", "ned",
    "ner", "nere", "någon", "något", "några", "och", "ovan", "redo", "samma", "samman", "samme",
    "samt", "sedan", "sig", "sin", "sina", "sitt", "ska", "skulle", "som", "till", "tillgodo",
    "tillhanda", "tills", "undan", "under", "upp", "uppe", "utan", "ute", "utom", "vad", "varit",
    "vem", "vid", "vidare", "vill", "åsido", "åstad", "åter", "över", "överens",
};

// Rule 7: common 3-letter nouns, adjectives, numerals and verb stems that form compounds, the
// only 3-letter parts a lexicon word may split into (sjuk·hus, bad·rum, blå·bär, sov·rum; not
// dia·log, ana·lys, for·don, kär·lek, kom·post, mat·ris, bud·get). Words outside the lexicon may
// split into any 3-letter word.
inline constexpr std::string_view kShortRoots[] = {
    "arm", "bad", "bak", "bar", "bas", "ben", "bil", "bit", "blå", "bod", "bok", "bro", "bud",
    "bur", "byk", "bär", "båt", "dag", "dal", "dam", "del", "dom", "dop", "dos", "duk", "dum",
    "dyk", "död", "eld", "fat", "fel", "fem", "fet", "fil", "fin", "fot", "fri", "fru", "ful",
    "får", "gas", "grå", "gud", "gul", "hav", "hel", "hem", "hud", "hus", "hyr", "hår", "hög",
    "jul", "kaj", "kol", "kyl", "kål", "kök", "köp", "kör", "lag", "lax", "led", "lek", "lim",
    "lin", "liv", "lok", "lov", "lus", "län", "läs", "låg", "lån", "lår", "lås", "lök", "lön",
    "löv", "man", "mat", "mod", "mos", "mun", "mur", "män", "mät", "mål", "nio", "nät", "nål",
    "ord", "ort", "ost", "ram", "ren", "rit", "rot", "rum", "råd", "röd", "rök", "rör", "sak",
    "sal", "sax", "sex", "sim", "sju", "sjö", "sko", "sky", "snö", "sol", "son", "sov", "sur",
    "syn", "sår", "sök", "söt", "tak", "tal", "tid", "tio", "tom", "tre", "två", "tät", "tåg",
    "ugn", "ull", "ung", "vin", "vit", "väg", "vår", "våt", "zon", "ägg", "äng", "ärm", "ört",
};

// Rule 6: derivational suffixes that are also words, never the head (offentlig·het, doku·ment).
inline constexpr std::string_view kSuffixWords[] = {
    "ande", "aren", "arens", "bar", "bart", "ende", "era", "eras", "het", "heten", "heter", "hets",
    "ism", "kap", "kapen", "kapet", "lera", "liga", "logi", "maste", "ment", "otal", "otals", "rar",
    "rara", "rart", "skapet",
};

// Rule 6: prefixes and particles that derive words from words (be·hov, för·skola, ut·lysning).
inline constexpr std::string_view kPrefixes[] = {
    "an", "av", "be", "dis", "efter", "er", "fast", "fort", "fram", "för", "före", "förut", "ge",
    "genom", "in", "inne", "med", "miss", "mot", "o", "om", "på", "redo", "sam", "samman", "till",
    "undan", "under", "upp", "ut", "van", "vidare", "åter", "över",
};

// Rule 7: derivational endings (annons·ering, stat·liga, erfaren·het, lever·anser); also what
// never-split words are kept whole with (frivillig·het, handlägg·ning).
inline constexpr std::string_view kDerivations[] = {
    "ande", "anden", "ans", "ansen", "anser", "ant", "anta", "are", "aren", "arens", "arisk",
    "ariska", "ariskt", "dom", "domen", "else", "elsen", "ende", "ent", "enta", "era", "erad",
    "erade", "erar", "eras", "erat", "ering", "eringar", "eringen", "het", "heten", "heter", "ig",
    "iga", "igt", "ing", "ingar", "ingen", "inna", "innan", "innas", "innor", "innorna", "isk",
    "iska", "iskt", "ist", "isten", "ister", "isterna", "itet", "iteten", "iteter", "iteterna",
    "lig", "liga", "ligen", "ligt", "ning", "ningar", "ningen", "sam", "samma", "samt", "skap",
    "skapen", "skapet",
};

// Rules 2 and 3: regular inflectional endings after a word as it is (kvarter·et, bil·arna),
inline constexpr std::string_view kEndings[] = {
    "a", "e", "n", "r", "s", "t", "de", "en", "er", "ar", "or", "et", "na", "ns", "rs", "te", "ts",
    "des", "ens", "ers", "ets", "ars", "ors", "nas", "rna", "tes", "arna", "erna", "orna", "rnas",
    "arnas", "ernas", "ornas", "nde", "ndes", "ndet", "nden", "are", "ast", "aste", "it", "its",
};
// after a word's final -a replaced (skol·or, reglera: reglerad),
inline constexpr std::string_view kEndingsAfterA[] = {
    "ad", "ade", "ades", "ats", "at", "or", "ors", "orna", "ornas",
};
// and after a final -e replaced (pojk·ar).
inline constexpr std::string_view kEndingsAfterE[] = {
    "ar", "ars", "arna", "arnas", "na", "nas",
};

}  // namespace afori::stemming::decompounder_internal
