#include "searchd/suggest.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <set>
#include <stop_token>

#include <nlohmann/json.hpp>

#include "stemming/tokenizer.h"
#include "tests/test_support.h"

namespace afori::searchd {
namespace {

using afori::testing::TempDir;

std::vector<std::string> Texts(const std::vector<Suggestion>& s, const std::string& kind = "") {
  std::vector<std::string> out;
  for (const Suggestion& x : s) {
    if (kind.empty() || x.kind == kind) out.push_back(x.text);
  }
  return out;
}

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::ptrdiff_t IndexOf(const std::vector<std::string>& v, const std::string& x) {
  const auto it = std::find(v.begin(), v.end(), x);
  return it == v.end() ? -1 : it - v.begin();
}

const Suggestion* Find(const std::vector<Suggestion>& s, const std::string& text) {
  for (const Suggestion& x : s) {
    if (x.text == text) return &x;
  }
  return nullptr;
}

// A document as the indexer stores it, reduced to what suggestions read: the JSON data with
// id and title, the words as written (unprefixed) and one prefixed term to be skipped.
Xapian::Document MakeDoc(const std::string& id, const std::string& title,
                         const std::vector<std::string>& words) {
  Xapian::Document doc;
  doc.set_data(nlohmann::json{{"id", id}, {"title", title}}.dump());
  doc.add_boolean_term("Q" + id);
  for (const std::string& w : words) doc.add_term(w);
  return doc;
}

class SuggestTest : public ::testing::Test {
 protected:
  // One fixture index for the suite: building it dominates, and the tests only read it.
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    const Status s = indexer::BuildDatabase(
        dir_->Join("db"), testing::LoadFixtureCorpus().documents, testing::SharedAnalyzer());
    ASSERT_TRUE(s.ok()) << s.message();
    index_ = SuggestIndex::FromDatabase(Xapian::Database(dir_->Join("db")));
  }
  static void TearDownTestSuite() {
    index_.reset();
    dir_.reset();
  }
  static std::vector<Suggestion> Complete(const std::string& typed, std::size_t limit = 8) {
    return index_->Complete(typed, limit);
  }

  static std::unique_ptr<TempDir> dir_;
  static std::shared_ptr<const SuggestIndex> index_;
};
std::unique_ptr<TempDir> SuggestTest::dir_;
std::shared_ptr<const SuggestIndex> SuggestTest::index_;

TEST_F(SuggestTest, CompletesWordsAndTitlesStartingWithThePrefix) {
  const auto s = Complete("upp");
  const auto words = Texts(s, "term"), titles = Texts(s, "title");
  EXPECT_TRUE(Has(words, "upphandling"));
  EXPECT_EQ(words.front(), "upphandling");  // the most frequent of the upp- words
  EXPECT_TRUE(Has(titles, "Förkommersiell upphandling steg för steg"));
  EXPECT_TRUE(Has(titles, "Behovsanalys inför upphandling"));
  EXPECT_FALSE(Has(titles, "LOU i korthet"));
  for (const Suggestion& x : s) {
    EXPECT_TRUE(stemming::Lowercase(x.text).find("upp") != std::string::npos) << x.text;
    EXPECT_EQ(x.kind == "title", x.id.has_value()) << x.text;
  }
  // Words first; only two titles match, so words take the slots titles leave.
  ASSERT_EQ(s.size(), 8u);
  EXPECT_EQ(words.size(), 6u);
  EXPECT_EQ(s[5].kind, "term");
  EXPECT_EQ(s[6].kind, "title");
  // With enough of both, half the slots go to each.
  std::vector<std::string> kinds;
  for (const Suggestion& x : Complete("upp", 4)) kinds.push_back(x.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"term", "term", "title", "title"}));
  const Suggestion* fku = Find(s, "Förkommersiell upphandling steg för steg");
  ASSERT_NE(fku, nullptr);
  EXPECT_EQ(*fku->id, "vagledning-fku");
  // The earlier match ranks first though its title is longer: upp- is its second word and
  // the other title's third.
  EXPECT_EQ(titles, (std::vector<std::string>{"Förkommersiell upphandling steg för steg",
                                              "Behovsanalys inför upphandling"}));
  EXPECT_EQ(Texts(Complete("elb"), "title"), std::vector<std::string>{"Elbussar i Älvstad"});
  EXPECT_EQ(Complete("Nya").back().id, "exempel-skolmat");
}

TEST_F(SuggestTest, MatchesWithoutDiacriticsAndMarksTheTextAsWritten) {
  const auto s = Complete("forko");
  ASSERT_EQ(Texts(s), (std::vector<std::string>{"förkommersiell",
                                                "Förkommersiell upphandling steg för steg"}));
  EXPECT_EQ(s[0].html, "<mark>förko</mark>mmersiell");
  EXPECT_EQ(s[1].html, "<mark>Förko</mark>mmersiell upphandling steg för steg");
  EXPECT_EQ(Texts(Complete("FÖRKO")), Texts(s));
  const auto alv = Complete("alv");
  EXPECT_TRUE(Has(Texts(alv, "term"), "älvstad"));
  const Suggestion* title = Find(alv, "Elbussar i Älvstad");
  ASSERT_NE(title, nullptr);
  EXPECT_EQ(title->html, "Elbussar i <mark>Älv</mark>stad");
}

TEST_F(SuggestTest, ExactDiacriticsRankAboveFoldedMatches) {
  // "mät" is typed with its ä: mät, mäts, mäter before matsvinn, though matsvinn is in
  // more documents; typed without, matsvinn comes first.
  const auto with = Texts(Complete("mät"), "term");
  ASSERT_TRUE(Has(with, "matsvinn"));
  EXPECT_EQ(with.front(), "mät");
  EXPECT_LT(IndexOf(with, "mäter"), IndexOf(with, "matsvinn"));
  const auto without = Texts(Complete("mat"), "term");
  EXPECT_EQ(without.front(), "matsvinn");
  EXPECT_LT(IndexOf(without, "matsvinn"), IndexOf(without, "mät"));
}

TEST_F(SuggestTest, EarlierTypedWordsFilterTitlesAndPrefixWordCompletions) {
  for (const std::string typed : {"förkommersiell upp", "Forkommersiell   upp", "förk upp"}) {
    const auto s = Complete(typed);
    EXPECT_EQ(Texts(s, "title"),
              std::vector<std::string>{"Förkommersiell upphandling steg för steg"}) << typed;
  }
  const auto s = Complete("förkommersiell upp");
  EXPECT_EQ(Find(s, "Förkommersiell upphandling steg för steg")->html,
            "<mark>Förkommersiell</mark> <mark>upp</mark>handling steg för steg");
  const Suggestion* word = Find(s, "förkommersiell upphandling");
  ASSERT_NE(word, nullptr);
  EXPECT_EQ(word->kind, "term");
  EXPECT_EQ(word->html, "<mark>förkommersiell upp</mark>handling");
  EXPECT_EQ(Texts(Complete("matsvinn i st"), "title"),
            std::vector<std::string>{"Matsvinn i storkök: mät matsvinn, minska matsvinn"});
  EXPECT_TRUE(Texts(Complete("elbussar upp"), "title").empty());
}

TEST_F(SuggestTest, RespectsTheLimit) {
  for (const std::string typed : {"e", "upp", "för", "s", "m", "förkommersiell upp"}) {
    for (std::size_t limit = 0; limit <= 12; ++limit) {
      const auto s = Complete(typed, limit);
      EXPECT_LE(s.size(), std::min<std::size_t>(limit, kMaxSuggestions)) << typed << " " << limit;
    }
  }
  EXPECT_EQ(Complete("s", 8).size(), 8u);
  EXPECT_EQ(Complete("s", 100).size(), 8u);
  EXPECT_EQ(Complete("s", 3).size(), 3u);
  // Two of three slots to words (half rounded up), then a title.
  const auto three = Complete("upp", 3);
  EXPECT_EQ(three[0].kind, "term");
  EXPECT_EQ(three[1].kind, "term");
  EXPECT_EQ(three[2].kind, "title");
  // When one kind runs out the other fills in.
  EXPECT_EQ(Complete("förkommersiell upp", 8).size(), 7u);  // 6 words + the one title
  EXPECT_EQ(Complete("sensorer", 8).size(), 2u);
}

TEST_F(SuggestTest, NoTwoSuggestionsShareATextIgnoringCase) {
  for (const std::string typed : {"e", "s", "m", "mat", "upp", "för", "i", "l"}) {
    std::set<std::string> seen;
    for (const Suggestion& x : Complete(typed)) {
      EXPECT_TRUE(seen.insert(stemming::Lowercase(x.text)).second) << typed << ": " << x.text;
    }
  }
}

TEST_F(SuggestTest, NeverSuggestsStopWordsNumbersOrShortWords) {
  EXPECT_FALSE(Has(Texts(Complete("so"), "term"), "som"));
  EXPECT_FALSE(Has(Texts(Complete("som"), "term"), "som"));
  EXPECT_FALSE(Has(Texts(Complete("at"), "term"), "att"));
  EXPECT_FALSE(Has(Texts(Complete("fö"), "term"), "för"));
  EXPECT_TRUE(Texts(Complete("40"), "term").empty());  // "4000" is indexed
  EXPECT_FALSE(Has(Texts(Complete("n"), "term"), "nu"));
  EXPECT_FALSE(Has(Texts(Complete("ny"), "term"), "ny"));
  // A title is suggested whatever its words are.
  EXPECT_TRUE(Has(Texts(Complete("ny"), "title"), "Nya skolmåltider i Björkby"));
}

TEST_F(SuggestTest, NothingForTextWithoutWords) {
  for (const std::string typed : {"", " ", "  \t\n", "--", "...", "\xcc\x88"}) {
    EXPECT_TRUE(Complete(typed).empty()) << typed;
  }
  EXPECT_TRUE(Complete(std::string(300, 'a')).empty());
  EXPECT_FALSE(Complete("  upp  ").empty());
}

// Whatever is typed (garbage included), each html is its text escaped with balanced marks.
TEST_F(SuggestTest, HtmlIsAlwaysTheEscapedTextWithMarks) {
  std::vector<std::string> typed = {"ä", "Ä", "o", "ö", "s", "st", "i", "e-", "lou:s", "t.ex",
                                    "\xff\xfe", "a\xcc\x88", "mat svinn", "\"upp", "<e"};
  std::mt19937 random(3);
  const std::string letters = "aeiouäölmnrst -";
  for (int i = 0; i < 300; ++i) {
    std::string t;
    for (int k = 0, n = 1 + static_cast<int>(random() % 8); k < n; ++k) {
      t += letters[random() % letters.size()];  // may split a two-byte letter: garbage too
    }
    typed.push_back(t);
  }
  for (const std::string& t : typed) {
    for (const Suggestion& x : Complete(t)) {
      std::string plain, rest = x.html;
      int open = 0;
      for (std::size_t pos = 0; pos < rest.size();) {
        if (rest.compare(pos, 6, "<mark>") == 0) {
          EXPECT_EQ(open++, 0) << x.html;
          pos += 6;
        } else if (rest.compare(pos, 7, "</mark>") == 0) {
          EXPECT_EQ(--open, 0) << x.html;
          pos += 7;
        } else {
          plain += rest[pos++];
        }
      }
      EXPECT_EQ(open, 0) << x.html;
      EXPECT_NE(x.html.find("<mark>"), std::string::npos) << x.html;
      std::string escaped;
      for (char c : x.text) {
        switch (c) {
          case '&': escaped += "&amp;"; break;
          case '<': escaped += "&lt;"; break;
          case '>': escaped += "&gt;"; break;
          case '"': escaped += "&quot;"; break;
          case '\'': escaped += "&#39;"; break;
          default: escaped += c;
        }
      }
      EXPECT_EQ(plain, escaped) << "typed '" << t << "'";
    }
  }
}

TEST(SuggestIndexTest, ABuildAskedToStopReturnsNothing) {
  TempDir dir;
  {
    Xapian::WritableDatabase db(dir.Join("db"), Xapian::DB_CREATE_OR_OVERWRITE);
    db.add_document(MakeDoc("fisk", "Fisk och chips", {"fisk", "chips"}));
    db.commit();
  }
  const Xapian::Database db(dir.Join("db"));
  std::stop_source stop;
  EXPECT_NE(SuggestIndex::FromDatabase(db, stop.get_token()), nullptr);
  stop.request_stop();
  EXPECT_EQ(SuggestIndex::FromDatabase(db, stop.get_token()), nullptr);
}

TEST(SuggestIndexTest, EscapesHtmlAndMarksTheOriginalBytes) {
  TempDir dir;
  {
    Xapian::WritableDatabase db(dir.Join("db"), Xapian::DB_CREATE_OR_OVERWRITE);
    db.add_document(MakeDoc("fisk", "Fisk & <chips> \"för\" alla's", {"fisk", "chips", "allas"}));
    // Decomposed ä and ö (a and o followed by U+0308), as some editors save them.
    db.add_document(MakeDoc("vaxjo", "Va\xcc\x88xjo\xcc\x88 och LOU-upphandling", {"växjö"}));
    db.commit();
  }
  const auto index = SuggestIndex::FromDatabase(Xapian::Database(dir.Join("db")));
  auto s = index->Complete("chi", 8);
  const Suggestion* title = Find(s, "Fisk & <chips> \"för\" alla's");
  ASSERT_NE(title, nullptr);
  EXPECT_EQ(title->html, "Fisk &amp; &lt;<mark>chi</mark>ps&gt; &quot;för&quot; alla&#39;s");
  s = index->Complete("allas", 8);
  ASSERT_EQ(Texts(s, "title").size(), 1u);
  EXPECT_EQ(Find(s, "Fisk & <chips> \"för\" alla's")->html,
            "Fisk &amp; &lt;chips&gt; &quot;för&quot; <mark>alla&#39;s</mark>");
  s = index->Complete("växj", 8);
  EXPECT_EQ(Find(s, "växjö")->html, "<mark>växj</mark>ö");
  EXPECT_EQ(Find(s, "Va\xcc\x88xjo\xcc\x88 och LOU-upphandling")->html,
            "<mark>Va\xcc\x88xj</mark>o\xcc\x88 och LOU-upphandling");
  // A hyphenated word completes as a whole and from its second part.
  s = index->Complete("lou-upp", 8);
  EXPECT_EQ(Find(s, "Va\xcc\x88xjo\xcc\x88 och LOU-upphandling")->html,
            "Va\xcc\x88xjo\xcc\x88 och <mark>LOU-upp</mark>handling");
  s = index->Complete("upph", 8);
  EXPECT_EQ(Find(s, "Va\xcc\x88xjo\xcc\x88 och LOU-upphandling")->html,
            "Va\xcc\x88xjo\xcc\x88 och LOU-<mark>upph</mark>andling");
}

TEST(SuggestIndexTest, ExactDiacriticsBeatFrequencyAndShortness) {
  TempDir dir;
  {
    Xapian::WritableDatabase db(dir.Join("db"), Xapian::DB_CREATE_OR_OVERWRITE);
    db.add_document(MakeDoc("a", "Hälsa på jobbet", {"hälsa"}));
    db.add_document(MakeDoc("b", "Halsband och andra smycken", {"hälsa", "halsband"}));
    db.add_document(MakeDoc("c", "Hälsa hemma", {"hälsa"}));
    db.commit();
  }
  const auto index = SuggestIndex::FromDatabase(Xapian::Database(dir.Join("db")));
  EXPECT_EQ(Texts(index->Complete("hal", 8)),
            (std::vector<std::string>{"halsband", "hälsa", "Halsband och andra smycken",
                                      "Hälsa hemma", "Hälsa på jobbet"}));
  EXPECT_EQ(Texts(index->Complete("häl", 8)),
            (std::vector<std::string>{"hälsa", "halsband", "Hälsa hemma", "Hälsa på jobbet",
                                      "Halsband och andra smycken"}));
}

TEST(SuggestIndexTest, TitlesMatchedOnlyByAStopWordComeLast) {
  TempDir dir;
  {
    Xapian::WritableDatabase db(dir.Join("db"), Xapian::DB_CREATE_OR_OVERWRITE);
    db.add_document(MakeDoc("a", "Eller inte", {}));
    db.add_document(MakeDoc("b", "Nya elbussar i staden", {}));
    db.commit();
  }
  const auto index = SuggestIndex::FromDatabase(Xapian::Database(dir.Join("db")));
  EXPECT_EQ(Texts(index->Complete("el", 8)),
            (std::vector<std::string>{"Nya elbussar i staden", "Eller inte"}));
}

TEST(SuggestIndexTest, OneSuggestionPerTextIgnoringCase) {
  TempDir dir;
  {
    Xapian::WritableDatabase db(dir.Join("db"), Xapian::DB_CREATE_OR_OVERWRITE);
    db.add_document(MakeDoc("a", "Matsvinn", {"matsvinn"}));
    db.add_document(MakeDoc("b", "MATSVINN", {"matsvinn"}));
    db.add_document(MakeDoc("c", "Matsvinn i skolan", {"matsvinn", "skolan"}));
    db.commit();
  }
  const auto index = SuggestIndex::FromDatabase(Xapian::Database(dir.Join("db")));
  const auto s = index->Complete("mats", 8);
  EXPECT_EQ(Texts(s), (std::vector<std::string>{"matsvinn", "Matsvinn i skolan"}));
  EXPECT_EQ(s[1].kind, "title");
  EXPECT_EQ(*s[1].id, "c");
}

}  // namespace
}  // namespace afori::searchd
