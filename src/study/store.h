#pragma once
// The study's SQLite store (docs/study-schema.md): the experiment, the run table, the
// prepared variants, one row per completed run (one transaction each), samples and idle
// baselines. Completed results are never rewritten except the group outlier flag.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "study/run_table.h"
#include "study/sqlite_db.h"

namespace ecoinfer::study {

// 2 added the per-run machine and Slurm ids (docs/study-schema.md, Migrations); a version-1
// store is upgraded in place when opened for writing.
inline constexpr int kSchemaVersion = 2;

struct ExperimentRow {
  std::string name, spec_text, spec_source;
  nlohmann::json spec_json, analysis_json, environment_json;
  std::string spec_hash;
  uint64_t seed = 0;
  int shard_k = 1, shard_n = 1;
  std::string created_at;
};

struct ModelRow {
  std::string model, path, data, onnx_path, input_shape, label_source;
  int64_t model_bytes = 0, classes = 0;
};

struct VariantRow {
  std::string model, tactic;
  int batch = 0;
  double prep_seconds = 0, tactics_seconds = 0, first_run_seconds = 0;
  std::optional<double> prep_energy_j, prep_avg_power_w;
  std::string prep_energy_source = "unavailable";
  std::optional<int64_t> prep_peak_rss_bytes;
  nlohmann::json prep_domains = nlohmann::json::array(), tactic_json = nlohmann::json::array();
  int64_t params = 0, nonzero_params = 0, macs_per_image = 0, effective_macs_per_image = 0;
  int64_t model_bytes = 0, optimized_model_bytes = 0;
  double top1 = 0, top5 = 0;
  int64_t accuracy_images = 0;
  int accuracy_batch = 0;
  double accuracy_seconds = 0;
  std::string host, created_at;
};

struct SampleRow {
  double t_s = 0;
  std::optional<double> power_w, cpu_utilization;
  std::optional<int64_t> rss_bytes;
};

struct RunRow {
  PlannedRun plan;
  std::string started_at;
  double seconds = 0;
  int64_t images = 0, batches = 0;
  std::optional<double> energy_j, cpu_energy_j, ram_energy_j, gpu_energy_j, avg_power_w;
  std::string energy_source = "unavailable";
  std::optional<double> idle_power_w, energy_above_idle_j;
  std::optional<double> cpu_utilization, process_cpu_utilization;
  std::optional<int64_t> peak_rss_bytes;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, mean_ms = 0, images_per_s = 0;
  std::optional<double> temperature_c, sampler_cpu_fraction;
  std::vector<std::string> checks;
  nlohmann::json domains = nlohmann::json::array(), estimate = nullptr, warnings = nlohmann::json::array();
  std::string node, slurm_job;
  // Schema 2: the machine (environment.h NodeIdentity) and the Slurm ids; "" is NULL.
  std::string cpu_model, gpu_model, node_type;
  std::string slurm_job_id, slurm_array_job_id, slurm_array_task_id;
  std::vector<SampleRow> samples;
};

struct IdleRow {
  std::string taken_at;
  int before_run_index = -1;
  double seconds = 0;
  std::optional<double> energy_j, avg_power_w, cpu_utilization;
  std::string energy_source = "unavailable";
  nlohmann::json domains = nlohmann::json::array();
  std::string node;
};

class Store {
 public:
  // Opens `file`, creating the schema when new. A file that exists but is not a study store
  // (or has a newer schema) is refused with its name; an older schema is upgraded in place.
  static std::unique_ptr<Store> open(const std::filesystem::path& file, bool create);
  // Read-only: an older schema is refused, naming `ecoinfer study upgrade`.
  static std::unique_ptr<Store> open_read_only(const std::filesystem::path& file);
  // The schema version of a store file without opening it as a Store (0: not a study store).
  static int schema_version_of(const std::filesystem::path& file);

  std::optional<ExperimentRow> experiment();
  // The study and its whole plan (every shard), in one transaction: a process killed in
  // between leaves neither, never a study without its plan.
  void write_study(const ExperimentRow& e, const std::vector<PlannedRun>& plan);
  // Replaces the spec and plan of a started study (--force), keeping a record of the change.
  void replace_spec(const ExperimentRow& e, const std::string& old_hash, const std::string& diff, const std::vector<PlannedRun>& plan);
  void update_analysis(const nlohmann::json& analysis);

  std::vector<PlannedRun> plan();
  std::set<std::string> done_run_ids();

  void write_model(const ModelRow& m);
  std::vector<ModelRow> models();
  bool has_variant(const std::string& model, const std::string& tactic, int batch);
  void write_variant(const VariantRow& v);
  std::vector<VariantRow> variants();

  // One transaction: the run, its samples, and the time-outlier flags of its group.
  void write_run(const RunRow& r);
  std::vector<RunRow> runs(bool with_samples = false);
  void write_idle(const IdleRow& i);
  std::vector<IdleRow> idles();

  std::string integrity_check();
  Database& db() { return *db_; }
  const std::filesystem::path& file() const { return file_; }

 private:
  Store(std::filesystem::path file, std::unique_ptr<Database> db) : file_(std::move(file)), db_(std::move(db)) {}
  void create_schema();
  void check_schema(bool may_upgrade);
  void upgrade_from_1();
  // Without a transaction of their own: the callers hold one.
  void insert_experiment(const ExperimentRow& e);
  void insert_plan(const std::vector<PlannedRun>& runs);
  void update_outliers(const std::string& model, const std::string& tactic, int batch, int threads);

  std::filesystem::path file_;
  std::unique_ptr<Database> db_;
};

// UTC now as 2026-12-01T05:02:03Z.
std::string utc_now();

}  // namespace ecoinfer::study
