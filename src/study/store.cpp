#include "study/store.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "core/error.h"
#include "stats/descriptive.h"
#include "study/environment.h"

namespace ecoinfer::study {

namespace fs = std::filesystem;

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

const char* kSchema = R"SQL(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE experiment(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL, spec_text TEXT NOT NULL, spec_source TEXT NOT NULL, spec_json TEXT NOT NULL,
  spec_hash TEXT NOT NULL, analysis_json TEXT NOT NULL, seed INTEGER NOT NULL,
  shard_k INTEGER NOT NULL DEFAULT 1, shard_n INTEGER NOT NULL DEFAULT 1,
  environment_json TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT);
CREATE TABLE spec_history(id INTEGER PRIMARY KEY, changed_at TEXT NOT NULL, old_hash TEXT, new_hash TEXT, diff TEXT);
CREATE TABLE planned_runs(
  run_id TEXT PRIMARY KEY, run_index INTEGER NOT NULL UNIQUE, shard INTEGER NOT NULL,
  model TEXT NOT NULL, tactic TEXT NOT NULL, batch INTEGER NOT NULL, threads INTEGER NOT NULL, repetition INTEGER NOT NULL);
CREATE TABLE models(
  model TEXT PRIMARY KEY, path TEXT, data TEXT, onnx_path TEXT, model_bytes INTEGER, classes INTEGER,
  input_shape TEXT, label_source TEXT);
CREATE TABLE variants(
  model TEXT NOT NULL, tactic TEXT NOT NULL, batch INTEGER NOT NULL,
  prep_seconds REAL NOT NULL, tactics_seconds REAL NOT NULL, first_run_seconds REAL NOT NULL,
  prep_energy_j REAL, prep_energy_source TEXT NOT NULL, prep_avg_power_w REAL, prep_peak_rss_bytes INTEGER,
  prep_domains_json TEXT, tactic_json TEXT,
  params INTEGER, nonzero_params INTEGER, macs_per_image INTEGER, effective_macs_per_image INTEGER,
  model_bytes INTEGER, optimized_model_bytes INTEGER,
  top1 REAL, top5 REAL, accuracy_images INTEGER, accuracy_batch INTEGER, accuracy_seconds REAL,
  host TEXT, created_at TEXT,
  PRIMARY KEY (model, tactic, batch));
CREATE TABLE runs(
  run_id TEXT PRIMARY KEY, run_index INTEGER NOT NULL, shard INTEGER NOT NULL,
  model TEXT NOT NULL, tactic TEXT NOT NULL, batch INTEGER NOT NULL, threads INTEGER NOT NULL, repetition INTEGER NOT NULL,
  started_at TEXT NOT NULL, seconds REAL NOT NULL, images INTEGER NOT NULL, batches INTEGER NOT NULL,
  seconds_per_image REAL NOT NULL,
  energy_j REAL, energy_source TEXT NOT NULL, energy_per_image_j REAL,
  cpu_energy_j REAL, ram_energy_j REAL, gpu_energy_j REAL, avg_power_w REAL,
  idle_power_w REAL, energy_above_idle_j REAL,
  cpu_utilization REAL, process_cpu_utilization REAL, peak_rss_bytes INTEGER,
  p50_ms REAL, p90_ms REAL, p99_ms REAL, mean_ms REAL, images_per_s REAL,
  temperature_c REAL, sampler_cpu_fraction REAL,
  checks TEXT NOT NULL DEFAULT '', time_outlier INTEGER NOT NULL DEFAULT 0,
  domains_json TEXT, estimate_json TEXT, warnings_json TEXT, node TEXT, slurm_job TEXT,
  cpu_model TEXT, gpu_model TEXT, node_type TEXT, slurm_job_id TEXT, slurm_array_job_id TEXT, slurm_array_task_id TEXT);
CREATE INDEX runs_group ON runs(model, tactic, batch, threads);
CREATE TABLE samples(run_id TEXT NOT NULL, t_s REAL NOT NULL, power_w REAL, cpu_utilization REAL, rss_bytes INTEGER);
CREATE INDEX samples_run ON samples(run_id);
CREATE TABLE idle(
  id INTEGER PRIMARY KEY, taken_at TEXT NOT NULL, before_run_index INTEGER NOT NULL, seconds REAL NOT NULL,
  energy_j REAL, energy_source TEXT NOT NULL, avg_power_w REAL, cpu_utilization REAL, domains_json TEXT, node TEXT);
CREATE VIEW runs_view AS
  SELECT r.*, v.top1, v.top5, v.prep_seconds, v.prep_energy_j, v.prep_energy_source, v.params, v.nonzero_params,
         v.macs_per_image, v.effective_macs_per_image, v.optimized_model_bytes
  FROM runs r LEFT JOIN variants v ON v.model = r.model AND v.tactic = r.tactic AND v.batch = r.batch;
)SQL";

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}
std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> v;
  size_t start = 0;
  while (start < s.size()) {
    size_t e = s.find(sep, start);
    if (e == std::string::npos) e = s.size();
    if (e > start) v.push_back(s.substr(start, e - start));
    start = e + 1;
  }
  return v;
}
nlohmann::json parse_json(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json::parse(s, nullptr, false); }

SqlValue text_or_null(const std::string& s) { return s.empty() ? SqlValue(nullptr) : SqlValue(s); }

// Schema 2's columns of `runs`, appended in this order by the upgrade as by a new store.
const char* kRunsColumnsAddedIn2[] = {"cpu_model", "gpu_model", "node_type", "slurm_job_id", "slurm_array_job_id",
                                      "slurm_array_task_id"};

}  // namespace

std::unique_ptr<Store> Store::open(const fs::path& file, bool create) {
  std::error_code ec;
  const bool existed = fs::exists(file, ec);
  if (existed) ECO_CHECK(fs::is_regular_file(file, ec), "{}: the study store must be a regular file", file.string());
  ECO_CHECK(existed || create, "{}: no study store here (run `ecoinfer study run` first)", file.string());
  if (!existed) {
    // A new store appears with its tables or not at all: it is made under a temporary name and
    // linked into place, so that a process killed meanwhile (a Slurm task cancelled as it
    // starts) never leaves a store without tables for a merge or a status to refuse.
    const fs::path tmp = file.string() + ".creating-" + std::to_string(::getpid());
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(tmp.string() + suffix, ec);
    {
      Store fresh(tmp, std::make_unique<Database>(tmp, true));
      fresh.create_schema();
    }  // the last connection's close folds the WAL into the file
    // link() fails with EEXIST where another process made the store meanwhile (open theirs);
    // a file system without hard links gets rename(), which cannot tell.
    int done = ::link(tmp.c_str(), file.c_str());
    if (done != 0 && errno != EEXIST) done = std::rename(tmp.c_str(), file.c_str());
    const int err = errno;
    fs::remove(tmp, ec);
    ECO_CHECK(done == 0 || err == EEXIST, "{}: cannot create the study store: {}", file.string(), std::strerror(err));
  }
  auto db = std::make_unique<Database>(file, false);
  std::unique_ptr<Store> s(new Store(file, std::move(db)));
  if (!s->db_->has_table("meta"))
    s->create_schema();
  else
    s->check_schema(/*may_upgrade=*/true);
  return s;
}

std::unique_ptr<Store> Store::open_read_only(const fs::path& file) {
  std::error_code ec;
  ECO_CHECK(fs::is_regular_file(file, ec), "{}: no study store here (run `ecoinfer study run` first)", file.string());
  auto db = std::make_unique<Database>(file, false, true);
  std::unique_ptr<Store> s(new Store(file, std::move(db)));
  ECO_CHECK(s->db_->has_table("meta"), "{}: not an ecoinfer study store (no meta table)", file.string());
  s->check_schema(/*may_upgrade=*/false);
  return s;
}

int Store::schema_version_of(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return 0;
  Database db(file, false, true);
  if (!db.has_table("meta")) return 0;
  auto st = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'");
  if (!st.step()) return 0;
  try {
    return std::stoi(st.text(0));
  } catch (const std::exception&) {
    return 0;
  }
}

void Store::create_schema() {
  Database::Transaction tx(*db_);
  db_->exec(kSchema);
  auto st = db_->prepare("INSERT INTO meta(key, value) VALUES (?, ?)");
  st.bind_all(std::string("schema_version"), std::to_string(kSchemaVersion)).run();
  st.bind_all(std::string("created_at"), utc_now()).run();
  tx.commit();
}

void Store::check_schema(bool may_upgrade) {
  std::string v;
  {
    auto st = db_->prepare("SELECT value FROM meta WHERE key = 'schema_version'");
    ECO_CHECK(st.step(), "{}: not an ecoinfer study store (no schema_version)", file_.string());
    v = st.text(0);
  }
  if (v == "1") {
    ECO_CHECK(may_upgrade,
              "{}: study store schema version 1 predates this ecoinfer's version {} (each run's node, CPU, GPU and Slurm ids); "
              "upgrade it in place with `ecoinfer study upgrade {}` (docs/study-schema.md, Migrations)",
              file_.string(), kSchemaVersion, file_.string());
    ECO_CHECK(db_->has_table("runs") && db_->has_table("experiment"), "{}: damaged study store: table 'runs' or 'experiment' is missing",
              file_.string());
    upgrade_from_1();
    v = std::to_string(kSchemaVersion);
  }
  ECO_CHECK(v == std::to_string(kSchemaVersion),
            "{}: study store schema version {} is not the {} this ecoinfer reads (docs/study-schema.md); use the ecoinfer that wrote it",
            file_.string(), v, kSchemaVersion);
  for (const char* t : {"experiment", "planned_runs", "variants", "runs", "samples", "idle", "models"})
    ECO_CHECK(db_->has_table(t), "{}: damaged study store: table '{}' is missing", file_.string(), t);
}

void Store::upgrade_from_1() {
  // One transaction: a store is either version 1 or fully version 2.
  Database::Transaction tx(*db_);
  for (const char* c : kRunsColumnsAddedIn2) db_->exec(fmt::format("ALTER TABLE runs ADD COLUMN {} TEXT", c));
  // Version 1 kept the machine only in experiment.environment_json (where the study started):
  // runs on that host get its CPU and GPUs; runs on other hosts stay NULL (unknown).
  nlohmann::json env;
  {
    auto st = db_->prepare("SELECT environment_json FROM experiment WHERE id = 1");
    if (st.step()) env = parse_json(st.text(0));
  }
  if (env.is_object() && env.contains("host") && env["host"].is_string()) {
    NodeIdentity n;
    n.node = env["host"].get<std::string>();
    if (env.contains("cpu_model") && env["cpu_model"].is_string()) n.cpu_model = env["cpu_model"].get<std::string>();
    if (env.contains("cpu_count") && env["cpu_count"].is_number_integer()) n.cpu_count = env["cpu_count"].get<int>();
    if (env.contains("gpus") && env["gpus"].is_array())
      for (const nlohmann::json& g : env["gpus"])
        if (g.is_object() && g.contains("model") && g["model"].is_string()) n.gpus.push_back(g["model"].get<std::string>());
    db_->prepare("UPDATE runs SET cpu_model = ?, gpu_model = ?, node_type = ? WHERE node = ?")
        .bind_all(text_or_null(n.cpu_model), text_or_null(n.gpu_model()), n.node_type(), n.node)
        .run();
  }
  // slurm_job was "job J" or "job J array A_T".
  std::vector<std::pair<std::string, std::string>> jobs;
  {
    auto st = db_->prepare("SELECT run_id, slurm_job FROM runs WHERE slurm_job IS NOT NULL AND slurm_job <> ''");
    while (st.step()) jobs.emplace_back(st.text(0), st.text(1));
  }
  auto up = db_->prepare("UPDATE runs SET slurm_job_id = ?, slurm_array_job_id = ?, slurm_array_task_id = ? WHERE run_id = ?");
  for (const auto& [id, text] : jobs) {
    const std::vector<std::string> w = split(text, ' ');
    std::string job, array, task;
    if (w.size() >= 2 && w[0] == "job") job = w[1];
    if (w.size() >= 4 && w[2] == "array") {
      const size_t u = w[3].rfind('_');
      if (u != std::string::npos) {
        array = w[3].substr(0, u);
        task = w[3].substr(u + 1);
      }
    }
    up.bind_all(text_or_null(job), text_or_null(array), text_or_null(task), id).run();
  }
  db_->prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").bind_all(std::to_string(kSchemaVersion)).run();
  db_->prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('upgraded_from_1_at', ?)").bind_all(utc_now()).run();
  tx.commit();
}

std::optional<ExperimentRow> Store::experiment() {
  auto st = db_->prepare(
      "SELECT name, spec_text, spec_source, spec_json, spec_hash, analysis_json, seed, shard_k, shard_n, environment_json, created_at "
      "FROM experiment WHERE id = 1");
  if (!st.step()) return std::nullopt;
  ExperimentRow e;
  e.name = st.text(0);
  e.spec_text = st.text(1);
  e.spec_source = st.text(2);
  e.spec_json = parse_json(st.text(3));
  e.spec_hash = st.text(4);
  e.analysis_json = parse_json(st.text(5));
  e.seed = static_cast<uint64_t>(st.int64(6));
  e.shard_k = static_cast<int>(st.int64(7));
  e.shard_n = static_cast<int>(st.int64(8));
  e.environment_json = parse_json(st.text(9));
  e.created_at = st.text(10);
  return e;
}

void Store::insert_experiment(const ExperimentRow& e) {
  db_->prepare(
         "INSERT OR REPLACE INTO experiment(id, name, spec_text, spec_source, spec_json, spec_hash, analysis_json, seed, shard_k, "
         "shard_n, environment_json, created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(e.name, e.spec_text, e.spec_source, e.spec_json.dump(), e.spec_hash, e.analysis_json.dump(),
                static_cast<int64_t>(e.seed), e.shard_k, e.shard_n, e.environment_json.dump(), e.created_at, utc_now())
      .run();
}

void Store::insert_plan(const std::vector<PlannedRun>& runs) {
  db_->exec("DELETE FROM planned_runs");
  auto st = db_->prepare(
      "INSERT INTO planned_runs(run_id, run_index, shard, model, tactic, batch, threads, repetition) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  for (const PlannedRun& r : runs) st.bind_all(r.run_id, r.run_index, r.shard, r.model, r.tactic, r.batch, r.threads, r.repetition).run();
}

void Store::write_study(const ExperimentRow& e, const std::vector<PlannedRun>& plan) {
  Database::Transaction tx(*db_);
  insert_experiment(e);
  insert_plan(plan);
  tx.commit();
}

void Store::replace_spec(const ExperimentRow& e, const std::string& old_hash, const std::string& diff, const std::vector<PlannedRun>& plan) {
  Database::Transaction tx(*db_);
  db_->prepare("INSERT INTO spec_history(changed_at, old_hash, new_hash, diff) VALUES (?, ?, ?, ?)")
      .bind_all(utc_now(), old_hash, e.spec_hash, diff)
      .run();
  insert_experiment(e);
  insert_plan(plan);
  tx.commit();
}

void Store::update_analysis(const nlohmann::json& analysis) {
  db_->prepare("UPDATE experiment SET analysis_json = ?, updated_at = ? WHERE id = 1").bind_all(analysis.dump(), utc_now()).run();
}

std::vector<PlannedRun> Store::plan() {
  std::vector<PlannedRun> v;
  auto st = db_->prepare("SELECT run_id, run_index, shard, model, tactic, batch, threads, repetition FROM planned_runs ORDER BY run_index");
  while (st.step()) {
    PlannedRun r;
    r.run_id = st.text(0);
    r.run_index = static_cast<int>(st.int64(1));
    r.shard = static_cast<int>(st.int64(2));
    r.model = st.text(3);
    r.tactic = st.text(4);
    r.batch = static_cast<int>(st.int64(5));
    r.threads = static_cast<int>(st.int64(6));
    r.repetition = static_cast<int>(st.int64(7));
    v.push_back(std::move(r));
  }
  return v;
}

std::set<std::string> Store::done_run_ids() {
  std::set<std::string> s;
  auto st = db_->prepare("SELECT run_id FROM runs");
  while (st.step()) s.insert(st.text(0));
  return s;
}

void Store::write_model(const ModelRow& m) {
  db_->prepare(
         "INSERT OR REPLACE INTO models(model, path, data, onnx_path, model_bytes, classes, input_shape, label_source) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(m.model, m.path, m.data, m.onnx_path, m.model_bytes, m.classes, m.input_shape, m.label_source)
      .run();
}

std::vector<ModelRow> Store::models() {
  std::vector<ModelRow> v;
  auto st = db_->prepare("SELECT model, path, data, onnx_path, model_bytes, classes, input_shape, label_source FROM models ORDER BY model");
  while (st.step()) {
    ModelRow m;
    m.model = st.text(0);
    m.path = st.text(1);
    m.data = st.text(2);
    m.onnx_path = st.text(3);
    m.model_bytes = st.int64(4);
    m.classes = st.int64(5);
    m.input_shape = st.text(6);
    m.label_source = st.text(7);
    v.push_back(m);
  }
  return v;
}

bool Store::has_variant(const std::string& model, const std::string& tactic, int batch) {
  auto st = db_->prepare("SELECT 1 FROM variants WHERE model = ? AND tactic = ? AND batch = ?");
  st.bind_all(model, tactic, batch);
  return st.step();
}

void Store::write_variant(const VariantRow& v) {
  db_->prepare(
         "INSERT OR REPLACE INTO variants(model, tactic, batch, prep_seconds, tactics_seconds, first_run_seconds, prep_energy_j, "
         "prep_energy_source, prep_avg_power_w, prep_peak_rss_bytes, prep_domains_json, tactic_json, params, nonzero_params, "
         "macs_per_image, effective_macs_per_image, model_bytes, optimized_model_bytes, top1, top5, accuracy_images, accuracy_batch, "
         "accuracy_seconds, host, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(v.model, v.tactic, v.batch, v.prep_seconds, v.tactics_seconds, v.first_run_seconds, v.prep_energy_j,
                v.prep_energy_source, v.prep_avg_power_w, v.prep_peak_rss_bytes, v.prep_domains.dump(), v.tactic_json.dump(), v.params,
                v.nonzero_params, v.macs_per_image, v.effective_macs_per_image, v.model_bytes, v.optimized_model_bytes, v.top1, v.top5,
                v.accuracy_images, v.accuracy_batch, v.accuracy_seconds, v.host, v.created_at)
      .run();
}

std::vector<VariantRow> Store::variants() {
  std::vector<VariantRow> out;
  auto st = db_->prepare(
      "SELECT model, tactic, batch, prep_seconds, tactics_seconds, first_run_seconds, prep_energy_j, prep_energy_source, "
      "prep_avg_power_w, prep_peak_rss_bytes, prep_domains_json, tactic_json, params, nonzero_params, macs_per_image, "
      "effective_macs_per_image, model_bytes, optimized_model_bytes, top1, top5, accuracy_images, accuracy_batch, accuracy_seconds, "
      "host, created_at FROM variants ORDER BY model, tactic, batch");
  while (st.step()) {
    VariantRow v;
    int i = 0;
    v.model = st.text(i++);
    v.tactic = st.text(i++);
    v.batch = static_cast<int>(st.int64(i++));
    v.prep_seconds = st.real(i++);
    v.tactics_seconds = st.real(i++);
    v.first_run_seconds = st.real(i++);
    v.prep_energy_j = st.opt_real(i++);
    v.prep_energy_source = st.text(i++);
    v.prep_avg_power_w = st.opt_real(i++);
    v.prep_peak_rss_bytes = st.opt_int64(i++);
    v.prep_domains = parse_json(st.text(i++));
    v.tactic_json = parse_json(st.text(i++));
    v.params = st.int64(i++);
    v.nonzero_params = st.int64(i++);
    v.macs_per_image = st.int64(i++);
    v.effective_macs_per_image = st.int64(i++);
    v.model_bytes = st.int64(i++);
    v.optimized_model_bytes = st.int64(i++);
    v.top1 = st.real(i++);
    v.top5 = st.real(i++);
    v.accuracy_images = st.int64(i++);
    v.accuracy_batch = static_cast<int>(st.int64(i++));
    v.accuracy_seconds = st.real(i++);
    v.host = st.text(i++);
    v.created_at = st.text(i++);
    out.push_back(std::move(v));
  }
  return out;
}

void Store::write_run(const RunRow& r) {
  Database::Transaction tx(*db_);
  const PlannedRun& p = r.plan;
  const double spi = r.images > 0 ? r.seconds / static_cast<double>(r.images) : 0;
  std::optional<double> epi;
  if (r.energy_j && r.images > 0) epi = *r.energy_j / static_cast<double>(r.images);
  db_->prepare(
         "INSERT INTO runs(run_id, run_index, shard, model, tactic, batch, threads, repetition, started_at, seconds, images, batches, "
         "seconds_per_image, energy_j, energy_source, energy_per_image_j, cpu_energy_j, ram_energy_j, gpu_energy_j, avg_power_w, "
         "idle_power_w, energy_above_idle_j, cpu_utilization, process_cpu_utilization, peak_rss_bytes, p50_ms, p90_ms, p99_ms, mean_ms, "
         "images_per_s, temperature_c, sampler_cpu_fraction, checks, domains_json, estimate_json, warnings_json, node, slurm_job, "
         "cpu_model, gpu_model, node_type, slurm_job_id, slurm_array_job_id, slurm_array_task_id) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
         "?, ?, ?, ?, ?, ?)")
      .bind_all(p.run_id, p.run_index, p.shard, p.model, p.tactic, p.batch, p.threads, p.repetition, r.started_at, r.seconds, r.images,
                r.batches, spi, r.energy_j, r.energy_source, epi, r.cpu_energy_j, r.ram_energy_j, r.gpu_energy_j, r.avg_power_w,
                r.idle_power_w, r.energy_above_idle_j, r.cpu_utilization, r.process_cpu_utilization, r.peak_rss_bytes, r.p50_ms,
                r.p90_ms, r.p99_ms, r.mean_ms, r.images_per_s, r.temperature_c, r.sampler_cpu_fraction, join(r.checks, ","),
                r.domains.dump(), r.estimate.dump(), r.warnings.dump(), r.node, text_or_null(r.slurm_job), text_or_null(r.cpu_model),
                text_or_null(r.gpu_model), text_or_null(r.node_type), text_or_null(r.slurm_job_id), text_or_null(r.slurm_array_job_id),
                text_or_null(r.slurm_array_task_id))
      .run();
  if (!r.samples.empty()) {
    auto st = db_->prepare("INSERT INTO samples(run_id, t_s, power_w, cpu_utilization, rss_bytes) VALUES (?, ?, ?, ?, ?)");
    for (const SampleRow& s : r.samples) st.bind_all(p.run_id, s.t_s, s.power_w, s.cpu_utilization, s.rss_bytes).run();
  }
  update_outliers(p.model, p.tactic, p.batch, p.threads);
  tx.commit();
}

void Store::update_outliers(const std::string& model, const std::string& tactic, int batch, int threads) {
  // Time per image more than 3 scaled MADs (1.4826 MAD, the normal-consistent scale) from
  // the group's median. Groups of fewer than 3 runs have no meaningful spread yet.
  std::vector<std::pair<std::string, double>> g;
  auto st = db_->prepare("SELECT run_id, seconds_per_image FROM runs WHERE model = ? AND tactic = ? AND batch = ? AND threads = ?");
  st.bind_all(model, tactic, batch, threads);
  while (st.step()) g.emplace_back(st.text(0), st.real(1));
  std::vector<double> x;
  for (auto& [id, v] : g) x.push_back(v);
  auto up = db_->prepare("UPDATE runs SET time_outlier = ? WHERE run_id = ?");
  if (x.size() < 3) {
    for (auto& [id, v] : g) up.bind_all(0, id).run();
    return;
  }
  const double med = stats::median(x);
  std::vector<double> dev;
  for (double v : x) dev.push_back(std::abs(v - med));
  const double mad = 1.4826 * stats::median(dev);
  for (auto& [id, v] : g) up.bind_all((mad > 0 && std::abs(v - med) > 3 * mad) ? 1 : 0, id).run();
}

std::vector<RunRow> Store::runs(bool with_samples) {
  std::vector<RunRow> out;
  auto st = db_->prepare(
      "SELECT run_id, run_index, shard, model, tactic, batch, threads, repetition, started_at, seconds, images, batches, energy_j, "
      "energy_source, cpu_energy_j, ram_energy_j, gpu_energy_j, avg_power_w, idle_power_w, energy_above_idle_j, cpu_utilization, "
      "process_cpu_utilization, peak_rss_bytes, p50_ms, p90_ms, p99_ms, mean_ms, images_per_s, temperature_c, sampler_cpu_fraction, "
      "checks, domains_json, estimate_json, warnings_json, node, slurm_job, time_outlier, cpu_model, gpu_model, node_type, slurm_job_id, "
      "slurm_array_job_id, slurm_array_task_id FROM runs ORDER BY run_index");
  while (st.step()) {
    RunRow r;
    int i = 0;
    r.plan.run_id = st.text(i++);
    r.plan.run_index = static_cast<int>(st.int64(i++));
    r.plan.shard = static_cast<int>(st.int64(i++));
    r.plan.model = st.text(i++);
    r.plan.tactic = st.text(i++);
    r.plan.batch = static_cast<int>(st.int64(i++));
    r.plan.threads = static_cast<int>(st.int64(i++));
    r.plan.repetition = static_cast<int>(st.int64(i++));
    r.started_at = st.text(i++);
    r.seconds = st.real(i++);
    r.images = st.int64(i++);
    r.batches = st.int64(i++);
    r.energy_j = st.opt_real(i++);
    r.energy_source = st.text(i++);
    r.cpu_energy_j = st.opt_real(i++);
    r.ram_energy_j = st.opt_real(i++);
    r.gpu_energy_j = st.opt_real(i++);
    r.avg_power_w = st.opt_real(i++);
    r.idle_power_w = st.opt_real(i++);
    r.energy_above_idle_j = st.opt_real(i++);
    r.cpu_utilization = st.opt_real(i++);
    r.process_cpu_utilization = st.opt_real(i++);
    r.peak_rss_bytes = st.opt_int64(i++);
    r.p50_ms = st.real(i++);
    r.p90_ms = st.real(i++);
    r.p99_ms = st.real(i++);
    r.mean_ms = st.real(i++);
    r.images_per_s = st.real(i++);
    r.temperature_c = st.opt_real(i++);
    r.sampler_cpu_fraction = st.opt_real(i++);
    r.checks = split(st.text(i++), ',');
    r.domains = parse_json(st.text(i++));
    r.estimate = parse_json(st.text(i++));
    r.warnings = parse_json(st.text(i++));
    r.node = st.text(i++);
    r.slurm_job = st.text(i++);
    if (st.int64(i++)) r.checks.push_back("time_outlier");
    r.cpu_model = st.text(i++);
    r.gpu_model = st.text(i++);
    r.node_type = st.text(i++);
    r.slurm_job_id = st.text(i++);
    r.slurm_array_job_id = st.text(i++);
    r.slurm_array_task_id = st.text(i++);
    out.push_back(std::move(r));
  }
  if (with_samples) {
    std::map<std::string, RunRow*> by_id;
    for (auto& r : out) by_id[r.plan.run_id] = &r;
    auto ss = db_->prepare("SELECT run_id, t_s, power_w, cpu_utilization, rss_bytes FROM samples ORDER BY rowid");
    while (ss.step()) {
      auto it = by_id.find(ss.text(0));
      if (it == by_id.end()) continue;
      it->second->samples.push_back(SampleRow{ss.real(1), ss.opt_real(2), ss.opt_real(3), ss.opt_int64(4)});
    }
  }
  return out;
}

void Store::write_idle(const IdleRow& i) {
  db_->prepare(
         "INSERT INTO idle(taken_at, before_run_index, seconds, energy_j, energy_source, avg_power_w, cpu_utilization, domains_json, node) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(i.taken_at, i.before_run_index, i.seconds, i.energy_j, i.energy_source, i.avg_power_w, i.cpu_utilization,
                i.domains.dump(), i.node)
      .run();
}

std::vector<IdleRow> Store::idles() {
  std::vector<IdleRow> out;
  auto st = db_->prepare(
      "SELECT taken_at, before_run_index, seconds, energy_j, energy_source, avg_power_w, cpu_utilization, domains_json, node FROM idle "
      "ORDER BY id");
  while (st.step()) {
    IdleRow i;
    i.taken_at = st.text(0);
    i.before_run_index = static_cast<int>(st.int64(1));
    i.seconds = st.real(2);
    i.energy_j = st.opt_real(3);
    i.energy_source = st.text(4);
    i.avg_power_w = st.opt_real(5);
    i.cpu_utilization = st.opt_real(6);
    i.domains = parse_json(st.text(7));
    i.node = st.text(8);
    out.push_back(std::move(i));
  }
  return out;
}

std::string Store::integrity_check() {
  auto st = db_->prepare("PRAGMA integrity_check");
  std::string s;
  while (st.step()) s += (s.empty() ? "" : "; ") + st.text(0);
  return s;
}

}  // namespace ecoinfer::study
