#pragma once
// Everything docs/economics.md computes for one tactic against its baseline, in one
// call: costs per inference, the one-off cost, break-even, ROI and cumulative costs at
// the horizons, emissions and (when an instance price is given) the cloud-time cost.
// Run it once per energy basis (total, above idle) and print both, each labelled.
#include <optional>
#include <string>
#include <vector>

#include "economics/cost.h"
#include "economics/emissions.h"

namespace ecoinfer::economics {

struct TacticInput {
  EnergyBasis basis = EnergyBasis::total;
  double baseline_energy_j = 0;     // per inference
  double optimized_energy_j = 0;    // per inference
  double preparation_energy_j = 0;  // measured, for making the variant once
  double engineering_cost = 0;      // optional fixed cost, currency
  std::optional<double> baseline_seconds;   // per inference, for the cloud view
  std::optional<double> optimized_seconds;  // per inference, for the cloud view
};

struct Settings {
  EnergyPrice price;
  CarbonIntensity carbon;
  std::optional<double> instance_price_per_hour;  // the cloud view needs it
  std::vector<double> horizons = {1e6, 1e8};      // inferences
};

struct HorizonResult {
  double inferences = 0;
  double baseline_cost = 0;   // C_old N
  double optimized_cost = 0;  // C_new N + C_opt
  std::optional<double> roi;  // nullopt with roi_undefined set (break_even.h)
  std::string roi_undefined;
  bool paid_off = false;        // N* <= N
  double emissions_saved_g = 0;  // (E_old - E_new) N, minus the preparation's, as CO2e; may be negative
};

struct TacticEconomics {
  EnergyBasis basis = EnergyBasis::total;
  double cost_baseline = 0;      // C_old
  double cost_optimized = 0;     // C_new
  double optimization_cost = 0;  // C_opt
  std::optional<double> break_even;  // N*; nullopt: never pays off, reason in never_pays_off
  std::string never_pays_off;
  double emissions_baseline_g = 0;   // per inference
  double emissions_optimized_g = 0;  // per inference
  double emissions_preparation_g = 0;
  std::string carbon_source;
  std::optional<double> cloud_cost_baseline;   // per inference
  std::optional<double> cloud_cost_optimized;  // per inference
  std::vector<HorizonResult> horizons;
};

TacticEconomics evaluate_tactic(const TacticInput& in, const Settings& settings);

}  // namespace ecoinfer::economics
