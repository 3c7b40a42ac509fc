// The knowledge base shipped in corpus/data must load without a single rejection: it is what
// the run command indexes and what every newcomer sees first.
#include <gtest/gtest.h>

#include <set>

#include "corpus/loader.h"

namespace afori::corpus {
namespace {

TEST(ShippedCorpusTest, EveryDocumentIsValidAndTheTypesAreAllThere) {
  LoadReport r = LoadDocuments({AFORI_SOURCE_DIR "/corpus/data"});
  for (const Rejection& rejection : r.rejections) ADD_FAILURE() << rejection.ToString();
  std::set<DocType> types;
  for (const LoadedDocument& d : r.documents) {
    types.insert(d.document.type);
    EXPECT_TRUE(d.document.summary && d.document.published && d.document.url)
        << d.where.ToString() << ": summary, published and url are expected on shipped pages";
  }
  EXPECT_GE(r.documents.size(), 30u);
  EXPECT_EQ(types.size(), 3u);
}

}  // namespace
}  // namespace afori::corpus
