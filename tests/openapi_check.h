// A JSON Schema checker for the subset OpenAPI 3.0 schemas use, for testing searchd's responses
// against docs/openapi.json. Keywords: type, nullable, enum, properties, required,
// additionalProperties (bool or schema), items, minItems/maxItems, minimum/maximum (with the
// 3.0 boolean exclusiveMinimum/exclusiveMaximum), minLength/maxLength (in code points),
// pattern (std::regex ECMAScript, unanchored like JSON Schema), format "date", oneOf/anyOf/
// allOf and local $ref ("#/components/schemas/..."; siblings of $ref are ignored, as in 3.0).
// Unknown keywords (description, default, example, ...) are ignored.
//
// Deliberately strict where a test wants it: "integer" accepts only JSON integers (2.0 is a
// number, not an integer), so a count serialised from a double is caught.
// Key order is not checked: nlohmann::json does not keep it.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace afori::testing {

class OpenApiCheck {
 public:
  using json = nlohmann::json;

  explicit OpenApiCheck(json spec) : spec_(std::move(spec)) {}

  // Reads and parses the document at `path`; throws std::runtime_error naming the file.
  static OpenApiCheck Load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open OpenAPI document " + path);
    try {
      return OpenApiCheck(json::parse(in));
    } catch (const json::exception& e) {
      throw std::runtime_error("invalid JSON in OpenAPI document " + path + ": " + e.what());
    }
  }

  const json& Spec() const { return spec_; }

  // `node` itself, or what its $ref (chain) points to; throws if a reference does not resolve.
  const json& Resolve(const json& node) const {
    const json* resolved = TryResolve(node);
    if (!resolved) throw std::runtime_error("unresolved $ref " + node.value("$ref", std::string()));
    return *resolved;
  }

  // The schema of the application/json response of `method` `path_template` with `status`
  // (exact code, then "4XX"-style range, then "default"), references resolved.
  const json& ResponseSchema(const std::string& method, const std::string& path_template,
                             int status) const {
    const std::string what = Lower(method) + " " + path_template;
    const json* op = Child(Child(Child(&spec_, "paths"), path_template), Lower(method));
    if (!op) throw std::runtime_error("no operation " + what + " in the OpenAPI document");
    const json* responses = Child(op, "responses");
    const json* response = nullptr;
    for (const std::string& key :
         {std::to_string(status), std::to_string(status / 100) + "XX", std::string("default")}) {
      if ((response = Child(responses, key))) break;
    }
    if (!response) {
      throw std::runtime_error("no response " + std::to_string(status) + " for " + what);
    }
    const json* schema =
        Child(Child(Child(TryResolve(*response), "content"), "application/json"), "schema");
    if (!schema) {
      throw std::runtime_error("response " + std::to_string(status) + " of " + what +
                               " has no application/json schema");
    }
    return Resolve(*schema);
  }

  // Every violation of `schema` by `value`, each "json/pointer: what is wrong" (the root is
  // shown as "(root)"); empty when `value` is valid.
  std::vector<std::string> Violations(const json& value, const json& schema) const {
    std::vector<std::string> out;
    Check(value, schema, "", 0, out);
    return out;
  }

  std::vector<std::string> CheckResponse(const std::string& method,
                                         const std::string& path_template, int status,
                                         const json& body) const {
    return Violations(body, ResponseSchema(method, path_template, status));
  }

  // Structural checks of the document: openapi "3.0.x", info.title/version, operations with
  // responses (each with a description), parameters with name/in/schema and path parameters
  // matching the template, unique operationIds, every $ref resolving (and without siblings,
  // which 3.0 ignores), patterns compiling, and closed objects requiring only keys they
  // declare. Each violation names its JSON pointer.
  std::vector<std::string> ValidateDocument() const {
    std::vector<std::string> out;
    const json* version = Child(&spec_, "openapi");
    if (!version || !version->is_string() || version->get<std::string>().rfind("3.0.", 0) != 0) {
      out.push_back("/openapi: must be a string \"3.0.x\"");
    }
    for (const char* key : {"title", "version"}) {
      const json* v = Child(Child(&spec_, "info"), key);
      if (!v || !v->is_string() || v->get<std::string>().empty()) {
        out.push_back(std::string("/info/") + key + ": must be a non-empty string");
      }
    }
    const json* paths = Child(&spec_, "paths");
    if (!paths || !paths->is_object() || paths->empty()) {
      out.push_back("/paths: must be a non-empty object");
    } else {
      std::set<std::string> operation_ids;
      for (const auto& [path, item] : paths->items()) {
        CheckPathItem(path, item, operation_ids, out);
      }
    }
    WalkDocument(spec_, "", out);
    return out;
  }

 private:
  static std::string Lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }
  static const json* Child(const json* node, const std::string& key) {
    if (!node || !node->is_object()) return nullptr;
    auto it = node->find(key);
    return it == node->end() ? nullptr : &*it;
  }
  static std::string Escape(const std::string& key) {
    std::string out;
    for (char c : key) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
    return out;
  }
  static std::string Where(const std::string& pointer) {
    return pointer.empty() ? "(root)" : pointer;
  }
  static std::string Short(const json& v) {
    std::string s = v.dump();
    return s.size() > 60 ? s.substr(0, 57) + "..." : s;
  }
  static std::string TypeName(const json& v) {
    if (v.is_number_integer()) return "integer";
    if (v.is_number()) return "number";
    return v.type_name();  // "null", "boolean", "string", "array", "object"
  }

  // The target of a "#/..." reference, or nullptr.
  const json* Target(const std::string& ref) const {
    if (ref.empty() || ref[0] != '#') return nullptr;
    try {
      const json::json_pointer pointer(ref.substr(1));
      return spec_.contains(pointer) ? &spec_.at(pointer) : nullptr;
    } catch (const json::exception&) {
      return nullptr;
    }
  }
  const json* TryResolve(const json& node) const {
    const json* current = &node;
    for (int hops = 0; hops < 32; ++hops) {
      const json* ref = Child(current, "$ref");
      if (!ref) return current;
      if (!ref->is_string() || !(current = Target(ref->get<std::string>()))) return nullptr;
    }
    return nullptr;  // a reference cycle
  }

  static bool IsDate(const std::string& s) {
    static const std::regex shape("^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
    if (!std::regex_match(s, shape)) return false;
    const int year = std::stoi(s.substr(0, 4)), month = std::stoi(s.substr(5, 2)),
              day = std::stoi(s.substr(8, 2));
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1) return false;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  }
  static size_t CodePoints(const std::string& s) {
    return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
  }
  static bool TypeMatches(const json& v, const std::string& type) {
    return type == "integer" ? v.is_number_integer() : type == "number" ? v.is_number()
                                                                       : v.type_name() == type;
  }

  // Checks each branch of a oneOf/anyOf; returns how many matched and one line per failure.
  int CountMatches(const json& v, const json& branches, const std::string& pointer, int depth,
                   std::string& detail) const {
    int matches = 0;
    for (size_t i = 0; i < branches.size(); ++i) {
      std::vector<std::string> sub;
      Check(v, branches[i], pointer, depth + 1, sub);
      if (sub.empty()) ++matches;
      else detail += (detail.empty() ? "#" : "; #") + std::to_string(i) + " " + sub.front();
    }
    return matches;
  }

  void Check(const json& v, const json& s, const std::string& pointer, int depth,
             std::vector<std::string>& out) const {
    auto fail = [&](const std::string& what) { out.push_back(Where(pointer) + ": " + what); };
    if (depth > 64) return fail("schema nested too deeply (a $ref cycle?)");
    if (!s.is_object()) return fail("invalid schema " + Short(s));
    if (const json* ref = Child(&s, "$ref")) {
      const json* target = ref->is_string() ? Target(ref->get<std::string>()) : nullptr;
      if (!target) return fail("unresolved $ref " + Short(*ref));
      return Check(v, *target, pointer, depth + 1, out);
    }
    if (v.is_null() && s.value("nullable", false)) return;
    auto count_bounds = [&](size_t n, const char* min, const char* below, const char* max,
                            const char* above) {
      const json* lo = Child(&s, min);
      const json* hi = Child(&s, max);
      const auto count = static_cast<long long>(n);
      if (lo && lo->is_number_integer() && count < lo->get<long long>()) {
        fail(std::string(below) + " " + min + " " + lo->dump());
      }
      if (hi && hi->is_number_integer() && count > hi->get<long long>()) {
        fail(std::string(above) + " " + max + " " + hi->dump());
      }
    };

    if (const json* all = Child(&s, "allOf"); all && all->is_array()) {
      for (const json& branch : *all) Check(v, branch, pointer, depth + 1, out);
    }
    if (const json* any = Child(&s, "anyOf"); any && any->is_array()) {
      std::string detail;
      if (CountMatches(v, *any, pointer, depth, detail) == 0) {
        fail("matches none of the anyOf schemas (" + detail + ")");
      }
    }
    if (const json* one = Child(&s, "oneOf"); one && one->is_array()) {
      std::string detail;
      const int matches = CountMatches(v, *one, pointer, depth, detail);
      if (matches == 0) fail("matches none of the oneOf schemas (" + detail + ")");
      if (matches > 1) {
        fail("matches " + std::to_string(matches) + " of the oneOf schemas, not exactly one");
      }
    }
    if (const json* type = Child(&s, "type")) {
      if (!type->is_string()) return fail("invalid schema type " + Short(*type));
      if (!TypeMatches(v, type->get<std::string>())) {
        return fail("expected " + type->get<std::string>() + ", got " + TypeName(v));
      }
    }
    if (const json* values = Child(&s, "enum"); values && values->is_array()) {
      if (std::find(values->begin(), values->end(), v) == values->end()) {
        fail(Short(v) + " is not one of " + Short(*values));
      }
    }

    if (v.is_string()) {
      const std::string& text = v.get_ref<const std::string&>();
      count_bounds(CodePoints(text), "minLength", "shorter than", "maxLength", "longer than");
      if (const json* p = Child(&s, "pattern"); p && p->is_string()) {
        try {
          if (!std::regex_search(text, std::regex(p->get<std::string>()))) {
            fail(Short(v) + " does not match pattern " + p->dump());
          }
        } catch (const std::regex_error&) {
          fail("invalid pattern " + p->dump());
        }
      }
      if (s.value("format", std::string()) == "date" && !IsDate(text)) {
        fail(Short(v) + " is not a date YYYY-MM-DD");
      }
    }
    if (v.is_number()) {
      const double x = v.get<double>();
      if (const json* n = Child(&s, "minimum"); n && n->is_number()) {
        const bool exclusive = s.value("exclusiveMinimum", false);
        if (exclusive ? x <= n->get<double>() : x < n->get<double>()) {
          fail(Short(v) + " is below the minimum " + n->dump());
        }
      }
      if (const json* n = Child(&s, "maximum"); n && n->is_number()) {
        const bool exclusive = s.value("exclusiveMaximum", false);
        if (exclusive ? x >= n->get<double>() : x > n->get<double>()) {
          fail(Short(v) + " is above the maximum " + n->dump());
        }
      }
    }
    if (v.is_array()) {
      count_bounds(v.size(), "minItems", "fewer items than", "maxItems", "more items than");
      if (const json* items = Child(&s, "items")) {
        for (size_t i = 0; i < v.size(); ++i) {
          Check(v[i], *items, pointer + "/" + std::to_string(i), depth + 1, out);
        }
      }
    }
    if (v.is_object()) {
      if (const json* required = Child(&s, "required"); required && required->is_array()) {
        for (const json& key : *required) {
          if (key.is_string() && !v.contains(key.get<std::string>())) {
            fail("missing required key '" + key.get<std::string>() + "'");
          }
        }
      }
      const json* properties = Child(&s, "properties");
      const json* additional = Child(&s, "additionalProperties");
      for (const auto& [key, child] : v.items()) {
        const std::string child_pointer = pointer + "/" + Escape(key);
        if (const json* property = Child(properties, key)) {
          Check(child, *property, child_pointer, depth + 1, out);
        } else if (additional && additional->is_boolean() && !additional->get<bool>()) {
          fail("unexpected key '" + key + "'");
        } else if (additional && additional->is_object()) {
          Check(child, *additional, child_pointer, depth + 1, out);
        }
      }
    }
  }

  void CheckParameter(const json& raw, const std::string& pointer,
                      std::set<std::string>& path_params, std::vector<std::string>& out) const {
    const json* p = TryResolve(raw);
    if (!p) return;  // reported by WalkDocument
    const json* name = Child(p, "name");
    const json* in = Child(p, "in");
    if (!name || !name->is_string() || name->get<std::string>().empty()) {
      out.push_back(pointer + ": parameter without a name");
    }
    static const std::set<std::string> kIn = {"query", "header", "path", "cookie"};
    if (!in || !in->is_string() || !kIn.count(in->get<std::string>())) {
      out.push_back(pointer + ": parameter 'in' must be query, header, path or cookie");
    }
    if (!Child(p, "schema") && !Child(p, "content")) {
      out.push_back(pointer + ": parameter without a schema");
    }
    if (in && *in == "path" && name && name->is_string()) {
      if (!p->value("required", false)) out.push_back(pointer + ": path parameter not required");
      path_params.insert(name->get<std::string>());
    }
  }

  void CheckPathItem(const std::string& path, const json& item, std::set<std::string>& ids,
                     std::vector<std::string>& out) const {
    static const std::set<std::string> kMethods = {"get",  "put",     "post",  "delete",
                                                   "head", "options", "patch", "trace"};
    static const std::set<std::string> kOther = {"parameters", "summary", "description",
                                                 "servers", "$ref"};
    const std::string where = "/paths/" + Escape(path);
    if (path.empty() || path[0] != '/') out.push_back(where + ": path must start with '/'");
    if (!item.is_object()) return out.push_back(where + ": path item must be an object");
    std::set<std::string> declared;  // path parameters declared on the path item
    if (const json* params = Child(&item, "parameters"); params && params->is_array()) {
      for (size_t i = 0; i < params->size(); ++i) {
        CheckParameter((*params)[i], where + "/parameters/" + std::to_string(i), declared, out);
      }
    }
    std::set<std::string> in_template;
    static const std::regex kVariable(R"(\{([^{}]+)\})");
    for (std::sregex_iterator it(path.begin(), path.end(), kVariable), end; it != end; ++it)
      in_template.insert((*it)[1]);
    for (const auto& [key, op] : item.items()) {
      if (!kMethods.count(key)) {
        if (!kOther.count(key)) out.push_back(where + ": unknown key '" + key + "'");
        continue;
      }
      const std::string op_where = where + "/" + key;
      std::set<std::string> path_params = declared;
      if (const json* params = Child(&op, "parameters"); params && params->is_array()) {
        for (size_t i = 0; i < params->size(); ++i) {
          CheckParameter((*params)[i], op_where + "/parameters/" + std::to_string(i),
                         path_params, out);
        }
      }
      if (path_params != in_template) {
        out.push_back(op_where + ": path parameters do not match the template " + path);
      }
      if (const json* id = Child(&op, "operationId"); id && !ids.insert(id->dump()).second) {
        out.push_back(op_where + ": duplicate operationId " + id->dump());
      }
      const json* responses = Child(&op, "responses");
      if (!responses || !responses->is_object() || responses->empty()) {
        out.push_back(op_where + ": operation without responses");
        continue;
      }
      for (const auto& [status, raw] : responses->items()) {
        const json* response = TryResolve(raw);
        if (response && !Child(response, "description")) {
          out.push_back(op_where + "/responses/" + status + ": response without a description");
        }
      }
    }
  }

  // Every $ref resolves, every pattern compiles, and a closed object's required keys are
  // among its properties (otherwise no value could be valid).
  void WalkDocument(const json& node, const std::string& pointer,
                    std::vector<std::string>& out) const {
    if (node.is_array()) {
      for (size_t i = 0; i < node.size(); ++i) {
        WalkDocument(node[i], pointer + "/" + std::to_string(i), out);
      }
      return;
    }
    if (!node.is_object()) return;
    if (const json* ref = Child(&node, "$ref"); ref && ref->is_string()) {
      if (!TryResolve(node)) out.push_back(pointer + ": unresolved $ref " + ref->dump());
      if (node.size() > 1) out.push_back(pointer + ": keys beside $ref are ignored in 3.0");
    }
    if (const json* p = Child(&node, "pattern"); p && p->is_string()) {
      try {
        std::regex compiled(p->get<std::string>());
      } catch (const std::regex_error&) {
        out.push_back(pointer + ": invalid pattern " + p->dump());
      }
    }
    const json* required = Child(&node, "required");
    const json* additional = Child(&node, "additionalProperties");
    if (required && required->is_array() && additional && *additional == false) {
      for (const json& key : *required) {
        if (!key.is_string() || !Child(Child(&node, "properties"), key.get<std::string>())) {
          out.push_back(pointer + ": required key " + key.dump() + " is not a property");
        }
      }
    }
    for (const auto& [key, child] : node.items()) {
      WalkDocument(child, pointer + "/" + Escape(key), out);
    }
  }

  json spec_;
};

}  // namespace afori::testing
