#include "corpus/markdown.h"

#include <gtest/gtest.h>

namespace afori::corpus {
namespace {

struct Case {
  const char* markdown;
  const char* plain;
};

class MarkdownTest : public ::testing::TestWithParam<Case> {};

TEST_P(MarkdownTest, StripsMarkupKeepsWords) {
  EXPECT_EQ(PlainTextFromMarkdown(GetParam().markdown), GetParam().plain);
}

INSTANTIATE_TEST_SUITE_P(
    Table, MarkdownTest,
    ::testing::Values(
        Case{"Vanlig text utan markering.", "Vanlig text utan markering."},
        Case{"## Rubrik\n\nStycke", "Rubrik\n\nStycke"},
        Case{"- punkt ett\n* punkt två\n12. numrerad", "punkt ett\npunkt två\nnumrerad"},
        Case{"Läs **LOU** och _LUF_ nu", "Läs LOU och LUF nu"},
        Case{"Se [vägledningen](https://afori.example/v) här", "Se vägledningen här"},
        Case{"![Bild på buss](buss.png)", "Bild på buss"},
        Case{"> citat från en kommun", "citat från en kommun"},
        Case{"före\n---\nefter", "före\n\nefter"},
        Case{"```\nkod_rad\n```\nslut", "kod_rad\nslut"},
        Case{"snake_case_ord stannar", "snake_case_ord stannar"},
        Case{"", ""}));

}  // namespace
}  // namespace afori::corpus
