#include "report/summary_csv.h"

#include <cmath>
#include <sstream>

#include <fmt/format.h>

namespace ecoinfer::report {

namespace {

std::string quote(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string o = "\"";
  for (char ch : s) o += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return o + "\"";
}

// Full precision, so that the CSV can be re-analysed; "inf" for a break-even that never comes.
std::string val(const std::optional<double>& v) {
  if (!v) return "";
  if (std::isinf(*v)) return *v > 0 ? "inf" : "-inf";
  return fmt::format("{}", *v);
}

std::string flag(std::optional<bool> b) { return b ? (*b ? "1" : "0") : ""; }

}  // namespace

std::string summary_csv(const ReportContent& c) {
  const EconomicsInputs& econ = c.data->economics;
  std::vector<std::string> cols{"model", "batch", "threads", "tactic", "n_runs", "n_excluded_checks", "energy_source",
                                "energy_per_image_median_j", "energy_per_image_ci_lo_j", "energy_per_image_ci_hi_j",
                                "energy_per_image_change_pct", "energy_p_decisive", "energy_decisive_test", "energy_cliffs_delta",
                                "energy_magnitude", "energy_a12", "energy_significant",
                                "time_per_image_median_s", "time_per_image_change_pct", "time_p_decisive", "time_cliffs_delta",
                                "time_significant", "avg_power_median_w", "top1", "top1_drop_points", "pareto",
                                "energy_above_idle_per_image_median_j", "cost_per_inference", "cost_per_inference_above_idle",
                                "extra_prep_seconds", "extra_prep_energy_j", "one_off_cost", "break_even_inferences",
                                "break_even_inferences_above_idle"};
  for (double h : econ.horizons) cols.push_back(fmt::format("roi_at_{}", h));
  for (std::string extra : {"emissions_g_per_inference", "cloud_cost_per_inference", "recommended", "currency"})
    cols.push_back(extra);

  std::ostringstream o;
  for (std::size_t i = 0; i < cols.size(); ++i) o << (i ? "," : "") << cols[i];
  o << "\n";
  for (const ModelReport& m : c.models) {
    const GroupAnalysis& g = m.analysis;
    const MetricAnalysis* energy = g.find(Metric::energy_per_image);
    const MetricAnalysis* time = g.find(Metric::time_per_image);
    const MetricAnalysis* power = g.find(Metric::avg_power);
    const std::optional<double> base_top1 = top1_of(*c.data, g.setting, kBaselineTactic);
    for (std::size_t i = 0; i < g.tactics.size(); ++i) {
      const std::string& t = g.tactics[i];
      const TacticMetric* em = energy->find(t);
      const TacticMetric* tm = time->find(t);
      const TacticMetric* pm = power->find(t);
      const TacticEconomics* te = m.economics.find(t);
      std::size_t excluded = 0;
      for (const ExcludedRun& e : g.excluded) excluded += e.tactic == t;
      const VsBaseline* ev = em && em->vs_baseline ? &*em->vs_baseline : nullptr;
      const VsBaseline* tv = tm && tm->vs_baseline ? &*tm->vs_baseline : nullptr;
      const std::optional<double> top1 = top1_of(*c.data, g.setting, t);
      std::optional<double> drop;
      if (top1 && base_top1) drop = 100.0 * (*base_top1 - *top1);
      auto median = [](const TacticMetric* x) { return x && x->summary ? std::optional<double>(x->summary->median) : std::nullopt; };
      auto change = [](const VsBaseline* v) { return v && v->relative_change ? std::optional<double>(v->relative_change->percent) : std::nullopt; };
      std::vector<std::string> row{g.setting.model, std::to_string(g.setting.batch), std::to_string(g.setting.threads), t,
                                   std::to_string(em ? em->values.size() : 0), std::to_string(excluded),
                                   te ? te->energy_source : "unavailable", val(median(em)),
                                   em && em->median_ci ? val(em->median_ci->ci.lo) : "",
                                   em && em->median_ci ? val(em->median_ci->ci.hi) : "", val(change(ev)),
                                   ev ? val(ev->decisive_p) : "", ev ? ev->decisive_test : "",
                                   ev ? val(ev->cliffs_delta) : "", ev ? std::string(stats::magnitude_name(ev->magnitude)) : "",
                                   ev ? val(ev->a12) : "", ev ? flag(ev->significant) : "", val(median(tm)), val(change(tv)),
                                   tv ? val(tv->decisive_p) : "", tv ? val(tv->cliffs_delta) : "", tv ? flag(tv->significant) : "",
                                   val(median(pm)), val(top1), val(drop), flag(static_cast<bool>(m.pareto[i])),
                                   te ? val(te->energy_above_idle_j) : "", te ? val(te->cost) : "", te ? val(te->cost_above_idle) : "",
                                   te ? val(te->extra_prep_seconds) : "", te ? val(te->extra_prep_energy_j) : "",
                                   te ? val(te->one_off_cost) : "", te && t != kBaselineTactic ? val(te->break_even) : "",
                                   te && t != kBaselineTactic ? val(te->break_even_above_idle) : ""};
      for (std::size_t h = 0; h < econ.horizons.size(); ++h)
        row.push_back(te && h < te->roi.size() ? val(te->roi[h]) : "");
      row.push_back(te ? val(te->emissions_g) : "");
      row.push_back(te ? val(te->cloud_cost) : "");
      row.push_back(m.recommendation.tactic && *m.recommendation.tactic == t ? "1" : "0");
      row.push_back(econ.currency);
      for (std::size_t k = 0; k < row.size(); ++k) o << (k ? "," : "") << quote(row[k]);
      o << "\n";
    }
  }
  return o.str();
}

}  // namespace ecoinfer::report
