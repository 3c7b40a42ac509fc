#include "searchd/meili_filter.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace afori::searchd {
namespace {

using nlohmann::json;
using Kind = FilterExpression::Kind;

// The filter is tokenized in full first: tokens are few (the input is bounded by the caller),
// and the parser can then look one or two tokens ahead without a lexer state machine.
// A kWord may be a keyword, a kQuoted never is; kOperator is = != < <= > >=.
enum class TokenType {
  kWord, kQuoted, kOperator, kOpenParen, kCloseParen, kOpenBracket, kCloseBracket, kComma, kEnd
};
constexpr std::string_view kPunctuation = "()[],";
constexpr TokenType kPunctuationTypes[] = {TokenType::kOpenParen, TokenType::kCloseParen,
                                           TokenType::kOpenBracket, TokenType::kCloseBracket,
                                           TokenType::kComma};

struct Token {
  TokenType type = TokenType::kEnd;
  std::string text;        // the word, the unescaped string, or the operator
  std::string_view raw;    // as written, for messages
  std::size_t offset = 0;  // in bytes
};

constexpr std::string_view kSpecial = "=!<>()[],\"'";

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != b[i]) return false;  // b is an upper-case keyword
  }
  return true;
}

bool IsKeyword(const Token& token, std::string_view keyword) {
  return token.type == TokenType::kWord && EqualsIgnoreCase(token.text, keyword);
}

// Words that would make `a = AND ...` ambiguous to a reader; Meilisearch refuses them too.
bool IsReservedValue(const Token& token) {
  return IsKeyword(token, "AND") || IsKeyword(token, "OR") || IsKeyword(token, "NOT") ||
         IsKeyword(token, "TO");
}

bool IsGeoFunction(std::string_view name) {
  return name == "_geoRadius" || name == "_geoBoundingBox" || name == "_geoPolygon";
}

// Columns count characters, so a client pointing at "ä" is not two off: UTF-8 continuation
// bytes are skipped.
std::size_t Column(std::string_view text, std::size_t offset) {
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

// A token as the message quotes it. Long ones are cut on a character boundary, and invalid
// UTF-8 (a GET query string can carry any bytes) becomes U+FFFD: the message ends up in a
// JSON error body, and nlohmann::json::dump() throws on invalid UTF-8.
std::string Describe(const Token& token) {
  constexpr std::size_t kMaxShown = 40;
  std::string_view shown = token.raw;
  std::string more;
  if (shown.size() > kMaxShown) {
    std::size_t cut = kMaxShown;
    while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
    shown = shown.substr(0, cut);
    more = "...";
  }
  const std::string dumped =
      json(std::string(shown)).dump(-1, ' ', false, json::error_handler_t::replace);
  return "`" + json::parse(dumped).get<std::string>() + more + "`";
}

std::string Found(const Token& token) {
  return token.type == TokenType::kEnd ? "" : ", found " + Describe(token);
}

FilterExpression Leaf(FilterCondition condition) {
  FilterExpression e;
  e.condition = std::move(condition);
  return e;
}

FilterExpression Not(FilterExpression inner) {
  FilterExpression e;
  e.kind = Kind::kNot;
  e.children.push_back(std::move(inner));
  return e;
}

// One term stays itself; a term of the same kind is spliced in (its own children already are
// flattened, so one level suffices).
FilterExpression Combine(Kind kind, std::vector<FilterExpression> terms) {
  if (terms.size() == 1) return std::move(terms.front());
  FilterExpression node;
  node.kind = kind;
  for (FilterExpression& term : terms) {
    if (term.kind == kind) {
      for (FilterExpression& child : term.children) node.children.push_back(std::move(child));
    } else {
      node.children.push_back(std::move(term));
    }
  }
  return node;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  // nullopt for a filter with nothing but whitespace.
  Status Parse(std::optional<FilterExpression>* out) {
    if (Status s = Tokenize(); !s.ok()) return s;
    if (Peek().type == TokenType::kEnd) return Status::Ok();
    FilterExpression e;
    if (Status s = ParseBinary(Kind::kOr, 0, &e); !s.ok()) return s;
    const Token& rest = Peek();
    if (rest.type == TokenType::kCloseParen) return Fail("unexpected `)`", rest);
    if (rest.type != TokenType::kEnd) {
      return Fail("unexpected " + Describe(rest), rest,
                  "; conditions must be joined with AND or OR");
    }
    *out = std::move(e);
    return Status::Ok();
  }

 private:
  Status Fail(const std::string& problem, std::size_t offset, const std::string& detail = "") {
    return Status::InvalidArgument("filter: " + problem + " at column " +
                                   std::to_string(Column(text_, offset)) + detail);
  }
  Status Fail(const std::string& problem, const Token& at, const std::string& detail = "") {
    return Fail(problem, at.offset, detail);
  }

  Status Tokenize() {
    std::size_t i = 0;
    while (true) {
      while (i < text_.size() && IsSpace(text_[i])) ++i;
      Token token;
      token.offset = i;
      if (i == text_.size()) {
        tokens_.push_back(std::move(token));
        return Status::Ok();
      }
      const char c = text_[i];
      std::size_t end = i + 1;
      if (c == '"' || c == '\'') {
        token.type = TokenType::kQuoted;
        for (; end < text_.size() && text_[end] != c; ++end) {
          const char next = end + 1 < text_.size() ? text_[end + 1] : '\0';
          if (text_[end] == '\\' && (next == '\\' || next == '"' || next == '\'')) ++end;
          token.text += text_[end];
        }
        if (end == text_.size()) return Fail("unclosed quote starting", i);
        ++end;  // the closing quote
      } else if (c == '=' || c == '!' || c == '<' || c == '>') {
        if (c != '=' && end < text_.size() && text_[end] == '=') ++end;
        if (c == '!' && end == i + 1) return Fail("unexpected `!`", i, "; not equal is `!=`");
        token.type = TokenType::kOperator;
      } else if (kPunctuation.find(c) != std::string_view::npos) {
        token.type = kPunctuationTypes[kPunctuation.find(c)];
      } else {
        while (end < text_.size() && !IsSpace(text_[end]) &&
               kSpecial.find(text_[end]) == std::string_view::npos) {
          ++end;
        }
        token.type = TokenType::kWord;
      }
      token.raw = text_.substr(i, end - i);
      if (token.type != TokenType::kQuoted) token.text = std::string(token.raw);
      tokens_.push_back(std::move(token));
      i = end;
    }
  }

  // The end token is last and is never consumed, so lookahead cannot run off the vector.
  const Token& Peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& Next() {
    const Token& token = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return token;
  }

  // OR binds loosest, then AND; each is a flat list of terms of the next tighter level.
  Status ParseBinary(Kind kind, int depth, FilterExpression* out) {
    const std::string_view keyword = kind == Kind::kOr ? "OR" : "AND";
    std::vector<FilterExpression> terms;
    while (true) {
      terms.emplace_back();
      Status s = kind == Kind::kOr ? ParseBinary(Kind::kAnd, depth, &terms.back())
                                   : ParseUnary(depth, &terms.back());
      if (!s.ok()) return s;
      if (!IsKeyword(Peek(), keyword)) break;
      Next();
    }
    *out = Combine(kind, std::move(terms));
    return Status::Ok();
  }

  // NOT, a parenthesized expression, or a condition. `depth` counts the enclosing NOTs and
  // parentheses, the only recursion the input controls.
  Status ParseUnary(int depth, FilterExpression* out) {
    const Token& token = Peek();
    const bool is_not = IsKeyword(token, "NOT");
    if (is_not || token.type == TokenType::kOpenParen) {
      if (depth >= kMaxMeiliFilterDepth) {
        return Fail("nesting deeper than " + std::to_string(kMaxMeiliFilterDepth) + " levels",
                    token);
      }
      Next();
    }
    if (is_not) {
      FilterExpression inner;
      if (Status s = ParseUnary(depth + 1, &inner); !s.ok()) return s;
      *out = Not(std::move(inner));
      return Status::Ok();
    }
    if (token.type == TokenType::kOpenParen) {
      if (Status s = ParseBinary(Kind::kOr, depth + 1, out); !s.ok()) return s;
      const Token& close = Next();
      if (close.type == TokenType::kEnd) return Fail("unclosed `(` starting", token);
      if (close.type != TokenType::kCloseParen) {
        return Fail("unexpected " + Describe(close), close, "; expected AND, OR or `)`");
      }
      return Status::Ok();
    }
    if ((token.type != TokenType::kWord && token.type != TokenType::kQuoted) ||
        IsKeyword(token, "AND") || IsKeyword(token, "OR")) {
      return Fail("expected a condition", token, Found(token));
    }
    return ParseCondition(out);
  }

  Status ParseValue(const std::string& context, std::string* out) {
    const Token& token = Peek();
    if (token.type == TokenType::kWord && IsReservedValue(token)) {
      return Fail(Describe(token) + " is a keyword, not a value,", token,
                  "; quote it (\"" + token.text + "\") to mean the word");
    }
    if (token.type != TokenType::kWord && token.type != TokenType::kQuoted) {
      return Fail("expected a value " + context, token, Found(token));
    }
    *out = Next().text;
    return Status::Ok();
  }

  // Comma-separated items from the opening token (the next one) to `close`; a trailing comma
  // is allowed. Every item consumes a token or fails, so this always ends.
  template <typename ParseItem>
  Status ParseSeparated(TokenType close, const std::string& context, ParseItem parse_item) {
    const Token& open = Next();
    const bool bracket = close == TokenType::kCloseBracket;
    while (Peek().type != close && Peek().type != TokenType::kEnd) {
      if (Status s = parse_item(); !s.ok()) return s;
      const Token& separator = Peek();
      if (separator.type == TokenType::kComma) {
        Next();
      } else if (separator.type != close && separator.type != TokenType::kEnd) {
        return Fail(std::string("expected `,` or ") + (bracket ? "`]` " : "`)` ") + context,
                    separator, Found(separator));
      }
    }
    if (Next().type == TokenType::kEnd) {
      return Fail(bracket ? "unclosed `[` starting" : "unclosed `(` starting", open);
    }
    return Status::Ok();
  }

  Status ParseValueList(const std::string& context, std::vector<std::string>* values) {
    return ParseSeparated(TokenType::kCloseBracket, context, [&] {
      values->emplace_back();
      return ParseValue(context, &values->back());
    });
  }

  Status ParseCondition(FilterExpression* out) {
    const Token& attribute = Next();
    if (attribute.type == TokenType::kWord && Peek().type == TokenType::kOpenParen) {
      if (IsGeoFunction(attribute.text)) return ParseGeo(attribute, out);
      return Fail("unknown function " + Describe(attribute), attribute,
                  "; the filter functions are _geoRadius, _geoBoundingBox and _geoPolygon");
    }
    if (attribute.text.empty()) return Fail("empty attribute name", attribute);
    FilterCondition condition;
    condition.attribute = attribute.text;
    const Token& op = Peek();
    if (op.type == TokenType::kOperator) {
      Next();
      condition.op = op.text == "="    ? FilterOperator::kEqual
                     : op.text == "!=" ? FilterOperator::kNotEqual
                     : op.text == "<"  ? FilterOperator::kLess
                     : op.text == "<=" ? FilterOperator::kLessEqual
                     : op.text == ">"  ? FilterOperator::kGreater
                                       : FilterOperator::kGreaterEqual;
      condition.values.emplace_back();
      Status s = ParseValue("after `" + op.text + "`", &condition.values.back());
      if (!s.ok()) return s;
      *out = Leaf(std::move(condition));
      return Status::Ok();
    }
    // The negated forms (NOT IN, NOT EXISTS, IS NOT ...) wrap the positive condition.
    const bool is = IsKeyword(op, "IS");
    if (is) Next();
    const bool negate = IsKeyword(Peek(), "NOT");
    if (negate) Next();
    const Token& keyword = Peek();
    if (is) {
      if (!IsKeyword(keyword, "NULL") && !IsKeyword(keyword, "EMPTY")) {
        return Fail(negate ? "expected NULL or EMPTY after IS NOT"
                           : "expected NULL, EMPTY or NOT after IS",
                    keyword, Found(keyword));
      }
      condition.op = IsKeyword(keyword, "NULL") ? FilterOperator::kIsNull
                                                : FilterOperator::kIsEmpty;
      Next();
    } else if (IsKeyword(keyword, "CONTAINS")) {
      // Recognised so the client learns why, instead of "expected an operator".
      return Fail("the CONTAINS operator is not supported", keyword);
    } else if (IsKeyword(keyword, "STARTS") && IsKeyword(Peek(1), "WITH")) {
      return Fail("the STARTS WITH operator is not supported", keyword);
    } else if (IsKeyword(keyword, "EXISTS")) {
      condition.op = FilterOperator::kExists;
      Next();
    } else if (IsKeyword(keyword, "IN")) {
      Next();
      const Token& open = Peek();
      if (open.type != TokenType::kOpenBracket) {
        return Fail("expected `[` after IN", open, Found(open));
      }
      condition.op = FilterOperator::kIn;
      if (Status s = ParseValueList("in the IN list", &condition.values); !s.ok()) return s;
      if (condition.values.empty()) return Fail("empty IN list", open);
    } else if (negate) {
      return Fail("expected IN or EXISTS after NOT", keyword, Found(keyword));
    } else if (Status s = ParseRange(attribute, &condition); !s.ok()) {
      return s;
    }
    *out = negate ? Not(Leaf(std::move(condition))) : Leaf(std::move(condition));
    return Status::Ok();
  }

  // `attribute from TO to`: the token after the attribute is the lower bound.
  Status ParseRange(const Token& attribute, FilterCondition* condition) {
    const Token& from = Peek();
    if (IsKeyword(from, "TO")) return Fail("expected a value before TO", from);
    const bool is_value = (from.type == TokenType::kWord && !IsReservedValue(from)) ||
                          from.type == TokenType::kQuoted;
    if (!is_value || !IsKeyword(Peek(1), "TO")) {
      return Fail("expected an operator (=, !=, <, <=, >, >=, TO, IN, EXISTS, IS, NOT) after " +
                      Describe(attribute),
                  from, Found(from));
    }
    condition->op = FilterOperator::kRange;
    condition->values.push_back(Next().text);
    Next();  // TO
    condition->values.emplace_back();
    return ParseValue("after TO", &condition->values.back());
  }

  // The arguments are checked for shape only; whether geo filters work is the core's call.
  Status ParseGeo(const Token& name, FilterExpression* out) {
    FilterCondition condition;
    condition.attribute = name.text;
    condition.op = FilterOperator::kGeo;
    std::string shape;  // per argument: v a value, p a [latitude, longitude] point, ? other
    const std::string context = "in " + name.text + "(...)";
    std::vector<std::string>& values = condition.values;
    Status s = ParseSeparated(TokenType::kCloseParen, context, [&]() -> Status {
      const std::size_t before = values.size();
      if (Peek().type == TokenType::kOpenBracket) {
        Status point = ParseValueList(context, &values);
        shape += values.size() - before == 2 ? 'p' : '?';
        return point;
      }
      shape += 'v';
      values.emplace_back();
      return ParseValue(context, &values.back());
    });
    if (!s.ok()) return s;
    const bool radius = name.text == "_geoRadius", box = name.text == "_geoBoundingBox";
    if (radius ? shape != "vvv"
               : box ? shape != "pp"
                     : shape.size() < 3 || shape.find_first_not_of('p') != std::string::npos) {
      return Fail("wrong arguments to " + name.text, name,
                  radius ? "; it takes three numbers: _geoRadius(latitude, longitude, distance)"
                  : box  ? "; it takes two points: "
                           "_geoBoundingBox([latitude, longitude], [latitude, longitude])"
                         : "; it takes three or more points: "
                           "_geoPolygon([latitude, longitude], ...)");
    }
    *out = Leaf(std::move(condition));
    return Status::Ok();
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
};

// "a number", "an object", for messages about the JSON form.
std::string TypeName(const json& value) {
  const std::string name = value.type_name();
  if (value.is_null()) return name;
  return (value.is_object() || value.is_array() ? "an " : "a ") + name;
}

// "filter: problem" -> "filter: element 2: problem".
Status InElement(const Status& status, const std::string& where) {
  constexpr std::string_view kPrefix = "filter: ";
  std::string message = status.message();
  message.insert(kPrefix.size(), where + ": ");
  return Status::InvalidArgument(std::move(message));
}

}  // namespace

Result<FilterExpression> ParseMeiliFilter(std::string_view text) {
  std::optional<FilterExpression> e;
  if (Status s = Parser(text).Parse(&e); !s.ok()) return s;
  if (!e) return Status::InvalidArgument("filter: the filter is empty");
  return std::move(*e);
}

Result<std::optional<FilterExpression>> MeiliFilterFromJson(const json& filter) {
  using Optional = std::optional<FilterExpression>;
  if (filter.is_null()) return Optional();
  if (filter.is_string()) {
    Optional e;
    if (Status s = Parser(filter.get_ref<const std::string&>()).Parse(&e); !s.ok()) return s;
    return e;
  }
  if (!filter.is_array()) {
    return Status::InvalidArgument("filter: must be a string or an array, found " +
                                   TypeName(filter));
  }
  // Parses one string of the array into `terms`, unless it is blank.
  auto parse_into = [](const json& text, const std::string& where,
                       std::vector<FilterExpression>* terms) {
    Optional e;
    Status s = Parser(text.get_ref<const std::string&>()).Parse(&e);
    if (!s.ok()) return InElement(s, where);
    if (e) terms->push_back(std::move(*e));
    return Status::Ok();
  };
  std::vector<FilterExpression> members;
  for (std::size_t i = 0; i < filter.size(); ++i) {
    const json& element = filter[i];
    const std::string where = "element " + std::to_string(i + 1);
    if (element.is_string()) {
      if (Status s = parse_into(element, where, &members); !s.ok()) return s;
      continue;
    }
    const std::string shape = "filter: " + where + " must be a string or an array of strings";
    if (!element.is_array()) return Status::InvalidArgument(shape + ", found " + TypeName(element));
    std::vector<FilterExpression> alternatives;
    for (std::size_t j = 0; j < element.size(); ++j) {
      const std::string item = std::to_string(j + 1);
      if (!element[j].is_string()) {
        return Status::InvalidArgument(shape + ", but its item " + item + " is " +
                                       TypeName(element[j]));
      }
      Status s = parse_into(element[j], where + ", item " + item, &alternatives);
      if (!s.ok()) return s;
    }
    if (!alternatives.empty()) members.push_back(Combine(Kind::kOr, std::move(alternatives)));
  }
  if (members.empty()) return Optional();
  return Optional(Combine(Kind::kAnd, std::move(members)));
}

}  // namespace afori::searchd
