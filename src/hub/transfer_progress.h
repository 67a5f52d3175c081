#pragma once
// A one-line byte progress bar for downloads on stderr, drawn only when stderr is a terminal
// (so logs and pipes get no carriage-return noise).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace ecoinfer::hub {

class TransferProgress {
 public:
  TransferProgress(std::string label, std::optional<uint64_t> total, bool enabled);
  ~TransferProgress();
  void update(uint64_t done);  // redraws at most ten times a second
  void finish();               // ends the line (once)

 private:
  std::string label_;
  std::optional<uint64_t> total_;
  bool on_;
  bool drawn_ = false;
  uint64_t first_ = 0;
  bool have_first_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

// "1.5 MiB", "812 KiB", "17 B".
std::string human_bytes(uint64_t n);

}  // namespace ecoinfer::hub
