// storyline search: full-text search over the store's articles and stories
// (titles, bodies, digest summaries, entities, quotes), ranked by bm25.
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "command.h"
#include "storyline/store/store.h"

namespace storyline::cli {
namespace {

// The snippet with matches shown as [match] (or bold on a terminal), on one line.
std::string Readable(const std::string& snippet, bool tty) {
  std::string out;
  for (char c : snippet) {
    if (c == store::kMatchBegin) {
      out += tty ? "\x1b[1m" : "[";
    } else if (c == store::kMatchEnd) {
      out += tty ? "\x1b[0m" : "]";
    } else if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string Plain(const std::string& snippet) {
  std::string out;
  for (char c : snippet) {
    if (c != store::kMatchBegin && c != store::kMatchEnd) out += c;
  }
  return out;
}

class SearchCommand final : public Command {
 public:
  void Configure(CLI::App& app) override {
    app.footer(
        "Words are ANDed; \"double quotes\" make a phrase; word* matches a prefix. Case and "
        "accents are ignored. Stories match on their title, summary, entities and quotes; "
        "articles on their title and body.");
    app.add_option("query", query_, "Words to search for")->required();
    app.add_option("--db", db_, "Store file")->capture_default_str();
    app.add_option("--limit", limit_, "Results per kind")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000));
    app.add_option("--format", format_, "table or json")
        ->capture_default_str()
        ->check(CLI::IsMember({"table", "json"}));
  }

  Result<int> Run() override {
    Result<std::unique_ptr<store::Store>> db = store::Store::Open(db_);
    if (!db) return Fail(db.error());
    std::string text;
    for (const std::string& w : query_) text += (text.empty() ? "" : " ") + w;
    Result<store::SearchResults> r = (*db)->Search({.text = text, .limit = limit_});
    if (!r) return Fail(r.error());
    if (format_ == "json") {
      nlohmann::json out = {{"query", text},
                            {"total_stories", r->total_stories},
                            {"total_articles", r->total_articles},
                            {"total_stories_exact", r->total_stories_exact},
                            {"total_articles_exact", r->total_articles_exact}};
      nlohmann::json stories = nlohmann::json::array();
      for (const store::SearchHit& h : r->stories) {
        stories.push_back({{"id", h.id},
                           {"title", h.title},
                           {"size", h.size},
                           {"score", h.score},
                           {"snippet", Plain(h.snippet)}});
      }
      nlohmann::json articles = nlohmann::json::array();
      for (const store::SearchHit& h : r->articles) {
        articles.push_back({{"id", h.id},
                            {"title", h.title},
                            {"story", h.story},
                            {"source", h.source},
                            {"published", h.published},
                            {"score", h.score},
                            {"copies", h.copies},
                            {"snippet", Plain(h.snippet)}});
      }
      out["stories"] = std::move(stories);
      out["articles"] = std::move(articles);
      std::printf("%s\n",
                  out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
      return kExitOk;
    }
    const bool tty = ::isatty(STDOUT_FILENO) != 0;
    std::printf("stories: %s%lld match%s\n", r->total_stories_exact ? "" : "at least ",
                static_cast<long long>(r->total_stories), r->total_stories == 1 ? "" : "es");
    for (const store::SearchHit& h : r->stories) {
      std::printf("  %-12s %5.2f  %4lld art.  %s\n      %s\n", h.id.c_str(), h.score,
                  static_cast<long long>(h.size), h.title.c_str(),
                  Readable(h.snippet, tty).c_str());
    }
    std::printf("articles: %s%lld match%s\n", r->total_articles_exact ? "" : "at least ",
                static_cast<long long>(r->total_articles), r->total_articles == 1 ? "" : "es");
    for (const store::SearchHit& h : r->articles) {
      // A wire story's copies are one hit: "(+2 copies)".
      const std::string copies = h.copies > 1 ? " (+" + std::to_string(h.copies - 1) +
                                                    (h.copies == 2 ? " copy)" : " copies)")
                                              : "";
      std::printf("  %-28s %5.2f  %-10s %-24s %s%s\n      %s\n", h.id.c_str(), h.score,
                  h.published.substr(0, 10).c_str(), h.source.c_str(), h.title.c_str(),
                  copies.c_str(), Readable(h.snippet, tty).c_str());
    }
    return kExitOk;
  }

 private:
  std::vector<std::string> query_;
  std::string db_ = "storyline.db";
  std::int64_t limit_ = 10;
  std::string format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeSearchCommand() { return std::make_unique<SearchCommand>(); }

}  // namespace storyline::cli
