// Fuzzes the loaders of state kept in the store (a damaged or hostile
// store file): the chrome model, the clusterer state, change records of
// both (after a small valid state) and duplicate sketches. The first byte
// picks the loader; any bytes must load or give an error, never a crash, a
// hang or undefined behaviour. A loaded state must serialise again.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storyline/clean/chrome_model.h"
#include "storyline/cluster/story_clusterer.h"
#include "storyline/dedup/sketch.h"

namespace {

storyline::cluster::ClusterOptions LoaderOptions() {
  storyline::cluster::ClusterOptions options;
  options.dictionary_dir = "";  // no dictionaries: the loader alone
  return options;
}

// A state of two stories, for change records to apply to.
const std::string& SmallState() {
  static const std::string state = [] {
    auto c = storyline::cluster::StoryClusterer::Create(LoaderOptions());
    if (!c) __builtin_trap();
    const char* titles[] = {"Harbour quay closes for repairs", "Harbour quay repairs begin",
                            "Council votes on the new budget"};
    for (int i = 0; i < 3; ++i) {
      storyline::cluster::ArticleFeatures a;
      a.id = "a" + std::to_string(i);
      a.title = titles[i];
      a.body = titles[i];
      a.lang = "en";
      a.published = 1700000000 + i * 3600;
      if (!c->Add(a)) __builtin_trap();
    }
    return c->Serialize().value();
  }();
  return state;
}

// A chrome model of three articles, for change records to apply to.
const std::string& SmallChromeModel() {
  static const std::string model = [] {
    storyline::clean::ChromeModel m;
    for (int i = 0; i < 3; ++i) {
      storyline::Article a;
      a.id = "c" + std::to_string(i);
      a.source = "site.example";
      a.text = "Line " + std::to_string(i) + "\nShared footer line";
      m.Observe(a);
    }
    return m.Serialize();
  }();
  return model;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace storyline;
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0: {
      auto m = clean::ChromeModel::Deserialize(bytes);
      if (m) (void)m->Serialize();
      break;
    }
    case 1: {
      auto c = cluster::StoryClusterer::Restore(LoaderOptions(), bytes);
      if (c && !c->Serialize()) __builtin_trap();
      break;
    }
    case 4: {
      const std::vector<std::string> changes = {std::string(bytes)};
      auto m = clean::ChromeModel::Deserialize(SmallChromeModel(), changes);
      if (m) (void)m->Serialize();
      break;
    }
    case 3: {
      const std::vector<std::string> changes = {std::string(bytes)};
      auto c = cluster::StoryClusterer::Restore(LoaderOptions(), SmallState(), changes);
      if (c && !c->Serialize()) __builtin_trap();
      break;
    }
    default: {
      static const auto sketcher = dedup::Sketcher::Create({});
      if (!sketcher) __builtin_trap();
      if (sketcher->Compatible(bytes)) (void)sketcher->Load(bytes);
      break;
    }
  }
  return 0;
}
