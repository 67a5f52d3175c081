#include "report/chart_data.h"

#include <cmath>

namespace ecoinfer::report {

namespace {

using nlohmann::json;

// A box (quartiles and median of the values the statistics use, whiskers at the most
// extreme of them within 1.5 IQR: Tukey's) and every run as a point, flagged ones marked.
json box_chart(const MetricAnalysis* ma) {
  json boxes = json::array(), points = json::array();
  if (!ma) return {{"boxes", boxes}, {"points", points}};
  for (std::size_t i = 0; i < ma->tactics.size(); ++i) {
    const TacticMetric& tm = ma->tactics[i];
    for (std::size_t j = 0; j < tm.all_values.size(); ++j)
      points.push_back({{"i", i}, {"y", tm.all_values[j]}, {"outlier", static_cast<bool>(tm.outlier[j])}});
    if (!tm.summary) continue;
    const stats::Summary& s = *tm.summary;
    double lo = s.max, hi = s.min;
    for (double v : tm.values) {
      if (v >= s.q1 - 1.5 * s.iqr) lo = std::min(lo, v);
      if (v <= s.q3 + 1.5 * s.iqr) hi = std::max(hi, v);
    }
    boxes.push_back({{"i", i}, {"q1", s.q1}, {"q3", s.q3}, {"median", s.median}, {"lo", lo}, {"hi", hi}});
  }
  return {{"boxes", boxes}, {"points", points}};
}

json point(double x, double y) { return {{"x", x}, {"y", y}}; }

}  // namespace

json chart_data(const ReportContent& c, const ReportTables& t) {
  json models = json::array();
  for (std::size_t k = 0; k < c.models.size(); ++k) {
    const ModelReport& m = c.models[k];
    const GroupAnalysis& g = m.analysis;
    json accuracy = json::array();
    for (std::size_t i = 0; i < g.tactics.size(); ++i) {
      const TacticEconomics* te = m.economics.find(g.tactics[i]);
      const VariantRow* v = c.data->variant(g.setting.model, g.tactics[i], g.setting.batch);
      if (!te || !te->energy_j || !v || !v->top1) continue;
      accuracy.push_back({{"tactic", g.tactics[i]}, {"energy", *te->energy_j}, {"top1", 100.0 * *v->top1}, {"pareto", static_cast<bool>(m.pareto[i])}});
    }
    json cost = json::array();
    json baseline_line = json::array();
    for (const TacticEconomics& te : m.economics.tactics) {
      if (te.curve.empty()) continue;
      json line = json::array();
      // The chart's axes are logarithmic: a break-even at 0 inferences (no one-off cost) stays in the table only.
      for (const CostCurvePoint& p : te.curve)
        if (p.inferences >= 1) line.push_back(point(p.inferences, p.tactic_cost));
      if (baseline_line.empty())
        for (const CostCurvePoint& p : te.curve)
          if (p.inferences >= 1) baseline_line.push_back(point(p.inferences, p.baseline_cost));
      json be = nullptr;
      if (te.break_even && std::isfinite(*te.break_even) && *te.break_even >= 1)
        for (const CostCurvePoint& p : te.curve)
          if (p.inferences == *te.break_even) be = point(p.inferences, p.tactic_cost);
      cost.push_back({{"tactic", te.tactic}, {"points", line}, {"break_even", be}});
    }
    json power = json::array();
    for (std::size_t i = 0; i < g.tactics.size(); ++i) {
      const std::string& id = m.representative_run[i];
      if (id.empty()) continue;
      json pts = json::array();
      for (const SampleRow& s : c.data->samples.at(id))
        if (s.power_w) pts.push_back(point(s.t_s, *s.power_w));
      if (!pts.empty()) power.push_back({{"tactic", g.tactics[i]}, {"run", id}, {"points", pts}});
    }
    models.push_back({{"label", g.label},
                      {"anchor", t.models[k].anchor},
                      {"tactics", g.tactics},
                      {"energy", box_chart(g.find(Metric::energy_per_image))},
                      {"time", box_chart(g.find(Metric::time_per_image))},
                      {"accuracy", accuracy},
                      {"cost", {{"baseline", baseline_line}, {"tactics", cost}}},
                      {"power", power}});
  }
  return {{"models", models}, {"currency", c.data->economics.currency}};
}

}  // namespace ecoinfer::report
