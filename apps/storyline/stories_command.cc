// storyline stories / storyline show: the stories as a table, one story's
// digest.
#include <cstdio>
#include <iostream>
#include <string>

#include "command.h"
#include "json_views.h"
#include "markdown.h"
#include "progress.h"
#include "storyline/core/date.h"
#include "storyline/store/store.h"

namespace storyline::cli {
namespace {

using nlohmann::json;

Result<std::unique_ptr<store::Store>> OpenReadOnly(const std::string& db) {
  return store::Store::Open(db, store::StoreOptions{.read_only = true});
}

// At most `width` display columns of `s` (counting code points), with an
// ellipsis when cut.
std::string Fit(const std::string& s, std::size_t width) {
  std::size_t cols = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    if (cols == width) return s.substr(0, i) + "…";
    const unsigned char c = static_cast<unsigned char>(s[i]);
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    ++cols;
  }
  return s + std::string(width - cols + 1, ' ');
}

class StoriesCommand final : public Command {
 public:
  void Configure(CLI::App& app) override {
    app.add_option("--db", db_, "Store file")->capture_default_str();
    app.add_option("--order", order_, "recent (newest first, then largest) or largest")
        ->capture_default_str()
        ->check(CLI::IsMember({"recent", "largest"}));
    app.add_option("--storyline", storyline_, "Only the stories of this storyline");
    app.add_option("-n,--limit", limit_, "Stories to list")->capture_default_str();
    app.add_option("--format", format_, "table or json")
        ->capture_default_str()
        ->check(CLI::IsMember({"table", "json"}));
  }

  Result<int> Run() override {
    Result<std::unique_ptr<store::Store>> st = OpenReadOnly(db_);
    if (!st) return Fail(st.error());
    Result<std::vector<store::StoryRecord>> stories = (*st)->ListStories(
        {.storyline = storyline_,
         .order = store::ParseStoryOrder(order_).value_or(store::StoryOrder::kRecent),
         .limit = limit_});
    if (!stories) return Fail(stories.error());
    if (format_ == "json") {
      json out = json::array();
      for (const store::StoryRecord& s : *stories) out.push_back(StoryView(s, {}));
      std::cout << Dump(out, 2) << '\n';
      return kExitOk;
    }
    Result<std::int64_t> total = (*st)->CountStories();
    if (!total) return Fail(total.error());
    std::printf("%-10s %-10s %5s  %-23s  %-58s %s\n", "STORY", "STORYLINE", "SIZE", "DATES",
                "TITLE", "SOURCES");
    for (const store::StoryRecord& s : *stories) {
      std::string dates = "undated";
      if (s.first_published) {
        dates = FormatDate(ToCivilDate(*s.first_published));
        const std::string last =
            FormatDate(ToCivilDate(s.last_published.value_or(*s.first_published)));
        if (last != dates) dates += ".." + last.substr(5);
      }
      const json view = StoryView(s, {});
      std::string sources;
      for (const json& src : view["sources"]) {
        if (!sources.empty()) sources += ", ";
        sources += src.get<std::string>();
      }
      std::printf("%-10s %-10s %5lld  %-23s  %s %s\n", s.id.c_str(), s.storyline.c_str(),
                  static_cast<long long>(s.size), dates.c_str(), Fit(s.title, 57).c_str(),
                  Fit(sources, 60).c_str());
    }
    std::printf("(%zu of %s stories; 'storyline show STORY' for a digest)\n", stories->size(),
                WithThousands(*total).c_str());
    return kExitOk;
  }

 private:
  std::string db_ = "storyline.db";
  std::string order_ = "recent";
  std::string storyline_;
  std::int64_t limit_ = 50;
  std::string format_ = "table";
};

class ShowCommand final : public Command {
 public:
  void Configure(CLI::App& app) override {
    app.add_option("story", story_, "Story id (from 'storyline stories')")->required();
    app.add_option("--db", db_, "Store file")->capture_default_str();
    app.add_option("--format", format_, "text or json")
        ->capture_default_str()
        ->check(CLI::IsMember({"text", "json"}));
  }

  Result<int> Run() override {
    Result<std::unique_ptr<store::Store>> st = OpenReadOnly(db_);
    if (!st) return Fail(st.error());
    Result<std::optional<store::StoryRecord>> story = (*st)->GetStory(story_);
    if (!story) return Fail(story.error());
    if (!story->has_value()) {
      return MakeError(ErrorCode::kNotFound, "no story '" + story_ + "' in " + db_ +
                                                 " (list them with 'storyline stories')");
    }
    Result<std::vector<store::StoredArticle>> articles = (*st)->ArticlesOfStory(story_);
    if (!articles) return Fail(articles.error());
    if (format_ == "json") {
      std::vector<std::string> ids;
      for (const store::StoredArticle& a : *articles) ids.push_back(a.article.id);
      std::cout << Dump(StoryView(**story, ids), 2) << '\n';
    } else {
      RenderStory(**story, *articles, std::cout);
    }
    return kExitOk;
  }

 private:
  std::string story_;
  std::string db_ = "storyline.db";
  std::string format_ = "text";
};

class DupsCommand final : public Command {
 public:
  void Configure(CLI::App& app) override {
    app.footer(
        "Relations: exact (same normalised body), near (high shingle resemblance), partial (most "
        "of the smaller body inside the larger: a cut or re-worded wire copy).");
    app.add_option("--db", db_, "Store file")->capture_default_str();
    app.add_option("--format", format_, "text or json")
        ->capture_default_str()
        ->check(CLI::IsMember({"text", "json"}));
  }

  Result<int> Run() override {
    Result<std::unique_ptr<store::Store>> st = OpenReadOnly(db_);
    if (!st) return Fail(st.error());
    std::vector<store::DuplicateRecord> pairs;
    Status s = (*st)->ForEachDuplicate([&](const store::DuplicateRecord& d) -> Status {
      pairs.push_back(d);
      return Ok();
    });
    if (!s) return Fail(s.error());
    // Group pairs by the dup group of their first article.
    std::map<std::string, std::vector<const store::DuplicateRecord*>> by_group;
    std::map<std::string, std::vector<std::string>> members;
    s = (*st)->ForEachArticle([&](const store::StoredArticle& a) -> Status {
      if (!a.analysis.dup_group.empty()) members[a.analysis.dup_group].push_back(a.article.id);
      return Ok();
    });
    if (!s) return Fail(s.error());
    std::map<std::string, std::string> group_of;
    for (const auto& [g, ids] : members) {
      for (const std::string& id : ids) group_of[id] = g;
    }
    for (const store::DuplicateRecord& d : pairs) by_group[group_of[d.a]].push_back(&d);
    if (format_ == "json") {
      json out = json::array();
      for (const auto& [g, ids] : members) {
        json pj = json::array();
        for (const store::DuplicateRecord* d : by_group[g]) pj.push_back(DuplicateView(*d));
        out.push_back({{"id", g}, {"canonical", g}, {"members", ids}, {"pairs", pj}});
      }
      std::cout << Dump(out, 2) << '\n';
      return kExitOk;
    }
    for (const auto& [g, ids] : members) {
      std::cout << "group " << g << " (" << ids.size() << " articles; canonical " << g << ")\n";
      for (const store::DuplicateRecord* d : by_group[g]) {
        std::printf("  %-28s %-8s %-28s jaccard %.2f  containment %.2f\n", d->a.c_str(),
                    d->relation.c_str(), d->b.c_str(), d->jaccard, d->containment);
        const json ev = DuplicateView(*d)["evidence"];
        for (const json& e : ev) {
          std::string text = e.get<std::string>();
          // One line per passage: paragraph breaks are shown as " / ".
          for (std::size_t nl = text.find('\n'); nl != std::string::npos;
               nl = text.find('\n', nl)) {
            text.replace(nl, 1, " / ");
          }
          if (text.size() > 160) {
            std::size_t cut = 160;
            while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
            text = text.substr(0, cut) + "…";
          }
          std::cout << "      “" << text << "”\n";
        }
      }
    }
    std::printf("%zu duplicate group%s, %zu verified pair%s\n", members.size(),
                members.size() == 1 ? "" : "s", pairs.size(), pairs.size() == 1 ? "" : "s");
    return kExitOk;
  }

 private:
  std::string db_ = "storyline.db";
  std::string format_ = "text";
};

}  // namespace

std::unique_ptr<Command> MakeStoriesCommand() { return std::make_unique<StoriesCommand>(); }
std::unique_ptr<Command> MakeShowCommand() { return std::make_unique<ShowCommand>(); }
std::unique_ptr<Command> MakeDupsCommand() { return std::make_unique<DupsCommand>(); }

}  // namespace storyline::cli
