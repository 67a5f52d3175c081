#pragma once
// A study spec: which models, datasets and tactic chains to measure, how (repetitions, the
// workload of a run, warm-up, cool-down, idle baselines, meter settings) and the inputs of
// the economic analysis. Written in TOML (`ecoinfer study init` prints a commented example)
// or given as flags; flags override the file. Unknown keys and wrong types are errors that
// name the file, the key and its line.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/model_folder.h"

namespace ecoinfer::study {

struct ModelEntry {
  std::string name;  // the study's name for it (default: the folder or file stem)
  std::string path;  // model folder or .onnx, resolved against the spec's folder; or a Hub id (org/name[@revision])
  std::string data;  // its dataset (class folders, idx, CIFAR .bin, list file)
  std::string onnx_file;  // the folder's or repository's ONNX file when not model.onnx (empty: default)
};

// Leaves out runs matching every field that is set.
struct ExcludeRule {
  std::optional<std::string> model, tactic;
  std::optional<int> batch, threads;
};

struct MeterSettings {
  int interval_ms = 100;
  bool keep_samples = true;
  std::string estimate_basis = "machine";  // machine | process
  std::optional<double> cpu_tdp_w, cpu_idle_fraction, ram_w_per_gb;
};

struct Economics {
  double price_per_kwh = 0.30;
  std::string currency = "EUR";
  double carbon_intensity_g_per_kwh = 475;  // CodeCarbon's world average
  std::string carbon_intensity_source = "world average (CodeCarbon default, 475 g CO2e/kWh)";
  double pue = 1.0;
  double instance_price_per_hour = 0;  // 0: no cloud view
  std::vector<double> horizons{1e6, 1e8};
  std::map<std::string, double> engineering_cost;  // tactic chain -> one-off cost
};

struct ReportSettings {
  std::string objective = "energy";  // energy | cost | time
  double accuracy_budget_points = 1.0;
  bool exclude_outliers = false;
  double alpha = 0.05;
};

struct StudySpec {
  std::string name = "study";
  uint64_t seed = 1;
  int repetitions = 30;
  std::filesystem::path output = "study-out";
  std::vector<ModelEntry> models;
  // Tactic chains ("compile", "dynamic-int8+compile", "prune-global:0.5"); "none", the
  // baseline, is always first.
  std::vector<std::string> tactics{"none"};
  std::vector<int> batch{32};
  std::vector<int> threads{1};
  std::vector<ExcludeRule> exclude;
  // The workload of one run: `images` images decoded beforehand (rounded up to whole
  // batches), inferred in passes until the window lasts at least `min_seconds`.
  int images = 256;
  double min_seconds = 2.0;
  double warmup_seconds = 1.0;
  double cooldown_seconds = 1.0;
  double idle_seconds = 3.0;
  int idle_every = 10;          // an idle baseline before the study and every N runs (0: before only)
  int64_t accuracy_images = 0;  // 0: the whole eval set
  int accuracy_batch = 0;       // 0: each run batch size
  size_t variant_cache_mb = 8192;  // prepared variants kept in memory; older ones are re-prepared (unmetered)
  MeterSettings meter;
  Economics economics;
  ReportSettings report;
  // Where it came from: the TOML text, or the command line of a flags-only study.
  std::string source_text;
  std::string source_name;  // the spec file, or "command line"
};

// Parses TOML text; `file` names it in errors and anchors relative paths.
StudySpec parse_spec(const std::string& text, const std::filesystem::path& file);
StudySpec load_spec(const std::filesystem::path& file);

// Checks what can be checked without loading anything: at least one model, repetitions
// >= 1, positive batch/threads/images, finite non-negative times, tactic names known and
// chains well formed, exclusions naming known models/tactics. Errors name the key.
void validate_spec(const StudySpec& spec);

// A model's default study name: the folder's name, the .onnx file's stem, or a Hub id's
// name without organisation and revision.
std::string model_name_from_path(const std::string& path);

// load_model's flags for an entry: its choice of ONNX file.
PreprocessingFlags model_flags(const ModelEntry& m);

// Normalizes every chain and puts the baseline "none" first (once).
void normalize_tactics(StudySpec& spec);

// The tactic chain as a list of tactic specs ("none" -> empty).
std::vector<std::string> split_chain(const std::string& chain);
// Canonical spelling: "none" stays; components joined by '+'.
std::string normalize_chain(const std::string& chain);

// The part of the spec that decides what is measured (everything except economics and
// report settings), canonical: equal for equal studies however they were written.
nlohmann::json measurement_json(const StudySpec& spec);
nlohmann::json analysis_json(const StudySpec& spec);
// FNV-1a 64 of measurement_json's text, as 16 hex digits.
std::string spec_hash(const StudySpec& spec);
// Lines "key: old -> new" for every measurement key that differs.
std::vector<std::string> spec_diff(const nlohmann::json& before, const nlohmann::json& after);

// A commented example spec (what `ecoinfer study init` writes).
std::string example_spec();

uint64_t fnv1a64(const std::string& s);

}  // namespace ecoinfer::study
