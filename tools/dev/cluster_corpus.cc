#include "dev/cluster_corpus.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <unordered_map>

#include "storyline/core/date.h"

namespace storyline::tools::cluster_dev {

using cluster::ArticleFeatures;
using cluster::Assignment;
using cluster::ClusterOptions;
using cluster::ClusterScores;
using cluster::FrozenStory;
using cluster::StoryClusterer;

namespace {

using nlohmann::json;

std::string StringField(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

Result<std::vector<json>> ReadLines(const std::string& path) {
  std::ifstream in(path);
  if (!in) return MakeError(ErrorCode::kIo, "cannot open " + path);
  std::vector<json> out;
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      return MakeError(ErrorCode::kInvalidInput, path + ":" + std::to_string(n) + ": bad JSON");
    }
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

Result<std::vector<DevArticle>> LoadJsonl(const std::string& path) {
  Result<std::vector<json>> lines = ReadLines(path);
  if (!lines) return Fail(lines.error());
  std::vector<DevArticle> out;
  for (const json& j : *lines) {
    DevArticle a;
    a.features.id = StringField(j, "id");
    a.features.title = StringField(j, "title");
    a.features.body = StringField(j, "text");
    a.features.lang = StringField(j, "lang");
    const std::string published = StringField(j, "published");
    if (!published.empty()) {
      Result<Timestamp> t = ParseIso8601(published);
      if (t) a.features.published = *t;
    }
    a.story = StringField(j, "story");
    a.storyline = StringField(j, "storyline");
    a.dup_group = StringField(j, "dup_group");
    a.file_order = out.size();
    out.push_back(std::move(a));
  }
  return out;
}

Status LoadTxtDir(const std::string& dir, std::vector<DevArticle>* articles) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  if (ec) return MakeError(ErrorCode::kIo, "cannot list " + dir);
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    DevArticle a;
    a.features.id = file.stem().string();
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.find_first_not_of(" \t\r") != std::string::npos) break;
    }
    a.features.title = line;
    a.features.body = text;
    a.file_order = articles->size();
    articles->push_back(std::move(a));
  }
  return Ok();
}

Status ApplyGold(const std::string& path, std::vector<DevArticle>* articles) {
  Result<std::vector<json>> lines = ReadLines(path);
  if (!lines) return Fail(lines.error());
  std::unordered_map<std::string, const json*> by_id;
  for (const json& j : *lines) by_id[StringField(j, "id")] = &j;
  for (DevArticle& a : *articles) {
    auto it = by_id.find(a.features.id);
    if (it == by_id.end()) continue;
    a.story = StringField(*it->second, "story");
    a.storyline = StringField(*it->second, "storyline");
    a.dup_group = StringField(*it->second, "dup_group");
  }
  return Ok();
}

Status ApplyLineRoles(const std::string& path, std::vector<DevArticle>* articles) {
  Result<std::vector<json>> lines = ReadLines(path);
  if (!lines) return Fail(lines.error());
  std::unordered_map<std::string, const json*> by_id;
  for (const json& j : *lines) by_id[StringField(j, "id")] = &j;
  for (DevArticle& a : *articles) {
    auto it = by_id.find(a.features.id);
    if (it == by_id.end()) continue;
    const json& roles = (*it->second)["roles"];
    std::string body;
    std::size_t start = 0;
    std::size_t n = 0;
    const std::string& text = a.features.body;
    while (start <= text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      if (n < roles.size() && roles[n].is_string()) {
        const std::string role = roles[n].get<std::string>();
        if (role == "body" || role == "heading") body.append(text, start, end - start).append("\n");
      }
      ++n;
      start = end + 1;
    }
    a.features.body = std::move(body);
  }
  return Ok();
}

void SortForStream(std::vector<DevArticle>* articles) {
  std::sort(articles->begin(), articles->end(),
            [](const DevArticle& x, const DevArticle& y) { return x.file_order < y.file_order; });
  // Undated articles take the time of the dated article before them, so a
  // stable sort keeps them right after it.
  std::vector<std::pair<Timestamp, std::size_t>> key(articles->size());
  Timestamp last = std::numeric_limits<Timestamp>::min();
  for (std::size_t i = 0; i < articles->size(); ++i) {
    if ((*articles)[i].features.published) last = *(*articles)[i].features.published;
    key[i] = {last, i};
  }
  std::vector<std::size_t> order(articles->size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return key[x].first < key[y].first; });
  std::vector<DevArticle> sorted;
  sorted.reserve(articles->size());
  for (std::size_t i : order) sorted.push_back(std::move((*articles)[i]));
  *articles = std::move(sorted);
}

void LinkCopiesFromGold(std::vector<DevArticle>* articles) {
  std::unordered_map<std::string, std::string> original;
  for (DevArticle& a : *articles) {
    if (a.dup_group.empty()) continue;
    auto [it, inserted] = original.try_emplace(a.dup_group, a.features.id);
    if (!inserted) a.features.copy_of = it->second;
  }
}

Result<DevRun> RunClusterer(const ClusterOptions& options, const std::vector<DevArticle>& articles,
                            int batch_size) {
  Result<StoryClusterer> clusterer = StoryClusterer::Create(options);
  if (!clusterer) return Fail(clusterer.error());
  const auto start = std::chrono::steady_clock::now();
  std::vector<ArticleFeatures> features;
  features.reserve(articles.size());
  for (const DevArticle& a : articles) features.push_back(a.features);
  const std::size_t step = batch_size > 0 ? static_cast<std::size_t>(batch_size) : features.size();
  for (std::size_t i = 0; i < features.size(); i += step) {
    const std::size_t n = std::min(step, features.size() - i);
    Result<std::vector<Assignment>> r =
        clusterer->AddBatch(std::span<const ArticleFeatures>(features).subspan(i, n));
    if (!r) return Fail(r.error());
  }
  // Final labels: the live stories (after any merges) and the frozen ones.
  std::unordered_map<std::string, std::pair<std::string, std::string>> label;
  clusterer->FreezeAll();
  for (const FrozenStory& f : clusterer->TakeFrozen()) {
    for (const std::string& id : f.articles) label[id] = {f.id, f.storyline};
  }
  DevRun run;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<std::string> gold_story;
  std::vector<std::string> gold_line;
  for (const DevArticle& a : articles) {
    const auto& l = label[a.features.id];
    run.story.push_back(l.first);
    run.storyline.push_back(l.second);
    gold_story.push_back(a.story);
    gold_line.push_back(a.storyline);
  }
  Result<ClusterScores> s = cluster::Score(run.story, gold_story);
  if (!s) return Fail(s.error());
  run.story_scores = *s;
  Result<ClusterScores> l = cluster::Score(run.storyline, gold_line);
  if (!l) return Fail(l.error());
  run.storyline_scores = *l;
  // ECB+ topic mixing: gold "ecbp-11_ecb" / "ecbp-11_ecbplus" share the
  // topic "ecbp-11".
  std::map<std::string, std::map<std::string, std::set<std::string>>> events;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    const std::string& g = articles[i].story;
    const std::size_t cut = g.find('_');
    if (g.empty() || cut == std::string::npos) continue;
    events[run.story[i]][g.substr(0, cut)].insert(g);
  }
  for (const auto& [story, topics] : events) {
    for (const auto& [topic, gold] : topics) {
      if (gold.size() > 1) {
        ++run.mixed_topic_stories;
        break;
      }
    }
  }
  return run;
}

}  // namespace storyline::tools::cluster_dev
