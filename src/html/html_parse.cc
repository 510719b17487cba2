#include "html/html_parse.h"

#include <cstring>

namespace storyline::html {
namespace {

constexpr std::size_t kChunkBytes = 512 * 1024;
constexpr std::size_t kAlign = alignof(std::max_align_t);
constexpr std::size_t kMaxPooledChunks = 64;
constexpr int kMaxDepth = 512;

// Standard-size arena chunks kept by this thread between parses.
std::vector<std::unique_ptr<char[]>>& ChunkPool() {
  thread_local std::vector<std::unique_ptr<char[]>> pool;
  return pool;
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// True when `text` at `pos` starts with `word` (lower-case), ignoring case.
bool StartsWithNoCase(std::string_view text, std::size_t pos, std::string_view word) {
  if (text.size() - pos < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (Lower(text[pos + i]) != word[i]) return false;
  }
  return true;
}

// Index one past the '>' closing the tag that starts at `pos` ('<'), or
// text.size() when the tag never closes.
std::size_t TagEnd(std::string_view text, std::size_t pos) {
  std::size_t i = pos + 1;
  while (i < text.size()) {
    char c = text[i];
    if (c == '>') return i + 1;
    if (c == '=') {
      ++i;
      while (i < text.size() && IsSpace(text[i])) ++i;
      if (i < text.size() && (text[i] == '"' || text[i] == '\'')) {
        std::size_t close = text.find(text[i], i + 1);
        if (close == std::string_view::npos) return text.size();
        i = close + 1;
      }
      continue;
    }
    ++i;
  }
  return text.size();
}

// Index of the "</name" that ends raw text started at `from`, or npos.
std::size_t RawTextEnd(std::string_view text, std::size_t from, std::string_view name) {
  std::size_t i = from;
  while ((i = text.find("</", i)) != std::string_view::npos) {
    std::size_t after = i + 2 + name.size();
    if (StartsWithNoCase(text, i + 2, name) &&
        (after >= text.size() || IsSpace(text[after]) || text[after] == '/' ||
         text[after] == '>')) {
      return i;
    }
    i += 2;
  }
  return std::string_view::npos;
}

// Attributes the extractor reads; every other one (href on links, src,
// srcset, data-*, event handlers, long inline JSON) is dropped before
// parsing, which makes the parser's work a third smaller on news pages.
bool IsKeptAttribute(std::string_view tag, std::string_view name) {
  static constexpr std::string_view kKept[] = {
      "class",   "id",       "itemprop", "lang",  "xml:lang", "content", "property",
      "name",    "http-equiv", "rel",    "datetime", "type",  "hidden",  "style",
      "charset", "pubdate",  "role",     "aria-hidden"};
  for (std::string_view k : kKept) {
    if (name.size() == k.size()) {
      bool same = true;
      for (std::size_t i = 0; i < k.size() && same; ++i) same = Lower(name[i]) == k[i];
      if (same) return true;
    }
  }
  // href only where it names the canonical URL.
  return tag == "link" && name.size() == 4 && Lower(name[0]) == 'h' && Lower(name[1]) == 'r' &&
         Lower(name[2]) == 'e' && Lower(name[3]) == 'f';
}

// Copies the start tag at `pos` ('<' then a letter) to `out` with only the
// kept attributes, following the HTML tokenizer's tag states closely enough
// for well- and ill-formed markup alike. Returns the index past the tag and
// sets `name` to the lower-cased tag name.
std::size_t CopyStartTag(std::string_view html, std::size_t pos, std::string* out,
                         std::string* name) {
  std::size_t i = pos + 1;
  name->clear();
  while (i < html.size() && !IsSpace(html[i]) && html[i] != '/' && html[i] != '>') {
    *name += Lower(html[i]);
    ++i;
  }
  out->append(html.substr(pos, i - pos));
  bool self_closing = false;
  while (i < html.size()) {
    char c = html[i];
    if (c == '>') {
      if (self_closing) *out += '/';
      *out += '>';
      return i + 1;
    }
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    if (c == '/') {
      self_closing = true;
      ++i;
      continue;
    }
    self_closing = false;
    std::size_t name_start = i;
    // An attribute name may start with '=' (a parse error HTML accepts).
    ++i;
    while (i < html.size() && !IsSpace(html[i]) && html[i] != '/' && html[i] != '>' &&
           html[i] != '=') {
      ++i;
    }
    std::string_view attr_name = html.substr(name_start, i - name_start);
    std::size_t j = i;
    while (j < html.size() && IsSpace(html[j])) ++j;
    std::size_t attr_end = i;
    if (j < html.size() && html[j] == '=') {
      ++j;
      while (j < html.size() && IsSpace(html[j])) ++j;
      if (j < html.size() && (html[j] == '"' || html[j] == '\'')) {
        std::size_t close = html.find(html[j], j + 1);
        j = close == std::string_view::npos ? html.size() : close + 1;
      } else {
        while (j < html.size() && !IsSpace(html[j]) && html[j] != '>') ++j;
      }
      attr_end = j;
      i = j;
    }
    if (IsKeptAttribute(*name, attr_name)) {
      *out += ' ';
      out->append(html.substr(name_start, attr_end - name_start));
    }
  }
  return html.size();
}

// Elements that never nest (void) or that the parser closes implicitly when
// a sibling opens; they do not count towards the nesting depth.
bool IsFlatElement(std::string_view name) {
  static constexpr std::string_view kFlat[] = {
      "area", "base", "br",  "col", "embed", "hr",    "img",   "input", "link",  "meta",
      "param", "source", "track", "wbr", "p",   "li",    "dt",    "dd",    "option", "tr",
      "td",   "th",   "tbody", "thead", "tfoot", "html", "head", "body", "rb", "rt", "rp",
      "colgroup", "optgroup"};
  for (std::string_view f : kFlat) {
    if (name == f) return true;
  }
  return false;
}

}  // namespace

std::string StripRawText(std::string_view html) {
  std::string out;
  out.reserve(html.size() / 2);
  std::string name;
  std::size_t pos = 0;
  // Approximate element depth. gumbo's scope checks walk the stack of open
  // elements, so a page nesting 100k <div>s costs it quadratic time;
  // browsers cap the depth of the tree for the same reason. Tags beyond
  // kMaxDepth are left out (their text stays, attached higher up).
  int depth = 0;
  while (pos < html.size()) {
    std::size_t lt = html.find('<', pos);
    if (lt == std::string_view::npos) {
      out.append(html.substr(pos));
      break;
    }
    out.append(html.substr(pos, lt - pos));
    if (html.compare(lt, 4, "<!--") == 0) {
      std::size_t end = html.find("-->", lt + 4);
      pos = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    if (lt + 1 < html.size() && html[lt + 1] == '/') {
      std::size_t end = TagEnd(html, lt);
      name.clear();
      for (std::size_t i = lt + 2; i < end && IsAsciiLetter(html[i]); ++i) name += Lower(html[i]);
      bool counted = !name.empty() && !IsFlatElement(name);
      if (!counted || depth <= kMaxDepth) out.append(html.substr(lt, end - lt));
      if (counted && depth > 0) --depth;
      pos = end;
      continue;
    }
    if (lt + 1 >= html.size() || !IsAsciiLetter(html[lt + 1])) {
      out += '<';
      pos = lt + 1;
      continue;
    }
    std::size_t tag_start = out.size();
    std::size_t tag_end = CopyStartTag(html, lt, &out, &name);
    if (name == "svg") {
      // Inline icons: often kilobytes of path data and never text. Only a
      // properly closed one is cut, so nothing after it can be lost.
      std::size_t close = RawTextEnd(html, tag_end, "svg");
      if (close != std::string_view::npos) {
        out.resize(tag_start);
        pos = TagEnd(html, close);
        continue;
      }
    }
    if (name != "script" && name != "style") {
      bool self_closed = tag_end >= 2 && html[tag_end - 2] == '/';
      if (!IsFlatElement(name) && !self_closed && ++depth > kMaxDepth) out.resize(tag_start);
      pos = tag_end;
      continue;
    }
    std::size_t close = RawTextEnd(html, tag_end, name);
    std::size_t content_end = close == std::string_view::npos ? html.size() : close;
    bool keep = false;
    if (name == "script") {
      std::string lower(html.substr(lt, tag_end - lt));
      for (char& c : lower) c = Lower(c);
      keep = lower.find("ld+json") != std::string::npos;
    }
    if (keep) out.append(html.substr(tag_end, content_end - tag_end));
    pos = content_end;  // the closing tag, if any, is copied on the next turn
  }
  return out;
}

ParsedDocument::ParsedDocument(std::string_view utf8) {
  GumboOptions options = kGumboDefaultOptions;
  options.allocator = &ParsedDocument::Allocate;
  options.deallocator = &ParsedDocument::Deallocate;
  options.userdata = this;
  options.max_errors = 0;  // parse errors are never read; recording them costs
  output_ = gumbo_parse_with_options(&options, utf8.data(), utf8.size());
  // No gumbo_destroy_output: every byte of the tree lives in chunks_.
}

ParsedDocument::~ParsedDocument() {
  std::vector<std::unique_ptr<char[]>>& pool = ChunkPool();
  for (std::size_t i = 0; i < chunks_.size(); ++i) {
    if (!oversized_[i] && pool.size() < kMaxPooledChunks) pool.push_back(std::move(chunks_[i]));
  }
}

void* ParsedDocument::Allocate(void* self, std::size_t size) {
  auto* doc = static_cast<ParsedDocument*>(self);
  size = (size + kAlign - 1) & ~(kAlign - 1);
  if (size > doc->left_) {
    if (size > kChunkBytes / 4) {
      // Large blocks (big text nodes) get their own chunk so the current
      // one keeps serving small allocations.
      doc->chunks_.push_back(std::make_unique_for_overwrite<char[]>(size));
      doc->oversized_.push_back(true);
      return doc->chunks_.back().get();
    }
    std::vector<std::unique_ptr<char[]>>& pool = ChunkPool();
    if (pool.empty()) {
      doc->chunks_.push_back(std::make_unique_for_overwrite<char[]>(kChunkBytes));
    } else {
      doc->chunks_.push_back(std::move(pool.back()));
      pool.pop_back();
    }
    doc->oversized_.push_back(false);
    doc->next_ = doc->chunks_.back().get();
    doc->left_ = kChunkBytes;
  }
  void* p = doc->next_;
  doc->next_ += size;
  doc->left_ -= size;
  return p;
}

void ParsedDocument::Deallocate(void* /*self*/, void* /*ptr*/) {}

}  // namespace storyline::html
