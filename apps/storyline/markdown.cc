#include "markdown.h"

#include <string>

#include "storyline/core/date.h"

namespace storyline::cli {
namespace {

// "Reuters story, carried by 4 outlets; 2 cut versions" from a digest's
// wire attribution.
std::string WireLine(const store::Digest::Wire& w) {
  const std::size_t outlets = w.outlets.size();
  const std::int64_t cut = w.cut_versions;
  std::string line = w.agency + " story";
  if (outlets > 0) {
    line += ", carried by " + std::to_string(outlets) + (outlets == 1 ? " outlet" : " outlets");
  }
  if (cut > 0) line += "; " + std::to_string(cut) + (cut == 1 ? " cut version" : " cut versions");
  return line;
}

std::string DateRange(const store::StoryRecord& s) {
  if (!s.first_published) return "undated";
  const std::string a = FormatDate(ToCivilDate(*s.first_published));
  const std::string b = FormatDate(ToCivilDate(s.last_published.value_or(*s.first_published)));
  return a == b ? a : a + " to " + b;
}

// Markdown-safe single line.
std::string Inline(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

// "a, b, c": the items of `v` as `name` writes them, joined by `sep`.
template <typename T, typename Name>
void Join(std::ostream& out, const std::vector<T>& v, const char* sep, Name name) {
  bool first = true;
  for (const T& x : v) {
    out << (first ? "" : sep);
    name(x);
    first = false;
  }
}

void StoryMarkdown(const store::StoryRecord& s, std::ostream& out) {
  const store::Digest& d = s.digest;
  out << "## " << Inline(s.title.empty() ? s.id : s.title) << "\n\n";
  out << "*" << s.size << " article" << (s.size == 1 ? "" : "s") << ", " << DateRange(s)
      << " · story `" << s.id << "`, storyline `" << s.storyline << "`*\n\n";
  if (!d.summary.empty()) {
    for (const std::string& sentence : d.summary) out << Inline(sentence) << " ";
    out << "\n\n";
  }
  if (!d.timeline.empty()) {
    out << "**Timeline**\n\n";
    for (const store::Digest::TimelineEntry& t : d.timeline) {
      out << "- **" << t.date << "**: " << Inline(t.text);
      if (!t.sources.empty()) {
        out << " (";
        Join(out, t.sources, ", ", [&](const std::string& src) { out << src; });
        out << ")";
      }
      out << "\n";
    }
    out << "\n";
  }
  if (!d.quotes.empty()) {
    out << "**Quotes**\n\n";
    for (const store::Digest::Quote& q : d.quotes) {
      out << "> “" << Inline(q.text) << "” — " << (q.speaker.empty() ? "unattributed" : q.speaker)
          << "\n>\n";
    }
    out << "\n";
  }
  if (!d.entities.empty()) {
    out << "**Who and where**: ";
    for (std::size_t n = 0; n < d.entities.size() && n < 12; ++n) {
      out << (n > 0 ? ", " : "") << d.entities[n].name << " (" << d.entities[n].type << ")";
    }
    out << "\n\n";
  }
  if (d.wire) out << "**Wire**: " << WireLine(*d.wire) << "\n\n";
  if (!d.sources.empty()) {
    out << "**Sources**: ";
    Join(out, d.sources, ", ", [&](const store::Digest::Source& src) { out << src.source; });
    out << "\n\n";
  }
  if (!d.copies.empty()) {
    out << "**Copies**: ";
    Join(out, d.copies, "; ", [&](const store::Digest::Copy& c) {
      out << "`" << c.article << "` copies `" << c.copy_of << "`";
    });
    out << "\n\n";
  }
}

}  // namespace

Status WriteMarkdown(store::Store& store, std::ostream& out) {
  Result<std::int64_t> n = store.CountStories();
  if (!n) return Fail(n.error());
  Result<std::int64_t> articles = store.CountArticles();
  if (!articles) return Fail(articles.error());
  out << "# News briefing\n\n"
      << *n << " stories from " << *articles << " articles, newest first.\n\n";
  constexpr std::int64_t kPage = 500;
  for (std::int64_t offset = 0;; offset += kPage) {
    Result<std::vector<store::StoryRecord>> page = store.ListStories(
        {.storyline = "", .order = store::StoryOrder::kRecent, .limit = kPage, .offset = offset});
    if (!page) return Fail(page.error());
    for (const store::StoryRecord& s : *page) StoryMarkdown(s, out);
    if (static_cast<std::int64_t>(page->size()) < kPage) break;
  }
  return Ok();
}

void RenderStory(const store::StoryRecord& s, const std::vector<store::StoredArticle>& articles,
                 std::ostream& out) {
  const store::Digest& d = s.digest;
  out << "\033[1m" << (s.title.empty() ? s.id : s.title) << "\033[0m\n";
  out << s.id << " · storyline " << s.storyline << " · " << s.size << " article"
      << (s.size == 1 ? "" : "s") << " · " << DateRange(s) << "\n";
  if (d.wire) out << WireLine(*d.wire) << "\n";
  out << "\n";
  if (!d.summary.empty()) {
    out << "Summary\n";
    for (const std::string& sentence : d.summary) out << "  " << sentence << "\n";
    out << "\n";
  }
  if (!d.timeline.empty()) {
    out << "Timeline\n";
    for (const store::Digest::TimelineEntry& t : d.timeline) {
      out << "  " << t.date << "  " << Inline(t.text) << "\n";
    }
    out << "\n";
  }
  if (!d.quotes.empty()) {
    out << "Quotes\n";
    for (const store::Digest::Quote& q : d.quotes) {
      out << "  " << (q.speaker.empty() ? "(unattributed)" : q.speaker) << ": “" << Inline(q.text)
          << "”\n";
    }
    out << "\n";
  }
  if (!d.entities.empty()) {
    out << "Entities\n ";
    for (std::size_t n = 0; n < d.entities.size() && n < 20; ++n) {
      const store::Digest::Entity& e = d.entities[n];
      out << " " << e.name << " (" << e.type.substr(0, 1) << e.mentions << ")";
    }
    out << "\n\n";
  }
  out << "Articles\n";
  for (const store::StoredArticle& a : articles) {
    out << "  " << a.article.id << "  "
        << (a.article.published.empty() ? "undated" : a.article.published.substr(0, 10)) << "  "
        << (a.article.source.empty() ? "-" : a.article.source) << "  " << a.article.title;
    if (!a.analysis.copy_of.empty()) out << "  [copy of " << a.analysis.copy_of << "]";
    out << "\n";
  }
}

}  // namespace storyline::cli
