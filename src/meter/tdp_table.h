#pragma once
// Thermal design power of common server and desktop processors, looked up by the
// "model name" of /proc/cpuinfo. Used only by the estimate, which labels itself.
#include <optional>
#include <span>
#include <string>

namespace ecoinfer::meter {

struct TdpEntry {
  const char* key;  // normalized model token, e.g. "epyc 7763", "xeon platinum 8380"
  double tdp_w;     // vendor's TDP (Intel: processor base power for 12th gen and later)
  int threads;      // hardware threads per package
};

std::span<const TdpEntry> tdp_table();
// Lowercase, "(R)"/"(TM)"/"CPU" removed, spaces collapsed.
std::string normalize_cpu_model(const std::string& model_name);
// The entry whose key appears in the model name as a whole token (so "8380" does not
// match "8380H"); the longest key wins.
std::optional<TdpEntry> lookup_tdp(const std::string& model_name);

}  // namespace ecoinfer::meter
