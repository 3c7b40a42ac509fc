#include "stemming/query.h"

#include <algorithm>

#include "common/schema.h"
#include "stemming/tokenizer.h"

namespace afori::stemming {
namespace {

// Weights of the alternatives of one query word relative to its stem (see query.h).
constexpr double kVariantFactor = 0.9;
constexpr double kSynonymFactor = 0.9;
constexpr double kPartFactor = 0.8;
constexpr double kCorrectionFactor = 0.7;
constexpr std::size_t kMaxCorrections = 3;
constexpr double kPhraseFactor = 0.5;
constexpr double kNearFactor = 0.25;
constexpr Xapian::termcount kMaxPrefixExpansion = 100;

// One piece of the text as the syntax sees it, before tokenizing.
struct Chunk {
  std::string_view text;
  std::size_t offset = 0;  // of text in the whole query
  bool phrase = false;
  bool excluded = false;
  bool prefix = false;
  bool title = false;
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

std::vector<Chunk> Lex(std::string_view text) {
  std::vector<Chunk> chunks;
  bool negate_next = false;
  std::size_t i = 0;
  while (i < text.size()) {
    if (IsSpace(text[i])) {
      ++i;
      continue;
    }
    Chunk c;
    if (text[i] == '-' && i + 1 < text.size() && !IsSpace(text[i + 1])) {
      c.excluded = true;
      ++i;
    }
    if (text[i] == '"') {
      const std::size_t close = text.find('"', i + 1);
      if (close == std::string_view::npos) {  // unbalanced: the rest is plain words
        ++i;
        continue;
      }
      c.phrase = true;
      c.offset = i + 1;
      c.text = text.substr(i + 1, close - i - 1);
      i = close + 1;
    } else {
      std::size_t end = i;
      while (end < text.size() && !IsSpace(text[end]) && text[end] != '"') ++end;
      std::string_view word = text.substr(i, end - i);
      c.offset = i;
      i = end;
      if (word == "OR" || word == "AND") continue;
      if (word == "NOT") {
        negate_next = true;
        continue;
      }
      if (word.starts_with("title:")) {
        c.title = true;
        word.remove_prefix(6);
        c.offset += 6;
      }
      while (!word.empty() && word.back() == '*') {
        c.prefix = true;
        word.remove_suffix(1);
      }
      c.text = word;
    }
    if (negate_next) c.excluded = true;
    negate_next = false;
    chunks.push_back(c);
  }
  return chunks;
}

// A word (tokens = {word} or {hyphenated whole, parts...}) or a phrase.
struct Unit {
  bool phrase = false;
  std::vector<Token> tokens;
  bool excluded = false;
  bool prefix = false;
  bool title = false;
};

std::vector<Unit> ToUnits(const std::vector<Chunk>& chunks) {
  std::vector<Unit> units;
  for (const Chunk& c : chunks) {
    std::vector<Token> tokens = Tokenize(c.text);
    if (tokens.empty()) continue;
    for (Token& t : tokens) {
      t.begin += c.offset;
      t.end += c.offset;
    }
    if (c.phrase) {
      units.push_back(Unit{true, std::move(tokens), c.excluded, false, c.title});
      continue;
    }
    const std::size_t first_unit = units.size();
    for (Token& t : tokens) {
      if (t.kind == TokenKind::kCompoundPart && units.size() > first_unit) {
        units.back().tokens.push_back(std::move(t));
        continue;
      }
      units.push_back(Unit{false, {std::move(t)}, c.excluded, false, c.title});
    }
    units.back().prefix = c.prefix;
  }
  return units;
}

Xapian::Query Term(std::string_view prefix, const std::string& stem) {
  return Xapian::Query(std::string(prefix) + stem);
}

Xapian::Query Scaled(double factor, const Xapian::Query& q) {
  return factor == 1.0 ? q : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, factor);
}

Xapian::Query MaxOf(const std::vector<Xapian::Query>& alternatives) {
  if (alternatives.size() == 1) return alternatives.front();
  return Xapian::Query(Xapian::Query::OP_MAX, alternatives.begin(), alternatives.end());
}

class Builder {
 public:
  Builder(const QueryContext& context, const QueryOptions& options)
      : ctx_(context), options_(options), analyzer_(*context.analyzer) {}

  // Stems of `words` in order as a phrase, weighted like one word; stop words keep their
  // place, so "lagen om offentlig upphandling" matches with any word in the middle.
  Xapian::Query StemPhrase(const std::vector<Token>& tokens) const {
    std::vector<Xapian::Query> terms;
    Xapian::termpos first = 0, last = 0;
    for (const Token& t : tokens) {
      if (t.kind == TokenKind::kCompoundWhole) continue;
      if (terms.empty() && first == 0) first = t.position + 1;
      last = t.position + 1;
      if (!analyzer_.IsStopWord(t.text)) terms.push_back(Term(schema::kPrefixStem, analyzer_.Stem(t.text)));
    }
    if (terms.empty()) return Xapian::Query();
    if (terms.size() == 1) return terms.front();
    const Xapian::termcount window = std::max<Xapian::termcount>(last - first + 1, terms.size());
    return Scaled(1.0 / terms.size(),
                  Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(), window));
  }

  Xapian::Query WordsPhrase(const SynonymTable::Phrase& words) const {
    std::vector<Token> tokens;
    for (std::size_t i = 0; i < words.size(); ++i) {
      Token t;
      t.text = words[i];
      t.kind = TokenKind::kWord;
      t.position = static_cast<unsigned>(i);
      tokens.push_back(std::move(t));
    }
    return StemPhrase(tokens);
  }

  // The stems of a compound part's inflected forms. A part comes in its dictionary form,
  // whose stem can differ from the stem of the same word inflected on its own ("marknad" ->
  // "markn", but "marknaden" -> "marknad"), so the query also tries the stems of the
  // regular noun endings; with a database, only those it holds.
  std::vector<std::string> InflectedStems(const std::string& word) const {
    static constexpr std::string_view kEndings[] = {"", "en", "et", "n", "ar", "er", "or",
                                                    "na", "arna", "erna", "orna"};
    // Words in unstressed -el/-er/-en lose that e before an ending: möbel -> möbler,
    // nyckel -> nycklar, vatten -> vattnet.
    std::string contracted;
    const std::size_t n = word.size();
    if (n >= 4 && word[n - 2] == 'e' && (word[n - 1] == 'l' || word[n - 1] == 'r' || word[n - 1] == 'n') &&
        std::string_view("aeiouy").find(word[n - 3]) == std::string_view::npos) {
      contracted = word.substr(0, n - 2) + word.substr(n - 1);
    }
    std::vector<std::string> stems;
    auto add = [&](const std::string& form, bool always) {
      std::string stem = analyzer_.Stem(form);
      if (std::find(stems.begin(), stems.end(), stem) != stems.end()) return;
      if (always || !ctx_.db || ctx_.db->get_termfreq(std::string(schema::kPrefixStem) + stem) > 0) {
        stems.push_back(std::move(stem));
      }
    };
    add(word, true);
    for (std::string_view ending : kEndings) {
      if (ending.empty()) continue;
      add(word + std::string(ending), false);
      if (!contracted.empty()) add(contracted + std::string(ending), false);
    }
    return stems;
  }

  // The stem and compound alternatives of a word, without vocabulary help.
  void AddPlainAlternatives(const std::string& word, const std::string& stem,
                            std::vector<Xapian::Query>* alts, WordExpansion* exp) const {
    alts->push_back(Term(schema::kPrefixStem, stem));
    if (!options_.decompound) return;
    alts->push_back(Scaled(kPartFactor, Term(schema::kPrefixCompoundPart, stem)));
    const std::vector<CompoundPart> parts = analyzer_.SplitCompound(word);
    if (parts.size() < 2) return;
    std::vector<Xapian::Query> all_parts;
    for (const CompoundPart& part : parts) {
      std::vector<Xapian::Query> forms = {
          Term(schema::kPrefixCompoundPart, analyzer_.Stem(part.text))};
      for (const std::string& stem : InflectedStems(part.text)) {
        forms.push_back(Term(schema::kPrefixStem, stem));
      }
      all_parts.emplace_back(Xapian::Query::OP_SYNONYM, forms.begin(), forms.end());
      if (exp) exp->compound_parts.push_back(part.text);
    }
    alts->push_back(Scaled(kPartFactor / parts.size(),
                           Xapian::Query(Xapian::Query::OP_AND, all_parts.begin(), all_parts.end())));
  }

  // One query word with everything the index offers for it; records a correction of a
  // misspelled word in `replacement` (empty when the word is fine).
  Xapian::Query Word(const Token& token, bool prefix, bool title, std::string* replacement) {
    WordExpansion exp;
    exp.word = token.text;
    exp.stem = analyzer_.Stem(token.text);
    if (title) {
      words_.push_back(exp);
      return Term(schema::kPrefixTitle, exp.stem);
    }
    std::vector<Xapian::Query> alts;
    AddPlainAlternatives(token.text, exp.stem, &alts, &exp);
    const Vocabulary* vocab = ctx_.vocabulary;
    const bool known = !vocab || vocab->Frequency(token.text) > 0 ||
                       (ctx_.db && ctx_.db->get_termfreq(std::string(schema::kPrefixStem) + exp.stem) > 0);
    if (vocab && options_.fold_diacritics) {
      for (const std::string& v : vocab->DiacriticVariants(token.text)) {
        const std::string stem = analyzer_.Stem(v);
        if (stem != exp.stem) alts.push_back(Scaled(kVariantFactor, Term(schema::kPrefixStem, stem)));
        exp.diacritic_variants.push_back(v);
      }
      if (!known && !exp.diacritic_variants.empty() && replacement) {
        *replacement = exp.diacritic_variants.front();
      }
    }
    if (vocab && options_.typo_tolerance && !known && exp.diacritic_variants.empty() && !prefix &&
        token.kind == TokenKind::kWord) {
      std::vector<FuzzyLexicon::Match> fixes = vocab->Corrections(token.text, kMaxCorrections);
      for (const FuzzyLexicon::Match& m : fixes) {
        if (m.distance != fixes.front().distance) break;
        alts.push_back(Scaled(kCorrectionFactor, Term(schema::kPrefixStem, analyzer_.Stem(m.word))));
        exp.corrections.push_back(m.word);
      }
      if (!fixes.empty() && replacement) *replacement = fixes.front().word;
    }
    if (prefix) {
      prefixes_.push_back(token.text);
      alts.push_back(Scaled(kVariantFactor,
                            Xapian::Query(Xapian::Query::OP_WILDCARD, token.text, kMaxPrefixExpansion,
                                          Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT,
                                          Xapian::Query::OP_SYNONYM)));
    }
    words_.push_back(std::move(exp));
    return MaxOf(alts);
  }

  // A word unit: a word, or a hyphenated word as its whole or its parts in sequence.
  Xapian::Query WordUnit(const Unit& unit, std::string* replacement) {
    const Token& head = unit.tokens.front();
    if (unit.tokens.size() == 1) return Word(head, unit.prefix, unit.title, replacement);
    std::vector<Xapian::Query> alts = {Word(head, false, unit.title, nullptr)};
    std::vector<Token> parts(unit.tokens.begin() + 1, unit.tokens.end());
    Xapian::Query phrase = StemPhrase(parts);
    if (!phrase.empty()) alts.push_back(phrase);
    return MaxOf(alts);
  }

  // Words i..i+m.length of `plain` written as one synonym alternative.
  Xapian::Query SynonymUnit(const std::vector<const Unit*>& plain, std::size_t i,
                            const SynonymTable::Match& m) {
    const SynonymTable::Group& group = ctx_.synonyms->groups()[m.group];
    std::vector<Xapian::Query> alts;
    std::vector<std::string> others;
    for (std::size_t a = 0; a < group.alternatives.size(); ++a) {
      const SynonymTable::Phrase& words = group.alternatives[a];
      if (a != m.alternative) {
        std::string joined;
        for (const std::string& w : words) joined += (joined.empty() ? "" : " ") + w;
        others.push_back(joined);
        if (words.size() == 1) {
          std::vector<Xapian::Query> plain_alts;
          AddPlainAlternatives(words[0], analyzer_.Stem(words[0]), &plain_alts, nullptr);
          alts.push_back(Scaled(kSynonymFactor, MaxOf(plain_alts)));
        } else {
          alts.push_back(Scaled(kSynonymFactor, WordsPhrase(words)));
        }
        continue;
      }
      // What the visitor wrote keeps all its help; several words count as one unit
      // together, but each still matches on its own.
      std::vector<Xapian::Query> typed;
      for (std::size_t k = 0; k < m.length; ++k) {
        const Unit& u = *plain[i + k];
        if (m.length > 1 && analyzer_.IsStopWord(u.tokens.front().text)) continue;
        typed.push_back(WordUnit(u, nullptr));
      }
      if (typed.size() == 1) {
        alts.push_back(typed.front());
      } else if (!typed.empty()) {
        alts.push_back(Scaled(1.0 / typed.size(),
                              Xapian::Query(Xapian::Query::OP_OR, typed.begin(), typed.end())));
      }
    }
    if (!words_.empty()) words_.back().synonyms = std::move(others);
    return MaxOf(alts);
  }

  BuiltQuery Build(std::string_view text) {
    const std::vector<Unit> units = ToUnits(Lex(text));
    std::vector<Xapian::Query> positive, negative;
    std::vector<const Unit*> plain;  // positive single-word units, in order
    for (const Unit& u : units) {
      if (u.excluded) {
        negative.push_back(u.phrase ? StemPhrase(u.tokens)
                                    : Term(schema::kPrefixStem, analyzer_.Stem(u.tokens.front().text)));
      } else if (u.phrase) {
        if (Xapian::Query q = StemPhrase(u.tokens); !q.empty()) positive.push_back(q);
      } else {
        plain.push_back(&u);
      }
    }
    // Only stop words ("och det"): search them as written rather than find nothing.
    const bool search_stop_words =
        !plain.empty() && positive.empty() && negative.empty() &&
        std::all_of(plain.begin(), plain.end(), [&](const Unit* u) {
          return u->tokens.size() == 1 && analyzer_.IsStopWord(u->tokens.front().text);
        });
    std::vector<std::pair<std::size_t, std::string>> replacements;  // token begin..end -> word
    std::vector<Xapian::Query> near_terms;  // stems of the plain words, in order
    std::size_t dropped_stop_words = 0;
    for (std::size_t i = 0; i < plain.size();) {
      const Unit& u = *plain[i];
      const Token& head = u.tokens.front();
      if (search_stop_words) {
        positive.emplace_back(head.text);
        ++i;
        continue;
      }
      SynonymTable::Match m;
      if (options_.synonyms && ctx_.synonyms && !u.prefix && !u.title) {
        std::vector<std::string> words;
        for (std::size_t k = i; k < plain.size() && !plain[k]->prefix && !plain[k]->title; ++k) {
          words.push_back(ctx_.synonyms->Key(plain[k]->tokens.front().text));
        }
        m = ctx_.synonyms->LongestMatch(words, 0);
      }
      if (m.length > 0) {
        positive.push_back(SynonymUnit(plain, i, m));
        i += m.length;
        continue;
      }
      if (u.tokens.size() == 1 && analyzer_.IsStopWord(head.text)) {
        ++dropped_stop_words;  // their places still count in the phrase window
        ++i;
        continue;
      }
      const bool prefix = u.prefix || (options_.last_word_is_prefix && i + 1 == plain.size() &&
                                       &u == &units.back());
      Unit unit = u;
      unit.prefix = prefix;
      std::string replacement;
      positive.push_back(WordUnit(unit, &replacement));
      if (u.tokens.size() == 1 && !u.title) {
        near_terms.push_back(Term(schema::kPrefixStem, analyzer_.Stem(head.text)));
      }
      if (!replacement.empty()) replacements.emplace_back(i, replacement);
      ++i;
    }
    BuiltQuery out;
    out.units = positive;
    out.prefixes = prefixes_;
    if (near_terms.size() >= 2) {
      const double n = static_cast<double>(near_terms.size());
      const Xapian::Query parts[] = {
          Scaled(kPhraseFactor / n, Xapian::Query(Xapian::Query::OP_PHRASE, near_terms.begin(),
                                                  near_terms.end(), near_terms.size() + dropped_stop_words)),
          Scaled(kNearFactor / n, Xapian::Query(Xapian::Query::OP_NEAR, near_terms.begin(),
                                                near_terms.end(), 2 * near_terms.size() + dropped_stop_words))};
      out.proximity = Xapian::Query(Xapian::Query::OP_MAX, std::begin(parts), std::end(parts));
    }
    if (!positive.empty()) {
      out.query = Xapian::Query(options_.require_all_words ? Xapian::Query::OP_AND
                                                           : Xapian::Query::OP_OR,
                                positive.begin(), positive.end());
    } else if (!negative.empty()) {
      out.only_exclusions = true;
      out.query = MatchAllQuery();
    }
    std::erase_if(negative, [](const Xapian::Query& q) { return q.empty(); });
    if (!out.query.empty() && !negative.empty()) {
      out.query = Xapian::Query(Xapian::Query::OP_AND_NOT, out.query,
                                Xapian::Query(Xapian::Query::OP_OR, negative.begin(), negative.end()));
    }
    if (!replacements.empty()) {
      std::string suggestion(text);
      for (auto it = replacements.rbegin(); it != replacements.rend(); ++it) {
        const Token& t = plain[it->first]->tokens.front();
        suggestion.replace(t.begin, t.end - t.begin, it->second);
      }
      out.suggestion = std::move(suggestion);
    }
    out.words = std::move(words_);
    return out;
  }

 private:
  const QueryContext& ctx_;
  const QueryOptions& options_;
  const Analyzer& analyzer_;
  std::vector<WordExpansion> words_;
  std::vector<std::string> prefixes_;
};

}  // namespace

Xapian::Query MatchAllQuery() { return Xapian::Query(std::string()); }

BuiltQuery BuildQuery(std::string_view text, const QueryContext& context,
                      const QueryOptions& options) {
  return Builder(context, options).Build(text);
}

}  // namespace afori::stemming
