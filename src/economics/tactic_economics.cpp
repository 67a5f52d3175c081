#include "economics/tactic_economics.h"

#include "economics/break_even.h"
#include "economics/cloud.h"

namespace ecoinfer::economics {

TacticEconomics evaluate_tactic(const TacticInput& in, const Settings& s) {
  TacticEconomics r;
  r.basis = in.basis;
  r.cost_baseline = cost_per_inference(in.baseline_energy_j, s.price);
  r.cost_optimized = cost_per_inference(in.optimized_energy_j, s.price);
  r.optimization_cost = optimization_cost(in.preparation_energy_j, s.price, in.engineering_cost);
  r.break_even = break_even_inferences(r.cost_baseline, r.cost_optimized, r.optimization_cost, &r.never_pays_off);
  r.emissions_baseline_g = emissions_g(in.baseline_energy_j, s.carbon, s.price.pue);
  r.emissions_optimized_g = emissions_g(in.optimized_energy_j, s.carbon, s.price.pue);
  r.emissions_preparation_g = emissions_g(in.preparation_energy_j, s.carbon, s.price.pue);
  r.carbon_source = s.carbon.source;
  if (s.instance_price_per_hour) {
    if (in.baseline_seconds) r.cloud_cost_baseline = cloud_cost_per_inference(*in.baseline_seconds, *s.instance_price_per_hour);
    if (in.optimized_seconds)
      r.cloud_cost_optimized = cloud_cost_per_inference(*in.optimized_seconds, *s.instance_price_per_hour);
  }
  for (double n : s.horizons) {
    HorizonResult h;
    h.inferences = n;
    h.roi = roi(r.cost_baseline, r.cost_optimized, r.optimization_cost, n, &h.roi_undefined);
    h.baseline_cost = r.cost_baseline * n;
    h.optimized_cost = r.cost_optimized * n + r.optimization_cost;
    h.paid_off = r.break_even && *r.break_even <= n;
    h.emissions_saved_g = (r.emissions_baseline_g - r.emissions_optimized_g) * n - r.emissions_preparation_g;
    r.horizons.push_back(std::move(h));
  }
  return r;
}

}  // namespace ecoinfer::economics
