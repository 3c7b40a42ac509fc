// The small text helpers of common/: UTF-8 prefixes and URL percent-encoding.
#include <gtest/gtest.h>

#include "common/percent_encode.h"
#include "common/utf8.h"

namespace afori {
namespace {

TEST(Utf8PrefixTest, CountsCodePointsNotBytes) {
  struct Case {
    const char* text;
    std::size_t code_points;
    const char* want;
  };
  const Case cases[] = {
      {"upphandling", 4, "upph"},
      {"återbruk", 3, "åte"},      // å is two bytes
      {"öö", 1, "ö"},
      {"kö", 5, "kö"},             // shorter than asked: all of it
      {"", 3, ""},
      {"abc", 0, ""},
      {"\xe2\x82\xac" "uro", 1, "\xe2\x82\xac"},  // a three-byte sequence kept whole
  };
  for (const Case& c : cases) EXPECT_EQ(Utf8Prefix(c.text, c.code_points), c.want) << c.text;
}

TEST(PercentEncodeTest, KeepsUnreservedAndEncodesEveryOtherByte) {
  struct Case {
    const char* text;
    const char* want;
  };
  const Case cases[] = {
      {"elbussar", "elbussar"},
      {"A-Z_a.z~09", "A-Z_a.z~09"},
      {"två ord", "tv%C3%A5%20ord"},
      {"a&b=c+d/e?f#g%", "a%26b%3Dc%2Bd%2Fe%3Ff%23g%25"},
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(PercentEncode(c.text), c.want) << c.text;
}

}  // namespace
}  // namespace afori
