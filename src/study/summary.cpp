#include "study/summary.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/error.h"
#include "stats/descriptive.h"

namespace ecoinfer::study {

std::string summary_text(Store& store) {
  const auto exp = store.experiment();
  ECO_CHECK(exp, "{}: the store holds no experiment", store.file().string());
  const auto runs = store.runs();
  const auto variants = store.variants();
  std::vector<std::string> tactic_order;
  for (auto& t : exp->spec_json.value("tactics", nlohmann::json::array())) tactic_order.push_back(t.get<std::string>());
  std::vector<std::string> model_order;
  for (auto& m : exp->spec_json.value("models", nlohmann::json::array())) model_order.push_back(m.value("name", ""));

  struct Group {
    std::vector<double> energy, time;
    std::set<std::string> sources;
    int flagged = 0;
  };
  std::map<std::pair<std::string, std::string>, Group> groups;
  for (const RunRow& r : runs) {
    Group& g = groups[{r.plan.model, r.plan.tactic}];
    bool bad = false;
    for (auto& c : r.checks) bad = bad || c != "time_outlier";
    if (bad) {
      ++g.flagged;
      continue;
    }
    if (r.energy_j && r.images > 0) g.energy.push_back(*r.energy_j / r.images);
    if (r.images > 0) g.time.push_back(r.seconds / r.images);
    g.sources.insert(r.energy_source);
  }
  std::string out;
  for (const std::string& m : model_order) {
    out += fmt::format("\n{}\n", m);
    out += fmt::format("  {:<28} {:>5} {:>16} {:<10} {:>12} {:>8} {:>12} {:>14}\n", "tactic", "runs", "energy/image", "source",
                       "time/image", "top-1", "prep time", "prep energy");
    std::optional<double> base_e, base_t;
    for (const std::string& t : tactic_order) {
      auto git = groups.find({m, t});
      const VariantRow* v = nullptr;
      for (auto& x : variants)
        if (x.model == m && x.tactic == t) {
          v = &x;
          break;
        }
      if (git == groups.end() && !v) continue;
      const Group empty;
      const Group& g = git == groups.end() ? empty : git->second;
      std::string e = "-", tm = "-", src = "-";
      if (!g.energy.empty()) {
        const double me = stats::median(g.energy);
        if (t == "none") base_e = me;
        e = fmt::format("{:.4g} mJ", 1000 * me);
        if (t != "none" && base_e && *base_e > 0) e += fmt::format(" {:+.0f}%", 100 * (me / *base_e - 1));
      } else if (!g.time.empty()) {
        e = "unknown";
      }
      if (!g.time.empty()) {
        const double mt = stats::median(g.time);
        if (t == "none") base_t = mt;
        tm = fmt::format("{:.4g} ms", 1000 * mt);
        if (t != "none" && base_t && *base_t > 0) tm += fmt::format(" {:+.0f}%", 100 * (mt / *base_t - 1));
      }
      if (!g.sources.empty()) src = g.sources.size() == 1 ? *g.sources.begin() : "mixed";
      const size_t n = g.energy.size() > g.time.size() ? g.energy.size() : g.time.size();
      out += fmt::format("  {:<28} {:>5} {:>16} {:<10} {:>12} {:>8} {:>12} {:>14}{}\n", t, n, e, src, tm,
                         v ? fmt::format("{:.4f}", v->top1) : "-", v ? fmt::format("{:.3f} s", v->prep_seconds) : "-",
                         v ? (v->prep_energy_j ? fmt::format("{:.3g} J {}", *v->prep_energy_j, v->prep_energy_source) : "unknown") : "-",
                         g.flagged ? fmt::format("  ({} flagged runs left out)", g.flagged) : "");
    }
  }
  std::set<std::string> all_sources;
  for (auto& r : runs) all_sources.insert(r.energy_source);
  if (all_sources.count("estimate")) {
    const RunRow* est = nullptr;
    for (auto& r : runs)
      if (r.energy_source == "estimate" && r.estimate.is_object()) est = &r;
    out += "\nEnergy figures labelled 'estimate' come from no hardware counter: ";
    if (est)
      out += fmt::format("CPU {} W at full load ({}), idle {:.3g} W, RAM {} W/GiB ({}).\n", est->estimate.value("cpu_tdp_w", 0.0),
                         est->estimate.value("cpu_tdp_origin", std::string("?")), est->estimate.value("cpu_idle_w", 0.0),
                         est->estimate.value("ram_w_per_gb", 0.0), est->estimate.value("ram_origin", std::string("?")));
    else
      out += "see the report for the estimate's parameters.\n";
  }
  out += "Times are inference only: images were decoded and preprocessed before every metered window.\n";
  return out;
}

}  // namespace ecoinfer::study
