#include "report/report_content.h"

#include <cmath>
#include <limits>

#include "report/pareto.h"

namespace ecoinfer::report {

namespace {

std::string representative(const StudyData& d, const TacticMetric& tm) {
  if (!tm.summary) return {};
  std::string best;
  double best_gap = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < tm.values.size(); ++i) {
    auto it = d.samples.find(tm.run_ids[i]);
    if (it == d.samples.end() || it->second.empty()) continue;
    const double gap = std::abs(tm.values[i] - tm.summary->median);
    if (gap < best_gap) {
      best_gap = gap;
      best = tm.run_ids[i];
    }
  }
  return best;
}

}  // namespace

ReportContent build_report(const StudyData& d, const ReportSettings& settings, const stats::BootstrapOptions& bootstrap) {
  ReportContent c;
  c.data = &d;
  c.settings = settings;
  c.bootstrap = bootstrap;
  c.provenance = provenance_of(d);
  c.nodes = nodes_of(d);
  c.completed_runs = d.runs.size();

  AnalysisOptions opts;
  opts.settings = settings;
  opts.bootstrap = bootstrap;
  opts.economics = d.economics;
  if (settings.objective == "cost") opts.metrics.push_back(Metric::cost_per_inference);

  for (GroupAnalysis& g : analyze(d, opts)) {
    ModelReport m;
    m.economics = economics_of(d, g);
    m.recommendation = recommend(d, g, m.economics, settings);
    m.findings = findings_of(d, g, m.economics, settings);
    std::vector<AccuracyEnergyPoint> points;
    const MetricAnalysis* energy = g.find(Metric::energy_per_image);
    for (const std::string& t : g.tactics) {
      const TacticEconomics* te = m.economics.find(t);
      points.push_back({te ? te->energy_j : std::nullopt, top1_of(d, g.setting, t)});
      const TacticMetric* tm = energy ? energy->find(t) : nullptr;
      m.representative_run.push_back(tm ? representative(d, *tm) : std::string());
    }
    m.pareto = pareto_front(points);
    c.excluded_runs += g.excluded.size();
    m.analysis = std::move(g);
    c.models.push_back(std::move(m));
  }
  return c;
}

}  // namespace ecoinfer::report
