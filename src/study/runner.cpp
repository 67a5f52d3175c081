#include "study/runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <list>
#include <map>
#include <set>
#include <thread>

#include "core/error.h"
#include "data/dataset.h"
#include "model/model_source.h"
#include "runtime/evaluate.h"
#include "stats/descriptive.h"
#include "study/environment.h"
#include "study/exports.h"
#include "study/variant.h"

namespace ecoinfer::study {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------------------------------
// Signals

namespace {
std::atomic<int> g_interrupts{0};

void on_signal(int) {
  if (g_interrupts.fetch_add(1) >= 1) {
    // Second signal: abandon the run in flight. The store holds every completed run, each
    // in its own committed transaction, so nothing completed is lost.
    const char msg[] = "\necoinfer: second interrupt: abandoning the run in flight\n";
    ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)ignored;
    _exit(130);
  }
  const char msg[] = "\necoinfer: interrupt: finishing the run in flight, then stopping (interrupt again to abandon it)\n";
  ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
  (void)ignored;
}
}  // namespace

InterruptGuard::InterruptGuard() {
  g_interrupts = 0;
  struct ::sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, &old_int_);
  ::sigaction(SIGTERM, &sa, &old_term_);
}
InterruptGuard::~InterruptGuard() {
  ::sigaction(SIGINT, &old_int_, nullptr);
  ::sigaction(SIGTERM, &old_term_, nullptr);
}
bool InterruptGuard::requested() { return g_interrupts.load() > 0; }

// ---------------------------------------------------------------------------------------

fs::path shard_folder(const fs::path& out, int k, int n) {
  if (n <= 1) return out;
  return out / "shards" / fmt::format("{}-of-{}", k, n);
}

namespace {

// Progress and the log: everything goes to study.log; stderr unless quiet.
class Log {
 public:
  Log(const fs::path& file, bool quiet) : out_(file, std::ios::app), quiet_(quiet) {}
  template <typename... Args>
  void line(fmt::format_string<Args...> f, Args&&... args) {
    const std::string s = fmt::format(f, std::forward<Args>(args)...);
    out_ << utc_now() << " " << s << "\n";
    out_.flush();
    if (!quiet_) std::fprintf(stderr, "%s\n", s.c_str());
  }

 private:
  std::ofstream out_;
  bool quiet_;
};

std::string duration_text(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  const long t = std::lround(s);
  if (t >= 3600) return fmt::format("{}h{:02}m", t / 3600, (t % 3600) / 60);
  if (t >= 60) return fmt::format("{}m{:02}s", t / 60, t % 60);
  return fmt::format("{}s", t);
}

// Sleeps in short steps so that an interrupt is seen promptly.
void pause_for(double seconds) {
  const auto end = Clock::now() + std::chrono::duration<double>(seconds);
  while (Clock::now() < end && !InterruptGuard::requested())
    std::this_thread::sleep_for(std::min<std::chrono::duration<double>>(end - Clock::now(), std::chrono::milliseconds(50)));
}

// The model of every GPU the meter found (metered or not: a GPU that cannot be metered is
// still part of the machine), once per device.
std::vector<std::string> gpu_models(const std::vector<meter::DomainReading>& domains) {
  std::vector<std::string> models;
  std::set<std::string> seen;
  for (const meter::DomainReading& d : domains) {
    if (d.kind != meter::Kind::gpu) continue;
    std::string model, uuid;
    for (const auto& [k, v] : d.details) {
      if (k == "model") model = v;
      if (k == "uuid") uuid = v;
    }
    if (!model.empty() && seen.insert(uuid.empty() ? d.name : uuid).second) models.push_back(model);
  }
  return models;
}

double meter_resolution_s(const StudySpec& spec) { return std::max(0.1, 5 * spec.meter.interval_ms / 1000.0); }

// Per model: the dataset and the decoded workloads (one per batch size).
struct ModelState {
  const ModelEntry* entry = nullptr;
  std::unique_ptr<Dataset> data;
  Preprocessing pre;
  std::vector<std::string> labels;
  std::map<int, Workload> workloads;
};

// An exclusive flock on FOLDER/.ecoinfer.lock for the life of the object; the kernel drops it
// when the process ends, however it ends, so a killed study never leaves a stale lock.
class FolderLock {
 public:
  explicit FolderLock(const fs::path& folder) {
    const fs::path file = folder / ".ecoinfer.lock";
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    ECO_CHECK(fd_ >= 0, "{}: cannot open the study's lock file: {}", file.string(), std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      ::close(fd_);
      ECO_CHECK(err != EWOULDBLOCK, "{}: another ecoinfer is running this study into this folder right now (it holds {}); "
                "wait for it to finish or stop it, then run this command again", folder.string(), file.string());
      fail("{}: cannot lock: {}", file.string(), std::strerror(err));
    }
  }
  ~FolderLock() { ::close(fd_); }
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_ = -1;
};

void check_labels(const ModelEntry& m, const ModelBundle& b, const Dataset& d) {
  if (!b.labels.empty() && d.class_names().size() > b.labels.size())
    fail("{}: the dataset has {} classes but model {} ({}) has {} labels: not the model's dataset", m.data, d.class_names().size(),
         m.name, m.path, b.labels.size());
  if (!b.labels.empty() && d.label_source() == "sorted folder order") {
    // No folder name matched id2label: the labels would be guessed from folder order.
    std::string some;
    for (size_t i = 0; i < std::min<size_t>(3, d.class_names().size()); ++i) some += (i ? ", " : "") + d.class_names()[i];
    fail("{}: its class folders ({}, ...) do not match the id2label names of model {} ({}: {}, ...); a study refuses to guess "
         "labels from folder order",
         m.data, some, m.name, m.path, b.labels.empty() ? "" : b.labels[0]);
  }
}

}  // namespace

void check_inputs_exist(const StudySpec& spec) {
  for (const ModelEntry& m : spec.models) {
    std::error_code ec;
    ECO_CHECK(fs::exists(m.path, ec) || names_hub_model(m.path), "model '{}': {} does not exist", m.name, m.path);
    ECO_CHECK(fs::exists(m.data, ec), "model '{}': dataset {} does not exist", m.name, m.data);
    ModelBundle b = load_model(m.path, model_flags(m));
    ECO_CHECK(b.pre.height > 0 && b.pre.width > 0,
              "model '{}' ({}): its input size is not fixed and its preprocessor config does not fix it", m.name, m.path);
    auto d = open_dataset(m.data, b.labels);
    ECO_CHECK(d->size() > 0, "model '{}': dataset {} holds no images", m.name, m.data);
    check_labels(m, b, *d);
  }
}

StudyOutcome run_study(const StudySpec& spec, const RunnerOptions& opts) {
  validate_spec(spec);
  ECO_CHECK(opts.shard_n >= 1 && opts.shard_k >= 1 && opts.shard_k <= opts.shard_n, "--shard {}/{}: K must be in [1, N]", opts.shard_k,
            opts.shard_n);
  // Everything that can fail is checked before the first run.
  check_inputs_exist(spec);
  const fs::path folder = shard_folder(spec.output, opts.shard_k, opts.shard_n);
  {
    std::error_code ec;
    fs::create_directories(folder, ec);
    ECO_CHECK(fs::is_directory(folder), "{}: cannot create the output folder{}", folder.string(), ec ? ": " + ec.message() : "");
    const fs::path probe = folder / ".ecoinfer-write-test";
    std::ofstream p(probe);
    ECO_CHECK(p.good(), "{}: the output folder is not writable", folder.string());
    p.close();
    fs::remove(probe, ec);
  }
  // One writer per store: a second process (a Slurm task re-submitted while the first still
  // runs, a second terminal) would measure the same runs again and fail on the first insert.
  const FolderLock lock(folder);
  // From here on SIGINT and SIGTERM (scancel, a time limit) only ask the runner to stop after
  // the run in flight, so a signal can never land inside the store's first writes.
  InterruptGuard guard;
  StudyOutcome outcome;
  outcome.store_file = folder / "results.sqlite";
  auto store = Store::open(outcome.store_file, true);
  Log log(folder / "study.log", opts.quiet);

  const nlohmann::json mjson = measurement_json(spec);
  const std::string hash = spec_hash(spec);
  ExperimentRow exp;
  exp.name = spec.name;
  exp.spec_text = spec.source_text;
  exp.spec_source = spec.source_name;
  exp.spec_json = mjson;
  exp.spec_hash = hash;
  exp.analysis_json = analysis_json(spec);
  exp.seed = spec.seed;
  exp.shard_k = opts.shard_k;
  exp.shard_n = opts.shard_n;
  exp.created_at = utc_now();

  std::vector<PlannedRun> plan;
  if (auto old = store->experiment()) {
    ECO_CHECK(old->shard_k == opts.shard_k && old->shard_n == opts.shard_n, "{}: this store holds shard {}/{}, not {}/{}",
              outcome.store_file.string(), old->shard_k, old->shard_n, opts.shard_k, opts.shard_n);
    if (old->spec_hash != hash) {
      const auto diff = spec_diff(old->spec_json, mjson);
      std::string text;
      for (auto& l : diff) text += "\n  " + l;
      if (!opts.force)
        fail("{}: the study was started with another spec; changes:{}\nrun with --force to continue with the new spec (completed runs "
             "that are still planned are kept), or choose another output folder",
             outcome.store_file.string(), text);
      exp.environment_json = old->environment_json;
      exp.created_at = old->created_at;
      plan = make_run_table(spec, opts.shard_n);
      store->replace_spec(exp, old->spec_hash, text, plan);
      log.line("spec changed (--force):{}", text);
    } else {
      plan = store->plan();
      store->update_analysis(exp.analysis_json);
    }
  } else {
    nlohmann::json env = environment_json();
    {
      meter::Session probe(meter_options(spec));
      nlohmann::json meters = nlohmann::json::array();
      for (const meter::DomainReading& d : probe.describe()) {
        meters.push_back({{"name", d.name}, {"kind", meter::kind_name(d.kind)}, {"source", meter::source_name(d.source)},
                          {"meter", d.meter}, {"reason", d.reason}});
        if (d.kind == meter::Kind::gpu && d.source != meter::Source::unavailable) {
          nlohmann::json g{{"name", d.name}};
          for (auto& [k, v] : d.details) g[k] = v;
          env["gpus"].push_back(g);
        }
      }
      env["meters"] = meters;
      env["node_type"] = this_node(gpu_models(probe.describe())).node_type();
    }
    exp.environment_json = env;
    plan = make_run_table(spec, opts.shard_n);
    store->write_study(exp, plan);
  }

  const std::set<std::string> done = store->done_run_ids();
  std::vector<PlannedRun> pending;
  for (auto& r : plan) {
    if (r.shard != opts.shard_k) continue;
    ++outcome.planned;
    if (done.count(r.run_id))
      ++outcome.done_before;
    else
      pending.push_back(r);
  }
  log.line("study '{}': {} runs planned{}, {} done, {} to run; store {}", spec.name, outcome.planned,
           opts.shard_n > 1 ? fmt::format(" in shard {}/{}", opts.shard_k, opts.shard_n) : "", outcome.done_before, pending.size(),
           outcome.store_file.string());

  std::map<std::string, ModelState> models;
  auto model_state = [&](const std::string& name) -> ModelState& {
    ModelState& s = models[name];
    if (!s.entry) {
      for (auto& m : spec.models)
        if (m.name == name) s.entry = &m;
      ECO_CHECK(s.entry, "{}: the store plans model '{}', which the spec does not name", outcome.store_file.string(), name);
      ModelBundle b = load_model(s.entry->path, model_flags(*s.entry));
      s.pre = b.pre;
      s.labels = b.labels;
      s.data = open_dataset(s.entry->data, b.labels);
      check_labels(*s.entry, b, *s.data);
      ModelRow row;
      row.model = name;
      row.path = s.entry->path;
      row.data = s.entry->data;
      row.onnx_path = b.onnx_path.string();
      row.model_bytes = static_cast<int64_t>(b.model_bytes);
      row.classes = static_cast<int64_t>(b.labels.size());
      row.input_shape = fmt::format("[{},{},{},{}]", spec.batch.front(), b.pre.channels, b.pre.height, b.pre.width);
      row.label_source = s.data->label_source();
      store->write_model(row);
    }
    return s;
  };
  auto workload = [&](const std::string& name, int batch) -> const Workload& {
    ModelState& s = model_state(name);
    auto it = s.workloads.find(batch);
    if (it == s.workloads.end()) it = s.workloads.emplace(batch, make_workload(s.pre, s.entry->path, *s.data, spec.images, batch)).first;
    return it->second;
  };

  // Prepared variants, least recently used first; over the memory budget the oldest go
  // (re-preparing one later is not metered again: its cost is in the store already).
  std::list<PreparedVariant> cache;
  auto variant = [&](const std::string& model, const std::string& tactic, int batch, int threads) -> PreparedVariant& {
    for (auto it = cache.begin(); it != cache.end(); ++it)
      if (it->model == model && it->tactic == tactic && it->batch == batch && it->threads == threads) {
        cache.splice(cache.end(), cache, it);
        return cache.back();
      }
    ModelState& ms = model_state(model);
    const Workload& w = workload(model, batch);
    const bool new_variant = !store->has_variant(model, tactic, batch);
    VariantRow row;
    if (new_variant) log.line("preparing {} / {} (batch {}): metered as the optimization cost", model, tactic, batch);
    PreparedVariant v = prepare_variant(*ms.entry, tactic, batch, threads, spec, w.batches.front(), new_variant ? &row : nullptr);
    if (new_variant) {
      const int acc_batch = spec.accuracy_batch > 0 ? spec.accuracy_batch : batch;
      EvalOptions eo;
      eo.batch = acc_batch;
      eo.limit = spec.accuracy_images > 0 ? spec.accuracy_images : -1;
      // Every variant of a model reads the same images: decode them once into the study's
      // cache of preprocessed images (keyed by the preprocessing, so models never mix).
      eo.cache_dir = folder / "image-cache";
      const auto t0 = Clock::now();
      // Through the variant's own prepared executor: the kernels that are timed are the ones scored.
      const EvalResult er = evaluate(*v.exec, *v.bundle, *ms.data, eo);
      ECO_CHECK(er.error.empty(), "model '{}', tactic '{}': accuracy evaluation stopped: {}", model, tactic, er.error);
      row.top1 = er.top1;
      row.top5 = er.top5;
      row.accuracy_images = er.images;
      row.accuracy_batch = acc_batch;
      row.accuracy_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
      store->write_variant(row);
      log.line("  {} / {}: prepared in {:.3f} s ({} J, {}), top-1 {:.4f} over {} images (batch {})", model, tactic, row.prep_seconds,
               row.prep_energy_j ? fmt::format("{:.3g}", *row.prep_energy_j) : "unknown", row.prep_energy_source, row.top1,
               row.accuracy_images, acc_batch);
    }
    size_t total = v.bytes;
    for (auto& c : cache) total += c.bytes;
    while (!cache.empty() && total > spec.variant_cache_mb * (size_t(1) << 20)) {
      total -= cache.front().bytes;
      cache.pop_front();
    }
    cache.push_back(std::move(v));
    return cache.back();
  };

  const meter::Options mopts = meter_options(spec);
  std::optional<double> idle_power;
  auto take_idle = [&](int before_index) {
    meter::Session s(mopts);
    s.start();
    pause_for(spec.idle_seconds);
    const meter::Reading r = s.stop();
    const ReadingSummary sum = summarize(r);
    IdleRow row;
    row.taken_at = utc_now();
    row.before_run_index = before_index;
    row.seconds = r.duration_s;
    row.energy_j = sum.energy_j;
    row.energy_source = sum.source;
    row.avg_power_w = sum.avg_power_w;
    row.cpu_utilization = r.cpu_utilization;
    row.domains = sum.domains;
    row.node = host_name();
    store->write_idle(row);
    idle_power = sum.avg_power_w;
    log.line("idle baseline: {} over {:.1f} s ({})", sum.avg_power_w ? fmt::format("{:.2f} W", *sum.avg_power_w) : "power unknown",
             r.duration_s, sum.source);
  };

  double resolution = meter_resolution_s(spec);
  std::vector<std::string> gpus;
  {
    // The meters' own update periods (RAPL ~1 ms, NVML's counter ~100 ms, its averaged
    // power 1 s): a window shorter than the coarsest cannot be measured.
    meter::Session probe(mopts);
    for (const meter::DomainReading& d : probe.describe())
      if (d.in_total && d.resolution_s) resolution = std::max(resolution, *d.resolution_s);
    gpus = gpu_models(probe.describe());
    ECO_CHECK(spec.min_seconds >= resolution,
              "'run.min_seconds' {} s is below the resolution of this machine's meters ({} s); a shorter window cannot be measured",
              spec.min_seconds, resolution);
  }
  // What every run of this invocation records about where it ran.
  const NodeIdentity node = this_node(std::move(gpus));
  const std::string node_type = node.node_type(), gpu_model = node.gpu_model(), slurm = slurm_job();
  const SlurmIds slurm_id = slurm_ids();
  const auto study_start = Clock::now();
  int since_idle = 0;
  if (!pending.empty() && spec.idle_seconds > 0) take_idle(outcome.done_before == 0 ? -1 : pending.front().run_index);
  // Prepare every variant this invocation needs before the first run, so that the runs are
  // not interleaved with long preparations and accuracy evaluations.
  for (auto& r : pending) {
    if (InterruptGuard::requested()) break;
    if (!store->has_variant(r.model, r.tactic, r.batch)) variant(r.model, r.tactic, r.batch, r.threads);
  }
  const auto runs_start = Clock::now();
  for (size_t i = 0; i < pending.size(); ++i) {
    if (InterruptGuard::requested()) break;
    if (opts.max_runs >= 0 && outcome.done_now >= opts.max_runs) break;
    const PlannedRun& p = pending[i];
    if (spec.idle_every > 0 && since_idle >= spec.idle_every && spec.idle_seconds > 0) {
      take_idle(p.run_index);
      since_idle = 0;
    }
    PreparedVariant& v = variant(p.model, p.tactic, p.batch, p.threads);
    const Workload& w = workload(p.model, p.batch);
    // Warm-up: at least 3 batches and warmup_seconds, not measured.
    {
      const auto t0 = Clock::now();
      for (int k = 0;; ++k) {
        v.exec->run({w.batches[static_cast<size_t>(k) % w.batches.size()]});
        if (k + 1 >= 3 && std::chrono::duration<double>(Clock::now() - t0).count() >= spec.warmup_seconds) break;
      }
    }
    RunRow row;
    row.plan = p;
    std::vector<double> lat;
    int64_t passes = 0;
    meter::Session session(mopts);
    session.start();
    row.started_at = utc_now();
    const auto t0 = Clock::now();
    double elapsed = 0;
    do {
      for (const Tensor& b : w.batches) {
        const auto tb = Clock::now();
        v.exec->run({b});
        lat.push_back(std::chrono::duration<double, std::milli>(Clock::now() - tb).count());
      }
      ++passes;
      elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
    } while (elapsed < spec.min_seconds);
    const meter::Reading reading = session.stop();
    const ReadingSummary sum = summarize(reading);
    row.seconds = elapsed;
    row.batches = static_cast<int64_t>(lat.size());
    row.images = passes * w.images();
    row.energy_j = sum.energy_j;
    row.energy_source = sum.source;
    row.cpu_energy_j = sum.cpu_j;
    row.ram_energy_j = sum.ram_j;
    row.gpu_energy_j = sum.gpu_j;
    if (sum.energy_j && elapsed > 0) row.avg_power_w = *sum.energy_j / elapsed;
    row.idle_power_w = idle_power;
    if (sum.energy_j && idle_power) row.energy_above_idle_j = *sum.energy_j - *idle_power * elapsed;
    row.cpu_utilization = reading.cpu_utilization;
    row.process_cpu_utilization = reading.process_cpu_utilization;
    if (reading.peak_rss_bytes) row.peak_rss_bytes = static_cast<int64_t>(*reading.peak_rss_bytes);
    const std::vector<double> sorted_lat = stats::sorted_copy(lat);
    row.p50_ms = stats::quantile_sorted(sorted_lat, 0.50);
    row.p90_ms = stats::quantile_sorted(sorted_lat, 0.90);
    row.p99_ms = stats::quantile_sorted(sorted_lat, 0.99);
    double sum_ms = 0;
    for (double l : lat) sum_ms += l;
    row.mean_ms = sum_ms / static_cast<double>(lat.size());
    row.images_per_s = static_cast<double>(row.images) / elapsed;
    row.temperature_c = max_temperature_c();
    row.sampler_cpu_fraction = reading.sampler_overhead_cpu_fraction;
    // Below the coarsest meter's update period, the energy can be off by a whole step.
    if (reading.duration_s < resolution || (reading.resolution_s && reading.duration_s < *reading.resolution_s))
      row.checks.push_back("short_window");
    if (!sum.energy_j)
      row.checks.push_back("energy_missing");
    else if (*sum.energy_j <= 0)
      row.checks.push_back("energy_nonpositive");
    row.domains = sum.domains;
    row.estimate = sum.estimate;
    row.warnings = sum.warnings;
    row.node = node.node;
    row.cpu_model = node.cpu_model;
    row.gpu_model = gpu_model;
    row.node_type = node_type;
    row.slurm_job = slurm;
    row.slurm_job_id = slurm_id.job_id;
    row.slurm_array_job_id = slurm_id.array_job_id;
    row.slurm_array_task_id = slurm_id.array_task_id;
    if (spec.meter.keep_samples) {
      for (const meter::Sample& s : reading.samples) {
        SampleRow sr;
        sr.t_s = s.t_s;
        sr.cpu_utilization = s.cpu_utilization;
        if (s.rss_bytes) sr.rss_bytes = static_cast<int64_t>(*s.rss_bytes);
        double total = 0;
        bool known = false, unknown = false;
        for (size_t d = 0; d < s.power_w.size() && d < reading.domains.size(); ++d) {
          if (!reading.domains[d].in_total) continue;
          if (s.power_w[d]) {
            total += *s.power_w[d];
            known = true;
          } else {
            unknown = true;
          }
        }
        if (known && !unknown) sr.power_w = total;
        row.samples.push_back(sr);
      }
    }
    store->write_run(row);
    ++outcome.done_now;
    ++since_idle;
    if (!row.checks.empty()) {
      std::string c;
      for (auto& x : row.checks) c += (c.empty() ? "" : ",") + x;
      outcome.flagged.push_back(p.run_id + ": " + c);
    }
    const double per_run = std::chrono::duration<double>(Clock::now() - runs_start).count() / outcome.done_now;
    const double eta = per_run * static_cast<double>(pending.size() - i - 1) + spec.cooldown_seconds;
    log.line("[{}/{}] {} {} b{} t{} r{}: {} /image ({}), {:.3f} ms/image{}  ETA {}", outcome.done_before + outcome.done_now,
             outcome.planned, p.model, p.tactic, p.batch, p.threads, p.repetition,
             row.energy_j ? fmt::format("{:.4g} mJ", 1000 * *row.energy_j / row.images) : "energy unknown", row.energy_source,
             1000 * row.seconds / row.images, row.checks.empty() ? "" : "  CHECK: " + outcome.flagged.back().substr(p.run_id.size() + 2),
             duration_text(eta));
    if (i + 1 < pending.size()) pause_for(spec.cooldown_seconds);
  }
  outcome.interrupted = InterruptGuard::requested();
  write_exports(*store, folder);
  const double total = std::chrono::duration<double>(Clock::now() - study_start).count();
  log.line("{}: {} runs stored this time in {}, {} of {} done; exports: {}, {}", outcome.interrupted ? "stopped" : "finished",
           outcome.done_now, duration_text(total), outcome.done_before + outcome.done_now, outcome.planned,
           (folder / "runs.csv").string(), (folder / "emissions.csv").string());
  return outcome;
}

}  // namespace ecoinfer::study
