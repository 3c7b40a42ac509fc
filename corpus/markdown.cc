#include "corpus/markdown.h"

#include <cctype>

namespace afori::corpus {
namespace {

std::string_view StripLineMarkers(std::string_view line) {
  std::size_t i = line.find_first_not_of(" \t");
  if (i == std::string_view::npos) return {};
  line.remove_prefix(i);
  // Block quotes and headings: "> ", "## ".
  while (!line.empty() && (line[0] == '>' || line[0] == '#')) {
    line.remove_prefix(1);
  }
  // Bullets: "- ", "* ", "+ "; numbered items: "12. ".
  if (line.size() >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ') {
    line.remove_prefix(2);
  } else {
    std::size_t d = 0;
    while (d < line.size() && std::isdigit(static_cast<unsigned char>(line[d]))) ++d;
    if (d > 0 && d + 1 < line.size() && line[d] == '.' && line[d + 1] == ' ') line.remove_prefix(d + 2);
  }
  std::size_t start = line.find_first_not_of(" \t");
  return start == std::string_view::npos ? std::string_view{} : line.substr(start);
}

// Inline markup: "[text](url)" -> "text", "![alt](src)" -> "alt", drop * _ ` emphasis marks.
void AppendInline(std::string_view line, std::string& out) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '!' && i + 1 < line.size() && line[i + 1] == '[') continue;
    if (c == '[') {
      std::size_t close = line.find("](", i);
      std::size_t end = close == std::string_view::npos ? close : line.find(')', close);
      if (end != std::string_view::npos) {
        AppendInline(line.substr(i + 1, close - i - 1), out);
        i = end;
        continue;
      }
    }
    if (c == '*' || c == '`') continue;
    // "_" marks emphasis only at word edges; inside a word (snake_case) it is text.
    if (c == '_') {
      bool inner = i > 0 && i + 1 < line.size() && std::isalnum(static_cast<unsigned char>(line[i - 1])) &&
                   std::isalnum(static_cast<unsigned char>(line[i + 1]));
      if (!inner) continue;
    }
    out += c;
  }
}

}  // namespace

std::string PlainTextFromMarkdown(std::string_view markdown) {
  std::string out;
  out.reserve(markdown.size());
  bool in_fence = false;
  while (!markdown.empty()) {
    std::size_t nl = markdown.find('\n');
    std::string_view line = markdown.substr(0, nl);
    markdown.remove_prefix(nl == std::string_view::npos ? markdown.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view trimmed = line.substr(std::min(line.size(), line.find_first_not_of(" \t")));
    if (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
      in_fence = !in_fence;
      continue;
    }
    if (in_fence) {
      out.append(line);
    } else {
      std::string_view content = StripLineMarkers(line);
      // A line of only "---" or "***" is a rule, not text.
      if (content.find_first_not_of("-*_= ") == std::string_view::npos) content = {};
      AppendInline(content, out);
    }
    out += '\n';
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace afori::corpus
