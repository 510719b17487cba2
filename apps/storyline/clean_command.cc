// storyline clean: line roles and bodies of the given articles, which form
// their own corpus; needs no store.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "command.h"
#include "storyline/clean/line_classifier.h"
#include "storyline/ingest/reader.h"

namespace storyline::cli {
namespace {

using nlohmann::json;

class CleanCommand final : public Command {
 public:
  void Configure(CLI::App& app) override {
    app.footer(
        "Every line gets one role: title, body, heading, caption, byline, boilerplate, "
        "duplicate or blank, with the reason. The inputs together form the corpus from which "
        "site chrome is learned, so give a site's articles together. The body is the body and "
        "heading lines.");
    app.add_option("inputs", inputs_, "Files or directories to read")->required();
    app.add_option("--format", format_, "text (for reading) or json")
        ->capture_default_str()
        ->check(CLI::IsMember({"text", "json"}));
    app.add_flag("--body-only", body_only_, "text format: print only the bodies");
  }

  Result<int> Run() override {
    ingest::InputReader reader;
    std::vector<Article> articles;
    std::int64_t bad = 0;
    Status s = reader.Read(
        inputs_,
        [&](Article&& a) {
          articles.push_back(std::move(a));
          return Ok();
        },
        [&](const ingest::BadRecord& b) {
          ++bad;
          std::fprintf(stderr, "storyline: skipped %s\n", b.ToString().c_str());
        });
    if (!s) return Fail(s.error());
    Result<std::vector<clean::CleanedArticle>> cleaned = clean::CleanCorpus(articles);
    if (!cleaned) return Fail(cleaned.error());
    if (format_ == "json") {
      json out;
      out["articles"] = json::array();
      for (std::size_t i = 0; i < articles.size(); ++i) {
        const clean::CleanedArticle& c = (*cleaned)[i];
        json a;
        a["id"] = articles[i].id;
        a["title"] = clean::ArticleTitle(articles[i], c);
        json lines = json::array();
        for (const clean::Line& l : c.lines) {
          lines.push_back({{"n", l.n},
                           {"role", clean::RoleName(l.role)},
                           {"reason", l.reason},
                           {"text", l.text}});
        }
        a["lines"] = std::move(lines);
        a["body"] = c.body;
        out["articles"].push_back(std::move(a));
      }
      std::cout << out.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
    } else {
      for (std::size_t i = 0; i < articles.size(); ++i) {
        const clean::CleanedArticle& c = (*cleaned)[i];
        std::cout << "== " << articles[i].id;
        if (const std::string title = clean::ArticleTitle(articles[i], c); !title.empty()) {
          std::cout << "  " << title;
        }
        std::cout << '\n';
        if (body_only_) {
          std::cout << c.body << "\n\n";
          continue;
        }
        for (const clean::Line& l : c.lines) {
          if (l.role == clean::Role::kBlank) continue;
          char head[48];
          std::snprintf(head, sizeof head, "%4d %-11s ", l.n,
                        std::string(clean::RoleName(l.role)).c_str());
          std::cout << head << Shorten(l.text, 100);
          if (!clean::IsBodyRole(l.role) && !l.reason.empty()) {
            std::cout << "   [" << l.reason << "]";
          }
          std::cout << '\n';
        }
        std::cout << '\n';
      }
    }
    return bad > 0 ? kExitSkipped : kExitOk;
  }

 private:
  // At most `max` bytes of `s`, cut at a UTF-8 boundary, with an ellipsis.
  static std::string Shorten(std::string_view s, std::size_t max) {
    if (s.size() <= max) return std::string(s);
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return std::string(s.substr(0, cut)) + "…";
  }

  std::vector<std::string> inputs_;
  std::string format_ = "text";
  bool body_only_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeCleanCommand() { return std::make_unique<CleanCommand>(); }

}  // namespace storyline::cli
