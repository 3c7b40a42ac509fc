// A strict reader of the Prometheus text exposition format (version 0.0.4) for the tests of
// GET /metrics: every line is a HELP or TYPE comment or a sample `name{label="value",...} value`,
// every sample's family has had its TYPE line, and label values are unescaped.
#pragma once

#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace afori::testing {

struct PromSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct PromText {
  std::vector<PromSample> samples;
  std::map<std::string, std::string> types;  // family -> counter, gauge, histogram, ...
  std::set<std::string> helps;
  std::vector<std::string> errors;  // "line N: what"; empty when the text is well formed

  // The value of the one sample with this name and exactly these labels; -1 if none.
  double Value(const std::string& name, const std::map<std::string, std::string>& labels = {}) const {
    for (const PromSample& s : samples) {
      if (s.name == name && s.labels == labels) return s.value;
    }
    return -1;
  }
  // Samples of `name` whose labels include all of `subset`.
  std::vector<PromSample> Matching(const std::string& name,
                                   const std::map<std::string, std::string>& subset = {}) const {
    std::vector<PromSample> out;
    for (const PromSample& s : samples) {
      if (s.name != name) continue;
      bool all = true;
      for (const auto& [k, v] : subset) {
        auto it = s.labels.find(k);
        all = all && it != s.labels.end() && it->second == v;
      }
      if (all) out.push_back(s);
    }
    return out;
  }
};

inline bool IsMetricNameChar(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         (!first && c >= '0' && c <= '9');
}

// The family a sample belongs to: histogram samples drop _bucket, _sum and _count.
inline std::string PromFamily(const std::string& name, const std::map<std::string, std::string>& types) {
  for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      const std::string base = name.substr(0, name.size() - suffix.size());
      auto it = types.find(base);
      if (it != types.end() && it->second == "histogram") return base;
    }
  }
  return name;
}

inline PromText ParsePromText(std::string_view text) {
  PromText out;
  int line_no = 0;
  if (!text.empty() && text.back() != '\n') out.errors.push_back("no final newline");
  while (!text.empty()) {
    ++line_no;
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    auto error = [&](const std::string& what) {
      out.errors.push_back("line " + std::to_string(line_no) + ": " + what + ": " + std::string(line));
    };
    if (line.empty()) continue;
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      const std::string_view rest = line.substr(7);
      const std::size_t sp = rest.find(' ');
      if (sp == std::string_view::npos || sp == 0) {
        error("comment without a name and text");
        continue;
      }
      const std::string name(rest.substr(0, sp));
      if (line[2] == 'H') {
        if (!out.helps.insert(name).second) error("second HELP");
      } else {
        const std::string type(rest.substr(sp + 1));
        if (type != "counter" && type != "gauge" && type != "histogram" && type != "summary" &&
            type != "untyped") {
          error("unknown type");
        }
        if (!out.types.emplace(name, type).second) error("second TYPE");
      }
      continue;
    }
    if (line.front() == '#') continue;
    PromSample s;
    std::size_t i = 0;
    while (i < line.size() && IsMetricNameChar(line[i], i == 0)) ++i;
    s.name = std::string(line.substr(0, i));
    if (s.name.empty()) {
      error("no metric name");
      continue;
    }
    bool ok = true;
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (ok && i < line.size() && line[i] != '}') {
        std::size_t k = i;
        while (k < line.size() && IsMetricNameChar(line[k], k == i)) ++k;
        const std::string key(line.substr(i, k - i));
        if (key.empty() || k + 1 >= line.size() || line[k] != '=' || line[k + 1] != '"') {
          ok = false;
          break;
        }
        i = k + 2;
        std::string value;
        while (i < line.size() && line[i] != '"') {
          if (line[i] == '\\') {
            if (i + 1 >= line.size()) { ok = false; break; }
            const char e = line[i + 1];
            if (e == 'n') value += '\n';
            else if (e == '\\' || e == '"') value += e;
            else { ok = false; break; }
            i += 2;
          } else {
            value += line[i++];
          }
        }
        if (!ok || i >= line.size()) { ok = false; break; }
        ++i;  // closing quote
        if (!s.labels.emplace(key, value).second) ok = false;
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (!ok || i >= line.size() || line[i] != '}') {
        error("bad label set");
        continue;
      }
      ++i;
    }
    if (i >= line.size() || line[i] != ' ') {
      error("no space before the value");
      continue;
    }
    const std::string value(line.substr(i + 1));
    char* end = nullptr;
    s.value = value == "+Inf" ? 1e308 : std::strtod(value.c_str(), &end);
    if (value != "+Inf" && (value.empty() || end != value.c_str() + value.size())) {
      error("bad value");
      continue;
    }
    const std::string family = PromFamily(s.name, out.types);
    if (!out.types.count(family)) error("sample before its TYPE line");
    out.samples.push_back(std::move(s));
  }
  return out;
}

}  // namespace afori::testing
