#pragma once
// A study store (docs/study-schema.md, schema version 2) read into memory: what the report
// needs from `results.sqlite`, with SQL NULL kept as std::nullopt (unknown is never 0).
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "study/spec.h"
#include "study/store.h"

namespace ecoinfer::report {

// The version the study runner writes (study/store.h) is the one the report reads.
inline constexpr int kSupportedSchemaVersion = study::kSchemaVersion;

// analysis_json.economics and analysis_json.report: the spec's own structs, so that a key the
// spec gains is one the report reads, with the same defaults for keys a store leaves out.
using EconomicsInputs = study::Economics;
using ReportSettings = study::ReportSettings;

struct Experiment {
  std::string name, spec_text, spec_hash, created_at, updated_at;
  nlohmann::json spec_json;
  std::int64_t seed = 0;
  int shard_k = 1, shard_n = 1;
};

struct ModelRow {
  std::string model, path, data, onnx_path, input_shape, label_source;
  std::optional<std::int64_t> model_bytes, classes;
};

struct VariantRow {
  std::string model, tactic;
  int batch = 0;
  std::optional<double> prep_seconds, tactics_seconds, first_run_seconds;
  std::optional<double> prep_energy_j, prep_avg_power_w;
  std::string prep_energy_source;
  std::optional<std::int64_t> params, nonzero_params, macs_per_image, effective_macs_per_image;
  std::optional<std::int64_t> model_bytes, optimized_model_bytes, accuracy_images;
  std::optional<double> top1, top5;
};

struct RunRow {
  std::string run_id, model, tactic, started_at, energy_source, checks, node;
  // Schema 2: the machine and the Slurm ids ("" when NULL).
  std::string node_type, cpu_model, gpu_model, slurm_job_id, slurm_array_job_id, slurm_array_task_id;
  std::int64_t run_index = 0;
  int batch = 0, threads = 0, repetition = 0;
  std::optional<double> seconds, seconds_per_image, energy_j, energy_per_image_j, avg_power_w;
  std::optional<double> idle_power_w, energy_above_idle_j, cpu_utilization, temperature_c;
  std::optional<std::int64_t> images;
  bool time_outlier = false;
  std::string estimate_json, warnings_json;  // JSON text as stored (may be empty)
};

struct SampleRow {
  double t_s = 0;
  std::optional<double> power_w, cpu_utilization;
};

struct IdleRow {
  std::int64_t id = 0, before_run_index = 0;
  std::string taken_at, energy_source, node;
  std::optional<double> seconds, energy_j, avg_power_w;
};

struct StudyData {
  std::filesystem::path file;
  int schema_version = 0;
  std::map<std::string, std::string> meta;
  Experiment experiment;
  EconomicsInputs economics;
  ReportSettings report;
  nlohmann::json environment;  // experiment.environment_json (an object; empty when absent)
  std::vector<ModelRow> models;
  std::vector<VariantRow> variants;
  std::vector<RunRow> runs;  // in run order
  std::map<std::string, std::vector<SampleRow>> samples;  // run_id -> samples in time order
  std::vector<IdleRow> idle;
  std::int64_t planned_runs = 0;

  const VariantRow* variant(const std::string& model, const std::string& tactic, int batch) const;
};

// Reads a store read-only. Throws ecoinfer::Error naming the file when it is missing, is not
// an SQLite file, is not a study store (no meta/experiment/runs tables), has a schema version
// this build does not know, or holds malformed analysis/environment JSON.
StudyData load_study(const std::filesystem::path& store_file);

// analysis_json text -> inputs, defaults for missing keys; `file` names the store in errors.
void parse_analysis_json(const std::string& text, const std::string& file, EconomicsInputs& econ,
                         ReportSettings& report);

}  // namespace ecoinfer::report
