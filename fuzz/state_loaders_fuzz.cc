// Fuzzes the loaders of state kept in the store (a damaged or hostile
// store file): the chrome model, the clusterer state and duplicate
// sketches. The first byte picks the loader; any bytes must load or give
// an error, never a crash, a hang or undefined behaviour. A loaded state
// must serialise again.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "storyline/clean/chrome_model.h"
#include "storyline/cluster/story_clusterer.h"
#include "storyline/dedup/sketch.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace storyline;
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      auto m = clean::ChromeModel::Deserialize(bytes);
      if (m) (void)m->Serialize();
      break;
    }
    case 1: {
      cluster::ClusterOptions options;
      options.dictionary_dir = "";  // no dictionaries: the loader alone
      auto c = cluster::StoryClusterer::Restore(options, bytes);
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
