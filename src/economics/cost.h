#pragma once
// Money per inference and per optimization, from energy (docs/economics.md).
//
// All energies are in joules as measured (per inference, or for preparing a variant).
// The price is per kWh; PUE (power usage effectiveness, >= 1) scales measured energy to
// the energy the facility draws before it is priced:
//   facility kWh = E × PUE / 3.6e6,   cost = facility kWh × price.
// Whether E is the total energy or the energy above the idle baseline is the caller's
// choice; carry it along with EnergyBasis so every figure says which it is.
#include <string_view>

namespace ecoinfer::economics {

enum class EnergyBasis { total, above_idle };
std::string_view basis_label(EnergyBasis b);  // "total energy" / "energy above idle"

struct EnergyPrice {
  double per_kwh = 0;  // currency per kWh, >= 0
  double pue = 1.0;    // >= 1
};

inline constexpr double kJoulesPerKwh = 3.6e6;

// E × PUE / 3.6e6. Throws ecoinfer::Error for negative or non-finite energy or PUE < 1.
double facility_kwh(double energy_j, double pue);

// Cost of energy_j joules of measured energy: facility_kwh(E, PUE) × price.
double energy_cost(double energy_j, const EnergyPrice& price);

// C = cost of one inference's energy (an alias of energy_cost, named for the model).
double cost_per_inference(double energy_per_inference_j, const EnergyPrice& price);

// One-off cost of applying a tactic: the measured energy of preparing the variant
// (pruning, compiling, ...) priced like inference energy, plus an optional fixed
// engineering cost in the same currency (>= 0).
double optimization_cost(double preparation_energy_j, const EnergyPrice& price, double engineering_cost = 0);

}  // namespace ecoinfer::economics
