#include "searchd/suggest.h"

#include <algorithm>
#include <tuple>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "stemming/analysis.h"
#include "stemming/tokenizer.h"

namespace afori::searchd {
namespace {

// A title lookup filtered by several typed words cannot use precomputed answers (they depend
// on all the words), so it examines at most this many titles of its most selective word.
constexpr std::size_t kScanLimit = 512;
// Nothing longer is someone typing into a search box; tokenizing it would only cost time.
constexpr std::size_t kMaxTypedBytes = 256;
// Title ranks are (word position, title order) packed into 32 bits; positions from here on
// rank alike, and stop words get this one.
constexpr std::uint32_t kMaxRankedPosition = 63;
constexpr std::size_t kMaxTitles = std::size_t{1} << 26;

std::size_t HeapBytes(const std::string& s) {
  return s.capacity() > 15 ? s.capacity() + 1 : 0;  // libstdc++ keeps 15 bytes inline
}
template <typename T>
std::size_t HeapBytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

// One code point of UTF-8 at text[pos]; an invalid byte reads as U+FFFD of length 1.
unsigned Decode(std::string_view text, std::size_t pos, std::size_t* length) {
  const unsigned char c = static_cast<unsigned char>(text[pos]);
  *length = 1;
  if (c < 0x80) return c;
  const std::size_t n = c >= 0xF8 ? 0 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (n == 0 || pos + n > text.size()) return 0xFFFD;
  unsigned cp = c & (0x7Fu >> n);
  for (std::size_t i = 1; i < n; ++i) {
    const unsigned char d = static_cast<unsigned char>(text[pos + i]);
    if ((d & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (d & 0x3F);
  }
  *length = n;
  return cp;
}

// Where the mark of a typed prefix of `folded_size` folded bytes ends in text[begin, end) as
// written. Lengths differ between the two (ö is two bytes and folds to one, æ folds to two
// letters) and the tokenizer drops hyphens, apostrophes and abbreviation dots that the typed
// prefix never held, so the original is walked code point by code point and folded as the
// key was. A prefix ending inside a letter's folding ("a" of "æ") marks the whole letter.
std::size_t MarkEnd(std::string_view text, std::size_t begin, std::size_t end,
                    std::size_t folded_size) {
  std::size_t pos = begin, covered = 0, length = 0;
  while (pos < end && covered < folded_size) {
    const unsigned cp = Decode(text, pos, &length);
    if (stemming::IsWordChar(cp)) {
      covered += cp < 0x80 ? 1 : stemming::FoldDiacritics(
                                     stemming::Lowercase(text.substr(pos, length))).size();
    }
    pos += length;
  }
  // A decomposed letter's combining marks stay inside the mark with it.
  while (pos < end) {
    const unsigned cp = Decode(text, pos, &length);
    if (cp < 0x300 || cp > 0x36F) break;
    pos += length;
  }
  return pos;
}

void AppendEscaped(std::string_view text, std::string* out) {
  std::size_t plain = 0;  // start of the run not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char* entity;
    switch (text[i]) {
      case '&': entity = "&amp;"; break;
      case '<': entity = "&lt;"; break;
      case '>': entity = "&gt;"; break;
      case '"': entity = "&quot;"; break;
      case '\'': entity = "&#39;"; break;
      default: continue;
    }
    out->append(text.substr(plain, i - plain)).append(entity);
    plain = i + 1;
  }
  out->append(text.substr(plain));
}

// `text` escaped, with each of the byte ranges (merged where they touch) inside <mark>.
std::string MarkedHtml(std::string_view text,
                       std::vector<std::pair<std::size_t, std::size_t>> marks) {
  std::sort(marks.begin(), marks.end());
  std::string out;
  out.reserve(text.size() + 16 * marks.size() + 8);
  std::size_t done = 0;
  for (std::size_t i = 0; i < marks.size();) {
    const std::size_t begin = std::max(marks[i].first, done);
    std::size_t end = marks[i].second;
    for (++i; i < marks.size() && marks[i].first <= end; ++i) end = std::max(end, marks[i].second);
    if (end <= begin) continue;
    AppendEscaped(text.substr(done, begin - done), &out);
    out += "<mark>";
    AppendEscaped(text.substr(begin, end - begin), &out);
    out += "</mark>";
    done = end;
  }
  AppendEscaped(text.substr(done), &out);
  return out;
}

// Items named by `exact` first, then those of `folded` not already named, at most
// kMaxSuggestions: a match with the diacritics as typed beats one that needed folding.
std::vector<std::uint32_t> ExactThenFolded(const std::vector<const PrefixIndex::Entry*>& exact,
                                           const std::vector<const PrefixIndex::Entry*>& folded) {
  std::vector<std::uint32_t> items;
  items.reserve(kMaxSuggestions);
  for (const auto* list : {&exact, &folded}) {
    for (const PrefixIndex::Entry* e : *list) {
      if (items.size() == kMaxSuggestions) return items;
      if (std::find(items.begin(), items.end(), e->item) == items.end()) items.push_back(e->item);
    }
  }
  return items;
}

}  // namespace

std::shared_ptr<const SuggestIndex> SuggestIndex::FromDatabase(const Xapian::Database& db,
                                                               std::stop_token stop) {
  auto index = std::make_shared<SuggestIndex>();

  // Words: the unprefixed terms, the most frequent first (ties: shorter, then bytewise).
  struct Word {
    std::string text;
    Xapian::doccount frequency;
    std::size_t length;
  };
  std::vector<Word> words;
  Xapian::TermIterator it = db.allterms_begin();
  const Xapian::TermIterator end = db.allterms_end();
  while (it != end) {
    if (stop.stop_requested()) return nullptr;
    std::string term = *it;
    const unsigned char first = static_cast<unsigned char>(term[0]);
    if (first >= 'A' && first <= 'Z') {  // prefixed terms: skip the whole range at once
      it.skip_to("[");
      continue;
    }
    const std::size_t length = stemming::CodePointCount(term);
    // Numbers ("2027", "10000", "2,5") start with a digit; nobody wants them completed.
    if (length >= 3 && !(first >= '0' && first <= '9') && !stemming::IsSwedishStopWord(term)) {
      words.push_back({std::move(term), it.get_termfreq(), length});
    }
    ++it;
  }
  std::sort(words.begin(), words.end(), [](const Word& a, const Word& b) {
    return std::tie(b.frequency, a.length, a.text) < std::tie(a.frequency, b.length, b.text);
  });
  index->terms_.reserve(words.size());
  for (Word& w : words) {
    const auto rank = static_cast<std::uint32_t>(index->terms_.size());
    index->terms_folded_.Add(stemming::FoldDiacritics(w.text), rank, rank);
    index->terms_exact_.Add(w.text, rank, rank);
    index->terms_.push_back(std::move(w.text));
  }
  index->terms_folded_.Finish();
  index->terms_exact_.Finish();

  // Titles from the stored document JSON, one per distinct title (case-insensitive; the
  // first document wins): two entries the box shows identically would be one choice.
  std::unordered_set<std::string> seen;
  for (auto doc = db.postlist_begin(""); doc != db.postlist_end(""); ++doc) {
    if (index->titles_.size() >= kMaxTitles) break;
    if (stop.stop_requested()) return nullptr;
    const nlohmann::json json = nlohmann::json::parse(db.get_document(*doc).get_data(), nullptr,
                                                      /*allow_exceptions=*/false);
    if (!json.is_object()) continue;  // also a parse failure (discarded)
    const auto id = json.find("id"), title = json.find("title");
    if (id == json.end() || title == json.end() || !id->is_string() || !title->is_string()) {
      continue;
    }
    Title t;
    t.text = title->get<std::string>();
    t.id = id->get<std::string>();
    t.lower = stemming::Lowercase(t.text);
    if (t.text.empty() || !seen.insert(t.lower).second) continue;
    index->titles_.push_back(std::move(t));
  }
  // Stored shortest first, so a title's number is its rank among equally early matches.
  std::vector<std::tuple<std::size_t, std::string, std::string>> order_keys;
  for (const Title& t : index->titles_) {
    order_keys.emplace_back(stemming::CodePointCount(t.text), t.lower, t.id);
  }
  std::vector<std::size_t> order(index->titles_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return order_keys[a] < order_keys[b]; });
  std::vector<Title> sorted;
  sorted.reserve(order.size());
  for (std::size_t i : order) sorted.push_back(std::move(index->titles_[i]));
  index->titles_ = std::move(sorted);

  const auto count = static_cast<std::uint32_t>(index->titles_.size());
  for (std::uint32_t n = 0; n < count; ++n) {
    Title& t = index->titles_[n];
    t.words_begin = static_cast<std::uint32_t>(index->words_.size());
    for (const stemming::Token& token : stemming::Tokenize(t.text)) {
      const std::string folded = stemming::FoldDiacritics(token.text);
      if (folded.empty()) continue;
      TitleWord w;
      w.folded_offset = static_cast<std::uint32_t>(index->word_arena_.size());
      w.folded_size = static_cast<std::uint32_t>(folded.size());
      index->word_arena_ += folded;
      w.lower_offset = static_cast<std::uint32_t>(index->word_arena_.size());
      w.lower_size = static_cast<std::uint32_t>(token.text.size());
      index->word_arena_ += token.text;
      w.begin = static_cast<std::uint32_t>(token.begin);
      w.end = static_cast<std::uint32_t>(token.end);
      w.position = stemming::IsSwedishStopWord(token.text)
                       ? kMaxRankedPosition
                       : std::min(token.position, kMaxRankedPosition);
      index->words_.push_back(w);
      const std::uint32_t rank = w.position * count + n;
      index->titles_folded_.Add(folded, n, rank);
      index->titles_exact_.Add(token.text, n, rank);
    }
    t.words_count = static_cast<std::uint32_t>(index->words_.size()) - t.words_begin;
  }
  index->titles_.shrink_to_fit();
  index->words_.shrink_to_fit();
  index->word_arena_.shrink_to_fit();
  index->titles_folded_.Finish();
  index->titles_exact_.Finish();
  return index;
}

// Titles matching every typed word (each starts some word of the title), best first: the
// diacritics as typed, then the earliest match of the last word, then the shortest title.
// Only the most selective word's range is walked, and at most kScanLimit entries of it.
std::vector<std::uint32_t> SuggestIndex::TitlesMatchingAll(
    const std::vector<TypedWord>& typed) const {
  auto range = titles_folded_.Range(typed.front().folded);
  for (const TypedWord& w : typed) {
    const auto r = titles_folded_.Range(w.folded);
    if (r.second - r.first < range.second - range.first) range = r;
  }
  range.second = std::min(range.second, range.first + kScanLimit);
  std::vector<std::tuple<bool, std::uint32_t, std::uint32_t>> found;  // (folded, position, title)
  for (std::size_t i = range.first; i < range.second; ++i) {
    const std::uint32_t n = titles_folded_.entries()[i].item;
    const Title& title = titles_[n];
    bool exact_all = true, all = true;
    std::uint32_t last_position = UINT32_MAX;
    for (std::size_t k = 0; k < typed.size() && all; ++k) {
      bool any = false, exact = false;
      for (std::uint32_t j = 0; j < title.words_count; ++j) {
        const TitleWord& w = words_[title.words_begin + j];
        if (!Folded(w).starts_with(typed[k].folded)) continue;
        any = true;
        exact = exact || Lower(w).starts_with(typed[k].lower);
        if (k + 1 == typed.size()) last_position = std::min(last_position, w.position);
      }
      all = any;
      exact_all = exact_all && exact;
    }
    if (all) found.emplace_back(!exact_all, last_position, n);
  }
  std::sort(found.begin(), found.end());
  std::vector<std::uint32_t> out;
  for (const auto& f : found) {
    const std::uint32_t n = std::get<2>(f);
    if (std::find(out.begin(), out.end(), n) != out.end()) continue;
    out.push_back(n);
    if (out.size() == kMaxSuggestions) break;
  }
  return out;
}

std::string SuggestIndex::TitleHtml(const Title& title, const std::vector<TypedWord>& typed) const {
  std::vector<std::pair<std::size_t, std::size_t>> marks;
  for (std::uint32_t j = 0; j < title.words_count; ++j) {
    const TitleWord& w = words_[title.words_begin + j];
    std::size_t longest = 0;
    for (const TypedWord& t : typed) {
      if (Folded(w).starts_with(t.folded)) longest = std::max(longest, t.folded.size());
    }
    if (longest > 0) marks.emplace_back(w.begin, MarkEnd(title.text, w.begin, w.end, longest));
  }
  return MarkedHtml(title.text, std::move(marks));
}

std::vector<Suggestion> SuggestIndex::Complete(std::string_view text, std::size_t limit) const {
  limit = std::min(limit, kMaxSuggestions);
  if (limit == 0 || text.size() > kMaxTypedBytes) return {};
  std::vector<TypedWord> typed;
  for (stemming::Token& token : stemming::Tokenize(text)) {
    // A hyphenated word counts as its whole ("lou-upp" completes "LOU-upphandling"); its
    // parts would each add a constraint the whole already makes.
    if (token.kind == stemming::TokenKind::kCompoundPart) continue;
    std::string folded = stemming::FoldDiacritics(token.text);
    if (folded.empty()) continue;
    typed.push_back({std::move(token.text), std::move(folded), token.begin});
  }
  if (typed.empty()) return {};
  const TypedWord& last = typed.back();

  const std::vector<std::uint32_t> terms =
      ExactThenFolded(terms_exact_.Best(last.lower), terms_folded_.Best(last.folded));
  const std::vector<std::uint32_t> titles =
      typed.size() == 1
          ? ExactThenFolded(titles_exact_.Best(last.lower), titles_folded_.Best(last.folded))
          : TitlesMatchingAll(typed);
  // The earlier words as typed: a word completion replaces only the last one.
  const std::string_view context =
      text.substr(typed.front().begin, last.begin - typed.front().begin);

  // Lowercased texts taken, for case-insensitive duplicates. Words are indexed lowercased,
  // so a word suggestion's lowercase is the typed context's plus the word.
  const std::string lower_context = stemming::Lowercase(context);
  std::vector<std::string> shown;
  std::vector<Suggestion> words_out, titles_out;
  std::size_t next_term = 0, next_title = 0;
  const auto take_term = [&] {
    while (next_term < terms.size()) {
      const std::string& word = terms_[terms[next_term++]];
      std::string key = lower_context + word;
      if (std::find(shown.begin(), shown.end(), key) != shown.end()) continue;
      shown.push_back(std::move(key));
      std::string shown_text = std::string(context) + word;
      const std::size_t end =
          MarkEnd(shown_text, context.size(), shown_text.size(), last.folded.size());
      std::string html = MarkedHtml(shown_text, {{0, end}});
      words_out.push_back({std::move(shown_text), std::move(html), "term", std::nullopt});
      return true;
    }
    return false;
  };
  const auto take_title = [&] {
    while (next_title < titles.size()) {
      const Title& title = titles_[titles[next_title++]];
      if (std::find(shown.begin(), shown.end(), title.lower) != shown.end()) continue;
      shown.push_back(title.lower);
      titles_out.push_back({title.text, TitleHtml(title, typed), "title", title.id});
      return true;
    }
    return false;
  };
  // Half the slots (rounded up) for words, the rest for titles, then words fill what
  // titles leave; words first, as the shorter completions of what is being typed.
  const std::size_t word_slots = (limit + 1) / 2;
  while (words_out.size() < word_slots && take_term()) {
  }
  while (words_out.size() + titles_out.size() < limit && take_title()) {
  }
  while (words_out.size() + titles_out.size() < limit && take_term()) {
  }
  for (Suggestion& s : titles_out) words_out.push_back(std::move(s));
  return words_out;
}

std::size_t SuggestIndex::MemoryBytes() const {
  std::size_t bytes = sizeof(*this) + HeapBytes(terms_) + HeapBytes(titles_) +
                      HeapBytes(words_) + HeapBytes(word_arena_) + terms_folded_.MemoryBytes() +
                      terms_exact_.MemoryBytes() + titles_folded_.MemoryBytes() +
                      titles_exact_.MemoryBytes();
  for (const std::string& t : terms_) bytes += HeapBytes(t);
  for (const Title& t : titles_) bytes += HeapBytes(t.text) + HeapBytes(t.id) + HeapBytes(t.lower);
  return bytes;
}

}  // namespace afori::searchd
