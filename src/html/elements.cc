#include "html/elements.h"

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/hash.h"

namespace storyline::html {

// ---------------------------------------------------------------------------
// Tag classes

// Subtrees that never hold article text a reader sees.
bool IsDroppedTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_MAP:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_LABEL:
    case GUMBO_TAG_OPTION:
      return true;
    default:
      return false;
  }
}

// Elements that end the current line of text when they open or close.
bool IsBlockTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_IMG:
      return true;
    default:
      return false;
  }
}

BlockKind KindOf(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
      return BlockKind::kParagraph;
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
      return BlockKind::kHeading;
    case GUMBO_TAG_LI:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
      return BlockKind::kListItem;
    case GUMBO_TAG_BLOCKQUOTE:
      return BlockKind::kQuote;
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_CAPTION:
      return BlockKind::kCaption;
    case GUMBO_TAG_PRE:
      return BlockKind::kPre;
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
      return BlockKind::kCell;
    default:
      return BlockKind::kOther;
  }
}

// ---------------------------------------------------------------------------
// Class and id words

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

namespace {

// Words of a class/id value: split on non-alphanumerics and on camelCase
// humps ("articleBody" -> article, body), lower-cased. Class names that
// WordPress and similar CMSs derive from the post's taxonomy ("tag-social",
// "category-comment") name topics, not layout, and are skipped.
// "author-bio", "author-box", "author-profile": the box about the writer
// under an article, not a WordPress "author-<name>" taxonomy class.
bool IsAuthorBox(std::string_view name) {
  std::string_view rest = name.substr(7);
  for (std::string_view w :
       {"bio", "box", "profile", "description", "info", "details", "card", "about", "avatar"}) {
    if (rest.starts_with(w)) return true;
  }
  return false;
}

void SplitHintWords(const char* value, std::vector<std::string>* words) {
  std::string_view rest(value);
  while (!rest.empty()) {
    std::size_t space = rest.find_first_of(" \t\n");
    std::string_view name = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    if (name.starts_with("tag-") || name.starts_with("category-") || name.starts_with("type-") ||
        name.starts_with("format-") || name.starts_with("status-") ||
        (name.starts_with("author-") && !IsAuthorBox(name))) {
      continue;
    }
    std::string word;
    char prev = 0;
    for (char c : name) {
      bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      bool hump = (c >= 'A' && c <= 'Z') && (prev >= 'a' && prev <= 'z');
      if (!alnum || hump) {
        if (!word.empty()) words->push_back(word);
        word.clear();
      }
      if (alnum) word += Lower(c);
      prev = c;
    }
    if (!word.empty()) words->push_back(word);
  }
}

bool WordIn(std::string_view word, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

bool WordStartsWithAny(std::string_view word, std::initializer_list<std::string_view> list) {
  for (std::string_view p : list) {
    if (word.starts_with(p)) return true;
  }
  return false;
}

}  // namespace

// +2: names the article body itself; +1: content-ish; 0: no opinion;
// -1: boilerplate. These are generic English words web developers use for
// layout, not names of particular sites.
int HintWeight(const GumboElement& element, bool listing) {
  static thread_local std::vector<std::string> words;
  words.clear();
  for (const char* attr : {"class", "id"}) {
    const GumboAttribute* a = gumbo_get_attribute(&element.attributes, attr);
    if (a != nullptr) SplitHintWords(a->value, &words);
  }
  // ARIA landmarks name the page regions around the main content.
  const GumboAttribute* role = gumbo_get_attribute(&element.attributes, "role");
  if (role != nullptr) {
    std::string_view r(role->value);
    if (r == "contentinfo" || r == "navigation" || r == "complementary" || r == "banner") {
      return -1;
    }
  }
  const GumboAttribute* itemprop = gumbo_get_attribute(&element.attributes, "itemprop");
  if (itemprop != nullptr && std::strstr(itemprop->value, "articleBody") != nullptr) return 2;
  if (words.empty()) return 0;
  // Pairs such as "article body", "story content", "entry content", "post
  // text" name the body container.
  bool body_head = false;
  bool positive = false;
  bool negative = false;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (WordIn(w, {"articlebody", "storybody", "storycontent", "articlecontent", "postcontent",
                   "entrycontent", "articletext", "bodytext", "storytext", "posttext"})) {
      body_head = true;
    }
    if (i + 1 < words.size() &&
        WordIn(w, {"article", "story", "entry", "post", "news", "text", "main"}) &&
        WordIn(words[i + 1], {"body", "content", "text", "contents", "copy", "detail"})) {
      body_head = true;
    }
    // A listing page's entries are its content, whatever their class calls
    // them.
    if (listing && w.starts_with("teaser")) continue;
    if (WordStartsWithAny(
            w, {"comment",    "share",      "sharing",    "social",     "related",   "recommend",
                "sidebar",    "promo",      "cookie",     "consent",    "gdpr",      "newsletter",
                "subscri",    "signup",     "footer",     "breadcrumb", "banner",    "advert",
                "sponsor",    "outbrain",   "taboola",    "popup",      "modal",     "toolbar",
                "trending",   "popular",    "mostread",   "readmore",   "masthead",  "byline",
                "disqus",     "author",     "newsletter", "teaser",     "recirc",    "pagination",
                "navbar",     "navigation", "menu",       "social",     "follow",    "login",
                "timestamp",  "dateline",   "headline",   "kicker",     "caption",   "credit",
                "disclaimer", "rating",     "tagline",    "gallery",    "slideshow", "carousel",
                "lightbox",   "slider"}) ||
        WordIn(w, {"nav",       "ad",       "ads",   "adv",     "tags",     "tag",
                   "meta",      "header",   "rail",  "aside",   "hidden",   "skip",
                   "keywords",  "topics",   "bio",   "crumbs",  "email",    "overlay",
                   "offscreen", "dropdown", "tools", "actions", "footnotes"})) {
      negative = true;
    }
    if (WordIn(w, {"article", "content", "story", "body", "entry", "post", "text", "main", "blog",
                   "news", "prose", "richtext", "paragraph", "copy"})) {
      positive = true;
    }
  }
  // Like readability, let content words and chrome words cancel out: a
  // class list such as "post article-wrapper border-top" is no evidence of chrome.
  if (body_head) return 2;
  if (negative) return positive ? 0 : -1;
  return positive ? 1 : 0;
}

bool IsHidden(const GumboElement& element) {
  if (gumbo_get_attribute(&element.attributes, "hidden") != nullptr) return true;
  const GumboAttribute* style = gumbo_get_attribute(&element.attributes, "style");
  if (style != nullptr) {
    std::string s;
    for (const char* p = style->value; *p != '\0'; ++p) {
      if (*p != ' ') s += Lower(*p);
    }
    if (s.find("display:none") != std::string::npos ||
        s.find("visibility:hidden") != std::string::npos) {
      return true;
    }
  }
  return false;
}

bool AttributeIs(const GumboElement& element, const char* name, std::string_view value) {
  const GumboAttribute* a = gumbo_get_attribute(&element.attributes, name);
  if (a == nullptr) return false;
  std::string_view v(a->value);
  if (v.size() != value.size()) return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (Lower(v[i]) != Lower(value[i])) return false;
  }
  return true;
}

bool AttributeContains(const GumboElement& element, const char* name, std::string_view word) {
  const GumboAttribute* a = gumbo_get_attribute(&element.attributes, name);
  if (a == nullptr) return false;
  std::string v(a->value);
  for (char& c : v) c = Lower(c);
  return v.find(word) != std::string::npos;
}

const char* AttributeValue(const GumboElement& element, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&element.attributes, name);
  return a == nullptr ? nullptr : a->value;
}

// A hash of the class attribute, so that siblings built from one template
// (entries of a listing, paragraphs of one post) can be recognised.
std::uint32_t ClassHash(const GumboElement& element) {
  const char* value = AttributeValue(element, "class");
  if (value == nullptr || *value == '\0') return 0;
  const auto h =
      static_cast<std::uint32_t>(storyline::internal::Mix64(storyline::internal::Fnv1a64(value)));
  return h == 0 ? 1 : h;
}

}  // namespace storyline::html
