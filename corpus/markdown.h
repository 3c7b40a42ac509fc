// PlainTextFromMarkdown: the words of a Markdown body without its markup.
//
// Bodies may be Markdown or plain text. The indexer indexes, and snippets quote, the plain
// text: heading and list markers, emphasis characters, code fences and link targets are
// dropped; link texts, image alt texts and paragraph breaks are kept. Plain text passes
// through unchanged apart from those characters. This is deliberately not a full CommonMark
// renderer: it only needs to keep markup out of the index and out of snippets.
//
// Thread safety: pure function.
#pragma once

#include <string>
#include <string_view>

namespace afori::corpus {

std::string PlainTextFromMarkdown(std::string_view markdown);

}  // namespace afori::corpus
