#include "report/tables.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "report/format.h"
#include "stats/descriptive.h"

namespace ecoinfer::report {

std::string anchor_of(const std::string& s) {
  std::string a;
  for (unsigned char ch : s) {
    if (std::isalnum(ch))
      a += static_cast<char>(std::tolower(ch));
    else if (!a.empty() && a.back() != '-')
      a += '-';
  }
  while (!a.empty() && a.back() == '-') a.pop_back();
  return a.empty() ? "x" : a;
}

std::vector<std::string> convention_lines() {
  return {"Units are SI: joules, seconds, watts. Unknown values print as n/a, never 0.",
          "Relative changes are 100·(tactic − baseline)/baseline of the medians: negative means the tactic is lower.",
          "Cliff's δ = P(tactic > baseline) − P(tactic < baseline); magnitudes by Romano et al. (|δ| < 0.147 negligible, "
          "< 0.33 small, < 0.474 medium, else large). Â12 = P(tactic > baseline) + ½·P(equal), not rescaled; below 0.5 the "
          "tactic is lower.",
          "Dunn's test: z and two-sided p, Holm-corrected over all pairs of a metric (some tools print one-sided p).",
          "Mann–Whitney: two-sided, tie-corrected, exact or asymptotic as scipy 1.10 chooses. Welch's t only when both "
          "samples pass Shapiro–Wilk.",
          "Bootstrap CIs: seeded percentile bootstrap, so the same store gives the same report.",
          "The time per image is the metered window over the images inferred in it: inference only, the images were "
          "decoded beforehand."};
}

std::string report_summary_line(const ReportContent& c) {
  const StudyData& d = *c.data;
  return fmt::format("Store {}: {} completed runs of {} planned, {} model setting(s). Energy figures: least trustworthy "
                     "source {}. Objective: {}; accuracy budget {}; outliers {}.",
                     d.file.string(), c.completed_runs, d.planned_runs, c.models.size(), c.provenance.overall_source,
                     c.settings.objective, top1_points(c.settings.accuracy_budget_points),
                     c.settings.exclude_outliers ? "excluded" : "flagged, kept");
}

std::string estimate_warning_text() {
  return "Some or all energy figures in this report are estimates, not measurements: a model of power from CPU "
         "utilization and a TDP, because no energy counter could be read. Differences between tactics then reflect their "
         "time and CPU utilization only. The estimate's parameters are listed in \"The estimate's parameters\"; runs by "
         "source in \"Provenance of the energy figures\".";
}

std::string missing_energy_warning_text() {
  return "Some runs have no energy figure (source unavailable); the energy statistics use the runs that have one.";
}

std::string low_power_note(std::size_t min_n) {
  if (min_n == 0 || min_n >= 30) return {};
  return fmt::format("The smallest sample here has {} runs; 30 per tactic is customary, and with fewer the tests have "
                     "little power to find a difference.",
                     min_n);
}

namespace {

const char* yes_no(bool b) { return b ? "yes" : "no"; }

std::string with_unit(const MetricInfo& m) { return std::string(m.title) + (m.unit[0] ? std::string(" (") + m.unit + ")" : ""); }

std::string horizon_label(double h) { return count(h); }

Table recommendations_table(const ReportContent& c) {
  Table t{"recommendations", "Recommendation per model",
          fmt::format("The tactic chain with the lowest {} among those within the accuracy budget ({}) that "
                      "differ significantly from the baseline (decisive p < {} and |Cliff's δ| ≥ 0.147) and are lower. "
                      "\"No tactic helps here\" means no chain passed all three.",
                      c.settings.objective == "cost" ? "total cost at the largest horizon"
                                                     : metric_info(objective_metric(c.settings.objective)).title,
                      top1_points(c.settings.accuracy_budget_points), num(c.settings.alpha, 3)),
          {"model", "objective", "recommended chain", "break-even (inferences)", "pays off within the largest horizon", "answer"},
          {}};
  for (const ModelReport& m : c.models) {
    const Recommendation& r = m.recommendation;
    t.rows.push_back({r.label, r.objective, r.tactic ? *r.tactic : "none: no tactic helps here",
                      r.tactic ? (r.break_even ? count(*r.break_even) : kUnknown) : "",
                      r.tactic ? (r.pays_off_within_horizon ? yes_no(*r.pays_off_within_horizon) : kUnknown) : "",
                      r.statement});
  }
  return t;
}

Table findings_table(const ReportContent& c) {
  Table t{"findings", "The seed study's findings, checked",
          "Each finding of the seed study, per model: supported, not supported or inconclusive (tactic not in the study, or "
          "a difference that is not significant), with the statistic that decides. Rules in docs/report.md.",
          {"model", "finding", "verdict", "chains", "deciding statistic"},
          {}};
  for (const ModelReport& m : c.models)
    for (const Finding& f : m.findings)
      t.rows.push_back({m.analysis.label, f.claim, verdict_name(f.verdict), f.tactics.empty() ? "-" : f.tactics, f.statistic});
  return t;
}

Table descriptive_table(const ModelReport& m, const std::string& anchor, bool excluding) {
  Table t{anchor + "-descriptive", "Descriptive statistics",
          "Per tactic and metric over the repetitions: n, mean, sample sd, median with its seeded percentile-bootstrap 95 % "
          "CI, quartiles (numpy's linear definition), Shapiro–Wilk W and p, and the runs beyond 1.5×IQR from the quartiles "
          "(flagged; " +
              std::string(excluding ? "excluded from every statistic, as the settings ask" : "kept in every statistic") + ").",
          {"tactic", "metric", "n", "mean", "sd", "median", "95 % CI of median", "Q1", "Q3", "IQR", "min", "max", "Shapiro–Wilk W",
           "Shapiro–Wilk p", "outliers flagged"},
          {}};
  for (const MetricAnalysis& ma : m.analysis.metrics) {
    const MetricInfo mi = metric_info(ma.metric);
    for (const TacticMetric& tm : ma.tactics) {
      if (!tm.summary) {
        t.rows.push_back({tm.tactic, with_unit(mi), "0", kUnknown, kUnknown, kUnknown, kUnknown, kUnknown, kUnknown, kUnknown,
                          kUnknown, kUnknown, kUnknown, kUnknown, "0"});
        continue;
      }
      const stats::Summary& s = *tm.summary;
      t.rows.push_back({tm.tactic, with_unit(mi), std::to_string(s.n), num(s.mean), num(s.sd), num(s.median),
                        interval(tm.median_ci->ci.lo, tm.median_ci->ci.hi), num(s.q1), num(s.q3), num(s.iqr), num(s.min),
                        num(s.max), tm.shapiro ? num(tm.shapiro->w, 5) : tm.shapiro_note,
                        tm.shapiro ? pval(tm.shapiro->p) : kUnknown,
                        fmt::format("{}{}", tm.outliers_flagged, tm.outliers_excluded ? " (excluded)" : "")});
    }
  }
  return t;
}

Table comparison_table(const ModelReport& m, const std::string& anchor, double alpha) {
  Table t{anchor + "-vs-baseline", "Each tactic against the baseline",
          "Relative change of the median, 100·(tactic − none)/none, with its bootstrap 95 % CI (negative: the tactic is "
          "lower). Mann–Whitney U is the tactic's U, two-sided p (exact or asymptotic as scipy chooses). Welch's t only when "
          "both samples pass Shapiro–Wilk at α = " +
              num(alpha, 3) +
              ". Cliff's δ = P(tactic > none) − P(tactic < none) with Romano's bands; Â12 = P(tactic > none) + ½·P(=) "
              "(below 0.5: the tactic is lower). Dunn's z is signed none − tactic on mean ranks, p two-sided, Holm-corrected "
              "over all pairs. The decisive p is Dunn's Holm-corrected p with three or more tactics, Mann–Whitney's with two; "
              "significant = decisive p < α and |δ| ≥ 0.147.",
          {"tactic", "metric", "median change", "95 % CI of change", "Mann–Whitney U", "Mann–Whitney p", "Welch t", "Welch p",
           "Cliff's δ", "magnitude", "Â12", "Dunn z", "Dunn p (Holm)", "decisive test", "decisive p", "significant"},
          {}};
  for (const MetricAnalysis& ma : m.analysis.metrics) {
    const MetricInfo mi = metric_info(ma.metric);
    for (const TacticMetric& tm : ma.tactics) {
      if (tm.tactic == kBaselineTactic) continue;
      if (!tm.vs_baseline) {
        t.rows.push_back({tm.tactic, mi.title, "not tested (fewer than 2 runs here or in the baseline)", "", "", "", "", "", "",
                          "", "", "", "", "", "", "no"});
        continue;
      }
      const VsBaseline& v = *tm.vs_baseline;
      t.rows.push_back(
          {tm.tactic, mi.title, v.relative_change ? percent(v.relative_change->percent) : v.relative_change_note,
           v.relative_change ? interval(v.relative_change->ci.lo, v.relative_change->ci.hi, 3) + " %" : kUnknown,
           num(v.mann_whitney->u, 6), pval(v.mann_whitney->p) + " (" + stats::method_name(v.mann_whitney->method) + ")",
           v.welch ? num(v.welch->t) : v.welch_note, v.welch ? pval(v.welch->p) : kUnknown, num(v.cliffs_delta, 3),
           std::string(stats::magnitude_name(v.magnitude)), num(v.a12, 3), v.dunn ? num(v.dunn->z) : kUnknown,
           v.dunn ? pval(v.dunn->p_holm) : kUnknown, v.decisive_test, pval(v.decisive_p), yes_no(v.significant)});
    }
  }
  return t;
}

Table omnibus_table(const ModelReport& m, const std::string& anchor) {
  Table t{anchor + "-kruskal", "Kruskal–Wallis across the tactics",
          "H with the tie correction, degrees of freedom k − 1, p from χ². Dunn's pairwise tests follow in the next table.",
          {"metric", "tactics tested", "H", "df", "p", "note"},
          {}};
  for (const MetricAnalysis& ma : m.analysis.metrics) {
    std::size_t k = 0;
    for (const TacticMetric& tm : ma.tactics) k += tm.values.size() >= 2;
    t.rows.push_back({metric_info(ma.metric).title, std::to_string(k), ma.kruskal ? num(ma.kruskal->h) : kUnknown,
                      ma.kruskal ? std::to_string(ma.kruskal->df) : kUnknown, ma.kruskal ? pval(ma.kruskal->p) : kUnknown,
                      ma.tests_note.empty() ? "-" : ma.tests_note});
  }
  return t;
}

Table dunn_table(const ModelReport& m, const std::string& anchor) {
  Table t{anchor + "-dunn", "Dunn's test, every pair",
          "z signed as a − b on mean ranks (positive: a ranks higher), two-sided p, and p Holm-corrected over all pairs of "
          "the metric (R's dunn.test prints one-sided p; these are two-sided).",
          {"metric", "a", "b", "z", "p", "p (Holm)"},
          {}};
  for (const MetricAnalysis& ma : m.analysis.metrics)
    for (const stats::DunnPair& p : ma.dunn)
      t.rows.push_back({metric_info(ma.metric).title, ma.tactics[p.a].tactic, ma.tactics[p.b].tactic, num(p.z), pval(p.p),
                        pval(p.p_holm)});
  return t;
}

Table economics_table(const ReportContent& c, const ModelReport& m, const std::string& anchor) {
  const EconomicsInputs& e = c.data->economics;
  Table t{anchor + "-economics", "Economics against the baseline",
          fmt::format("Cost per inference = median energy per image × PUE ({}) / 3.6e6 × {} {}/kWh, from the total energy "
                      "and from the energy above the idle baseline (each labelled). One-off cost = max(0, preparation energy "
                      "− the baseline's) × PUE × price + the engineering cost the spec gives. Break-even = one-off cost / "
                      "(baseline cost − tactic cost) per inference, rounded up; \"never\" when the tactic's inference is not "
                      "cheaper. ROI(N) = (C_old·N − (C_new·N + C_opt)) / (C_new·N + C_opt). Emissions at {} g CO2e/kWh ({}), "
                      "at a horizon including the one-off preparation.{}",
                      num(e.pue, 3), num(e.price_per_kwh, 3), e.currency, num(e.carbon_intensity_g_per_kwh, 4),
                      e.carbon_intensity_source,
                      e.instance_price_per_hour > 0
                          ? fmt::format(" Cloud cost = median time per image × {} {}/h / 3600.", num(e.instance_price_per_hour, 4),
                                        e.currency)
                          : std::string(" No instance price was given, so there is no cloud-time cost.")),
          {"tactic", "energy/image total (J)", "energy source", "energy/image above idle (J)",
           "cost/inference total (" + e.currency + ")", "cost/inference above idle (" + e.currency + ")",
           "extra preparation (s)", "extra preparation energy (J)", "preparation source", "engineering cost (" + e.currency + ")",
           "one-off cost (" + e.currency + ")", "break-even, total (inferences)", "break-even, above idle (inferences)"},
          {}};
  for (double h : e.horizons) t.columns.push_back("ROI at " + horizon_label(h));
  t.columns.push_back("emissions/inference (g CO2e)");
  for (double h : e.horizons) t.columns.push_back("emissions at " + horizon_label(h) + " (kg CO2e)");
  t.columns.push_back("cloud cost/inference (" + e.currency + ")");
  for (const TacticEconomics& te : m.economics.tactics) {
    const bool base = te.tactic == kBaselineTactic;
    auto be = [&](const std::optional<double>& v) { return base ? std::string("-") : v ? count(*v) : std::string(kUnknown); };
    std::vector<std::string> row{te.tactic,
                                 num(te.energy_j),
                                 te.energy_source,
                                 num(te.energy_above_idle_j),
                                 num(te.cost, 4),
                                 num(te.cost_above_idle, 4),
                                 num(te.extra_prep_seconds),
                                 num(te.extra_prep_energy_j),
                                 te.prep_energy_source,
                                 num(te.engineering_cost, 4),
                                 num(te.one_off_cost, 4),
                                 be(te.break_even),
                                 be(te.break_even_above_idle)};
    for (std::size_t i = 0; i < e.horizons.size(); ++i)
      row.push_back(base ? "-" : i < te.roi.size() ? num(te.roi[i], 4) : kUnknown);
    row.push_back(num(te.emissions_g, 4));
    for (std::size_t i = 0; i < e.horizons.size(); ++i) row.push_back(num(te.emissions_kg[i], 4));
    row.push_back(e.instance_price_per_hour > 0 ? num(te.cloud_cost, 4) : "-");
    t.rows.push_back(std::move(row));
  }
  return t;
}

Table candidates_table(const ModelReport& m, const std::string& anchor, const std::string& objective) {
  Table t{anchor + "-candidates", "Why each chain was or was not recommended",
          "Objective value: the median of the objective's metric, or for the cost objective the one-off cost plus the cost "
          "of the largest horizon's inferences. Top-1 drop in points (negative: a gain).",
          {"tactic", "objective value (" + objective + ")", "top-1 drop (points)", "within budget", "significant", "lower",
           "eligible", "reason"},
          {}};
  for (const Candidate& cd : m.recommendation.candidates)
    t.rows.push_back({cd.tactic, num(cd.objective_value), num(cd.accuracy_drop_points, 3), yes_no(cd.within_budget),
                      yes_no(cd.significant), yes_no(cd.lower), yes_no(cd.eligible), cd.reason});
  return t;
}

std::string opt_int_text(const std::optional<std::int64_t>& v) { return v ? count(static_cast<double>(*v)) : kUnknown; }

Table accuracy_table(const ReportContent& c, const ModelReport& m, const std::string& anchor) {
  Table t{anchor + "-accuracy", "Accuracy against energy (chart data)",
          "Top-1 and top-5 of each variant over the evaluation set, the median energy per image, and whether the tactic is on "
          "the Pareto front (no other tactic has at most its energy and at least its top-1, one strictly better).",
          {"tactic", "top-1 (%)", "top-5 (%)", "accuracy images", "median energy/image (J)", "on the Pareto front", "parameters",
           "non-zero parameters", "MACs/image", "effective MACs/image"},
          {}};
  t.chart_data = true;
  const GroupAnalysis& g = m.analysis;
  for (std::size_t i = 0; i < g.tactics.size(); ++i) {
    const VariantRow* v = c.data->variant(g.setting.model, g.tactics[i], g.setting.batch);
    const TacticEconomics* te = m.economics.find(g.tactics[i]);
    auto pct = [](const std::optional<double>& f) { return f ? num(100.0 * *f, 5) : std::string(kUnknown); };
    t.rows.push_back({g.tactics[i], v ? pct(v->top1) : kUnknown, v ? pct(v->top5) : kUnknown,
                      v ? opt_int_text(v->accuracy_images) : kUnknown, te ? num(te->energy_j) : kUnknown,
                      yes_no(m.pareto[i]), v ? opt_int_text(v->params) : kUnknown, v ? opt_int_text(v->nonzero_params) : kUnknown,
                      v ? opt_int_text(v->macs_per_image) : kUnknown, v ? opt_int_text(v->effective_macs_per_image) : kUnknown});
  }
  return t;
}

Table runs_table(const ReportContent& c, const ModelReport& m, const std::string& anchor) {
  Table t{anchor + "-runs", "Every run (chart data: energy and time per image)",
          "One row per completed run in run order. Outlier flags (1.5×IQR within the tactic) per metric: E energy, T time, "
          "P power. Runs with failed checks are listed but enter no statistic.",
          {"run", "tactic", "repetition", "energy/image (J)", "time/image (s)", "average power (W)", "energy source",
           "outlier flags", "checks"},
          {}};
  t.chart_data = true;
  const GroupAnalysis& g = m.analysis;
  // run_id -> flags, from each metric's Tukey flags.
  std::map<std::string, std::string> flags;
  for (const MetricAnalysis& ma : g.metrics) {
    const char letter = ma.metric == Metric::energy_per_image ? 'E' : ma.metric == Metric::time_per_image ? 'T' : ma.metric == Metric::avg_power ? 'P' : 'C';
    for (const TacticMetric& tm : ma.tactics)
      for (std::size_t i = 0; i < tm.all_run_ids.size(); ++i)
        if (tm.outlier[i]) flags[tm.all_run_ids[i]] += letter;
  }
  for (const RunRow& r : c.data->runs) {
    if (r.model != g.setting.model || r.batch != g.setting.batch || r.threads != g.setting.threads) continue;
    auto f = flags.find(r.run_id);
    t.rows.push_back({r.run_id, r.tactic, std::to_string(r.repetition), num(r.energy_per_image_j, 6), num(r.seconds_per_image, 6),
                      num(r.avg_power_w, 5), r.energy_source, f == flags.end() ? "" : f->second, r.checks});
  }
  return t;
}

Table cost_curve_table(const ReportContent& c, const ModelReport& m, const std::string& anchor) {
  const std::string& cur = c.data->economics.currency;
  Table t{anchor + "-cost-curve", "Cumulative cost against inferences (chart data)",
          "Cost of N inferences at the total-energy cost per inference: the baseline N·C_old, each tactic C_opt + N·C_new. "
          "The break-even rows are where a tactic's line crosses the baseline's.",
          {"tactic", "inferences", "baseline cost (" + cur + ")", "tactic cost (" + cur + ")", "break-even point"},
          {}};
  t.chart_data = true;
  for (const TacticEconomics& te : m.economics.tactics)
    for (const CostCurvePoint& p : te.curve)
      t.rows.push_back({te.tactic, count(p.inferences), num(p.baseline_cost, 5), num(p.tactic_cost, 5),
                        te.break_even && p.inferences == *te.break_even ? "yes" : ""});
  return t;
}

Table power_table(const ReportContent& c, const ModelReport& m, const std::string& anchor) {
  Table t{anchor + "-power", "Power of a representative run (chart data)",
          "For each tactic, the run whose energy per image is nearest the tactic's median among the runs with stored "
          "samples: power summed over the meter domains in the total, at each sample (seconds since the window opened).",
          {"tactic", "run", "t (s)", "power (W)", "CPU utilization"},
          {}};
  t.chart_data = true;
  for (std::size_t i = 0; i < m.analysis.tactics.size(); ++i) {
    const std::string& id = m.representative_run[i];
    if (id.empty()) continue;
    for (const SampleRow& s : c.data->samples.at(id))
      t.rows.push_back({m.analysis.tactics[i], id, num(s.t_s, 5), num(s.power_w, 5), num(s.cpu_utilization, 3)});
  }
  return t;
}

Table provenance_table(const ReportContent& c) {
  Table t{"provenance", "Provenance of the energy figures",
          "Runs by the source of their total energy (docs/metering.md): counter (RAPL or NVML energy counters), sampled "
          "(NVML power integrated over time), estimate (a model of power from CPU utilization and a TDP; not a measurement), "
          "unavailable (no figure). A figure built from several runs carries the least trustworthy source among them.",
          {"source", "runs"},
          {}};
  for (const auto& [source, n] : c.provenance.runs_by_source) t.rows.push_back({source, std::to_string(n)});
  return t;
}

Table excluded_table(const ReportContent& c) {
  Table t{"excluded", "Runs left out of the statistics",
          "Runs whose `checks` column is not empty (short_window: the window was shorter than the meter's resolution; "
          "energy_missing; energy_nonpositive) enter no statistic. They are listed here, and in each model's run table.",
          {"model", "run", "tactic", "reason"},
          {}};
  for (const ModelReport& m : c.models)
    for (const ExcludedRun& e : m.analysis.excluded) t.rows.push_back({m.analysis.label, e.run_id, e.tactic, e.reason});
  return t;
}

Table study_table(const ReportContent& c) {
  const StudyData& d = *c.data;
  const EconomicsInputs& e = d.economics;
  Table t{"study", "The study and the report's inputs", "From the store's experiment row and analysis_json; the report's "
                                                         "settings after command-line overrides.",
          {"item", "value"}, {}};
  auto add = [&](std::string k, std::string v) { t.rows.push_back({std::move(k), std::move(v)}); };
  add("store", d.file.string());
  add("name", d.experiment.name);
  add("schema version", std::to_string(d.schema_version));
  add("spec hash", d.experiment.spec_hash);
  add("run-order seed", std::to_string(d.experiment.seed));
  add("shard", fmt::format("{} of {}", d.experiment.shard_k, d.experiment.shard_n));
  add("planned runs", std::to_string(d.planned_runs));
  add("completed runs", std::to_string(c.completed_runs));
  add("runs left out (failed checks)", std::to_string(c.excluded_runs));
  add("created", d.experiment.created_at);
  add("updated", d.experiment.updated_at);
  add("price", fmt::format("{} {}/kWh", num(e.price_per_kwh, 4), e.currency));
  add("PUE", num(e.pue, 4));
  add("carbon intensity", fmt::format("{} g CO2e/kWh; source: {}", num(e.carbon_intensity_g_per_kwh, 4), e.carbon_intensity_source));
  add("instance price", e.instance_price_per_hour > 0 ? fmt::format("{} {}/h", num(e.instance_price_per_hour, 4), e.currency)
                                                      : std::string("not given (no cloud-time cost)"));
  std::string hz;
  for (double h : e.horizons) hz += (hz.empty() ? "" : ", ") + count(h);
  add("horizons (inferences)", hz.empty() ? "none" : hz);
  std::string eng;
  for (const auto& [tactic, cost] : e.engineering_cost) eng += (eng.empty() ? "" : "; ") + tactic + ": " + money(cost, e.currency);
  add("engineering costs", eng.empty() ? "none" : eng);
  add("objective", c.settings.objective);
  add("accuracy budget", top1_points(c.settings.accuracy_budget_points));
  add("outliers", c.settings.exclude_outliers ? "excluded (beyond 1.5×IQR)" : "flagged, kept");
  add("alpha", num(c.settings.alpha, 3));
  add("bootstrap", fmt::format("{} resamples, seed {}, {} % percentile intervals", c.bootstrap.resamples, c.bootstrap.seed,
                               num(100 * c.bootstrap.confidence, 3)));
  return t;
}

Table environment_table(const ReportContent& c) {
  Table t{"environment", "Environment", "Machine and software where the study started (experiment.environment_json).",
          {"key", "value"}, {}};
  for (auto& [k, v] : environment_rows(c.data->environment)) t.rows.push_back({k, v});
  return t;
}

Table nodes_table(const ReportContent& c) {
  Table t{"nodes", "Nodes",
          "Where the runs ran: each node (host name) with its node type (CPU model, logical CPUs, GPUs) and the Slurm "
          "array tasks or jobs that ran there. Runs of one node type may be pooled; runs of several may not.",
          {"node", "node type", "runs", "Slurm jobs"},
          {}};
  for (const NodeSummary& n : c.nodes.nodes) {
    std::string jobs;
    for (const std::string& j : n.slurm_jobs) jobs += (jobs.empty() ? "" : ", ") + j;
    t.rows.push_back({n.node, n.node_type, std::to_string(n.runs), jobs.empty() ? "none (not under Slurm)" : jobs});
  }
  return t;
}

Table runs_by_node_table(const ReportContent& c) {
  Table t{"runs-by-node", "Runs by node",
          "Median energy and time per image of each tactic on each node (every completed run, checks and outliers "
          "included): how much of a difference between tactics is a difference between machines.",
          {"model", "batch", "threads", "tactic", "node", "node type", "runs", "median energy/image (J)", "median time/image (s)"},
          {}};
  struct Cell {
    std::vector<double> energy, time;
    std::size_t runs = 0;
  };
  std::map<std::tuple<std::string, int, int, std::string, std::string, std::string>, Cell> cells;
  for (const RunRow& r : c.data->runs) {
    Cell& cell = cells[{r.model, r.batch, r.threads, r.tactic, r.node, r.node_type.empty() ? kUnknownNodeType : r.node_type}];
    ++cell.runs;
    if (r.energy_per_image_j) cell.energy.push_back(*r.energy_per_image_j);
    if (r.seconds_per_image) cell.time.push_back(*r.seconds_per_image);
  }
  auto median_of = [](const std::vector<double>& v) { return v.empty() ? std::optional<double>() : stats::median(v); };
  for (const auto& [key, cell] : cells) {
    const auto& [model, batch, threads, tactic, node, type] = key;
    t.rows.push_back({model, std::to_string(batch), std::to_string(threads), tactic, node, type, std::to_string(cell.runs),
                      num(median_of(cell.energy), 5), num(median_of(cell.time), 5)});
  }
  return t;
}

Table estimate_table(const ReportContent& c) {
  Table t{"estimate", "The estimate's parameters",
          "Every distinct set of estimate parameters stored with the runs (TDP, idle fraction, RAM watts per GB and where "
          "each came from). Estimated energy is a model of power, not a measurement.",
          {"parameters"},
          {}};
  for (const std::string& p : c.provenance.estimate_parameters) t.rows.push_back({p});
  return t;
}

Table warnings_table(const ReportContent& c) {
  Table t{"meter-warnings", "Meter warnings", "Every distinct warning the meter stored with a run.", {"warning"}, {}};
  for (const std::string& w : c.provenance.warnings) t.rows.push_back({w});
  return t;
}

}  // namespace

ReportTables tables_of(const ReportContent& c) {
  ReportTables out;
  out.overview.push_back(recommendations_table(c));
  out.overview.push_back(findings_table(c));
  std::set<std::string> used;
  for (const ModelReport& m : c.models) {
    ModelTables mt;
    mt.label = m.analysis.label;
    mt.anchor = "model-" + anchor_of(mt.label);
    while (!used.insert(mt.anchor).second) mt.anchor += "-x";
    mt.recommendation = m.recommendation.statement;
    mt.tables.push_back(candidates_table(m, mt.anchor, c.settings.objective));
    mt.tables.push_back(descriptive_table(m, mt.anchor, c.settings.exclude_outliers));
    mt.tables.push_back(comparison_table(m, mt.anchor, c.settings.alpha));
    mt.tables.push_back(omnibus_table(m, mt.anchor));
    mt.tables.push_back(dunn_table(m, mt.anchor));
    mt.tables.push_back(economics_table(c, m, mt.anchor));
    mt.tables.push_back(accuracy_table(c, m, mt.anchor));
    mt.tables.push_back(cost_curve_table(c, m, mt.anchor));
    mt.tables.push_back(power_table(c, m, mt.anchor));
    mt.tables.push_back(runs_table(c, m, mt.anchor));
    out.models.push_back(std::move(mt));
  }
  out.appendix.push_back(provenance_table(c));
  if (!c.provenance.estimate_parameters.empty()) out.appendix.push_back(estimate_table(c));
  if (!c.provenance.warnings.empty()) out.appendix.push_back(warnings_table(c));
  out.appendix.push_back(excluded_table(c));
  out.appendix.push_back(study_table(c));
  out.appendix.push_back(nodes_table(c));
  if (c.nodes.nodes.size() > 1) out.appendix.push_back(runs_by_node_table(c));
  out.appendix.push_back(environment_table(c));
  return out;
}

}  // namespace ecoinfer::report
