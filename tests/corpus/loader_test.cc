#include "corpus/loader.h"

#include <gtest/gtest.h>

#include "tests/test_support.h"

namespace afori::corpus {
namespace {

using afori::testing::TempDir;

constexpr const char* kGood =
    R"({"id": "%s", "type": "guide", "title": "Titel", "body": "Text."})";

std::string Doc(const std::string& id) {
  std::string s = kGood;
  return s.replace(s.find("%s"), 2, id);
}

std::vector<std::string> Ids(const LoadReport& r) {
  std::vector<std::string> ids;
  for (const auto& d : r.documents) ids.push_back(d.document.id);
  return ids;
}

TEST(LoaderTest, ReadsDirectoriesRecursivelyAndJsonLinesInSortedOrder) {
  TempDir dir;
  dir.Write("docs/b.json", Doc("b"));
  dir.Write("docs/sub/a.json", Doc("a"));
  dir.Write("docs/notes.txt", "not a document");
  dir.Write("docs/.hidden/c.json", Doc("c"));
  dir.Write("docs/inside.jsonl", Doc("not-read") + "\n");  // directories give *.json only
  const std::string jsonl = dir.Write("more.jsonl", Doc("d") + "\n\n" + Doc("e") + "\n");
  LoadReport r = LoadDocuments({dir.Join("docs"), jsonl});
  EXPECT_TRUE(r.rejections.empty());
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"b", "a", "d", "e"}));
  EXPECT_EQ(r.documents[2].where.line, 1);
  EXPECT_EQ(r.documents[3].where.line, 3);  // blank line 2 skipped, numbering kept
}

TEST(LoaderTest, ReportsEachBadLineAsPathLineIdReasonAndKeepsTheGoodOnes) {
  TempDir dir;
  const std::string path = dir.Write(
      "batch.jsonl",
      Doc("ok-1") + "\n" +
      R"({"id": "bad-date", "type": "case", "title": "T", "body": "B", "published": "2024-02-30"})" "\n" +
      "{not json\n" +
      R"({"type": "case", "title": "T", "body": "B"})" "\n" +
      Doc("ok-2") + "\n");
  LoadReport r = LoadDocuments({path});
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"ok-1", "ok-2"}));
  ASSERT_EQ(r.rejections.size(), 3u);
  EXPECT_EQ(r.rejections[0].ToString(),
            path + ":2: bad-date: field 'published' must be a date YYYY-MM-DD, got \"2024-02-30\"");
  EXPECT_EQ(r.rejections[1].where.line, 3);
  EXPECT_EQ(r.rejections[1].id, "-");
  EXPECT_NE(r.rejections[1].reason.find("invalid JSON"), std::string::npos);
  EXPECT_EQ(r.rejections[2].ToString(), path + ":4: -: missing required field 'id'");
}

TEST(LoaderTest, InvalidJsonInAFileNamesTheLineWhereParsingStopped) {
  TempDir dir;
  const std::string path =
      dir.Write("x.json", "{\n  \"id\": \"x\",\n  \"type\": \"guide\"\n  \"title\": \"T\"\n}\n");
  LoadReport r = LoadDocuments({path});
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].where.line, 4);
  EXPECT_NE(r.rejections[0].reason.find("invalid JSON"), std::string::npos);
}

TEST(LoaderTest, DuplicateIdNamesBothPlacesAndKeepsTheFirst) {
  TempDir dir;
  const std::string a = dir.Write("docs/a.json", Doc("same"));
  const std::string jsonl = dir.Write("b.jsonl", Doc("other") + "\n" + Doc("same") + "\n");
  LoadReport r = LoadDocuments({dir.Join("docs"), jsonl});
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"same", "other"}));
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].ToString(),
            jsonl + ":2: same: duplicate id, first defined at " + a + ":1");
}

TEST(LoaderTest, MissingOrUnsupportedInputsAreRejectionsNotCrashes) {
  TempDir dir;
  const std::string txt = dir.Write("readme.txt", "hej");
  LoadReport r = LoadDocuments({dir.Join("nothing-here"), txt});
  ASSERT_EQ(r.rejections.size(), 2u);
  EXPECT_EQ(r.rejections[0].ToString(), dir.Join("nothing-here") + ":0: -: no such file or directory");
  EXPECT_NE(r.rejections[1].reason.find("not a directory, .json or .jsonl"), std::string::npos);
}

TEST(LoaderTest, SurvivesHostileBytes) {
  TempDir dir;
  std::string garbage = "\xff\xfe\x00{\"id\":\"\xc3\x28\"}";
  garbage += std::string(3000, '[');
  const std::string jsonl = dir.Write("g.jsonl", garbage + "\n" + "\"\\ud800\"\n" + "[]\n" + Doc("ok") + "\n");
  LoadReport r = LoadDocuments({jsonl, dir.Write("empty.json", "")});
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"ok"}));
  EXPECT_EQ(r.rejections.size(), 4u);
}

TEST(LoaderTest, ParseDocumentTextReportsTheLine) {
  int line = 0;
  Result<Document> doc = ParseDocumentText("{\n\"id\": \"x\",,\n}", &line);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(line, 2);
  EXPECT_TRUE(ParseDocumentText(Doc("fine"), &line).ok());
}

// A number too large for a double is thrown by the JSON parser as out_of_range, not as a
// parse error; it once escaped and ended the indexer (found by document_fuzz).
TEST(LoaderTest, ANumberTooLargeForADoubleIsAnInvalidDocumentNotACrash) {
  int line = 0;
  for (const char* text : {"9000000000008742e08832", "{\"id\": \"x\", \"amount\": 1e999}"}) {
    Result<Document> doc = ParseDocumentText(text, &line);
    ASSERT_FALSE(doc.ok()) << text;
    EXPECT_EQ(doc.status().code(), ErrorCode::kInvalidDocument) << text;
    EXPECT_NE(doc.status().message().find("invalid JSON"), std::string::npos)
        << doc.status().message();
  }
}

}  // namespace
}  // namespace afori::corpus
