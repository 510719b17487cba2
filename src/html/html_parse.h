// Parsing a page with gumbo, fast enough for bulk ingestion.
//
// gumbo implements the WHATWG HTML5 parsing algorithm (tokenizer and tree
// construction with all the error recovery browsers do), which makes it
// robust and also one of the slower parsers: it reads one character at a
// time and mallocs every node. Two things bring it to several hundred news
// pages per second:
//
// * StripRawText removes the bodies of <script>, <style> and comments before
//   parsing. They are most of a modern news page's bytes, the tokenizer
//   crawls through them character by character, and the extractor drops
//   them anyway. JSON-LD scripts are kept.
// * ParsedDocument gives gumbo a bump-pointer arena: allocation is a pointer
//   increment, and the whole tree is freed at once, which also avoids
//   gumbo's recursive tree destruction on pathologically deep documents.
//   Arena chunks are recycled per thread, so steady-state parsing does not
//   touch fresh pages.
//
// Not thread-safe per object; use one ParsedDocument per thread.
#ifndef STORYLINE_HTML_HTML_PARSE_H_
#define STORYLINE_HTML_HTML_PARSE_H_

#include <gumbo.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace storyline::html {

// `html` slimmed for parsing: without the content of <script> (other than
// application/ld+json), <style>, <!-- comments --> and closed <svg>
// elements, and without the attributes the extractor never reads (it keeps
// class, id, itemprop, lang, role, style, hidden, meta/link/time fields).
// Tags are recognised the way the HTML tokenizer does: a '<' followed by a
// letter opens a tag, which ends at the first '>' outside a quoted
// attribute value; raw text ends at the first "</script" or "</style"
// followed by space, '/' or '>'. An unterminated script, style or comment
// runs to the end, as in HTML. Text outside tags is copied unchanged.
// Elements nested deeper than 512 levels lose their tags (not their text),
// as browsers flatten over-deep trees.
std::string StripRawText(std::string_view html);

class ParsedDocument {
 public:
  // Parses `utf8` (must outlive nothing: gumbo copies what it keeps).
  explicit ParsedDocument(std::string_view utf8);
  ~ParsedDocument();
  ParsedDocument(const ParsedDocument&) = delete;
  ParsedDocument& operator=(const ParsedDocument&) = delete;

  // The <html> element; never null (the parser always creates one).
  const GumboNode* root() const { return output_ == nullptr ? nullptr : output_->root; }

 private:
  static void* Allocate(void* self, std::size_t size);
  static void Deallocate(void* self, void* ptr);

  std::vector<std::unique_ptr<char[]>> chunks_;
  std::vector<bool> oversized_;  // parallel to chunks_: not pooled
  char* next_ = nullptr;
  std::size_t left_ = 0;
  GumboOutput* output_ = nullptr;
};

}  // namespace storyline::html

#endif  // STORYLINE_HTML_HTML_PARSE_H_
