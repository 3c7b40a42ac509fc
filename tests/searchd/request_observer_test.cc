// Route labels: every path maps to one of a fixed set of patterns, so metric labels stay bounded.
#include "searchd/request_observer.h"

#include <gtest/gtest.h>

namespace afori::searchd {
namespace {

TEST(RouteLabelsTest, PathsMapToTheirPatternOrOther) {
  const RouteLabels routes({"/", "/v1/search", "/v1/documents/{id}", "/indexes/{uid}",
                            "/indexes/{uid}/search", "/static/{file+}"});
  EXPECT_EQ(routes.For("/"), "/");
  EXPECT_EQ(routes.For("/v1/search"), "/v1/search");
  EXPECT_EQ(routes.For("/v1/searchx"), "other");
  EXPECT_EQ(routes.For("/v1/search/"), "other");
  EXPECT_EQ(routes.For("/v1/documents/exempel-elbussar"), "/v1/documents/{id}");
  EXPECT_EQ(routes.For("/v1/documents/"), "/v1/documents/{id}");  // as the route's regex
  EXPECT_EQ(routes.For("/v1/documents/a/b"), "other");
  EXPECT_EQ(routes.For("/indexes/kunskapsbank"), "/indexes/{uid}");
  EXPECT_EQ(routes.For("/indexes/vad-som-helst/search"), "/indexes/{uid}/search");
  EXPECT_EQ(routes.For("/indexes/x/settings"), "other");
  EXPECT_EQ(routes.For("/static/app.js"), "/static/{file}");
  EXPECT_EQ(routes.For("/static/img/logo.svg"), "/static/{file}");
  EXPECT_EQ(routes.For("/static/"), "other");
  EXPECT_EQ(routes.For(""), "other");
  EXPECT_EQ(routes.For("/../../etc/passwd"), "other");
}

TEST(RouteLabelsTest, FirstMatchWins) {
  const RouteLabels routes({"/v1/documents/{id}", "/v1/documents/special"});
  EXPECT_EQ(routes.For("/v1/documents/special"), "/v1/documents/{id}");
  EXPECT_EQ(RouteLabels({}).For("/v1/search"), "other");
}

}  // namespace
}  // namespace afori::searchd
