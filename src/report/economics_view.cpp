#include "report/economics_view.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "economics/break_even.h"
#include "economics/cloud.h"
#include "economics/cost.h"
#include "economics/cost_curve.h"
#include "economics/emissions.h"
#include "report/provenance.h"
#include "stats/descriptive.h"

namespace ecoinfer::report {

const TacticEconomics* GroupEconomics::find(const std::string& tactic) const {
  for (const TacticEconomics& t : tactics)
    if (t.tactic == tactic) return &t;
  return nullptr;
}

namespace {

// Break-even as the report keeps it: +inf for "never pays off" (economics' nullopt), so that
// nullopt can mean "unknown" (preparation energy not metered).
double break_even_or_never(double c_old, double c_new, double c_opt) {
  return economics::break_even_inferences(c_old, c_new, c_opt).value_or(INFINITY);
}

std::optional<double> median_of(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  return stats::median(v);
}

// Median energy above idle per image over the runs the energy statistics use.
std::optional<double> median_above_idle(const StudyData& d, const std::vector<std::string>& run_ids) {
  const std::set<std::string> ids(run_ids.begin(), run_ids.end());
  std::vector<double> v;
  for (const RunRow& r : d.runs)
    if (ids.count(r.run_id) && r.energy_above_idle_j && r.images && *r.images > 0)
      v.push_back(*r.energy_above_idle_j / static_cast<double>(*r.images));
  return median_of(std::move(v));
}

// Energy above idle can be negative for a single run (the idle baseline is itself a
// measurement); a negative median has no price, so it is left unknown rather than clamped.
std::optional<double> priced(const std::optional<double>& joules, const economics::EnergyPrice& price) {
  if (!joules || *joules < 0) return std::nullopt;
  return economics::cost_per_inference(*joules, price);
}

}  // namespace

GroupEconomics economics_of(const StudyData& d, const GroupAnalysis& g) {
  const EconomicsInputs& econ = d.economics;
  const economics::EnergyPrice price{econ.price_per_kwh, econ.pue};
  const economics::CarbonIntensity carbon{econ.carbon_intensity_g_per_kwh, econ.carbon_intensity_source};
  GroupEconomics out;
  out.setting = g.setting;
  const double largest = econ.horizons.empty() ? 0 : *std::max_element(econ.horizons.begin(), econ.horizons.end());
  const MetricAnalysis* energy = g.find(Metric::energy_per_image);
  const MetricAnalysis* time = g.find(Metric::time_per_image);
  const VariantRow* base_variant = d.variant(g.setting.model, kBaselineTactic, g.setting.batch);

  for (const std::string& tactic : g.tactics) {
    TacticEconomics t;
    t.tactic = tactic;
    const TacticMetric* em = energy ? energy->find(tactic) : nullptr;
    const TacticMetric* tm = time ? time->find(tactic) : nullptr;
    if (em && em->summary) {
      t.energy_j = em->summary->median;
      t.energy_source = source_of_runs(d, em->run_ids);
      t.energy_above_idle_j = median_above_idle(d, em->run_ids);
    } else {
      t.energy_source = "unavailable";
    }
    if (tm && tm->summary) t.time_s = tm->summary->median;
    t.cost = priced(t.energy_j, price);
    if (t.cost) t.emissions_g = economics::emissions_g(*t.energy_j, carbon, econ.pue);
    t.cost_above_idle = priced(t.energy_above_idle_j, price);
    if (econ.instance_price_per_hour > 0 && t.time_s)
      t.cloud_cost = economics::cloud_cost_per_inference(*t.time_s, econ.instance_price_per_hour);

    const VariantRow* v = d.variant(g.setting.model, tactic, g.setting.batch);
    const bool is_base = tactic == kBaselineTactic;
    if (is_base) {
      t.extra_prep_seconds = 0.0;
      t.extra_prep_energy_j = 0.0;
      t.prep_energy_source = base_variant ? base_variant->prep_energy_source : "unavailable";
    } else if (v && base_variant) {
      if (v->prep_seconds && base_variant->prep_seconds) t.extra_prep_seconds = *v->prep_seconds - *base_variant->prep_seconds;
      if (v->prep_energy_j && base_variant->prep_energy_j)
        t.extra_prep_energy_j = std::max(0.0, *v->prep_energy_j - *base_variant->prep_energy_j);
      t.prep_energy_source = worse_source(v->prep_energy_source, base_variant->prep_energy_source);
    } else {
      t.prep_energy_source = "unavailable";
    }
    if (auto it = econ.engineering_cost.find(tactic); it != econ.engineering_cost.end() && !is_base)
      t.engineering_cost = it->second;
    if (t.extra_prep_energy_j) t.one_off_cost = economics::optimization_cost(*t.extra_prep_energy_j, price, t.engineering_cost);

    const double run_cost_per_inference = t.cost.value_or(NAN) + t.cloud_cost.value_or(0.0);
    if (t.one_off_cost && t.cost) t.total_cost_at_horizon = *t.one_off_cost + largest * run_cost_per_inference;
    for (double h : econ.horizons) {
      std::optional<double> kg;
      if (t.cost && t.extra_prep_energy_j)
        kg = economics::emissions_g(*t.extra_prep_energy_j + h * *t.energy_j, carbon, econ.pue) / 1000.0;
      t.emissions_kg.push_back(kg);
    }
    out.tactics.push_back(std::move(t));
  }

  // Against the baseline: break-even, ROI, the cumulative cost curve.
  const TacticEconomics* base = out.find(kBaselineTactic);
  for (TacticEconomics& t : out.tactics) {
    if (t.tactic == kBaselineTactic || !base) continue;
    if (t.one_off_cost && t.cost && base->cost) {
      t.break_even = break_even_or_never(*base->cost, *t.cost, *t.one_off_cost);
      t.pays_off_within_horizon = *t.break_even <= largest;
      for (double h : econ.horizons) t.roi.push_back(economics::roi(*base->cost, *t.cost, *t.one_off_cost, h));
      if (largest >= 1) {
        // Four points a decade on log axes, plus the break-even point when it falls in range.
        const auto steps = static_cast<std::size_t>(std::ceil(4 * std::log10(largest))) + 1;
        const economics::CostCurve curve = economics::cumulative_cost_curve(*base->cost, *t.cost, *t.one_off_cost, largest,
                                                                            std::max<std::size_t>(steps, 2), economics::Spacing::log);
        for (const economics::CurvePoint& p : curve.points) t.curve.push_back({p.inferences, p.baseline_cost, p.optimized_cost});
      }
    } else {
      t.roi.assign(econ.horizons.size(), std::nullopt);
    }
    if (t.one_off_cost && t.cost_above_idle && base->cost_above_idle)
      t.break_even_above_idle = break_even_or_never(*base->cost_above_idle, *t.cost_above_idle, *t.one_off_cost);
  }
  return out;
}

}  // namespace ecoinfer::report
