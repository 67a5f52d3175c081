#include "meter/accumulator.h"

#include <algorithm>

namespace ecoinfer::meter {

EnergyAccumulator EnergyAccumulator::counter(double joules_per_unit, uint64_t modulus) {
  EnergyAccumulator a;
  a.mode_ = Mode::counter;
  a.joules_per_unit_ = joules_per_unit;
  a.modulus_ = modulus;
  return a;
}

EnergyAccumulator EnergyAccumulator::power() {
  EnergyAccumulator a;
  a.mode_ = Mode::power;
  return a;
}

void EnergyAccumulator::note_time(double t) {
  if (readings_ == 0) first_t_ = t;
  else max_gap_s_ = std::max(max_gap_s_, t - prev_t_);
  ++readings_;
}

std::optional<double> EnergyAccumulator::add_counter(uint64_t raw, double t) {
  note_time(t);
  std::optional<double> watts;
  if (have_prev_) {
    uint64_t delta;
    if (raw >= prev_raw_) {
      delta = raw - prev_raw_;
    } else if (modulus_ != 0 && prev_raw_ < modulus_) {
      delta = (modulus_ - prev_raw_) + raw;
      ++wraps_;
    } else {
      delta = raw;  // restarted from zero
      ++resets_;
    }
    double joules = static_cast<double>(delta) * joules_per_unit_;
    energy_j_ += joules;
    if (t > prev_t_) watts = joules / (t - prev_t_);
  }
  prev_raw_ = raw;
  prev_t_ = t;
  have_prev_ = true;
  return watts;
}

std::optional<double> EnergyAccumulator::add_power(double w, double t) {
  note_time(t);
  if (have_prev_ && t > prev_t_) energy_j_ += 0.5 * (prev_power_ + w) * (t - prev_t_);
  prev_power_ = w;
  prev_t_ = t;
  have_prev_ = true;
  return w;
}

}  // namespace ecoinfer::meter
