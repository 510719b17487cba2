// Loading the pipeline's state from the store (private to the pipeline);
// saving it is the last stage, SaveState in stages.h.
#ifndef STORYLINE_PIPELINE_STATE_H_
#define STORYLINE_PIPELINE_STATE_H_

#include <cstddef>

#include "pipeline/work.h"
#include "storyline/core/result.h"
#include "storyline/pipeline/pipeline.h"
#include "storyline/store/store.h"

namespace storyline::pipeline {

// (Re)loads every stage's state from the store into `state`, with
// `threads` shinglers. `in_write`: the caller holds the write transaction
// (the reload of a writer that finds another writer's commits), so
// sketches recomputed here are written in it; otherwise they are written
// in a transaction of their own.
Status LoadState(store::Store& store, const PipelineOptions& options, std::size_t threads,
                 bool in_write, PipelineState& state);

}  // namespace storyline::pipeline

#endif  // STORYLINE_PIPELINE_STATE_H_
