#include "hub/transfer_progress.h"

#include <cstdio>
#include <unistd.h>

#include <fmt/format.h>

namespace ecoinfer::hub {

std::string human_bytes(uint64_t n) {
  constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", n) : fmt::format("{:.1f} {}", v, units[u]);
}

TransferProgress::TransferProgress(std::string label, std::optional<uint64_t> total, bool enabled)
    : label_(std::move(label)), total_(total), on_(enabled && isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()), last_(start_) {}

TransferProgress::~TransferProgress() { finish(); }

void TransferProgress::update(uint64_t done) {
  if (!on_) return;
  if (!have_first_) {
    first_ = done;  // bytes already there (a resumed download) do not count towards the speed
    have_first_ = true;
  }
  const auto now = std::chrono::steady_clock::now();
  const bool complete = total_ && done >= *total_;
  if (drawn_ && !complete && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  const double secs = std::chrono::duration<double>(now - start_).count();
  const std::string speed = secs > 0.2 ? human_bytes(static_cast<uint64_t>((done - first_) / secs)) + "/s" : "";
  std::string line;
  if (total_ && *total_ > 0) {
    constexpr int kWidth = 24;
    const int pct = static_cast<int>(100 * std::min(done, *total_) / *total_);
    const int fill = pct * kWidth / 100;
    line = fmt::format("\r{} [{}{}] {:3d}% {} / {}  {}   ", label_, std::string(fill, '#'), std::string(kWidth - fill, ' '),
                       pct, human_bytes(done), human_bytes(*total_), speed);
  } else {
    line = fmt::format("\r{} {}  {}   ", label_, human_bytes(done), speed);
  }
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void TransferProgress::finish() {
  if (!drawn_) return;
  std::fputs("\n", stderr);
  drawn_ = false;
}

}  // namespace ecoinfer::hub
