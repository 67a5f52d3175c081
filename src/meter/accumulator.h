#pragma once
// Turns successive readings of one channel into energy over a window.
//  - Counters: cumulative raw values times joules_per_unit. A backward step is a wrap
//    when the counter has a modulus (RAPL: max_energy_range_uj + 1 in powercap, 2^32
//    units in MSRs), and the energy is cur + modulus - prev; every sample can see one
//    wrap, so the sampler must read at least once per wrap period (docs/metering.md).
//    Without a modulus (NVML, perf's 64-bit counts) a backward step is a reset: the
//    counter restarted from 0, and its new value is the energy since.
//  - Power samples: integrated with the trapezoid rule over the sample times.
#include <cstdint>
#include <optional>

namespace ecoinfer::meter {

class EnergyAccumulator {
 public:
  enum class Mode { counter, power };
  static EnergyAccumulator counter(double joules_per_unit, uint64_t modulus);
  static EnergyAccumulator power();

  // Feed one reading taken at time t (seconds, monotonic). Returns the average power
  // since the previous reading, when there was one and time advanced.
  std::optional<double> add_counter(uint64_t raw, double t);
  std::optional<double> add_power(double watts, double t);

  Mode mode() const { return mode_; }
  bool started() const { return have_prev_; }
  double energy_j() const { return energy_j_; }
  int wraps() const { return wraps_; }
  int resets() const { return resets_; }
  double first_t() const { return first_t_; }
  double last_t() const { return prev_t_; }
  double max_gap_s() const { return max_gap_s_; }
  int readings() const { return readings_; }

 private:
  void note_time(double t);
  Mode mode_ = Mode::counter;
  double joules_per_unit_ = 1;
  uint64_t modulus_ = 0;
  bool have_prev_ = false;
  uint64_t prev_raw_ = 0;
  double prev_power_ = 0;
  double prev_t_ = 0, first_t_ = 0, max_gap_s_ = 0;
  double energy_j_ = 0;
  int wraps_ = 0, resets_ = 0, readings_ = 0;
};

}  // namespace ecoinfer::meter
