// The `_storyline` extension: storyline's C++ library for Python. The
// package `storyline` (storyline/__init__.py) re-exports it with the
// pure-Python parts (storyline.dedup).
#include "bindings.h"

PYBIND11_MODULE(_storyline, m) {
  m.doc() =
      "storyline's C++ engine: line roles and bodies (clean, clean_corpus), duplicate "
      "sketches and the incremental duplicate index (sketch, sketch_many, DuplicateIndex), "
      "online story clustering (StoryClusterer) and read access to a store written by "
      "`storyline ingest` (Store). Heavy calls release the GIL.";
  namespace sp = storyline::python;
  sp::BindErrors(m);
  sp::BindClean(m);
  sp::BindDedup(m);
  sp::BindCluster(m);
  sp::BindStore(m);
  sp::BindDistributed(m);
}
