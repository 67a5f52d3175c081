#include "study/exports.h"

#include <cstdio>
#include <fstream>
#include <map>

#include "core/error.h"
#include "meter/codecarbon_csv.h"

namespace ecoinfer::study {

namespace fs = std::filesystem;

namespace {

std::string num(double v) { return fmt::format("{:.17g}", v); }
std::string opt(const std::optional<double>& v) { return v ? num(*v) : ""; }
std::string opt(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : ""; }

const std::vector<std::string> kRunColumns = {
    "started_at", "seconds", "images", "batches", "seconds_per_image", "energy_j", "energy_source", "energy_per_image_j",
    "cpu_energy_j", "ram_energy_j", "gpu_energy_j", "avg_power_w", "idle_power_w", "energy_above_idle_j", "cpu_utilization",
    "process_cpu_utilization", "peak_rss_bytes", "p50_ms", "p90_ms", "p99_ms", "mean_ms", "images_per_s", "temperature_c",
    "sampler_cpu_fraction", "checks", "node"};

std::vector<std::string> run_fields(const RunRow& r) {
  std::string checks;
  for (auto& c : r.checks) checks += (checks.empty() ? "" : ";") + c;
  std::optional<double> epi;
  if (r.energy_j && r.images > 0) epi = *r.energy_j / static_cast<double>(r.images);
  return {r.started_at,
          num(r.seconds),
          std::to_string(r.images),
          std::to_string(r.batches),
          r.images > 0 ? num(r.seconds / static_cast<double>(r.images)) : "",
          opt(r.energy_j),
          r.energy_source,
          opt(epi),
          opt(r.cpu_energy_j),
          opt(r.ram_energy_j),
          opt(r.gpu_energy_j),
          opt(r.avg_power_w),
          opt(r.idle_power_w),
          opt(r.energy_above_idle_j),
          opt(r.cpu_utilization),
          opt(r.process_cpu_utilization),
          opt(r.peak_rss_bytes),
          num(r.p50_ms),
          num(r.p90_ms),
          num(r.p99_ms),
          num(r.mean_ms),
          num(r.images_per_s),
          opt(r.temperature_c),
          opt(r.sampler_cpu_fraction),
          checks,
          r.node};
}

}  // namespace

void write_file_atomically(const fs::path& file, const std::string& text) {
  const fs::path tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    ECO_CHECK(out.good(), "{}: cannot write", tmp.string());
    out << text;
    out.close();
    ECO_CHECK(out.good(), "{}: write failed (disk full?)", tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, file, ec);
  ECO_CHECK(!ec, "{}: cannot rename to {}: {}", tmp.string(), file.string(), ec.message());
}

void write_exports(Store& store, const fs::path& folder) {
  const auto exp = store.experiment();
  ECO_CHECK(exp, "{}: the store holds no experiment", store.file().string());
  const std::vector<PlannedRun> plan = store.plan();
  const std::vector<RunRow> runs = store.runs();
  std::map<std::string, const RunRow*> by_id;
  for (auto& r : runs) by_id[r.plan.run_id] = &r;

  std::vector<std::string> header = {"__run_id", "__done", "run_index", "shard", "model", "tactic", "batch", "threads", "repetition"};
  header.insert(header.end(), kRunColumns.begin(), kRunColumns.end());
  std::string text = meter::csv_line(header) + "\n";
  for (const PlannedRun& p : plan) {
    auto it = by_id.find(p.run_id);
    std::vector<std::string> row = {p.run_id,         it != by_id.end() ? "1" : "0", std::to_string(p.run_index), std::to_string(p.shard),
                                    p.model,          p.tactic,                      std::to_string(p.batch),     std::to_string(p.threads),
                                    std::to_string(p.repetition)};
    if (it != by_id.end()) {
      auto f = run_fields(*it->second);
      row.insert(row.end(), f.begin(), f.end());
    } else {
      row.resize(header.size());
    }
    text += meter::csv_line(row) + "\n";
  }
  write_file_atomically(folder / "runs.csv", text);

  // CodeCarbon v2 columns; energies in kWh, emissions in kg CO2e at the spec's intensity
  // (PUE applied to emissions, not to the measured energies), unknown cells empty.
  const nlohmann::json econ = exp->analysis_json.value("economics", nlohmann::json::object());
  const double intensity = econ.value("carbon_intensity_g_per_kwh", meter::kDefaultCarbonIntensityGPerKwh);
  const double pue = econ.value("pue", 1.0);
  const nlohmann::json& env = exp->environment_json;
  std::vector<std::string> cc = meter::codecarbon_columns();
  cc.push_back("source");
  cc.push_back("energy_source_detail");
  std::string em = meter::csv_line(cc) + "\n";
  for (const RunRow& r : runs) {
    std::map<std::string, std::string> f;
    f["timestamp"] = r.started_at;
    f["project_name"] = exp->name;
    f["run_id"] = r.plan.run_id;
    f["duration"] = num(r.seconds);
    auto kwh = [](const std::optional<double>& j) { return j ? std::optional<double>(*j / 3.6e6) : std::nullopt; };
    auto watts = [&](const std::optional<double>& j) { return j && r.seconds > 0 ? std::optional<double>(*j / r.seconds) : std::nullopt; };
    if (r.energy_j) {
      const double kg = *r.energy_j / 3.6e6 * pue * intensity / 1000.0;
      f["emissions"] = num(kg);
      if (r.seconds > 0) f["emissions_rate"] = num(kg / r.seconds);
    }
    f["cpu_power"] = opt(watts(r.cpu_energy_j));
    f["gpu_power"] = opt(watts(r.gpu_energy_j));
    f["ram_power"] = opt(watts(r.ram_energy_j));
    f["cpu_energy"] = opt(kwh(r.cpu_energy_j));
    f["gpu_energy"] = opt(kwh(r.gpu_energy_j));
    f["ram_energy"] = opt(kwh(r.ram_energy_j));
    f["energy_consumed"] = opt(kwh(r.energy_j));
    f["os"] = env.value("os", "");
    if (env.contains("cpu_count") && env["cpu_count"].is_number()) f["cpu_count"] = std::to_string(env["cpu_count"].get<int64_t>());
    if (env.contains("cpu_model") && env["cpu_model"].is_string()) f["cpu_model"] = env["cpu_model"].get<std::string>();
    if (env.contains("ram_total_bytes") && env["ram_total_bytes"].is_number())
      f["ram_total_size"] = num(env["ram_total_bytes"].get<double>() / (1024.0 * 1024 * 1024));
    f["tracking_mode"] = r.estimate.is_object() ? r.estimate.value("basis", "machine") : "machine";
    f["on_cloud"] = "N";
    f["pue"] = num(pue);
    f["source"] = r.energy_source;
    std::string detail;
    if (r.domains.is_array())
      for (auto& d : r.domains)
        if (d.value("in_total", false))
          detail += (detail.empty() ? "" : "; ") + d.value("name", "") + "=" + d.value("source", "") + "/" + d.value("meter", "");
    f["energy_source_detail"] = detail;
    std::vector<std::string> row;
    for (auto& c : cc) row.push_back(f.count(c) ? f[c] : "");
    em += meter::csv_line(row) + "\n";
  }
  write_file_atomically(folder / "emissions.csv", em);
}

}  // namespace ecoinfer::study
