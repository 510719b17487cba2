// Fuzzes the search query builder through the store: any text a user types
// into q= must give results (possibly none), never an FTS5 syntax error,
// a crash or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "storyline/store/store.h"

namespace {

storyline::store::Store& FuzzStore() {
  using namespace storyline;
  static std::unique_ptr<store::Store> store = [] {
    auto s = store::Store::Open(":memory:");
    if (!s) __builtin_trap();
    std::vector<Article> articles(3);
    const char* texts[] = {"Talks in Geneva between the delegations ended on Monday.",
                           "Les négociations de Genève ont pris fin lundi soir.",
                           "NATO and OSCE meetings follow the Geneva talks."};
    std::vector<store::ArticleAnalysis> analyses(3);
    for (int i = 0; i < 3; ++i) {
      articles[i].id = "a" + std::to_string(i);
      articles[i].title = "Title " + std::to_string(i);
      articles[i].text = texts[i];
      analyses[i].id = articles[i].id;
      analyses[i].revision = 1;
      analyses[i].body = texts[i];
      analyses[i].story = "s1";
    }
    if (!(*s)->PutArticles(articles)) __builtin_trap();
    if (!(*s)->PutAnalyses(analyses)) __builtin_trap();
    store::StoryRecord story;
    story.id = "s1";
    story.title = "Geneva talks";
    story.size = 3;
    story.digest.summary = {"Talks in Geneva."};
    if (!(*s)->PutStories(std::vector<store::StoryRecord>{story})) __builtin_trap();
    return std::move(*s);
  }();
  return *store;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace storyline;
  if (size > 4096) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  store::Store& s = FuzzStore();
  auto r = s.Search({.text = text, .limit = 5, .offset = 0});
  if (!r) __builtin_trap();
  store::StoryFilter f;
  f.text = text;
  if (!s.FindStories(f)) __builtin_trap();
  if (!s.CountStoriesMatching(f, 100)) __builtin_trap();
  return 0;
}
