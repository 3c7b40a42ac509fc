// Suggest: search-box completions for what a visitor has typed so far (GET /v1/suggest).
//
// Completions are asked for on every keystroke, so this is the hottest path searchd has: a
// lookup must cost microseconds and must not touch the database. A SuggestIndex is therefore
// built once per index revision from two sources, the document titles (from the stored
// document JSON) and the indexed words as written (the unprefixed terms, common/schema.h),
// and answers from sorted vectors of case- and diacritic-folded keys (searchd/prefix_index.h:
// binary search, and the best matches of long ranges such as "e" or "upp" computed at build
// time). The one path that still walks a range (a title filtered by several typed words)
// stops after a fixed number of entries.
//
// searchd builds one per index version off the request path (searchd/index_refresher.h).
//
// Thread safety: a SuggestIndex is immutable and may be shared by threads. FromDatabase reads
// `db`, which (like any Xapian object) must not be used by another thread meanwhile, and throws what the reads throw (DatabaseModifiedError included,
// which DatabasePool::With retries).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>


#include "searchd/prefix_index.h"

namespace afori::searchd {

// The most completions one lookup returns, whatever the caller asks for.
inline constexpr std::size_t kMaxSuggestions = 8;
static_assert(kMaxSuggestions <= PrefixIndex::kBest);

struct Suggestion {
  // What the search box shows and submits: a title, or a word. For a word completing the
  // last of several typed words, the earlier words as typed come first ("förkommersiell
  // upphandling" for "förkommersiell upp"), because the box submits its whole content.
  std::string text;
  std::string html;  // text HTML-escaped, the part matching what was typed in <mark>…</mark>
  std::string kind;  // "title" or "term"
  std::optional<std::string> id;  // the document id, for titles
};

// Built once per index revision from the database, then answers prefix lookups from memory.
class SuggestIndex {
 public:
  // Null if `stop` is requested before the terms and titles are all read.
  static std::shared_ptr<const SuggestIndex> FromDatabase(const Xapian::Database& db,
                                                          std::stop_token stop = {});

  // Up to `limit` (at most kMaxSuggestions) completions of what has been typed so far:
  //  - indexed words starting with the last typed word (no stop words, numbers or words
  //    under 3 letters), the most frequent first;
  //  - titles with a word starting with the last typed word and, for each earlier typed
  //    word, a word starting with that one too; the earliest match (a stop word counts
  //    as the title's last word), then the shortest title first.
  // Up to half the slots (rounded up) go to words, the rest to titles, and either kind fills
  // in when the other runs out; words come first. Matching ignores case and diacritics, and
  // a match with the diacritics as typed ranks above one that needed folding. No two
  // suggestions have the same text ignoring case. Text without a word, or longer than a
  // search box holds (256 bytes), gets nothing.
  std::vector<Suggestion> Complete(std::string_view typed, std::size_t limit) const;

  // Heap and object bytes held (an estimate from capacities).
  std::size_t MemoryBytes() const;

 private:
  struct Title {  // stored shortest first (then by text, id): the number is the rank
    std::string text, id;
    std::string lower;  // lowercased, to compare with word suggestions ignoring case
    std::uint32_t words_begin, words_count;  // into words_
  };
  struct TitleWord {
    std::uint32_t folded_offset, folded_size, lower_offset, lower_size;  // into word_arena_
    std::uint32_t begin, end;  // byte range in the title as written
    // The word number, capped; stop words count as last, because a title matched only by
    // its "för" or "eller" is a weak completion of "fö" or "el".
    std::uint32_t position;
  };
  struct TypedWord {
    std::string lower, folded;
    std::size_t begin;  // byte offset in the typed text
  };

  std::vector<std::uint32_t> TitlesMatchingAll(const std::vector<TypedWord>& typed) const;
  std::string TitleHtml(const Title& title, const std::vector<TypedWord>& typed) const;
  std::string_view Folded(const TitleWord& w) const {
    return {word_arena_.data() + w.folded_offset, w.folded_size};
  }
  std::string_view Lower(const TitleWord& w) const {
    return {word_arena_.data() + w.lower_offset, w.lower_size};
  }

  std::vector<std::string> terms_;  // by rank: document frequency, then shorter, then bytewise
  PrefixIndex terms_folded_, terms_exact_;
  std::vector<Title> titles_;
  std::vector<TitleWord> words_;
  std::string word_arena_;
  PrefixIndex titles_folded_, titles_exact_;
};

}  // namespace afori::searchd
