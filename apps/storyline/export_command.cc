// storyline export: the store's contents in the shapes of docs/contract.md.
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "command.h"
#include "json_views.h"
#include "markdown.h"
#include "storyline/store/store.h"

namespace storyline::cli {
namespace {

using nlohmann::json;

class ExportCommand final : public Command {
 public:
  void Configure(CLI::App& app) override {
    app.footer(
        "Formats:\n"
        "  json   one object {articles, duplicates, dup_groups, stories, storylines} (docs/contract.md)\n"
        "  jsonl  one article object per line\n"
        "  md     a Markdown briefing: stories newest first, each with its summary, timeline,\n"
        "         quotes and sources");
    app.add_option("--db", db_, "Store file")->capture_default_str();
    app.add_option("--format", format_, "json, jsonl or md")
        ->capture_default_str()
        ->check(CLI::IsMember({"json", "jsonl", "md"}));
    app.add_flag("--lines", lines_, "Include every line of each article with its role and reason");
    app.add_flag("--text", text_, "Include each article's input text as given");
    app.add_option("-o,--output", output_, "Write to this file instead of standard output");
  }

  Result<int> Run() override {
    Result<std::unique_ptr<store::Store>> st =
        store::Store::Open(db_, store::StoreOptions{.read_only = true});
    if (!st) return Fail(st.error());
    std::ofstream file;
    std::ostream* out = &std::cout;
    if (!output_.empty()) {
      file.open(output_, std::ios::binary | std::ios::trunc);
      if (!file) return MakeError(ErrorCode::kIo, output_ + ": cannot write");
      out = &file;
    }
    Status s = format_ == "md" ? WriteMarkdown(**st, *out) : WriteJson(**st, *out);
    if (!s) return Fail(s.error());
    out->flush();
    if (!*out) {
      return MakeError(ErrorCode::kIo, (output_.empty() ? "stdout" : output_) + ": write failed");
    }
    return kExitOk;
  }

 private:
  // Streams section by section so memory stays flat on big stores (only the
  // dup-group and story membership maps are held).
  Status WriteJson(store::Store& st, std::ostream& out) {
    const bool jsonl = format_ == "jsonl";
    std::map<std::string, std::vector<std::string>> groups;   // dup group -> members
    std::map<std::string, std::vector<std::string>> stories;  // story -> articles
    bool first = true;
    if (!jsonl) out << "{\"articles\":[";
    Status s = st.ForEachArticle([&](const store::StoredArticle& a) -> Status {
      const std::string text = Dump(ArticleView(a, lines_, text_ || a.analysis.revision == 0));
      if (jsonl) {
        out << text << '\n';
      } else {
        out << (first ? "\n" : ",\n") << text;
      }
      first = false;
      if (!a.analysis.dup_group.empty()) groups[a.analysis.dup_group].push_back(a.article.id);
      if (!a.analysis.story.empty()) stories[a.analysis.story].push_back(a.article.id);
      return Ok();
    });
    if (!s) return s;
    if (jsonl) return Ok();
    out << "\n],\"duplicates\":[";
    first = true;
    s = st.ForEachDuplicate([&](const store::DuplicateRecord& d) -> Status {
      out << (first ? "\n" : ",\n") << Dump(DuplicateView(d));
      first = false;
      return Ok();
    });
    if (!s) return s;
    out << "\n],\"dup_groups\":[";
    first = true;
    for (const auto& [id, members] : groups) {
      json g = {{"id", id}, {"canonical", id}, {"members", members}};
      out << (first ? "\n" : ",\n") << Dump(g);
      first = false;
    }
    out << "\n],\"stories\":[";
    first = true;
    for (std::int64_t offset = 0;; offset += kPage) {
      Result<std::vector<store::StoryRecord>> page = st.ListStories(
          {.storyline = "", .order = store::StoryOrder::kRecent, .limit = kPage, .offset = offset});
      if (!page) return Fail(page.error());
      for (const store::StoryRecord& r : *page) {
        out << (first ? "\n" : ",\n") << Dump(StoryView(r, stories[r.id]));
        first = false;
      }
      if (static_cast<std::int64_t>(page->size()) < kPage) break;
    }
    out << "\n],\"storylines\":[";
    first = true;
    std::map<std::string, std::vector<std::string>> line_stories;
    for (std::int64_t offset = 0;; offset += kPage) {
      Result<std::vector<store::StoryRecord>> page = st.ListStories(
          {.storyline = "", .order = store::StoryOrder::kRecent, .limit = kPage, .offset = offset});
      if (!page) return Fail(page.error());
      for (const store::StoryRecord& r : *page) line_stories[r.storyline].push_back(r.id);
      if (static_cast<std::int64_t>(page->size()) < kPage) break;
    }
    for (std::int64_t offset = 0;; offset += kPage) {
      Result<std::vector<store::StorylineRecord>> page = st.ListStorylines(kPage, offset);
      if (!page) return Fail(page.error());
      for (const store::StorylineRecord& l : *page) {
        json j = {{"id", l.id}, {"title", l.title}, {"stories", line_stories[l.id]}};
        out << (first ? "\n" : ",\n") << Dump(j);
        first = false;
      }
      if (static_cast<std::int64_t>(page->size()) < kPage) break;
    }
    out << "\n]}\n";
    return Ok();
  }

  static constexpr std::int64_t kPage = 1000;
  std::string db_ = "storyline.db";
  std::string format_ = "json";
  bool lines_ = false;
  bool text_ = false;
  std::string output_;
};

}  // namespace

std::unique_ptr<Command> MakeExportCommand() { return std::make_unique<ExportCommand>(); }

}  // namespace storyline::cli
