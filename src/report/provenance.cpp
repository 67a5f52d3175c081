#include "report/provenance.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace ecoinfer::report {

int source_rank(const std::string& source) {
  if (source == "counter") return 0;
  if (source == "sampled") return 1;
  if (source == "estimate") return 2;
  return 3;
}

std::string worse_source(const std::string& a, const std::string& b) { return source_rank(a) >= source_rank(b) ? a : b; }

namespace {

// Stored JSON that says nothing ("", "null", "{}", "[]") is no estimate / no warning.
bool is_empty_json(const nlohmann::json& j) { return j.is_null() || (j.is_structured() && j.empty()); }

nlohmann::json parse_or_text(const std::string& text) {
  if (text.empty()) return nullptr;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? nlohmann::json(text) : j;
}

void flatten(const nlohmann::json& j, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) flatten(it.value(), prefix.empty() ? it.key() : prefix + "." + it.key(), out);
    return;
  }
  if (j.is_array()) {
    const bool scalars = std::all_of(j.begin(), j.end(), [](const nlohmann::json& e) { return !e.is_structured(); });
    if (scalars) {
      std::string s;
      for (const nlohmann::json& e : j) s += (s.empty() ? "" : ", ") + (e.is_string() ? e.get<std::string>() : e.dump());
      out.emplace_back(prefix, s.empty() ? "(none)" : s);
      return;
    }
    for (std::size_t i = 0; i < j.size(); ++i) flatten(j[i], prefix + "[" + std::to_string(i) + "]", out);
    return;
  }
  out.emplace_back(prefix, j.is_string() ? j.get<std::string>() : j.is_null() ? "n/a" : j.dump());
}

}  // namespace

Provenance provenance_of(const StudyData& d) {
  Provenance p;
  std::map<std::string, std::size_t> counts;
  std::set<std::string> estimates, warnings;
  for (const RunRow& r : d.runs) {
    p.overall_source = worse_source(p.overall_source, r.energy_source);
    ++counts[r.energy_source];
    const nlohmann::json e = parse_or_text(r.estimate_json);
    if (!is_empty_json(e)) estimates.insert(e.dump(2));
    const nlohmann::json w = parse_or_text(r.warnings_json);
    if (w.is_array()) {
      for (const nlohmann::json& x : w) warnings.insert(x.is_string() ? x.get<std::string>() : x.dump());
    } else if (!is_empty_json(w)) {
      warnings.insert(w.is_string() ? w.get<std::string>() : w.dump());
    }
  }
  for (const IdleRow& i : d.idle) p.overall_source = worse_source(p.overall_source, i.energy_source);
  if (d.runs.empty()) p.overall_source = "unavailable";
  p.any_estimate = counts.count("estimate") > 0 || !estimates.empty();
  p.estimate_parameters.assign(estimates.begin(), estimates.end());
  p.warnings.assign(warnings.begin(), warnings.end());
  for (const auto& [source, n] : counts) p.runs_by_source.emplace_back(source, n);
  std::sort(p.runs_by_source.begin(), p.runs_by_source.end(),
            [](const auto& a, const auto& b) { return source_rank(a.first) < source_rank(b.first); });
  return p;
}

std::string source_of_runs(const StudyData& d, const std::vector<std::string>& run_ids) {
  if (run_ids.empty()) return "unavailable";
  std::unordered_map<std::string, const RunRow*> by_id;
  for (const RunRow& r : d.runs) by_id[r.run_id] = &r;
  std::string worst = "counter";
  for (const std::string& id : run_ids) {
    auto it = by_id.find(id);
    worst = worse_source(worst, it == by_id.end() ? "unavailable" : it->second->energy_source);
  }
  return worst;
}

std::vector<std::pair<std::string, std::string>> environment_rows(const nlohmann::json& env) {
  std::vector<std::pair<std::string, std::string>> out;
  if (env.is_object()) flatten(env, "", out);
  return out;
}

}  // namespace ecoinfer::report
