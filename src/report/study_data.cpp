#include "report/study_data.h"

#include <cmath>

#include "core/error.h"
#include "study/sqlite_db.h"

namespace ecoinfer::report {
namespace fs = std::filesystem;
using study::Database;
using study::Statement;

namespace {

std::string opt_text(const Statement& st, int i) { return st.is_null(i) ? std::string() : st.text(i); }
std::optional<std::int64_t> opt_int(const Statement& st, int i) { return st.opt_int64(i); }

// A present JSON value of the wrong type is an error naming the key; absent keeps the default.
template <typename T>
void read_key(const nlohmann::json& obj, const char* key, T& out, const std::string& where) {
  if (!obj.contains(key) || obj.at(key).is_null()) return;
  try {
    out = obj.at(key).get<T>();
  } catch (const nlohmann::json::exception& e) {
    fail("{}: {}.{} has the wrong type ({})", where, "analysis_json", key, e.what());
  }
}

void check_finite_nonneg(double v, const char* key, const std::string& file) {
  ECO_CHECK(std::isfinite(v) && v >= 0, "{}: analysis_json {} = {} must be a finite number >= 0", file, key, v);
}

void read_meta(Database& db, StudyData& d) {
  Statement st = db.prepare("SELECT key, value FROM meta");
  while (st.step()) d.meta[st.text(0)] = opt_text(st, 1);
  auto it = d.meta.find("schema_version");
  ECO_CHECK(it != d.meta.end(), "{}: not a study store (meta has no schema_version)", d.file.string());
  try {
    std::size_t used = 0;
    d.schema_version = std::stoi(it->second, &used);
    ECO_CHECK(used == it->second.size(), "bad");
  } catch (const std::exception&) {
    fail("{}: not a study store (meta.schema_version is '{}', not a number)", d.file.string(), it->second);
  }
  ECO_CHECK(d.schema_version >= kSupportedSchemaVersion,
            "{}: schema_version {} is older than the version {} this ecoinfer reads (docs/study-schema.md); upgrade it in place "
            "with `ecoinfer study upgrade {}`",
            d.file.string(), d.schema_version, kSupportedSchemaVersion, d.file.string());
  ECO_CHECK(d.schema_version == kSupportedSchemaVersion,
            "{}: schema_version {} is unknown to this ecoinfer, which reads version {} (docs/study-schema.md); the store was "
            "written by a newer ecoinfer",
            d.file.string(), d.schema_version, kSupportedSchemaVersion);
}

void read_experiment(Database& db, StudyData& d) {
  Statement st = db.prepare(
      "SELECT name, spec_text, spec_json, spec_hash, analysis_json, seed, shard_k, shard_n, environment_json, "
      "created_at, updated_at FROM experiment WHERE id = 1");
  ECO_CHECK(st.step(), "{}: the experiment table has no row with id = 1 (an unfinished or damaged store)", d.file.string());
  Experiment& e = d.experiment;
  e.name = opt_text(st, 0);
  e.spec_text = opt_text(st, 1);
  const std::string file = d.file.string();
  auto parse_obj = [&](int col, const char* what) {
    const std::string text = opt_text(st, col);
    if (text.empty()) return nlohmann::json::object();
    try {
      nlohmann::json j = nlohmann::json::parse(text);
      ECO_CHECK(j.is_object(), "{}: experiment.{} is not a JSON object", file, what);
      return j;
    } catch (const nlohmann::json::parse_error& ex) {
      fail("{}: experiment.{} is not valid JSON ({})", file, what, ex.what());
    }
  };
  e.spec_json = parse_obj(2, "spec_json");
  e.spec_hash = opt_text(st, 3);
  parse_analysis_json(opt_text(st, 4), file, d.economics, d.report);
  e.seed = st.is_null(5) ? 0 : st.int64(5);
  e.shard_k = st.is_null(6) ? 1 : static_cast<int>(st.int64(6));
  e.shard_n = st.is_null(7) ? 1 : static_cast<int>(st.int64(7));
  d.environment = parse_obj(8, "environment_json");
  e.created_at = opt_text(st, 9);
  e.updated_at = opt_text(st, 10);
}

void read_models(Database& db, StudyData& d) {
  Statement st = db.prepare(
      "SELECT model, path, data, onnx_path, model_bytes, classes, input_shape, label_source FROM models ORDER BY model");
  while (st.step()) {
    ModelRow m;
    m.model = st.text(0);
    m.path = opt_text(st, 1);
    m.data = opt_text(st, 2);
    m.onnx_path = opt_text(st, 3);
    m.model_bytes = opt_int(st, 4);
    m.classes = opt_int(st, 5);
    m.input_shape = opt_text(st, 6);
    m.label_source = opt_text(st, 7);
    d.models.push_back(std::move(m));
  }
}

void read_variants(Database& db, StudyData& d) {
  Statement st = db.prepare(
      "SELECT model, tactic, batch, prep_seconds, tactics_seconds, first_run_seconds, prep_energy_j, prep_energy_source, "
      "prep_avg_power_w, params, nonzero_params, macs_per_image, effective_macs_per_image, model_bytes, "
      "optimized_model_bytes, top1, top5, accuracy_images FROM variants ORDER BY model, batch, tactic");
  while (st.step()) {
    VariantRow v;
    v.model = st.text(0);
    v.tactic = st.text(1);
    v.batch = static_cast<int>(st.int64(2));
    v.prep_seconds = st.opt_real(3);
    v.tactics_seconds = st.opt_real(4);
    v.first_run_seconds = st.opt_real(5);
    v.prep_energy_j = st.opt_real(6);
    v.prep_energy_source = st.is_null(7) ? "unavailable" : st.text(7);
    v.prep_avg_power_w = st.opt_real(8);
    v.params = opt_int(st, 9);
    v.nonzero_params = opt_int(st, 10);
    v.macs_per_image = opt_int(st, 11);
    v.effective_macs_per_image = opt_int(st, 12);
    v.model_bytes = opt_int(st, 13);
    v.optimized_model_bytes = opt_int(st, 14);
    v.top1 = st.opt_real(15);
    v.top5 = st.opt_real(16);
    v.accuracy_images = opt_int(st, 17);
    d.variants.push_back(std::move(v));
  }
}

void read_runs(Database& db, StudyData& d) {
  Statement st = db.prepare(
      "SELECT run_id, run_index, model, tactic, batch, threads, repetition, started_at, seconds, images, "
      "seconds_per_image, energy_j, energy_source, energy_per_image_j, avg_power_w, idle_power_w, energy_above_idle_j, "
      "cpu_utilization, temperature_c, checks, time_outlier, estimate_json, warnings_json, node, node_type, cpu_model, gpu_model, "
      "slurm_job_id, slurm_array_job_id, slurm_array_task_id FROM runs ORDER BY run_index");
  while (st.step()) {
    RunRow r;
    r.run_id = st.text(0);
    r.run_index = st.int64(1);
    r.model = st.text(2);
    r.tactic = st.text(3);
    r.batch = static_cast<int>(st.int64(4));
    r.threads = static_cast<int>(st.int64(5));
    r.repetition = static_cast<int>(st.int64(6));
    r.started_at = opt_text(st, 7);
    r.seconds = st.opt_real(8);
    r.images = opt_int(st, 9);
    r.seconds_per_image = st.opt_real(10);
    r.energy_j = st.opt_real(11);
    r.energy_source = st.is_null(12) ? "unavailable" : st.text(12);
    r.energy_per_image_j = st.opt_real(13);
    r.avg_power_w = st.opt_real(14);
    r.idle_power_w = st.opt_real(15);
    r.energy_above_idle_j = st.opt_real(16);
    r.cpu_utilization = st.opt_real(17);
    r.temperature_c = st.opt_real(18);
    r.checks = opt_text(st, 19);
    r.time_outlier = !st.is_null(20) && st.int64(20) != 0;
    r.estimate_json = opt_text(st, 21);
    r.warnings_json = opt_text(st, 22);
    r.node = opt_text(st, 23);
    r.node_type = opt_text(st, 24);
    r.cpu_model = opt_text(st, 25);
    r.gpu_model = opt_text(st, 26);
    r.slurm_job_id = opt_text(st, 27);
    r.slurm_array_job_id = opt_text(st, 28);
    r.slurm_array_task_id = opt_text(st, 29);
    d.runs.push_back(std::move(r));
  }
}

void read_samples(Database& db, StudyData& d) {
  if (!db.has_table("samples")) return;
  Statement st = db.prepare("SELECT run_id, t_s, power_w, cpu_utilization FROM samples ORDER BY run_id, t_s");
  while (st.step()) {
    SampleRow s;
    s.t_s = st.real(1);
    s.power_w = st.opt_real(2);
    s.cpu_utilization = st.opt_real(3);
    d.samples[st.text(0)].push_back(s);
  }
}

void read_idle(Database& db, StudyData& d) {
  if (!db.has_table("idle")) return;
  Statement st = db.prepare(
      "SELECT id, taken_at, before_run_index, seconds, energy_j, energy_source, avg_power_w, node FROM idle ORDER BY id");
  while (st.step()) {
    IdleRow i;
    i.id = st.int64(0);
    i.taken_at = opt_text(st, 1);
    i.before_run_index = st.is_null(2) ? -1 : st.int64(2);
    i.seconds = st.opt_real(3);
    i.energy_j = st.opt_real(4);
    i.energy_source = st.is_null(5) ? "unavailable" : st.text(5);
    i.avg_power_w = st.opt_real(6);
    i.node = opt_text(st, 7);
    d.idle.push_back(std::move(i));
  }
}

}  // namespace

void parse_analysis_json(const std::string& text, const std::string& file, EconomicsInputs& econ,
                         ReportSettings& report) {
  if (text.empty()) return;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    fail("{}: experiment.analysis_json is not valid JSON ({})", file, e.what());
  }
  ECO_CHECK(j.is_object(), "{}: experiment.analysis_json is not a JSON object", file);
  if (j.contains("economics")) {
    const nlohmann::json& e = j.at("economics");
    ECO_CHECK(e.is_object(), "{}: analysis_json.economics is not an object", file);
    read_key(e, "price_per_kwh", econ.price_per_kwh, file);
    read_key(e, "currency", econ.currency, file);
    read_key(e, "carbon_intensity_g_per_kwh", econ.carbon_intensity_g_per_kwh, file);
    read_key(e, "carbon_intensity_source", econ.carbon_intensity_source, file);
    read_key(e, "pue", econ.pue, file);
    read_key(e, "instance_price_per_hour", econ.instance_price_per_hour, file);
    read_key(e, "horizons", econ.horizons, file);
    read_key(e, "engineering_cost", econ.engineering_cost, file);
  }
  if (j.contains("report")) {
    const nlohmann::json& r = j.at("report");
    ECO_CHECK(r.is_object(), "{}: analysis_json.report is not an object", file);
    read_key(r, "objective", report.objective, file);
    read_key(r, "accuracy_budget_points", report.accuracy_budget_points, file);
    read_key(r, "exclude_outliers", report.exclude_outliers, file);
    read_key(r, "alpha", report.alpha, file);
  }
  check_finite_nonneg(econ.price_per_kwh, "economics.price_per_kwh", file);
  check_finite_nonneg(econ.carbon_intensity_g_per_kwh, "economics.carbon_intensity_g_per_kwh", file);
  check_finite_nonneg(econ.instance_price_per_hour, "economics.instance_price_per_hour", file);
  ECO_CHECK(std::isfinite(econ.pue) && econ.pue >= 1, "{}: analysis_json economics.pue = {} must be >= 1", file, econ.pue);
  for (double h : econ.horizons)
    ECO_CHECK(std::isfinite(h) && h > 0, "{}: analysis_json economics.horizons holds {}; horizons are inference counts > 0",
              file, h);
  for (const auto& [tactic, cost] : econ.engineering_cost)
    check_finite_nonneg(cost, ("economics.engineering_cost." + tactic).c_str(), file);
  ECO_CHECK(report.objective == "energy" || report.objective == "cost" || report.objective == "time",
            "{}: analysis_json report.objective is '{}'; expected energy, cost or time", file, report.objective);
  check_finite_nonneg(report.accuracy_budget_points, "report.accuracy_budget_points", file);
  ECO_CHECK(report.alpha > 0 && report.alpha < 1, "{}: analysis_json report.alpha = {} must lie in (0, 1)", file,
            report.alpha);
}

const VariantRow* StudyData::variant(const std::string& model, const std::string& tactic, int batch) const {
  for (const VariantRow& v : variants)
    if (v.model == model && v.tactic == tactic && v.batch == batch) return &v;
  return nullptr;
}

StudyData load_study(const fs::path& store_file) {
  std::error_code ec;
  ECO_CHECK(fs::is_regular_file(store_file, ec), "{}: no study store here ({})", store_file.string(),
            fs::exists(store_file, ec) ? "not a regular file" : "file not found; run `ecoinfer study run` first");
  StudyData d;
  d.file = store_file;
  Database db(store_file, /*create=*/false, /*read_only=*/true);
  for (const char* table : {"meta", "experiment", "models", "variants", "runs"})
    ECO_CHECK(db.has_table(table), "{}: not a study store (no '{}' table; docs/study-schema.md)", store_file.string(), table);
  read_meta(db, d);
  read_experiment(db, d);
  read_models(db, d);
  read_variants(db, d);
  read_runs(db, d);
  read_samples(db, d);
  read_idle(db, d);
  if (db.has_table("planned_runs")) {
    Statement st = db.prepare("SELECT count(*) FROM planned_runs");
    if (st.step()) d.planned_runs = st.int64(0);
  }
  return d;
}

}  // namespace ecoinfer::report
