#pragma once
// Writes study stores (docs/study-schema.md, version 2) with seeded synthetic runs, so that
// the report can be tested on known answers without measuring anything. The SQL is written
// here from the schema document, independently of the study runner's writer.
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "study/sqlite_db.h"

namespace ecoinfer::test {

struct SyntheticTactic {
  std::string name;
  double energy_per_image_j = 0.05;  // median of the runs
  double time_per_image_s = 0.002;
  double spread = 0.03;              // relative sd of both
  std::optional<double> top1 = 0.90;
  double prep_seconds = 1.0;
  std::optional<double> prep_energy_j = 20.0;
};

struct SyntheticModel {
  std::string name;
  std::vector<SyntheticTactic> tactics;  // the first must be "none"
};

struct SyntheticStudy {
  std::string name = "synthetic";
  std::vector<SyntheticModel> models;
  int repetitions = 30;
  std::uint64_t seed = 7;
  std::string energy_source = "counter";
  bool samples = true;
  int samples_per_run = 20;
  nlohmann::json analysis = {
      {"economics",
       {{"price_per_kwh", 0.30},
        {"currency", "EUR"},
        {"carbon_intensity_g_per_kwh", 475},
        {"carbon_intensity_source", "world average (CodeCarbon default, 475 g CO2e/kWh)"},
        {"pue", 1.0},
        {"instance_price_per_hour", 0.0},
        {"horizons", {1e6, 1e8}},
        {"engineering_cost", nlohmann::json::object()}}},
      {"report", {{"objective", "energy"}, {"accuracy_budget_points", 1.0}, {"exclude_outliers", false}, {"alpha", 0.05}}}};
  // run_id -> checks text, for runs that failed their checks.
  std::map<std::string, std::string> checks;
  // run_id -> factor on energy per image, for planted outliers.
  std::map<std::string, double> energy_factor;
  std::string schema_version = "2";
  // run_id -> (node, node type), for runs that ran elsewhere than testhost.
  std::map<std::string, std::pair<std::string, std::string>> node_of;
};

inline const char* kSyntheticNodeType = "Synthetic CPU @ 2.0GHz (2 logical CPUs)";

inline const char* kSyntheticSchemaSql = R"SQL(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE experiment(id INTEGER PRIMARY KEY, name TEXT, spec_text TEXT, spec_json TEXT, spec_hash TEXT,
  analysis_json TEXT, seed INTEGER, shard_k INTEGER, shard_n INTEGER, environment_json TEXT, created_at TEXT, updated_at TEXT);
CREATE TABLE spec_history(id INTEGER PRIMARY KEY, changed_at TEXT, old_hash TEXT, new_hash TEXT, diff TEXT);
CREATE TABLE planned_runs(run_id TEXT PRIMARY KEY, run_index INTEGER UNIQUE, shard INTEGER, model TEXT, tactic TEXT,
  batch INTEGER, threads INTEGER, repetition INTEGER);
CREATE TABLE models(model TEXT PRIMARY KEY, path TEXT, data TEXT, onnx_path TEXT, model_bytes INTEGER, classes INTEGER,
  input_shape TEXT, label_source TEXT);
CREATE TABLE variants(model TEXT, tactic TEXT, batch INTEGER, prep_seconds REAL, tactics_seconds REAL,
  first_run_seconds REAL, prep_energy_j REAL, prep_energy_source TEXT, prep_avg_power_w REAL, prep_peak_rss_bytes INTEGER,
  prep_domains_json TEXT, tactic_json TEXT, params INTEGER, nonzero_params INTEGER, macs_per_image INTEGER,
  effective_macs_per_image INTEGER, model_bytes INTEGER, optimized_model_bytes INTEGER, top1 REAL, top5 REAL,
  accuracy_images INTEGER, accuracy_batch INTEGER, accuracy_seconds REAL, host TEXT, created_at TEXT,
  PRIMARY KEY (model, tactic, batch));
CREATE TABLE runs(run_id TEXT PRIMARY KEY, run_index INTEGER, shard INTEGER, model TEXT, tactic TEXT, batch INTEGER,
  threads INTEGER, repetition INTEGER, started_at TEXT, seconds REAL, images INTEGER, batches INTEGER,
  seconds_per_image REAL, energy_j REAL, energy_source TEXT, energy_per_image_j REAL, cpu_energy_j REAL, ram_energy_j REAL,
  gpu_energy_j REAL, avg_power_w REAL, idle_power_w REAL, energy_above_idle_j REAL, cpu_utilization REAL,
  process_cpu_utilization REAL, peak_rss_bytes INTEGER, p50_ms REAL, p90_ms REAL, p99_ms REAL, mean_ms REAL,
  images_per_s REAL, temperature_c REAL, sampler_cpu_fraction REAL, checks TEXT, time_outlier INTEGER, domains_json TEXT,
  estimate_json TEXT, warnings_json TEXT, node TEXT, slurm_job TEXT, cpu_model TEXT, gpu_model TEXT, node_type TEXT,
  slurm_job_id TEXT, slurm_array_job_id TEXT, slurm_array_task_id TEXT);
CREATE TABLE samples(run_id TEXT, t_s REAL, power_w REAL, cpu_utilization REAL, rss_bytes INTEGER);
CREATE TABLE idle(id INTEGER PRIMARY KEY, taken_at TEXT, before_run_index INTEGER, seconds REAL, energy_j REAL,
  energy_source TEXT, avg_power_w REAL, cpu_utilization REAL, domains_json TEXT, node TEXT);
)SQL";

// A standard normal from two uniforms (Box–Muller): the same numbers with every standard library.
inline double synthetic_normal(std::mt19937_64& rng) {
  const double u1 = (static_cast<double>(rng() >> 11) + 0.5) / 9007199254740992.0;
  const double u2 = (static_cast<double>(rng() >> 11) + 0.5) / 9007199254740992.0;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

inline std::string synthetic_run_id(const std::string& model, const std::string& tactic, int rep) {
  return fmt::format("{}|{}|b32|t1|r{}", model, tactic, rep);
}

inline void write_synthetic_store(const std::filesystem::path& file, const SyntheticStudy& s) {
  std::filesystem::remove(file);
  study::Database db(file, /*create=*/true);
  db.exec(kSyntheticSchemaSql);
  study::Database::Transaction tx(db);
  db.prepare("INSERT INTO meta VALUES ('schema_version', ?)").bind(1, s.schema_version).run();
  db.prepare("INSERT INTO meta VALUES ('created_at', '2026-12-01T05:00:00Z')").run();
  nlohmann::json tactics = nlohmann::json::array();
  for (const SyntheticTactic& t : s.models.front().tactics) tactics.push_back(t.name);
  const nlohmann::json spec = {{"tactics", tactics}, {"repetitions", s.repetitions}};
  const nlohmann::json env = {{"host", "testhost"},          {"cpu_model", "Synthetic CPU @ 2.0GHz"},
                              {"cpu_count", 2},              {"kernel", "6.1.0"},
                              {"gpus", nlohmann::json::array()}, {"ecoinfer_version", "0.1.0"},
                              {"meters", {{{"domain", "package-0"}, {"source", s.energy_source}}}}};
  db.prepare("INSERT INTO experiment VALUES (1, ?, 'synthetic spec', ?, 'abc123', ?, ?, 1, 1, ?, '2026-12-01T05:00:00Z', "
             "'2026-12-01T06:00:00Z')")
      .bind_all(s.name, spec.dump(), s.analysis.dump(), static_cast<int64_t>(s.seed), env.dump())
      .run();
  std::mt19937_64 rng(s.seed);
  int64_t index = 0;
  const std::string estimate =
      s.energy_source == "estimate" ? R"({"cpu_tdp_w": 65, "tdp_from": "table", "idle_fraction": 0.1, "ram_w_per_gb": 0.375})" : "";
  study::Statement run = db.prepare(
      "INSERT INTO runs(run_id, run_index, shard, model, tactic, batch, threads, repetition, started_at, seconds, images, "
      "batches, seconds_per_image, energy_j, energy_source, energy_per_image_j, avg_power_w, idle_power_w, "
      "energy_above_idle_j, cpu_utilization, checks, time_outlier, estimate_json, warnings_json, node, node_type) "
      "VALUES (?, ?, 1, ?, ?, 32, 1, ?, '2026-12-01T05:10:00Z', ?, 256, 8, ?, ?, ?, ?, ?, 5.0, ?, 0.5, ?, 0, ?, '[]', ?, ?)");
  study::Statement planned = db.prepare("INSERT INTO planned_runs VALUES (?, ?, 1, ?, ?, 32, 1, ?)");
  study::Statement sample = db.prepare("INSERT INTO samples VALUES (?, ?, ?, 0.5, 1000000)");
  for (const SyntheticModel& m : s.models) {
    db.prepare("INSERT INTO models VALUES (?, ?, 'data', 'model.onnx', 1000000, 10, '[32,3,32,32]', 'folders')")
        .bind_all(m.name, "/models/" + m.name)
        .run();
    for (const SyntheticTactic& t : m.tactics) {
      db.prepare("INSERT INTO variants(model, tactic, batch, prep_seconds, tactics_seconds, first_run_seconds, prep_energy_j, "
                 "prep_energy_source, params, nonzero_params, macs_per_image, effective_macs_per_image, model_bytes, "
                 "optimized_model_bytes, top1, top5, accuracy_images) VALUES (?, ?, 32, ?, 0.1, 0.2, ?, ?, 270000, 270000, "
                 "41000000, 41000000, 1100000, 1100000, ?, ?, 1000)")
          .bind_all(m.name, t.name, t.prep_seconds, t.prep_energy_j, t.prep_energy_j ? s.energy_source : std::string("unavailable"),
                    t.top1, t.top1 ? std::optional<double>(std::min(1.0, *t.top1 + 0.08)) : std::nullopt)
          .run();
      for (int rep = 1; rep <= s.repetitions; ++rep) {
        const std::string id = synthetic_run_id(m.name, t.name, rep);
        double e = t.energy_per_image_j * (1 + t.spread * synthetic_normal(rng));
        if (auto f = s.energy_factor.find(id); f != s.energy_factor.end()) e *= f->second;
        const double tpi = t.time_per_image_s * (1 + t.spread * synthetic_normal(rng));
        const double seconds = tpi * 256, energy = e * 256;
        auto c = s.checks.find(id);
        planned.bind_all(id, index, m.name, t.name, rep).run();
        auto where = s.node_of.find(id);
        run.bind_all(id, index, m.name, t.name, rep, seconds, tpi, energy, s.energy_source, e, energy / seconds,
                     energy - 5.0 * seconds, c == s.checks.end() ? std::string() : c->second, estimate,
                     where == s.node_of.end() ? std::string("testhost") : where->second.first,
                     where == s.node_of.end() ? std::string(kSyntheticNodeType) : where->second.second)
            .run();
        ++index;
        if (!s.samples) continue;
        for (int k = 0; k < s.samples_per_run; ++k) {
          const double ts = seconds * (k + 0.5) / s.samples_per_run;
          sample.bind_all(id, ts, energy / seconds * (1 + 0.05 * synthetic_normal(rng))).run();
        }
      }
    }
  }
  db.prepare("INSERT INTO idle VALUES (1, '2026-12-01T05:05:00Z', -1, 3.0, 15.0, ?, 5.0, 0.01, '[]', 'testhost')")
      .bind(1, s.energy_source)
      .run();
  tx.commit();
}

// A fresh folder under the build tree for one test's store and report.
inline std::filesystem::path report_test_dir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(ECOINFER_BINARY_DIR) / "report-tests" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// A model whose tactics are `none` plus the given ones.
inline SyntheticModel synthetic_model(const std::string& name, std::vector<SyntheticTactic> others) {
  SyntheticModel m{name, {SyntheticTactic{"none"}}};
  for (SyntheticTactic& t : others) m.tactics.push_back(std::move(t));
  return m;
}

}  // namespace ecoinfer::test
