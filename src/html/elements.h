// What an HTML element says about the text under it, for main-content
// extraction (extract.cc): whether its tag is ever article text, whether it
// breaks lines, what kind of block it makes, and what its class and id
// words (content, article, body vs. nav, comment, share, sidebar...) and
// attributes tell. Private to the html module.
#ifndef STORYLINE_HTML_ELEMENTS_H_
#define STORYLINE_HTML_ELEMENTS_H_

#include <gumbo.h>

#include <cstdint>
#include <string_view>

namespace storyline::html {

// Subtrees that never hold article text a reader sees (script, style, nav,
// forms' controls...).
bool IsDroppedTag(GumboTag tag);

// Elements that end the current line of text when they open or close.
bool IsBlockTag(GumboTag tag);

enum class BlockKind : std::uint8_t {
  kParagraph,
  kHeading,
  kListItem,
  kQuote,
  kCaption,
  kPre,
  kCell,
  kOther,
};

BlockKind KindOf(GumboTag tag);

// ASCII lower case.
char Lower(char c);

// The class/id words' verdict on an element's subtree: +2 names the article
// body itself; +1 content-ish; 0 no opinion; -1 boilerplate. Generic
// English words web developers use for layout, not names of particular
// sites. `listing`: the page is read as a list of entries (teasers and
// linked summaries are content).
int HintWeight(const GumboElement& element, bool listing);

// Hidden: a `hidden` attribute, or display:none / visibility:hidden in its
// inline style.
bool IsHidden(const GumboElement& element);

// Attribute `name` equals `value` (ASCII case-insensitive).
bool AttributeIs(const GumboElement& element, const char* name, std::string_view value);
// Attribute `name`, lower-cased, contains `word`.
bool AttributeContains(const GumboElement& element, const char* name, std::string_view word);
// Attribute `name`, or nullptr.
const char* AttributeValue(const GumboElement& element, const char* name);

// A hash of the class attribute (core/hash.h; 0 when there is none), so that siblings
// built from one template (entries of a listing, paragraphs of one post)
// can be recognised.
std::uint32_t ClassHash(const GumboElement& element);

}  // namespace storyline::html

#endif  // STORYLINE_HTML_ELEMENTS_H_
