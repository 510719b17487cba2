// storyline export: the store's contents in the shapes of PRODUCT.md.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "command.h"
#include "storyline/store/store.h"

namespace storyline::cli {
namespace {

using nlohmann::json;

json ArticleJson(const store::StoredArticle& s) {
  const Article& a = s.article;
  json j;
  j["id"] = a.id;
  j["title"] = a.title;
  j["lang"] = a.lang.empty() ? json(nullptr) : json(a.lang);
  j["published"] = a.published.empty() ? json(nullptr) : json(a.published);
  j["published_inferred"] = a.published_inferred;
  j["source"] = a.source.empty() ? json(nullptr) : json(a.source);
  j["url"] = a.url.empty() ? json(nullptr) : json(a.url);
  j["text"] = a.text;
  return j;
}

class ExportCommand final : public Command {
 public:
  void Configure(CLI::App& app) override {
    app.footer(
        "Write the store's contents. json: one object {\"articles\": [...]} as in PRODUCT.md; "
        "jsonl: one article object per line.");
    app.add_option("--db", db_, "Store file")->capture_default_str();
    app.add_option("--format", format_, "json or jsonl")
        ->capture_default_str()
        ->check(CLI::IsMember({"json", "jsonl"}));
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
    // Articles are streamed one at a time so memory stays flat on big stores.
    bool first = true;
    if (format_ == "json") *out << "{\"articles\":[";
    Status s = (*st)->ForEachArticle([&](const store::StoredArticle& a) -> Status {
      const std::string text = ArticleJson(a).dump(-1, ' ', false, json::error_handler_t::replace);
      if (format_ == "json") {
        *out << (first ? "\n" : ",\n") << text;
      } else {
        *out << text << '\n';
      }
      first = false;
      return Ok();
    });
    if (!s) return Fail(s.error());
    if (format_ == "json") *out << "\n]}\n";
    out->flush();
    if (!*out) return MakeError(ErrorCode::kIo, (output_.empty() ? "stdout" : output_) + ": write failed");
    return kExitOk;
  }

 private:
  std::string db_ = "storyline.db";
  std::string format_ = "json";
  std::string output_;
};

}  // namespace

std::unique_ptr<Command> MakeExportCommand() { return std::make_unique<ExportCommand>(); }

}  // namespace storyline::cli
