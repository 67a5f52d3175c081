#include "report/analysis.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "stats/outliers.h"

namespace ecoinfer::report {

MetricInfo metric_info(Metric m) {
  switch (m) {
    case Metric::energy_per_image: return {"energy_per_image_j", "energy per image", "J"};
    case Metric::time_per_image: return {"time_per_image_s", "time per image", "s"};
    case Metric::avg_power: return {"avg_power_w", "average power", "W"};
    case Metric::cost_per_inference: return {"cost_per_inference", "cost per inference", ""};
  }
  return {"?", "?", ""};
}

std::optional<double> metric_value(const RunRow& r, Metric m, const EconomicsInputs& econ) {
  switch (m) {
    case Metric::energy_per_image: return r.energy_per_image_j;
    case Metric::time_per_image: return r.seconds_per_image;
    case Metric::avg_power: return r.avg_power_w;
    case Metric::cost_per_inference: {
      // Per run, so that the cost objective can be tested like the other metrics: energy
      // cost (PUE first), plus machine time when an instance price is set.
      if (!r.energy_per_image_j) return std::nullopt;
      double c = *r.energy_per_image_j * econ.pue / 3.6e6 * econ.price_per_kwh;
      if (econ.instance_price_per_hour > 0) {
        if (!r.seconds_per_image) return std::nullopt;
        c += *r.seconds_per_image * econ.instance_price_per_hour / 3600.0;
      }
      return c;
    }
  }
  return std::nullopt;
}

const TacticMetric* MetricAnalysis::find(const std::string& tactic) const {
  for (const TacticMetric& t : tactics)
    if (t.tactic == tactic) return &t;
  return nullptr;
}

const MetricAnalysis* GroupAnalysis::find(Metric m) const {
  for (const MetricAnalysis& a : metrics)
    if (a.metric == m) return &a;
  return nullptr;
}

std::vector<std::string> tactic_order(const StudyData& d) {
  std::vector<std::string> order{kBaselineTactic};
  auto add = [&](const std::string& t) {
    if (std::find(order.begin(), order.end(), t) == order.end()) order.push_back(t);
  };
  const nlohmann::json& spec = d.experiment.spec_json;
  if (spec.contains("tactics") && spec.at("tactics").is_array())
    for (const nlohmann::json& t : spec.at("tactics"))
      if (t.is_string()) add(t.get<std::string>());
  // Tactics that only the data know (a spec without the list) follow, sorted.
  std::set<std::string> rest;
  for (const RunRow& r : d.runs) rest.insert(r.tactic);
  for (const VariantRow& v : d.variants) rest.insert(v.tactic);
  for (const std::string& t : rest) add(t);
  return order;
}

namespace {

std::vector<ModelSetting> settings_of(const StudyData& d) {
  std::vector<ModelSetting> out;
  for (const RunRow& r : d.runs) {
    ModelSetting s{r.model, r.batch, r.threads};
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  std::sort(out.begin(), out.end(), [](const ModelSetting& a, const ModelSetting& b) {
    return std::tie(a.model, a.batch, a.threads) < std::tie(b.model, b.batch, b.threads);
  });
  return out;
}

TacticMetric collect(const StudyData& d, const ModelSetting& s, const std::string& tactic, Metric m,
                     const AnalysisOptions& opts) {
  TacticMetric tm;
  tm.tactic = tactic;
  for (const RunRow& r : d.runs) {
    if (r.model != s.model || r.batch != s.batch || r.threads != s.threads || r.tactic != tactic) continue;
    if (!r.checks.empty()) continue;
    std::optional<double> v = metric_value(r, m, opts.economics);
    if (!v || !std::isfinite(*v)) continue;
    tm.all_values.push_back(*v);
    tm.all_run_ids.push_back(r.run_id);
  }
  if (tm.all_values.empty()) return tm;
  const stats::OutlierFlags flags = stats::flag_outliers(tm.all_values);
  tm.outlier = flags.flagged;
  tm.outliers_flagged = flags.count;
  tm.outliers_excluded = opts.settings.exclude_outliers && flags.count > 0;
  for (std::size_t i = 0; i < tm.all_values.size(); ++i) {
    if (tm.outliers_excluded && flags.flagged[i]) continue;
    tm.values.push_back(tm.all_values[i]);
    tm.run_ids.push_back(tm.all_run_ids[i]);
  }
  tm.summary = stats::describe(tm.values);
  tm.median_ci = stats::bootstrap_median(tm.values, opts.bootstrap);
  if (tm.values.size() < 3) {
    tm.shapiro_note = fmt::format("n = {} < 3", tm.values.size());
  } else if (tm.values.size() > 5000) {
    tm.shapiro_note = "n > 5000";
  } else {
    tm.shapiro = stats::shapiro_wilk(tm.values);
    if (!tm.shapiro) tm.shapiro_note = "all values equal";
  }
  return tm;
}

bool passes_normality(const TacticMetric& t, double alpha) { return t.shapiro && t.shapiro->p >= alpha; }

VsBaseline compare(const TacticMetric& base, const TacticMetric& t, const AnalysisOptions& opts) {
  VsBaseline v;
  v.mann_whitney = stats::mann_whitney(t.values, base.values);
  v.cliffs_delta = stats::cliffs_delta(t.values, base.values);
  v.magnitude = stats::cliffs_magnitude(v.cliffs_delta);
  v.a12 = stats::vargha_delaney_a12(t.values, base.values);
  v.lower = t.summary->median < base.summary->median;
  const double alpha = opts.settings.alpha;
  if (!passes_normality(base, alpha) || !passes_normality(t, alpha)) {
    v.welch_note = "not run: a sample fails Shapiro–Wilk (or has too few values)";
  } else {
    v.welch = stats::welch_t_test(t.values, base.values);
    if (!v.welch) v.welch_note = "not run: both samples have zero variance";
  }
  v.relative_change = stats::bootstrap_relative_median_change(base.values, t.values, opts.bootstrap, &v.relative_change_note);
  return v;
}

MetricAnalysis analyze_metric(const StudyData& d, const ModelSetting& s, const std::vector<std::string>& tactics, Metric m,
                              const AnalysisOptions& opts) {
  MetricAnalysis a;
  a.metric = m;
  for (const std::string& t : tactics) a.tactics.push_back(collect(d, s, t, m, opts));

  // The tests need every tactic with at least 2 values; a tactic short of runs is left
  // out of them (and said so) rather than sinking the whole comparison.
  std::vector<std::size_t> tested;
  std::vector<std::vector<double>> groups;
  for (std::size_t i = 0; i < a.tactics.size(); ++i) {
    if (a.tactics[i].values.size() >= 2) {
      tested.push_back(i);
      groups.push_back(a.tactics[i].values);
    }
  }
  const bool baseline_tested = !tested.empty() && tested.front() == 0;
  if (groups.size() >= 2) {
    a.kruskal = stats::kruskal_wallis(groups);
    if (auto pairs = stats::dunn_test(groups)) {
      for (stats::DunnPair p : *pairs) {
        p.a = tested[p.a];
        p.b = tested[p.b];
        a.dunn.push_back(p);
      }
    }
    if (!a.kruskal) a.tests_note = "every value is equal: no rank test";
  } else {
    a.tests_note = "fewer than two tactics with at least 2 runs";
  }
  if (tested.size() < a.tactics.size()) {
    std::string left;
    for (std::size_t i = 0; i < a.tactics.size(); ++i)
      if (std::find(tested.begin(), tested.end(), i) == tested.end()) left += (left.empty() ? "" : ", ") + a.tactics[i].tactic;
    a.tests_note += (a.tests_note.empty() ? "" : "; ") + ("left out of the tests (fewer than 2 runs): " + left);
  }
  if (!baseline_tested) return a;

  const TacticMetric& base = a.tactics[0];
  for (std::size_t i = 1; i < a.tactics.size(); ++i) {
    TacticMetric& t = a.tactics[i];
    if (t.values.size() < 2) continue;
    VsBaseline v = compare(base, t, opts);
    for (const stats::DunnPair& p : a.dunn)
      if (p.a == 0 && p.b == i) v.dunn = p;
    if (groups.size() >= 3) {
      v.decisive_test = "Dunn (Holm)";
      if (v.dunn) v.decisive_p = v.dunn->p_holm;
    } else {
      v.decisive_test = "Mann–Whitney";
      v.decisive_p = v.mann_whitney->p;
    }
    v.significant = v.decisive_p && *v.decisive_p < opts.settings.alpha && v.magnitude != stats::Magnitude::negligible;
    t.vs_baseline = std::move(v);
  }
  return a;
}

}  // namespace

std::vector<GroupAnalysis> analyze(const StudyData& d, const AnalysisOptions& opts) {
  const std::vector<ModelSetting> settings = settings_of(d);
  std::set<std::pair<int, int>> distinct;
  for (const ModelSetting& s : settings) distinct.insert({s.batch, s.threads});
  const std::vector<std::string> order = tactic_order(d);

  std::vector<GroupAnalysis> out;
  for (const ModelSetting& s : settings) {
    GroupAnalysis g;
    g.setting = s;
    g.label = distinct.size() > 1 ? fmt::format("{} b{} t{}", s.model, s.batch, s.threads) : s.model;
    std::set<std::string> present;
    for (const RunRow& r : d.runs) {
      if (r.model != s.model || r.batch != s.batch || r.threads != s.threads) continue;
      present.insert(r.tactic);
      if (!r.checks.empty()) g.excluded.push_back({r.run_id, r.tactic, "checks: " + r.checks});
    }
    for (const std::string& t : order)
      if (t == kBaselineTactic || present.count(t)) g.tactics.push_back(t);
    for (Metric m : opts.metrics) g.metrics.push_back(analyze_metric(d, s, g.tactics, m, opts));
    const MetricAnalysis& energy = g.metrics.front();
    g.min_n = SIZE_MAX;
    for (const TacticMetric& t : energy.tactics) g.min_n = std::min(g.min_n, t.values.size());
    if (g.min_n == SIZE_MAX) g.min_n = 0;
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace ecoinfer::report
