// Main-content extraction.
//
// The method, in three passes over one gumbo parse tree:
//
// 1. Walk the DOM once (iteratively: hostile pages nest deeper than the call
//    stack) and cut the visible text into blocks, one per run of text inside
//    a block-level element (p, li, h2, td, div...) or between <br>s. Each
//    block remembers its owner element, its length and how much of it sits
//    inside <a>. Elements that never hold article text (script, style, nav,
//    footer, aside, iframe, svg, forms' controls, hidden elements) are cut.
//    The same walk gathers the metadata (<title>, <meta>, JSON-LD, <time>).
//
// 2. Score blocks with shallow text features, after Kohlschütter et al.
//    (2010, "Boilerplate detection using shallow text features"): long
//    blocks with few links are content, short and link-dense blocks are
//    boilerplate. Scores add up the tree; each element's class/id words
//    (content, article, story, body vs. nav, comment, share, related,
//    sidebar, promo, cookie, newsletter...) and semantic role (article, main,
//    itemprop=articleBody) weigh its subtree, as readability's candidate
//    scoring does. A subtree marked as boilerplate contributes only a
//    penalty. The container of the article is the element with the best
//    subtree score: it holds the most net article text, so it neither stops
//    at one paragraph nor grows to take in the page's chrome.
//
// 3. Siblings of the container that score a fair share of it join it
//    (readability's sibling step): old pages put their paragraphs straight
//    under <body>, listings and blogs repeat one template per entry.
//    Inside those elements keep the blocks that do not sit under a
//    boilerplate-marked element and are not mostly links, then trim short
//    non-sentence lines (bylines, dates, share prompts) off the start and the
//    end, and the headline where the body opens with it.
//
// A page with no article (its best container holds only a few lines of
// prose, and it does not declare itself an article in its metadata) is read
// as a listing: scored again with linked summaries counted as content, so
// an index of stories or a list of ads yields its entries, and a page of
// navigation links alone yields nothing.
//
// When the page's schema.org articleBody is much longer than what the DOM
// gave, it is used instead (paywalled or script-rendered pages often ship
// their whole text only there).
#include "storyline/html/extract.h"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "html/elements.h"
#include "html/html_parse.h"
#include "html/metadata.h"
#include "storyline/html/charset.h"

namespace storyline::html {
namespace {

// ---------------------------------------------------------------------------
// The walk

struct ElementInfo {
  int parent = -1;
  int end = 0;  // one past the last element of the subtree, in preorder
  GumboTag tag = GUMBO_TAG_UNKNOWN;
  std::int8_t hint = 0;          // after scoring (teaser lists, figures)
  std::int8_t own_hint = 0;      // from the element's own attributes and tag
  std::int8_t listing_hint = 0;  // the same on a page of entries (PageMode)
  bool semantic = false;         // article, main, itemprop=articleBody
  std::uint32_t class_hash = 0;  // of the class attribute; 0 when absent
  // Subtree totals.
  double chars = 0;
  double link_chars = 0;
  double score = 0;
  int paragraphs = 0;
  int linked_headings = 0;  // h2-h6 that are mostly a link
  int structured = 0;       // table cells, quotes and list items
};

struct Block {
  std::string text;
  int owner = 0;  // element index
  int chars = 0;  // non-space bytes
  int link_chars = 0;
  BlockKind kind = BlockKind::kOther;
  GumboTag tag = GUMBO_TAG_UNKNOWN;
};

struct Walk {
  std::vector<ElementInfo> elements;
  std::vector<Block> blocks;
  RawMetadata meta;
  // <h1> texts with their element index.
  std::vector<std::pair<std::string, int>> h1s;
};

// Appends the text of `node`'s subtree, whitespace-collapsed, to `out`
// (used for <title>, author elements and headings).
void AppendSubtreeText(const GumboNode* root, std::string* out) {
  std::vector<const GumboNode*> stack = {root};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
        n->type == GUMBO_NODE_CDATA) {
      *out += n->v.text.text;
      *out += ' ';
    } else if (n->type == GUMBO_NODE_ELEMENT) {
      if (IsDroppedTag(n->v.element.tag) && n->v.element.tag != GUMBO_TAG_HEAD) continue;
      const GumboVector& kids = n->v.element.children;
      for (unsigned i = kids.length; i > 0; --i) {
        stack.push_back(static_cast<const GumboNode*>(kids.data[i - 1]));
      }
    }
  }
}

class Walker {
 public:
  explicit Walker(Walk* walk) : walk_(walk) {}

  void Run(const GumboNode* root) {
    struct Frame {
      const GumboNode* node;
      unsigned next;
      int element;
      bool block;
      bool link;
    };
    std::vector<Frame> stack;
    Enter(root, &stack);
    while (!stack.empty()) {
      Frame& top = stack.back();
      const GumboVector& kids = top.node->v.element.children;
      if (top.next < kids.length) {
        const auto* child = static_cast<const GumboNode*>(kids.data[top.next++]);
        switch (child->type) {
          case GUMBO_NODE_TEXT:
          case GUMBO_NODE_CDATA:
          case GUMBO_NODE_WHITESPACE:
            AppendText(child->v.text.text);
            break;
          case GUMBO_NODE_ELEMENT:
          case GUMBO_NODE_TEMPLATE:
            Enter(child, &stack);
            break;
          default:
            break;
        }
        continue;
      }
      // Leaving the element.
      Frame done = top;
      stack.pop_back();
      walk_->elements[static_cast<std::size_t>(done.element)].end =
          static_cast<int>(walk_->elements.size());
      if (done.link) --in_link_;
      if (done.block) {
        Flush();
        owners_.pop_back();
      }
    }
    Flush();
  }

 private:
  template <typename Stack>
  void Enter(const GumboNode* node, Stack* stack) {
    const GumboElement& el = node->v.element;
    GumboTag tag = el.tag;
    CollectMetadata(node);
    if (tag == GUMBO_TAG_BR) {
      Flush();
      return;
    }
    if (IsDroppedTag(tag) || IsHidden(el)) return;
    if (tag == GUMBO_TAG_IMG || tag == GUMBO_TAG_HR) {
      Flush();
      return;
    }
    ElementInfo info;
    info.parent = stack->empty() ? -1 : stack->back().element;
    info.tag = tag;
    // Classes on <html> and <body> describe the page layout ("has-sidebar",
    // "menu-open"), not the content.
    if (tag != GUMBO_TAG_HTML && tag != GUMBO_TAG_BODY) {
      info.hint = static_cast<std::int8_t>(HintWeight(el, false));
      info.listing_hint = static_cast<std::int8_t>(HintWeight(el, true));
    }
    info.semantic = tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_MAIN || info.hint == 2;
    info.class_hash = ClassHash(el);
    // Page-level <header> holds the logo, menus and often the headline and
    // byline; never the body. Forms hold comment boxes and sign-ups.
    if ((tag == GUMBO_TAG_HEADER || tag == GUMBO_TAG_FORM) && info.hint < 1) {
      info.hint = -1;
      info.listing_hint = -1;
    }
    info.own_hint = info.hint;
    int index = static_cast<int>(walk_->elements.size());
    walk_->elements.push_back(info);
    bool block = IsBlockTag(tag);
    if (block) {
      Flush();
      owners_.push_back(index);
    }
    bool link = tag == GUMBO_TAG_A;
    if (link) ++in_link_;
    if (tag == GUMBO_TAG_H1) {
      std::string text;
      AppendSubtreeText(node, &text);
      walk_->h1s.emplace_back(CollapseWhitespace(text), index);
    }
    stack->push_back({node, 0, index, block, link});
  }

  void CollectMetadata(const GumboNode* node) {
    const GumboElement& el = node->v.element;
    RawMetadata& meta = walk_->meta;
    switch (el.tag) {
      case GUMBO_TAG_HTML: {
        const char* lang = AttributeValue(el, "lang");
        if (lang == nullptr) lang = AttributeValue(el, "xml:lang");
        if (lang != nullptr) meta.html_lang = lang;
        break;
      }
      case GUMBO_TAG_HEAD:
        // The walk drops <head>; visit its metadata elements here.
        for (unsigned i = 0; i < el.children.length; ++i) {
          const auto* child = static_cast<const GumboNode*>(el.children.data[i]);
          if (child->type == GUMBO_NODE_ELEMENT) CollectMetadata(child);
        }
        break;
      case GUMBO_TAG_TITLE:
        if (meta.title_tag.empty()) AppendSubtreeText(node, &meta.title_tag);
        break;
      case GUMBO_TAG_META: {
        const char* content = AttributeValue(el, "content");
        if (content == nullptr) break;
        for (const char* key_attr : {"property", "name", "itemprop", "http-equiv"}) {
          const char* key = AttributeValue(el, key_attr);
          if (key == nullptr) continue;
          std::string k(key);
          for (char& c : k) c = Lower(c);
          meta.metas.emplace_back(std::move(k), content);
        }
        break;
      }
      case GUMBO_TAG_LINK:
        if (AttributeIs(el, "rel", "canonical") && meta.canonical_link.empty()) {
          const char* href = AttributeValue(el, "href");
          if (href != nullptr) meta.canonical_link = href;
        }
        break;
      case GUMBO_TAG_SCRIPT:
        if (AttributeContains(el, "type", "ld+json")) {
          std::string text;
          for (unsigned i = 0; i < el.children.length; ++i) {
            const auto* child = static_cast<const GumboNode*>(el.children.data[i]);
            if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA) {
              text += child->v.text.text;
            }
          }
          meta.json_ld.push_back(std::move(text));
        }
        break;
      case GUMBO_TAG_TIME: {
        const char* datetime = AttributeValue(el, "datetime");
        if (datetime == nullptr) break;
        if (AttributeContains(el, "itemprop", "datepublished") ||
            gumbo_get_attribute(&el.attributes, "pubdate") != nullptr) {
          meta.marked_times.emplace_back(datetime);
        } else {
          meta.times.emplace_back(datetime);
        }
        break;
      }
      default:
        break;
    }
    if (el.tag != GUMBO_TAG_META && el.tag != GUMBO_TAG_LINK &&
        (AttributeIs(el, "rel", "author") || AttributeIs(el, "itemprop", "author"))) {
      std::string text;
      AppendSubtreeText(node, &text);
      if (meta.author_texts.size() < 4) meta.author_texts.push_back(std::move(text));
    }
  }

  void AppendText(const char* text) {
    for (const char* p = text; *p != '\0'; ++p) {
      char c = *p;
      bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
      if (!ws && c == '\xC2' && p[1] == '\xA0') {
        ws = true;
        ++p;
      }
      if (ws) {
        space_ = !pending_.empty();
        continue;
      }
      if (space_) pending_ += ' ';
      space_ = false;
      pending_ += c;
      ++pending_chars_;
      if (in_link_ > 0) ++pending_link_chars_;
    }
  }

  void Flush() {
    if (pending_chars_ > 0 && !owners_.empty()) {
      Block b;
      b.text = std::move(pending_);
      b.owner = owners_.back();
      b.chars = pending_chars_;
      b.link_chars = pending_link_chars_;
      b.tag = walk_->elements[static_cast<std::size_t>(b.owner)].tag;
      b.kind = KindOf(b.tag);
      walk_->blocks.push_back(std::move(b));
    }
    pending_.clear();
    pending_chars_ = 0;
    pending_link_chars_ = 0;
    space_ = false;
  }

  Walk* walk_;
  std::vector<int> owners_;
  std::string pending_;
  int pending_chars_ = 0;
  int pending_link_chars_ = 0;
  int in_link_ = 0;
  bool space_ = false;
};

// ---------------------------------------------------------------------------
// Scoring

// Characters that end or split sentences, in Latin, CJK and Arabic scripts.
bool HasSentencePunctuation(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' || c == ',' || c == '!' || c == '?' || c == ';' || c == ':') return true;
    // 。 ， 、 ！ ？ (E3 80 82 / EF BC 8C / E3 80 81 / EF BC 81 / EF BC 9F), ، (D8 8C)
    if (c == '\xE3' && i + 2 < text.size() && text[i + 1] == '\x80' &&
        (text[i + 2] == '\x82' || text[i + 2] == '\x81')) {
      return true;
    }
    if (c == '\xEF' && i + 2 < text.size() && text[i + 1] == '\xBC' &&
        (text[i + 2] == '\x8C' || text[i + 2] == '\x81' || text[i + 2] == '\x9F')) {
      return true;
    }
    if (c == '\xD8' && i + 1 < text.size() && text[i + 1] == '\x8C') return true;
  }
  return false;
}

bool IsProse(const Block& b) {
  return b.chars >= 80 || (b.chars >= 30 && HasSentencePunctuation(b.text));
}

// A short line that states copyright ("© 2006 …", "Copyright …", "All
// rights reserved") is a page footer on every site that has one.
bool IsRightsNotice(const Block& b) {
  if (b.chars > 200) return false;
  std::string_view t = b.text;
  if (t.find("\xC2\xA9") != std::string_view::npos) return true;  // ©
  // Case-insensitive (ASCII) search without a lower-cased copy: this runs
  // for every short block of every page, up to three times.
  const auto contains = [t](std::string_view phrase) {
    return std::search(t.begin(), t.end(), phrase.begin(), phrase.end(),
                       [](char x, char y) { return Lower(x) == y; }) != t.end();
  };
  for (std::string_view phrase :
       {"copyright", "all rights reserved", "tous droits r\xC3\xA9serv\xC3\xA9s",
        "alle rechte vorbehalten", "todos los derechos reservados", "todos os direitos reservados",
        "tutti i diritti riservati"}) {
    if (contains(phrase)) return true;
  }
  return false;
}

// A block's evidence of being article text, in characters: positive for
// prose (long, few links), negative for link lists and chrome. Lengths are
// UTF-8 bytes, which over-count non-Latin scripts uniformly and so leave the
// comparisons between blocks of one page intact.
double BlockValue(const Block& b) {
  double c = b.chars;
  if (IsRightsNotice(b)) return -c;
  double l = b.link_chars;
  double density = l / c;
  if (density >= 0.5) return -c * density;
  if (b.kind == BlockKind::kHeading) return 0;
  // Short lines without sentence punctuation: table cells and list entries
  // in a body, labels and dates in chrome. No evidence either way unless
  // links say otherwise.
  if (c < 40 && !HasSentencePunctuation(b.text)) return l > 0 ? -c : 0;
  double value = c - 2 * l;
  if (b.kind == BlockKind::kParagraph) value *= 1.25;
  return value;
}

// How blocks are valued. An article page's text is prose with few links. A
// page with no article (an index of stories, a list of job ads) has its
// content in entries whose summaries are themselves links.
enum class PageMode : std::uint8_t { kArticle, kListing };

// In a listing, a linked block that reads as prose (a teaser's summary) is
// content and a linked heading is neutral; short links are navigation.
double ListingBlockValue(const Block& b) {
  double c = b.chars;
  if (IsRightsNotice(b)) return -c;
  if (2 * b.link_chars < b.chars) return BlockValue(b);
  if (b.kind == BlockKind::kHeading) return 0;
  return IsProse(b) ? c : -c;
}

// Scores every element's subtree; may be run again with another mode.
void ScoreTree(Walk* walk, PageMode mode) {
  std::vector<ElementInfo>& els = walk->elements;
  for (ElementInfo& e : els) {
    e.hint = mode == PageMode::kListing ? e.listing_hint : e.own_hint;
    e.chars = 0;
    e.link_chars = 0;
    e.score = 0;
    e.paragraphs = 0;
    e.linked_headings = 0;
    e.structured = 0;
  }
  for (const Block& b : walk->blocks) {
    ElementInfo& owner = els[static_cast<std::size_t>(b.owner)];
    owner.chars += b.chars;
    owner.link_chars += b.link_chars;
    owner.score += mode == PageMode::kListing ? ListingBlockValue(b) : BlockValue(b);
    if (b.kind == BlockKind::kParagraph && b.chars >= 80) ++owner.paragraphs;
    if (b.kind == BlockKind::kCell || b.kind == BlockKind::kQuote ||
        b.kind == BlockKind::kListItem || b.kind == BlockKind::kPre) {
      ++owner.structured;
    }
    if (b.kind == BlockKind::kHeading && b.tag != GUMBO_TAG_H1 && 2 * b.link_chars >= b.chars) {
      ++owner.linked_headings;
    }
  }
  // Children follow their parents in preorder, so a reverse sweep sees
  // every subtree complete before it adds it to the parent.
  for (std::size_t i = els.size(); i-- > 0;) {
    ElementInfo& e = els[i];
    // Teasers for other articles are cards of a linked headline and a short
    // summary; a region with a linked h2-h6 for every few hundred characters
    // is a list of them, however prose-like the summaries read. (An article
    // has at most a few linked subheadings in thousands of characters.)
    if (mode == PageMode::kArticle && e.linked_headings > 1 &&
        e.chars < 500.0 * e.linked_headings && e.hint < 2) {
      e.hint = -1;
    }
    // Captions and credits describe a picture, not the story (extraction
    // benchmarks leave them out of the body). Figures that wrap a table or a
    // quote, as some editors emit, are content.
    if (e.tag == GUMBO_TAG_FIGCAPTION || (e.tag == GUMBO_TAG_FIGURE && e.structured == 0)) {
      e.hint = -1;
    }
    if (e.hint < 0) {
      // Chrome: whatever text it holds counts against a container that
      // would take it in.
      e.score = -0.5 * e.chars - 0.5 * e.link_chars;
    }
    if (e.parent >= 0) {
      ElementInfo& p = els[static_cast<std::size_t>(e.parent)];
      p.chars += e.chars;
      p.link_chars += e.link_chars;
      p.score += e.score;
      p.paragraphs += e.paragraphs;
      p.linked_headings += e.linked_headings;
      p.structured += e.structured;
    }
  }
}

// The element with the best subtree score, favouring semantic and
// body-named elements a little so that a wrapper adding only a caption or a
// stray link does not win over the <article> it wraps.
int ChooseContainer(const Walk& walk) {
  const std::vector<ElementInfo>& els = walk.elements;
  // Elements inside chrome (a comment list, a related-articles rail) may
  // hold long text of their own but are rarely the article; they are only
  // discounted, not excluded, because whole pages sometimes sit inside an
  // element with a chrome-like name (an ASP.NET <form>, a "page-rail" div).
  std::vector<bool> in_chrome(els.size(), false);
  int best = -1;
  double best_score = 0;
  for (std::size_t i = 0; i < els.size(); ++i) {
    const ElementInfo& e = els[i];
    bool parent_chrome = e.parent >= 0 && in_chrome[static_cast<std::size_t>(e.parent)];
    in_chrome[i] = parent_chrome || e.hint < 0;
    if (e.hint < 0) continue;
    double s = e.score;
    if (s <= 0) continue;
    if (in_chrome[i]) s *= 0.25;
    if (e.semantic) {
      s *= 1.15;
    } else if (e.hint > 0) {
      s *= 1.05;
    }
    // ">=": of equal candidates the later one is the deeper (a wrapper that
    // adds nothing does not beat what it wraps).
    if (s >= best_score) {
      best = static_cast<int>(i);
      best_score = s;
    }
  }
  return best;
}

// Lower-cased letters and digits only, for comparing lines with titles.
std::string Fingerprint(std::string_view text) {
  std::string out;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if ((u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || u >= 0x80)
      out += c;
    else if (u >= 'A' && u <= 'Z')
      out += static_cast<char>(u - 'A' + 'a');
  }
  return out;
}

// Sibling joining (see JoinSiblings): a sibling joins when its score is at
// least this share of the container's, and at least this many characters'
// worth; siblings that are mostly links (menus, teaser lists) never join.
constexpr double kSiblingShare = 0.2;
constexpr double kMinSiblingScore = 40;
constexpr double kMaxSiblingLinkShare = 0.33;
// A container scoring under this (about three lines of prose) and under
// this share of the page's text is not an article; the page is a listing
// when some region scores at least kMinListingScore as one.
constexpr double kMinArticleScore = 300;
constexpr double kMinArticleShare = 0.05;
constexpr double kMinListingScore = 500;
// A parent with at most this many times its child's characters wraps it.
constexpr double kWrapperSlack = 1.1;

bool UnderBoilerplate(const Walk& walk, int element, int container) {
  for (int e = element; e >= 0 && e != container;
       e = walk.elements[static_cast<std::size_t>(e)].parent) {
    if (walk.elements[static_cast<std::size_t>(e)].hint < 0) return true;
  }
  return false;
}

// The article's text may be spread over several siblings rather than sit in
// one element: the paragraphs of an old page directly under <body>, the
// entries of a listing, the posts of a blog page. After readability's sibling
// step, siblings of the container join it when their own subtree score is a
// fair share of the container's, more easily when they come from the same
// template (same tag and class). Returns the roots in document order.
std::vector<int> JoinSiblings(const Walk& walk, int container) {
  std::vector<int> roots;
  if (container < 0) return roots;
  const std::vector<ElementInfo>& els = walk.elements;
  const ElementInfo& c = els[static_cast<std::size_t>(container)];
  // Wrappers that add next to no text of their own (a <table> around its
  // <tbody>, a div around a div) are the same block: look for siblings at
  // the level of the outermost of them.
  int top = container;
  while (true) {
    const ElementInfo& t = els[static_cast<std::size_t>(top)];
    if (t.parent < 0) break;
    const ElementInfo& p = els[static_cast<std::size_t>(t.parent)];
    if (p.hint < 0 || p.chars > t.chars * kWrapperSlack) break;
    top = t.parent;
  }
  const ElementInfo& anchor = els[static_cast<std::size_t>(top)];
  if (anchor.parent < 0) return {container};
  const ElementInfo& parent = els[static_cast<std::size_t>(anchor.parent)];
  double threshold = std::max(kMinSiblingScore, kSiblingShare * c.score);
  for (int i = anchor.parent + 1; i < parent.end; i = els[static_cast<std::size_t>(i)].end) {
    if (i == top) {
      roots.push_back(container);
      continue;
    }
    const ElementInfo& s = els[static_cast<std::size_t>(i)];
    if (s.hint < 0 || s.score < kMinSiblingScore) continue;
    if (s.link_chars > kMaxSiblingLinkShare * s.chars) continue;
    double bonus = (s.tag == anchor.tag && s.class_hash != 0 && s.class_hash == anchor.class_hash)
                       ? kSiblingShare * c.score
                       : 0;
    if (s.score + bonus >= threshold) roots.push_back(i);
  }
  return roots;
}

// A page has no article when its best container holds only a few lines of
// net prose, both absolutely and against all the text on the page: an index
// of stories, a directory, a list of ads.
bool HasNoArticle(const Walk& walk, int container) {
  double total = 0;
  for (const Block& b : walk.blocks) total += b.chars;
  if (container < 0) return true;
  double score = walk.elements[static_cast<std::size_t>(container)].score;
  return score < kMinArticleScore && score < kMinArticleShare * total;
}

// A page that says it is an article (Open Graph type, an article
// publication time, schema.org Article data) is read as one even when its
// text is short: a brief beside a rail of teasers is still the brief.
bool DeclaresArticle(const RawMetadata& meta, const StructuredArticle& structured) {
  if (!structured.headline.empty() || !structured.body.empty() ||
      !structured.date_published.empty()) {
    return true;
  }
  for (const auto& [key, value] : meta.metas) {
    if (key == "og:type" && value == "article") return true;
    if (key == "article:published_time") return true;
  }
  return false;
}

std::vector<const Block*> SelectBlocks(const Walk& walk, const std::vector<int>& roots,
                                       PageMode mode) {
  std::vector<const Block*> kept;
  if (roots.empty()) return kept;
  std::size_t r = 0;
  for (const Block& b : walk.blocks) {
    while (r < roots.size() && b.owner >= walk.elements[static_cast<std::size_t>(roots[r])].end) {
      ++r;
    }
    if (r == roots.size()) break;
    int container = roots[r];
    if (b.owner < container) continue;
    if (UnderBoilerplate(walk, b.owner, container)) continue;
    if (IsRightsNotice(b)) continue;
    double density = static_cast<double>(b.link_chars) / b.chars;
    if (density >= 0.5 &&
        (mode == PageMode::kArticle || (b.kind != BlockKind::kHeading && !IsProse(b)))) {
      continue;
    }
    // A list item that is mostly a link is a menu or teaser entry, unless
    // it goes on with text of its own (a linked lead-in to a paragraph).
    if (density > 0.3 && b.kind == BlockKind::kListItem && b.chars < 150) continue;
    kept.push_back(&b);
  }
  // Trim the edges: before the first and after the last prose block, short
  // lines are bylines, dates, share prompts, tags and "read more" links.
  std::size_t first = 0;
  while (first < kept.size() && !IsProse(*kept[first]) &&
         kept[first]->kind != BlockKind::kHeading) {
    ++first;
  }
  std::size_t last = kept.size();
  while (last > first && !IsProse(*kept[last - 1])) --last;
  return std::vector<const Block*>(kept.begin() + static_cast<std::ptrdiff_t>(first),
                                   kept.begin() + static_cast<std::ptrdiff_t>(last));
}

// Counts whitespace-separated words, a language-neutral size measure.
std::size_t CountWords(std::string_view text) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : text) {
    bool ws = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!ws && !in_word) ++n;
    in_word = !ws;
  }
  return n;
}

// articleBody sometimes carries markup or entity-escaped text.
std::string StructuredBodyText(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  bool in_tag = false;
  for (char c : body) {
    if (c == '<')
      in_tag = true;
    else if (c == '>' && in_tag) {
      in_tag = false;
      out += ' ';
    } else if (!in_tag)
      out += c;
  }
  // Keep the line structure; collapse spaces inside lines.
  std::string result;
  std::size_t start = 0;
  while (start <= out.size()) {
    std::size_t nl = out.find('\n', start);
    if (nl == std::string::npos) nl = out.size();
    std::string line = CollapseWhitespace(std::string_view(out).substr(start, nl - start));
    if (!line.empty()) {
      if (!result.empty()) result += '\n';
      result += line;
    }
    start = nl + 1;
  }
  return result;
}

}  // namespace

Result<ExtractedPage> ExtractPage(std::string_view html, const ExtractOptions& options) {
  if (html.size() > options.max_input_bytes) {
    return MakeError(ErrorCode::kInvalidInput, "page of " + std::to_string(html.size()) +
                                                   " bytes exceeds the limit of " +
                                                   std::to_string(options.max_input_bytes));
  }
  std::string declared = options.http_charset;
  if (declared.empty()) declared = SniffMetaCharset(html);
  Result<std::string> utf8 = DecodeToUtf8(html, declared);
  if (!utf8) return tl::unexpected(utf8.error());

  // gumbo implements the WHATWG HTML5 tree construction algorithm, so
  // misnested and unclosed tags give the tree a browser would build.
  Walk walk;
  walk.elements.reserve(2048);
  walk.blocks.reserve(1024);
  {
    ParsedDocument document(StripRawText(*utf8));
    if (document.root() == nullptr) return MakeError(ErrorCode::kInternal, "HTML parser failed");
    Walker walker(&walk);
    walker.Run(document.root());
  }

  if (walk.blocks.empty() && walk.meta.title_tag.empty() && walk.meta.json_ld.empty()) {
    return MakeError(ErrorCode::kInvalidInput, "page has no text");
  }

  StructuredArticle structured = ParseJsonLd(walk.meta.json_ld);
  ScoreTree(&walk, PageMode::kArticle);
  int container = ChooseContainer(walk);
  PageMode mode = PageMode::kArticle;
  if (!DeclaresArticle(walk.meta, structured) && HasNoArticle(walk, container)) {
    ScoreTree(&walk, PageMode::kListing);
    int entries = ChooseContainer(walk);
    if (entries >= 0 &&
        walk.elements[static_cast<std::size_t>(entries)].score >= kMinListingScore) {
      container = entries;
      mode = PageMode::kListing;
    } else {
      ScoreTree(&walk, PageMode::kArticle);
    }
  }
  std::vector<const Block*> selected = SelectBlocks(walk, JoinSiblings(walk, container), mode);

  // The main heading: the first <h1> inside the container, else the first.
  std::string h1;
  for (const auto& [text, element] : walk.h1s) {
    if (text.empty()) continue;
    bool inside = container >= 0 && element >= container &&
                  element < walk.elements[static_cast<std::size_t>(container)].end;
    if (inside) {
      h1 = text;
      break;
    }
    if (h1.empty()) h1 = text;
  }
  ExtractedPage page;
  ResolveMetadata(walk.meta, structured, h1, options, &page);

  // Drop the headline where the body opens with it (before the first prose
  // block); a reader does not see it as part of the text.
  std::vector<std::string> title_prints;
  for (const HeadlineCandidate& h : page.headlines) title_prints.push_back(Fingerprint(h.text));
  std::string text;
  bool seen_prose = false;
  for (const Block* b : selected) {
    if (!seen_prose && b->chars < 400) {
      std::string print = Fingerprint(b->text);
      if (std::find(title_prints.begin(), title_prints.end(), print) != title_prints.end()) {
        continue;
      }
    }
    if (IsProse(*b)) seen_prose = true;
    if (!text.empty()) text += '\n';
    text += b->text;
  }

  if (options.use_structured_body && !structured.body.empty()) {
    std::string body = StructuredBodyText(structured.body);
    std::size_t body_words = CountWords(body);
    std::size_t dom_words = CountWords(text);
    if (body_words >= 50 && body_words > dom_words * 3 / 2) {
      text = std::move(body);
      page.text_from_structured_data = true;
    }
  }
  page.text = std::move(text);
  return page;
}

}  // namespace storyline::html
