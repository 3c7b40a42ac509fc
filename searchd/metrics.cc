#include "searchd/metrics.h"

#include <charconv>
#include <cstdio>

namespace afori::searchd {
namespace {

// Finds key_view's entry, adding a default one (the only allocation) the first time.
template <typename Map, typename View>
typename Map::mapped_type& Slot(Map& map, const View& key_view) {
  auto it = map.find(key_view);
  if (it == map.end()) {
    it = map.emplace(std::make_from_tuple<typename Map::key_type>(key_view),
                     typename Map::mapped_type{}).first;
  }
  return it->second;
}

// A sample value in the shortest form that reads back the same ("0.0025", "3").
std::string Number(double v) {
  char buf[32];
  const std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

void Header(std::string& out, std::string_view name, std::string_view type,
            std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

}  // namespace

std::string_view RejectionReason(int status) {
  switch (status) {
    case 400: return "bad_request";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 413: return "payload_too_large";
    case 414: return "uri_too_long";
    case 415: return "unsupported_media_type";
    case 503: return "unavailable";
    default: return status >= 400 && status < 500 ? "client_error" : "";
  }
}

std::string_view MethodLabel(std::string_view method) {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (method == known) return known;
  }
  return "other";
}

std::string Metrics::EscapeLabel(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void Metrics::ObserveRequest(std::string_view api, std::string_view method,
                             std::string_view route, int status, double duration_seconds) {
  const std::string_view method_label = MethodLabel(method);
  const std::string_view reason = RejectionReason(status);
  if (duration_seconds < 0) duration_seconds = 0;
  std::lock_guard lock(mu_);
  ++Slot(requests_, std::make_tuple(api, method_label, route, status));
  Histogram& h = Slot(latency_, std::make_tuple(api, route));
  for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    if (duration_seconds <= kLatencyBuckets[i]) {
      ++h.buckets[i];
      break;
    }
  }
  ++h.count;
  h.sum += duration_seconds;
  if (!reason.empty()) ++Slot(rejected_, std::make_tuple(api, reason));
}

std::string Metrics::RenderPrometheus(const IndexGauges& index) const {
  std::string out;
  out.reserve(4096);
  auto labels = [](std::initializer_list<std::pair<std::string_view, std::string_view>> pairs) {
    std::string s = "{";
    for (const auto& [k, v] : pairs) {
      if (s.size() > 1) s += ",";
      s.append(k).append("=\"").append(EscapeLabel(v)).append("\"");
    }
    return s + "}";
  };
  std::lock_guard lock(mu_);

  Header(out, "afori_searchd_requests_total", "counter",
         "HTTP requests answered, by API, method, route pattern and status.");
  for (const auto& [key, n] : requests_) {
    const auto& [api, method, route, status] = key;
    const std::string status_text = std::to_string(status);
    out.append("afori_searchd_requests_total")
        .append(labels({{"api", api}, {"method", method}, {"route", route}, {"status", status_text}}))
        .append(" ").append(std::to_string(n)).append("\n");
  }

  Header(out, "afori_searchd_request_duration_seconds", "histogram",
         "Time from reading a request to having its answer ready, by API and route pattern.");
  for (const auto& [key, h] : latency_) {
    const auto& [api, route] = key;
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= kLatencyBuckets.size(); ++i) {
      const bool inf = i == kLatencyBuckets.size();
      cumulative += inf ? 0 : h.buckets[i];
      const std::string le = inf ? "+Inf" : Number(kLatencyBuckets[i]);
      out.append("afori_searchd_request_duration_seconds_bucket")
          .append(labels({{"api", api}, {"route", route}, {"le", le}}))
          .append(" ").append(std::to_string(inf ? h.count : cumulative)).append("\n");
    }
    const std::string series = labels({{"api", api}, {"route", route}});
    out.append("afori_searchd_request_duration_seconds_sum").append(series).append(" ")
        .append(Number(h.sum)).append("\n");
    out.append("afori_searchd_request_duration_seconds_count").append(series).append(" ")
        .append(std::to_string(h.count)).append("\n");
  }

  Header(out, "afori_searchd_rejected_requests_total", "counter",
         "Requests refused with a 4xx or 503, by API and reason.");
  for (const auto& [key, n] : rejected_) {
    const auto& [api, reason] = key;
    out.append("afori_searchd_rejected_requests_total")
        .append(labels({{"api", api}, {"reason", reason}}))
        .append(" ").append(std::to_string(n)).append("\n");
  }

  Header(out, "afori_searchd_index_available", "gauge",
         "1 when the index could be read for this scrape, else 0.");
  out.append("afori_searchd_index_available ").append(index.available ? "1" : "0").append("\n");
  Header(out, "afori_searchd_index_revision", "gauge",
         "Xapian revision of the index the search API reads.");
  if (index.available) {
    out.append("afori_searchd_index_revision ").append(std::to_string(index.revision)).append("\n");
  }
  Header(out, "afori_searchd_index_documents", "gauge", "Documents in the index.");
  if (index.available) {
    out.append("afori_searchd_index_documents ").append(std::to_string(index.documents))
        .append("\n");
  }
  Header(out, "afori_searchd_index_reopens_total", "counter",
         "Times a pooled database handle was reopened on a newer revision or a switched index.");
  out.append("afori_searchd_index_reopens_total ").append(std::to_string(index.reopens)).append("\n");
  Header(out, "afori_searchd_index_switches_total", "counter",
         "Times a pooled handle was opened on a new index after `indexer build` switched it.");
  out.append("afori_searchd_index_switches_total ").append(std::to_string(index.switches))
      .append("\n");
  Header(out, "afori_searchd_derived_builds_total", "counter",
         "Builds of the spelling vocabulary, suggestions and facet columns for a new index "
         "version, off the request path.");
  out.append("afori_searchd_derived_builds_total ").append(std::to_string(index.derived_builds))
      .append("\n");
  Header(out, "afori_searchd_derived_build_failures_total", "counter",
         "Such builds abandoned because the index changed under them or could not be read.");
  out.append("afori_searchd_derived_build_failures_total ")
      .append(std::to_string(index.derived_failures)).append("\n");
  Header(out, "afori_searchd_derived_build_seconds", "gauge", "How long the last such build took.");
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.6f", index.derived_build_seconds);
  out.append("afori_searchd_derived_build_seconds ").append(seconds).append("\n");
  Header(out, "afori_searchd_derived_stale", "gauge",
         "1 when the last request saw a newer index than the vocabulary and suggestions "
         "(a rebuild is due or running).");
  out.append("afori_searchd_derived_stale ").append(index.derived_stale ? "1" : "0").append("\n");
  return out;
}

}  // namespace afori::searchd
