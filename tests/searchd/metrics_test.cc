// Metrics rendered in the Prometheus text format, read back with a strict parser.
#include "searchd/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "tests/prometheus_text.h"

namespace afori::searchd {
namespace {

using afori::testing::ParsePromText;
using afori::testing::PromText;

constexpr const char* kRequests = "afori_searchd_requests_total";
constexpr const char* kLatency = "afori_searchd_request_duration_seconds";

PromText Render(const Metrics& m, const IndexGauges& g = {true, 11, 3, 2, 0}) {
  const std::string text = m.RenderPrometheus(g);
  PromText parsed = ParsePromText(text);
  for (const std::string& e : parsed.errors) ADD_FAILURE() << e << "\n" << text;
  return parsed;
}

TEST(MetricsTest, RejectionReasonsComeFromTheStatus) {
  EXPECT_EQ(RejectionReason(200), "");
  EXPECT_EQ(RejectionReason(204), "");
  EXPECT_EQ(RejectionReason(304), "");
  EXPECT_EQ(RejectionReason(400), "bad_request");
  EXPECT_EQ(RejectionReason(401), "unauthorized");
  EXPECT_EQ(RejectionReason(403), "forbidden");
  EXPECT_EQ(RejectionReason(404), "not_found");
  EXPECT_EQ(RejectionReason(405), "method_not_allowed");
  EXPECT_EQ(RejectionReason(413), "payload_too_large");
  EXPECT_EQ(RejectionReason(414), "uri_too_long");
  EXPECT_EQ(RejectionReason(415), "unsupported_media_type");
  EXPECT_EQ(RejectionReason(429), "client_error");
  EXPECT_EQ(RejectionReason(503), "unavailable");
  EXPECT_EQ(RejectionReason(500), "");  // a failure of ours, counted by status only
}

TEST(MetricsTest, MethodLabelsAreAFixedSet) {
  EXPECT_EQ(MethodLabel("GET"), "GET");
  EXPECT_EQ(MethodLabel("DELETE"), "DELETE");
  EXPECT_EQ(MethodLabel("BREW"), "other");
  EXPECT_EQ(MethodLabel("get"), "other");
}

TEST(MetricsTest, EmptyRegistryHasEveryFamilyAndTheIndexGauges) {
  Metrics m;
  const PromText p = Render(m);
  EXPECT_TRUE(p.Matching(kRequests).empty());
  for (const auto& [family, type] :
       std::map<std::string, std::string>{{kRequests, "counter"},
                                          {kLatency, "histogram"},
                                          {"afori_searchd_rejected_requests_total", "counter"},
                                          {"afori_searchd_index_available", "gauge"},
                                          {"afori_searchd_index_revision", "gauge"},
                                          {"afori_searchd_index_documents", "gauge"},
                                          {"afori_searchd_index_reopens_total", "counter"},
                                          {"afori_searchd_index_switches_total", "counter"},
                                          {"afori_searchd_derived_builds_total", "counter"},
                                          {"afori_searchd_derived_build_failures_total", "counter"},
                                          {"afori_searchd_derived_build_seconds", "gauge"},
                                          {"afori_searchd_derived_stale", "gauge"}}) {
    EXPECT_EQ(p.types.count(family) ? p.types.at(family) : "", type) << family;
    EXPECT_TRUE(p.helps.count(family)) << family;
  }
  for (const auto& [family, type] : p.types) EXPECT_TRUE(family.starts_with("afori_searchd_")) << family;
  EXPECT_EQ(p.Value("afori_searchd_index_available"), 1);
  EXPECT_EQ(p.Value("afori_searchd_index_documents"), 11);
  EXPECT_EQ(p.Value("afori_searchd_index_revision"), 3);
  EXPECT_EQ(p.Value("afori_searchd_index_reopens_total"), 2);
  EXPECT_EQ(p.Value("afori_searchd_index_switches_total"), 0);
}

TEST(MetricsTest, UnreadableIndexLeavesRevisionAndDocumentsOut) {
  Metrics m;
  IndexGauges g;
  g.available = false;
  g.reopens = 5;
  const PromText p = Render(m, g);
  EXPECT_EQ(p.Value("afori_searchd_index_available"), 0);
  EXPECT_TRUE(p.Matching("afori_searchd_index_revision").empty());
  EXPECT_TRUE(p.Matching("afori_searchd_index_documents").empty());
  EXPECT_EQ(p.Value("afori_searchd_index_reopens_total"), 5);
}

TEST(MetricsTest, ReportsTheBuildsOfWhatIsDerivedFromTheIndex) {
  Metrics m;
  IndexGauges g;
  g.available = true;
  g.derived_builds = 7;
  g.derived_failures = 1;
  g.derived_build_seconds = 0.25;
  g.derived_stale = true;
  const PromText p = Render(m, g);
  EXPECT_EQ(p.Value("afori_searchd_derived_builds_total"), 7);
  EXPECT_EQ(p.Value("afori_searchd_derived_build_failures_total"), 1);
  EXPECT_DOUBLE_EQ(p.Value("afori_searchd_derived_build_seconds"), 0.25);
  EXPECT_EQ(p.Value("afori_searchd_derived_stale"), 1);
  g.derived_stale = false;
  EXPECT_EQ(Render(m, g).Value("afori_searchd_derived_stale"), 0);
}

TEST(MetricsTest, CountsRequestsByApiMethodRouteAndStatus) {
  Metrics m;
  m.ObserveRequest("search", "GET", "/v1/search", 200, 0.002);
  m.ObserveRequest("search", "GET", "/v1/search", 200, 0.003);
  m.ObserveRequest("search", "POST", "/v1/search", 400, 0.0001);
  m.ObserveRequest("search", "GET", "other", 404, 0.0001);
  m.ObserveRequest("admin", "PUT", "/v1/documents/{id}", 403, 0.0001);
  m.ObserveRequest("admin", "BREW", "other", 404, 0.0001);
  const PromText p = Render(m);
  EXPECT_EQ(p.Matching(kRequests).size(), 5u);
  EXPECT_EQ(p.Value(kRequests, {{"api", "search"}, {"method", "GET"}, {"route", "/v1/search"}, {"status", "200"}}), 2);
  EXPECT_EQ(p.Value(kRequests, {{"api", "search"}, {"method", "POST"}, {"route", "/v1/search"}, {"status", "400"}}), 1);
  EXPECT_EQ(p.Value(kRequests, {{"api", "search"}, {"method", "GET"}, {"route", "other"}, {"status", "404"}}), 1);
  EXPECT_EQ(p.Value(kRequests, {{"api", "admin"}, {"method", "PUT"}, {"route", "/v1/documents/{id}"}, {"status", "403"}}), 1);
  EXPECT_EQ(p.Value(kRequests, {{"api", "admin"}, {"method", "other"}, {"route", "other"}, {"status", "404"}}), 1);

  const std::string rejected = "afori_searchd_rejected_requests_total";
  EXPECT_EQ(p.Matching(rejected).size(), 4u);
  EXPECT_EQ(p.Value(rejected, {{"api", "search"}, {"reason", "bad_request"}}), 1);
  EXPECT_EQ(p.Value(rejected, {{"api", "search"}, {"reason", "not_found"}}), 1);
  EXPECT_EQ(p.Value(rejected, {{"api", "admin"}, {"reason", "forbidden"}}), 1);
  EXPECT_EQ(p.Value(rejected, {{"api", "admin"}, {"reason", "not_found"}}), 1);
}

TEST(MetricsTest, HistogramBucketsAreCumulativeAndEndInCount) {
  Metrics m;
  const std::vector<double> durations = {0.0005, 0.001, 0.004, 0.03, 0.03, 0.7, 3.0, 42.0, -1.0};
  for (double d : durations) m.ObserveRequest("search", "GET", "/v1/search", 200, d);
  m.ObserveRequest("search", "GET", "/healthz", 200, 0.0002);
  const PromText p = Render(m);
  const std::map<std::string, std::string> series = {{"api", "search"}, {"route", "/v1/search"}};
  std::vector<std::pair<double, double>> buckets;  // le, count
  for (const auto& s : p.Matching(std::string(kLatency) + "_bucket", series)) {
    EXPECT_EQ(s.labels.size(), 3u);
    const std::string& le = s.labels.at("le");
    buckets.emplace_back(le == "+Inf" ? 1e308 : std::stod(le), s.value);
  }
  ASSERT_EQ(buckets.size(), kLatencyBuckets.size() + 1);
  for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) EXPECT_EQ(buckets[i].first, kLatencyBuckets[i]);
  for (std::size_t i = 1; i < buckets.size(); ++i) {
    EXPECT_GT(buckets[i].first, buckets[i - 1].first);
    EXPECT_GE(buckets[i].second, buckets[i - 1].second) << "le=" << buckets[i].first;
  }
  const double count = p.Value(std::string(kLatency) + "_count", series);
  EXPECT_EQ(count, static_cast<double>(durations.size()));
  EXPECT_EQ(buckets.back().second, count);  // +Inf == _count
  // A bound is inclusive: 0.001 falls in le="0.001", with the negative one clamped to 0.
  EXPECT_EQ(buckets[0].second, 3);
  EXPECT_EQ(buckets[2].second, 4);  // le=0.005
  EXPECT_EQ(buckets[4].second, 4);  // le=0.025 excludes the two 0.03s
  EXPECT_EQ(buckets[5].second, 6);  // le=0.05 includes them
  EXPECT_EQ(buckets[kLatencyBuckets.size() - 1].second, 8);  // le=5: all but 42 s
  EXPECT_NEAR(p.Value(std::string(kLatency) + "_sum", series), 0.0005 + 0.001 + 0.004 + 0.06 + 0.7 + 3.0 + 42.0, 1e-9);
  EXPECT_EQ(p.Value(std::string(kLatency) + "_count", {{"api", "search"}, {"route", "/healthz"}}), 1);
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  EXPECT_EQ(Metrics::EscapeLabel("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  Metrics m;
  m.ObserveRequest("search", "GET", "/odd\"route\\with\nnewline", 200, 0.01);
  const std::string text = m.RenderPrometheus({});
  EXPECT_NE(text.find("route=\"/odd\\\"route\\\\with\\nnewline\""), std::string::npos) << text;
  const PromText p = ParsePromText(text);
  EXPECT_TRUE(p.errors.empty()) << (p.errors.empty() ? "" : p.errors[0]);
  EXPECT_EQ(p.Value(kRequests, {{"api", "search"}, {"method", "GET"},
                                {"route", "/odd\"route\\with\nnewline"}, {"status", "200"}}), 1);
}

TEST(MetricsTest, ConcurrentObservationsAreAllCounted) {
  Metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m, t] {
      for (int i = 0; i < 500; ++i) {
        m.ObserveRequest("search", "GET", t % 2 ? "/v1/search" : "/v1/suggest", 200, 0.001);
        if (i % 100 == 0) (void)m.RenderPrometheus({});
      }
    });
  }
  for (auto& t : threads) t.join();
  const PromText p = Render(m);
  EXPECT_EQ(p.Value(kRequests, {{"api", "search"}, {"method", "GET"}, {"route", "/v1/search"}, {"status", "200"}}), 1000);
  EXPECT_EQ(p.Value(std::string(kLatency) + "_count", {{"api", "search"}, {"route", "/v1/suggest"}}), 1000);
}

}  // namespace
}  // namespace afori::searchd
