#include "common/rfc3339.h"

#include <gtest/gtest.h>

namespace afori {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

system_clock::time_point At(long long ms) { return system_clock::time_point(milliseconds(ms)); }

TEST(FormatRfc3339Test, SecondsOrMillisecondsInUtc) {
  struct Case {
    long long ms;
    bool millis;
    const char* want;
  };
  const Case cases[] = {
      {0, false, "1970-01-01T00:00:00Z"},
      {0, true, "1970-01-01T00:00:00.000Z"},
      {1796178579042, false, "2026-12-02T02:29:39Z"},  // fractions are cut, not rounded
      {1796178579042, true, "2026-12-02T02:29:39.042Z"},
      {1796178579999, true, "2026-12-02T02:29:39.999Z"},
      {951782400000, false, "2000-02-29T00:00:00Z"},  // a leap day
      {-1, true, "1969-12-31T23:59:59.999Z"},         // before the epoch: still the floor
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FormatRfc3339(At(c.ms), c.millis), c.want) << c.ms;
  }
}

}  // namespace
}  // namespace afori
