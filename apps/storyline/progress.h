// A progress line on a terminal: rewritten in place at most a few times a
// second, silent when stderr is not a terminal unless forced.
#ifndef STORYLINE_APPS_STORYLINE_PROGRESS_H_
#define STORYLINE_APPS_STORYLINE_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace storyline::cli {

enum class ProgressMode { kAuto, kAlways, kNever, kLines };

// The mode a --progress flag ("auto", "always", "never", "lines") asks for;
// --quiet turns it off.
ProgressMode ProgressModeOf(std::string_view flag, bool quiet);

class ProgressLine {
 public:
  explicit ProgressLine(ProgressMode mode);
  ~ProgressLine();

  // Reports the running counts; `total_bytes` 0 means unknown (no ETA).
  void Update(std::int64_t items, std::uint64_t bytes, std::uint64_t total_bytes,
              bool force = false);
  // Clears the line (before a summary is printed).
  void Finish();

  double elapsed_seconds() const;

 private:
  bool enabled_ = false;
  bool lines_ = false;  // one line per update instead of rewriting in place
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

// "12,345".
std::string WithThousands(std::int64_t n);

}  // namespace storyline::cli

#endif  // STORYLINE_APPS_STORYLINE_PROGRESS_H_
