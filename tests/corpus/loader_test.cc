#include "corpus/loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

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


// Every document of `source`, read in one pass, as "where source_json" lines.
std::vector<std::string> ReadAll(const DocumentSource& source, std::size_t begin, std::size_t end) {
  std::vector<std::string> out;
  const Status s = source.ForEach(begin, end, [&](std::size_t i, const LoadedDocument& d) {
    out.push_back(std::to_string(i) + " " + d.where.ToString() + " " + d.document.source_json);
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.message();
  return out;
}

std::vector<std::string> RejectionTexts(const std::vector<Rejection>& rejections) {
  std::vector<std::string> out;
  for (const Rejection& r : rejections) out.push_back(r.ToString());
  return out;
}

// The inputs of the tests below: directories, JSON Lines with blank, CRLF, indented, invalid
// and duplicate lines, a missing input.
std::vector<std::string> MixedInputs(TempDir& dir) {
  dir.Write("docs/b.json", Doc("b"));
  dir.Write("docs/sub/a.json", "\n\n" + Doc("a") + "\n");
  dir.Write("docs/bad.json", "{\"id\": \"bad\"");
  const std::string jsonl = dir.Write(
      "more.jsonl", Doc("d") + "\r\n\n   " + Doc("e") + "\n{oops\n" + Doc("b") + "\n" + Doc("f"));
  return {dir.Join("docs"), jsonl, dir.Join("missing.jsonl")};
}

TEST(DocumentCatalogTest, ScanAcceptsAndRejectsWhatLoadDoesAndReadsTheSameDocumentsBack) {
  TempDir dir;
  const std::vector<std::string> inputs = MixedInputs(dir);
  const LoadReport loaded = LoadDocuments(inputs);
  const DocumentCatalog catalog = ScanDocuments(inputs);
  ASSERT_EQ(Ids(loaded), (std::vector<std::string>{"b", "a", "d", "e", "f"}));
  EXPECT_EQ(RejectionTexts(catalog.rejections()), RejectionTexts(loaded.rejections));
  EXPECT_EQ(loaded.rejections.size(), 4u);  // bad.json, {oops, the second b, missing.jsonl
  ASSERT_EQ(catalog.size(), loaded.documents.size());
  const InMemoryDocuments in_memory(loaded.documents);
  EXPECT_EQ(ReadAll(catalog, 0, catalog.size()), ReadAll(in_memory, 0, in_memory.size()));
  // Any range, and an end past the last document is the last document.
  EXPECT_EQ(ReadAll(catalog, 2, 4), ReadAll(in_memory, 2, 4));
  EXPECT_EQ(ReadAll(catalog, 3, 99), ReadAll(in_memory, 3, 99));
  EXPECT_TRUE(ReadAll(catalog, 5, 5).empty());
}

TEST(DocumentCatalogTest, SeveralThreadsMayReadAtOnce) {
  TempDir dir;
  std::string lines;
  for (int i = 0; i < 400; ++i) lines += Doc("d" + std::to_string(i)) + "\n";
  const DocumentCatalog catalog = ScanDocuments({dir.Write("many.jsonl", lines)});
  ASSERT_EQ(catalog.size(), 400u);
  const std::vector<std::string> whole = ReadAll(catalog, 0, 400);
  std::vector<std::string> first, second;
  std::thread other([&] { second = ReadAll(catalog, 200, 400); });
  first = ReadAll(catalog, 0, 200);
  other.join();
  first.insert(first.end(), second.begin(), second.end());
  EXPECT_EQ(first, whole);
}

TEST(DocumentCatalogTest, AFileChangedOrGoneSinceTheScanIsAnErrorNamingTheDocument) {
  TempDir dir;
  const std::string path = dir.Write("in.jsonl", Doc("x1") + "\n" + Doc("x2") + "\n");
  const std::string other = dir.Write("other.json", Doc("y"));
  const DocumentCatalog catalog = ScanDocuments({path, other});
  ASSERT_EQ(catalog.size(), 3u);
  const auto first_error = [&catalog](std::size_t begin, std::size_t end) {
    std::size_t visited = 0;
    const Status s = catalog.ForEach(begin, end, [&visited](std::size_t, const LoadedDocument&) {
      ++visited;
      return Status::Ok();
    });
    return std::make_pair(s, visited);
  };
  dir.Write("in.jsonl", Doc("x1") + "\n" + Doc("x3") + "\n");  // same length, other id
  auto [changed, visited] = first_error(0, 3);
  EXPECT_EQ(changed.code(), ErrorCode::kIoError);
  EXPECT_NE(changed.message().find(path + ":2: "), std::string::npos) << changed.message();
  EXPECT_EQ(visited, 1u);  // the unchanged first line was read; nothing after the change
  dir.Write("in.jsonl", Doc("x1") + "\n");  // cut short
  EXPECT_NE(first_error(1, 2).first.message().find(path + ":2: "), std::string::npos);
  std::filesystem::remove(other);
  const Status gone = first_error(2, 3).first;
  EXPECT_EQ(gone.code(), ErrorCode::kIoError);
  EXPECT_NE(gone.message().find(other + ":1: cannot read"), std::string::npos) << gone.message();
}

TEST(DocumentCatalogTest, AVisitorsErrorStopsTheReadAndIsReturned) {
  TempDir dir;
  const DocumentCatalog catalog =
      ScanDocuments({dir.Write("in.jsonl", Doc("a") + "\n" + Doc("b") + "\n" + Doc("c") + "\n")});
  std::vector<std::size_t> seen;
  const Status s = catalog.ForEach(0, 3, [&seen](std::size_t i, const LoadedDocument&) {
    seen.push_back(i);
    return i == 1 ? Status::Internal("stop here") : Status::Ok();
  });
  EXPECT_EQ(s.message(), "stop here");
  EXPECT_EQ(seen, (std::vector<std::size_t>{0, 1}));
}

}  // namespace
}  // namespace afori::corpus
