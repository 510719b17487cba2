#include "progress.h"

#include <unistd.h>

#include <cstdio>

namespace storyline::cli {

std::string WithThousands(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

ProgressMode ProgressModeOf(std::string_view flag, bool quiet) {
  if (flag == "never" || quiet) return ProgressMode::kNever;
  if (flag == "always") return ProgressMode::kAlways;
  if (flag == "lines") return ProgressMode::kLines;
  return ProgressMode::kAuto;
}

ProgressLine::ProgressLine(ProgressMode mode)
    : start_(std::chrono::steady_clock::now()), last_(start_) {
  switch (mode) {
    case ProgressMode::kAuto:
      enabled_ = isatty(STDERR_FILENO) != 0;
      break;
    case ProgressMode::kAlways:
      enabled_ = true;
      break;
    case ProgressMode::kNever:
      enabled_ = false;
      break;
    case ProgressMode::kLines:
      enabled_ = lines_ = true;
      break;
  }
}

ProgressLine::~ProgressLine() { Finish(); }

double ProgressLine::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressLine::Update(std::int64_t items, std::uint64_t bytes, std::uint64_t total_bytes,
                          bool force) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_ < std::chrono::milliseconds(lines_ ? 1000 : 200)) return;
  last_ = now;
  const double secs = std::max(1e-3, elapsed_seconds());
  const double rate = static_cast<double>(items) / secs;
  char eta[32] = "";
  if (total_bytes > 0 && bytes > 0 && bytes < total_bytes) {
    const double left =
        secs * static_cast<double>(total_bytes - bytes) / static_cast<double>(bytes);
    std::snprintf(eta, sizeof eta, "  ETA %d:%02d", static_cast<int>(left) / 60,
                  static_cast<int>(left) % 60);
  }
  std::fprintf(stderr, "%s%s articles  %.1f MB  %s articles/s%s%s", lines_ ? "" : "\r\033[K",
               WithThousands(items).c_str(), static_cast<double>(bytes) / 1e6,
               WithThousands(static_cast<std::int64_t>(rate)).c_str(), eta, lines_ ? "\n" : "");
  std::fflush(stderr);
  drawn_ = !lines_;
}

void ProgressLine::Finish() {
  if (drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    drawn_ = false;
  }
}

}  // namespace storyline::cli
