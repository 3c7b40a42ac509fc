#include "stemming/analysis.h"

#include <array>

namespace afori::stemming {
namespace {

// Swedish function words: pronouns, articles, prepositions, conjunctions and auxiliaries,
// the words that occur in almost every text and say nothing about its subject.
constexpr std::array kSwedishStopWords = {
    "alla",   "allt",   "att",    "av",     "blev",   "bli",    "blir",   "de",
    "dem",    "den",    "denna",  "deras",  "dess",   "dessa",  "det",    "detta",
    "dig",    "din",    "dina",   "ditt",   "du",     "där",    "då",     "efter",
    "ej",     "eller",  "en",     "er",     "era",    "ert",    "ett",    "från",
    "för",    "ha",     "hade",   "han",    "hans",   "har",    "henne",  "hennes",
    "hon",    "honom",  "hur",    "här",    "i",      "icke",   "ingen",  "inget",
    "inga",   "inom",   "inte",   "jag",    "ju",     "kan",    "kunde",  "man",
    "med",    "mellan", "men",    "mig",    "min",    "mina",   "mitt",   "mot",
    "mycket", "ni",     "nu",     "när",    "någon",  "något",  "några",  "och",
    "om",     "oss",    "på",     "samma",  "sedan",  "sig",    "sin",    "sina",
    "sitt",   "själv",  "ska",    "skulle", "som",    "så",     "till",   "under",
    "upp",    "ut",     "utan",   "vad",    "var",    "vara",   "varför", "varit",
    "vem",    "vi",     "vid",    "vilka",  "vilken", "vilket", "vår",    "våra",
    "vårt",   "än",     "är",     "åt",     "över",
};

constexpr std::array<std::string_view, 4> kOperators = {"AND", "OR", "NOT", "XOR"};

}  // namespace

Analyzer::Analyzer() {
  for (const char* word : kSwedishStopWords) stopper_.add(word);
}

Xapian::Stem Analyzer::MakeStemmer() const { return Xapian::Stem("swedish"); }

void Analyzer::ConfigureIndexer(Xapian::TermGenerator& tg) const {
  tg.set_stemmer(MakeStemmer());
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  tg.set_stopper(&stopper_);
  tg.set_stopper_strategy(Xapian::TermGenerator::STOP_STEMMED);
}

void Analyzer::ConfigureQueryParser(Xapian::QueryParser& qp) const {
  qp.set_stemmer(MakeStemmer());
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_stopper(&stopper_);
}

bool Analyzer::IsStopWord(const std::string& word) const { return stopper_(word); }

std::string Analyzer::NormalizeQuery(std::string_view query) const {
  std::string out;
  out.reserve(query.size());
  std::size_t i = 0;
  while (i < query.size()) {
    std::size_t end = query.find_first_of(" \t\r\n", i);
    if (end == std::string_view::npos) end = query.size();
    std::string_view token = query.substr(i, end - i);
    bool is_operator = false;
    for (std::string_view op : kOperators) is_operator = is_operator || token == op;
    out += is_operator ? std::string(token) : Xapian::Unicode::tolower(std::string(token));
    if (end < query.size()) out += query[end];
    i = end + 1;
  }
  return out;
}

}  // namespace afori::stemming
