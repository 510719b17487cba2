#include "markdown.h"

#include <nlohmann/json.hpp>
#include <string>

#include "storyline/core/date.h"

namespace storyline::cli {
namespace {

using nlohmann::json;

json Digest(const store::StoryRecord& s) {
  json j = json::parse(s.digest_json.empty() ? "{}" : s.digest_json, nullptr, false);
  return j.is_discarded() ? json::object() : j;
}

std::string Str(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return "";
  return j[key].get<std::string>();
}

// "Reuters story, carried by 4 outlets; 2 cut versions" from a digest's
// wire attribution.
std::string WireLine(const json& w) {
  const std::size_t outlets =
      w.contains("outlets") && w["outlets"].is_array() ? w["outlets"].size() : 0;
  const std::size_t cut = w.value("cut_versions", std::size_t{0});
  std::string line = Str(w, "agency") + " story";
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

void StoryMarkdown(const store::StoryRecord& s, std::ostream& out) {
  const json d = Digest(s);
  out << "## " << Inline(s.title.empty() ? s.id : s.title) << "\n\n";
  out << "*" << s.size << " article" << (s.size == 1 ? "" : "s") << ", " << DateRange(s)
      << " · story `" << s.id << "`, storyline `" << s.storyline << "`*\n\n";
  if (d.contains("summary") && !d["summary"].empty()) {
    for (const json& sentence : d["summary"]) out << Inline(sentence.get<std::string>()) << " ";
    out << "\n\n";
  }
  if (d.contains("timeline") && !d["timeline"].empty()) {
    out << "**Timeline**\n\n";
    for (const json& t : d["timeline"]) {
      out << "- **" << Str(t, "date") << "**: " << Inline(Str(t, "text"));
      if (t.contains("sources") && !t["sources"].empty()) {
        out << " (";
        bool first = true;
        for (const json& src : t["sources"]) {
          out << (first ? "" : ", ") << src.get<std::string>();
          first = false;
        }
        out << ")";
      }
      out << "\n";
    }
    out << "\n";
  }
  if (d.contains("quotes") && !d["quotes"].empty()) {
    out << "**Quotes**\n\n";
    for (const json& q : d["quotes"]) {
      const std::string speaker = Str(q, "speaker");
      out << "> “" << Inline(Str(q, "text")) << "” — "
          << (speaker.empty() ? "unattributed" : speaker) << "\n>\n";
    }
    out << "\n";
  }
  if (d.contains("entities") && !d["entities"].empty()) {
    out << "**Who and where**: ";
    int n = 0;
    for (const json& e : d["entities"]) {
      if (n++ == 12) break;
      out << (n > 1 ? ", " : "") << Str(e, "name") << " (" << Str(e, "type") << ")";
    }
    out << "\n\n";
  }
  if (d.contains("wire") && d["wire"].is_object()) {
    out << "**Wire**: " << WireLine(d["wire"]) << "\n\n";
  }
  if (d.contains("sources") && !d["sources"].empty()) {
    out << "**Sources**: ";
    bool first = true;
    for (const json& src : d["sources"]) {
      out << (first ? "" : ", ") << Str(src, "source");
      first = false;
    }
    out << "\n\n";
  }
  if (d.contains("copies") && !d["copies"].empty()) {
    out << "**Copies**: ";
    bool first = true;
    for (const json& c : d["copies"]) {
      out << (first ? "" : "; ") << "`" << Str(c, "article") << "` copies `" << Str(c, "copy_of")
          << "`";
      first = false;
    }
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
  const json d = Digest(s);
  out << "\033[1m" << (s.title.empty() ? s.id : s.title) << "\033[0m\n";
  out << s.id << " · storyline " << s.storyline << " · " << s.size << " article"
      << (s.size == 1 ? "" : "s") << " · " << DateRange(s) << "\n";
  if (d.contains("wire") && d["wire"].is_object()) out << WireLine(d["wire"]) << "\n";
  out << "\n";
  if (d.contains("summary") && !d["summary"].empty()) {
    out << "Summary\n";
    for (const json& sentence : d["summary"]) out << "  " << sentence.get<std::string>() << "\n";
    out << "\n";
  }
  if (d.contains("timeline") && !d["timeline"].empty()) {
    out << "Timeline\n";
    for (const json& t : d["timeline"]) {
      out << "  " << Str(t, "date") << "  " << Inline(Str(t, "text")) << "\n";
    }
    out << "\n";
  }
  if (d.contains("quotes") && !d["quotes"].empty()) {
    out << "Quotes\n";
    for (const json& q : d["quotes"]) {
      const std::string speaker = Str(q, "speaker");
      out << "  " << (speaker.empty() ? "(unattributed)" : speaker) << ": “"
          << Inline(Str(q, "text")) << "”\n";
    }
    out << "\n";
  }
  if (d.contains("entities") && !d["entities"].empty()) {
    out << "Entities\n ";
    int n = 0;
    for (const json& e : d["entities"]) {
      if (n++ == 20) break;
      out << " " << Str(e, "name") << " (" << Str(e, "type").substr(0, 1) << e.value("mentions", 0)
          << ")";
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
