#include "report/recommendation.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "report/format.h"

namespace ecoinfer::report {

Metric objective_metric(const std::string& objective) {
  if (objective == "time") return Metric::time_per_image;
  if (objective == "cost") return Metric::cost_per_inference;
  return Metric::energy_per_image;
}

std::optional<double> top1_of(const StudyData& d, const ModelSetting& s, const std::string& tactic) {
  const VariantRow* v = d.variant(s.model, tactic, s.batch);
  return v ? v->top1 : std::nullopt;
}

namespace {

std::optional<double> objective_value(const std::string& objective, const TacticMetric* tm, const TacticEconomics* te) {
  if (objective == "cost") return te ? te->total_cost_at_horizon : std::nullopt;
  if (!tm || !tm->summary) return std::nullopt;
  return tm->summary->median;
}

std::string significance_text(const VsBaseline& v) {
  return fmt::format("{} {}, δ = {} ({})", v.decisive_test, p_equals(v.decisive_p), num(v.cliffs_delta, 3),
                     stats::magnitude_name(v.magnitude));
}

Candidate judge(const StudyData& d, const GroupAnalysis& g, const GroupEconomics& e, const ReportSettings& settings,
                const std::string& tactic, const MetricAnalysis* ma) {
  Candidate c;
  c.tactic = tactic;
  const TacticMetric* tm = ma ? ma->find(tactic) : nullptr;
  c.objective_value = objective_value(settings.objective, tm, e.find(tactic));
  const std::optional<double> base_top1 = top1_of(d, g.setting, kBaselineTactic);
  const std::optional<double> top1 = top1_of(d, g.setting, tactic);
  if (base_top1 && top1) c.accuracy_drop_points = 100.0 * (*base_top1 - *top1);
  // A tiny tolerance so that a drop of exactly the budget, computed through fractions, still fits.
  c.within_budget = c.accuracy_drop_points && *c.accuracy_drop_points <= settings.accuracy_budget_points + 1e-9;
  if (tm && tm->vs_baseline) {
    c.significant = tm->vs_baseline->significant;
    c.lower = tm->vs_baseline->lower;
  }
  // Under the cost objective the one-off cost counts too: a chain that has not paid for itself
  // by the largest horizon costs more than the baseline there.
  const TacticEconomics* te = e.find(tactic);
  const bool pays_off = settings.objective != "cost" || (te && te->pays_off_within_horizon.value_or(false));
  c.eligible = c.within_budget && c.significant && c.lower && c.objective_value.has_value() && pays_off;

  const std::string metric = metric_info(objective_metric(settings.objective)).title;
  if (!c.accuracy_drop_points) {
    c.reason = "top-1 unknown (accuracy not measured), so the accuracy budget cannot be checked";
  } else if (!c.within_budget) {
    c.reason = fmt::format("loses {}, over the budget of {}", top1_points(*c.accuracy_drop_points),
                           top1_points(settings.accuracy_budget_points));
  } else if (!tm || !tm->vs_baseline) {
    c.reason = fmt::format("no test of {} against the baseline (fewer than 2 runs with a value, here or in the baseline)",
                           metric);
  } else if (!c.significant) {
    c.reason = fmt::format("{} not significantly different from the baseline ({})", metric, significance_text(*tm->vs_baseline));
  } else if (!c.lower) {
    c.reason = fmt::format("{} significantly higher than the baseline ({})", metric, significance_text(*tm->vs_baseline));
  } else if (!c.objective_value) {
    c.reason = "its objective value is unknown (preparation energy not metered)";
  } else if (!pays_off) {
    c.reason = fmt::format("does not pay off within the largest horizon (break-even {} inferences)",
                           te && te->break_even ? count(*te->break_even) : std::string(kUnknown));
  } else {
    c.reason = fmt::format("eligible: {} lower ({}), top-1 change {} points", metric, significance_text(*tm->vs_baseline),
                           num(-*c.accuracy_drop_points, 3));
  }
  return c;
}

}  // namespace

Recommendation recommend(const StudyData& d, const GroupAnalysis& g, const GroupEconomics& e, const ReportSettings& settings) {
  Recommendation r;
  r.setting = g.setting;
  r.label = g.label;
  r.objective = settings.objective;
  const Metric metric = objective_metric(settings.objective);
  const MetricAnalysis* ma = g.find(metric);
  const Candidate* best = nullptr;
  for (const std::string& t : g.tactics) {
    if (t == kBaselineTactic) continue;
    r.candidates.push_back(judge(d, g, e, settings, t, ma));
  }
  for (const Candidate& c : r.candidates)
    if (c.eligible && (!best || *c.objective_value < *best->objective_value)) best = &c;

  const std::string what = settings.objective == "cost" ? "total cost at the largest horizon" : metric_info(metric).title;
  if (!best) {
    r.statement = r.candidates.empty()
                      ? "No tactic helps here: the study measured only the baseline."
                      : fmt::format("No tactic helps here: no tactic chain is significantly lower than the baseline on {} "
                                    "within the accuracy budget of {}.",
                                    metric_info(metric).title, top1_points(settings.accuracy_budget_points));
    return r;
  }
  r.tactic = best->tactic;
  const TacticEconomics* te = e.find(best->tactic);
  const TacticMetric* tm = ma->find(best->tactic);
  if (te) {
    r.break_even = te->break_even;
    r.pays_off_within_horizon = te->pays_off_within_horizon;
  }
  std::string change;
  if (tm && tm->vs_baseline && tm->vs_baseline->relative_change) {
    const stats::RelativeChange& rc = *tm->vs_baseline->relative_change;
    change = fmt::format(" ({} {}, 95 % CI {})", metric_info(metric).title, percent(rc.percent),
                         interval(rc.ci.lo, rc.ci.hi, 3) + " %");
  }
  std::string payoff = "break-even unknown (preparation energy not metered)";
  if (r.break_even) {
    const double largest = d.economics.horizons.empty() ? 0 : *std::max_element(d.economics.horizons.begin(), d.economics.horizons.end());
    payoff = *r.break_even == 0 ? std::string("no one-off cost, so it pays off from the first inference")
             : std::isfinite(*r.break_even)
                 ? fmt::format("break-even after {} inferences; {} within {} inferences", count(*r.break_even),
                               r.pays_off_within_horizon.value_or(false) ? "pays off" : "does not pay off", count(largest))
                 : "never pays off on energy cost (the optimized inference is not cheaper)";
  }
  r.statement = fmt::format("Use {}: lowest {} among the eligible chains{}, {}; top-1 change {} points; {}.", best->tactic,
                            what, change, significance_text(*tm->vs_baseline), num(-*best->accuracy_drop_points, 3), payoff);
  return r;
}

}  // namespace ecoinfer::report
