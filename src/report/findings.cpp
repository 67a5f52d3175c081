#include "report/findings.h"

#include <algorithm>

#include <fmt/format.h>

#include "report/format.h"
#include "report/recommendation.h"

namespace ecoinfer::report {

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::supported: return "supported";
    case Verdict::not_supported: return "not supported";
    case Verdict::inconclusive: return "inconclusive";
  }
  return "?";
}

namespace {

// Single-tactic chains of one kind: "dynamic-int8", "dynamic-int8:per-channel", not "dynamic-int8+compile".
std::vector<std::string> chains_of(const GroupAnalysis& g, const std::string& kind) {
  std::vector<std::string> out;
  for (const std::string& t : g.tactics)
    if (t.find('+') == std::string::npos && (t == kind || t.rfind(kind + ":", 0) == 0)) out.push_back(t);
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

enum class Effect { lower, higher, not_significant, untested };

struct Tested {
  Effect effect = Effect::untested;
  std::string text;
  std::size_t n = 0;
};

Tested test_of(const GroupAnalysis& g, Metric m, const std::string& tactic) {
  Tested t;
  const MetricAnalysis* ma = g.find(m);
  const TacticMetric* tm = ma ? ma->find(tactic) : nullptr;
  const TacticMetric* base = ma ? ma->find(kBaselineTactic) : nullptr;
  if (!tm || !tm->vs_baseline || !base) {
    t.text = fmt::format("{} of {}: not tested (too few runs)", metric_info(m).title, tactic);
    return t;
  }
  const VsBaseline& v = *tm->vs_baseline;
  t.n = std::min(tm->values.size(), base->values.size());
  t.effect = !v.significant ? Effect::not_significant : v.lower ? Effect::lower : Effect::higher;
  const std::string change = v.relative_change ? percent(v.relative_change->percent) : std::string("median change n/a");
  t.text = fmt::format("{} of {}: {} ({} {}, δ = {} {})", metric_info(m).title, tactic, change, v.decisive_test,
                       p_equals(v.decisive_p), num(v.cliffs_delta, 3), stats::magnitude_name(v.magnitude));
  return t;
}

Finding dynamic_quantization(const GroupAnalysis& g) {
  Finding f{"Dynamic quantization cuts inference time and energy", Verdict::inconclusive, "", ""};
  const std::vector<std::string> chains = chains_of(g, "dynamic-int8");
  if (chains.empty()) {
    f.statistic = "dynamic-int8 alone is not in this study";
    return f;
  }
  // The first spelling the study lists decides; further ones (per-channel) are reported beside it.
  const std::string& t = chains.front();
  f.tactics = t;
  const Tested energy = test_of(g, Metric::energy_per_image, t), time = test_of(g, Metric::time_per_image, t);
  f.statistic = energy.text + "; " + time.text;
  if (energy.effect == Effect::higher || time.effect == Effect::higher)
    f.verdict = Verdict::not_supported;
  else if (energy.effect == Effect::lower && time.effect == Effect::lower)
    f.verdict = Verdict::supported;
  return f;
}

Finding compile_balance(const StudyData& d, const GroupAnalysis& g, const ReportSettings& settings) {
  Finding f{"Compile balances accuracy and energy", Verdict::inconclusive, "compile", ""};
  if (std::find(g.tactics.begin(), g.tactics.end(), "compile") == g.tactics.end()) {
    f.tactics.clear();
    f.statistic = "compile alone is not in this study";
    return f;
  }
  const Tested energy = test_of(g, Metric::energy_per_image, "compile");
  const std::optional<double> base = top1_of(d, g.setting, kBaselineTactic), top1 = top1_of(d, g.setting, "compile");
  std::optional<double> drop;
  if (base && top1) drop = 100.0 * (*base - *top1);
  f.statistic = energy.text + "; top-1 change " + (drop ? num(-*drop, 3) + " points" : std::string("unknown")) +
                " (budget " + num(settings.accuracy_budget_points, 3) + ")";
  if ((drop && *drop > settings.accuracy_budget_points + 1e-9) || energy.effect == Effect::higher)
    f.verdict = Verdict::not_supported;
  else if (drop && energy.effect == Effect::lower)
    f.verdict = Verdict::supported;
  return f;
}

Finding local_pruning(const StudyData& d, const GroupAnalysis& g, const ReportSettings& settings) {
  Finding f{"Local pruning does not improve the model", Verdict::inconclusive, "", ""};
  const std::vector<std::string> chains = chains_of(g, "prune-local");
  if (chains.empty()) {
    f.statistic = "prune-local alone is not in this study";
    return f;
  }
  f.tactics = join(chains);
  bool improves = false, all_powered = true;
  std::vector<std::string> parts;
  const std::optional<double> base = top1_of(d, g.setting, kBaselineTactic);
  for (const std::string& t : chains) {
    for (Metric m : {Metric::energy_per_image, Metric::time_per_image}) {
      const Tested r = test_of(g, m, t);
      parts.push_back(r.text);
      improves = improves || r.effect == Effect::lower;
      all_powered = all_powered && r.effect != Effect::untested && r.n >= kMinRunsForNoEffect;
    }
    const std::optional<double> top1 = top1_of(d, g.setting, t);
    if (base && top1 && 100.0 * (*top1 - *base) > settings.accuracy_budget_points) {
      improves = true;
      parts.push_back(fmt::format("top-1 of {} gains {} points", t, num(100.0 * (*top1 - *base), 3)));
    }
  }
  f.statistic = join(parts);
  if (improves)
    f.verdict = Verdict::not_supported;
  else if (all_powered)
    f.verdict = Verdict::supported;
  else
    f.statistic += fmt::format("; fewer than {} runs per group cannot show the absence of an effect", kMinRunsForNoEffect);
  return f;
}

Finding global_pruning_cost(const GroupAnalysis& g, const GroupEconomics& e, const std::string& currency) {
  Finding f{"Global pruning's optimization time raises its cost", Verdict::inconclusive, "", ""};
  const std::vector<std::string> chains = chains_of(g, "prune-global");
  if (chains.empty()) {
    f.statistic = "prune-global alone is not in this study";
    return f;
  }
  f.tactics = join(chains);
  // The yardstick: the slowest local pruning to prepare, else the baseline (extra 0 s).
  double yardstick = 0;
  std::string yardstick_name = "the baseline";
  for (const std::string& t : chains_of(g, "prune-local")) {
    const TacticEconomics* te = e.find(t);
    if (te && te->extra_prep_seconds && (yardstick_name == "the baseline" || *te->extra_prep_seconds > yardstick)) {
      yardstick = *te->extra_prep_seconds;
      yardstick_name = t;
    }
  }
  bool all_raise = true, any_unknown = false;
  std::vector<std::string> parts;
  for (const std::string& t : chains) {
    const TacticEconomics* te = e.find(t);
    if (!te || !te->extra_prep_seconds) {
      any_unknown = true;
      parts.push_back(t + ": preparation not timed");
      continue;
    }
    const bool raises = *te->extra_prep_seconds > 0 && *te->extra_prep_seconds > yardstick;
    all_raise = all_raise && raises;
    parts.push_back(fmt::format("{}: extra preparation {} s over the baseline (one-off cost {}) vs {} s for {}", t,
                                num(*te->extra_prep_seconds, 3), money(te->one_off_cost, currency), num(yardstick, 3),
                                yardstick_name));
  }
  f.statistic = join(parts);
  if (!all_raise)
    f.verdict = Verdict::not_supported;
  else if (!any_unknown)
    f.verdict = Verdict::supported;
  return f;
}

}  // namespace

std::vector<Finding> findings_of(const StudyData& d, const GroupAnalysis& g, const GroupEconomics& e,
                                 const ReportSettings& settings) {
  return {dynamic_quantization(g), compile_balance(d, g, settings), local_pruning(d, g, settings),
          global_pruning_cost(g, e, d.economics.currency)};
}

}  // namespace ecoinfer::report
