#include "searchd/synonym_source.h"

#include <gtest/gtest.h>

#include <thread>

#include "tests/test_support.h"

namespace afori::searchd {
namespace {

// Waits past the source's once-a-second check and makes the new file's mtime differ.
void AfterCheckInterval() { std::this_thread::sleep_for(std::chrono::milliseconds(1100)); }

TEST(SynonymSourceTest, ReloadsAChangedFileAndKeepsTheOldTableOnErrors) {
  testing::TempDir dir;
  const std::string path = dir.Write("synonyms.txt", "lou | lagen om offentlig upphandling\n");
  auto source = SynonymSource::Open(path, nullptr);
  ASSERT_TRUE(source.ok()) << source.status().message();
  auto first = (*source)->Current();
  ASSERT_EQ(first->groups().size(), 1u);

  AfterCheckInterval();
  dir.Write("synonyms.txt", "lou | lagen om offentlig upphandling\nfku | pcp\n");
  EXPECT_EQ((*source)->Current()->groups().size(), 2u);

  AfterCheckInterval();
  dir.Write("synonyms.txt", "en ensam rad utan alternativ\n");  // invalid: kept the old one
  EXPECT_EQ((*source)->Current()->groups().size(), 2u);

  AfterCheckInterval();
  dir.Write("synonyms.txt", "iop | idéburet offentligt partnerskap\n");
  auto fixed = (*source)->Current();
  ASSERT_EQ(fixed->groups().size(), 1u);
  EXPECT_EQ(fixed->groups()[0].alternatives[0][0], "iop");
  // A table handed out earlier stays valid for the request using it.
  EXPECT_EQ(first->groups()[0].alternatives[0][0], "lou");
}

TEST(SynonymSourceTest, AnInvalidFileAtStartIsAnErrorNamingTheLine) {
  testing::TempDir dir;
  const std::string path = dir.Write("synonyms.txt", "# ok\nlou\n");
  auto source = SynonymSource::Open(path, nullptr);
  ASSERT_FALSE(source.ok());
  EXPECT_NE(source.status().message().find(path + ":2:"), std::string::npos)
      << source.status().message();
  EXPECT_FALSE(SynonymSource::Open(dir.Join("missing.txt"), nullptr).ok());
}

}  // namespace
}  // namespace afori::searchd
