// Measures the pipeline's stages into BatchReport::stages (private to the
// pipeline).
#ifndef STORYLINE_PIPELINE_STAGE_TIMER_H_
#define STORYLINE_PIPELINE_STAGE_TIMER_H_

#include <time.h>

#include <chrono>

#include "storyline/pipeline/pipeline.h"

namespace storyline::pipeline {

// Wall-clock and process CPU time since construction or the last Lap().
class StageTimer {
 public:
  StageTimer() { Restart(); }

  // Adds the time since the last lap to `stage` in `report` and restarts.
  void Lap(const char* stage, BatchReport& report) {
    const auto wall = std::chrono::steady_clock::now();
    const double cpu = ProcessCpuSeconds();
    report.AddStageTime(stage, std::chrono::duration<double>(wall - wall_).count(), cpu - cpu_);
    wall_ = wall;
    cpu_ = cpu;
  }

  void Restart() {
    wall_ = std::chrono::steady_clock::now();
    cpu_ = ProcessCpuSeconds();
  }

 private:
  // CPU time of every thread of the process.
  static double ProcessCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }

  std::chrono::steady_clock::time_point wall_;
  double cpu_ = 0;
};

}  // namespace storyline::pipeline

#endif  // STORYLINE_PIPELINE_STAGE_TIMER_H_
