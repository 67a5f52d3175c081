// Session: discovers the meters once, then opens and closes measurement windows.
// A background thread samples every meter each interval: counters are read often
// enough to see every wrap, power is integrated, and utilization and memory form
// the time series. The sampler measures its own CPU time.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "core/error.h"
#include "meter/accumulator.h"
#include "meter/backend.h"
#include "meter/cpu_info.h"
#include "meter/estimate.h"
#include "meter/fsread.h"
#include "meter/process_stats.h"

namespace ecoinfer::meter {
namespace {

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int trust_rank(Source s) {
  switch (s) {
    case Source::counter: return 0;
    case Source::sampled: return 1;
    case Source::estimate: return 2;
    case Source::unavailable: return 3;
  }
  return 3;
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

}  // namespace

struct Session::Impl {
  struct Channels {
    std::unique_ptr<Backend> backend;
    std::vector<EnergyAccumulator> acc;
    std::vector<std::string> last_error;
    std::vector<bool> last_ok;
    size_t first_domain = 0;  // index of its first channel in `layout`
  };

  Options opts;
  Roots roots;
  CpuInfo cpu;
  std::vector<Channels> meters;
  std::vector<DomainReading> layout;  // every domain, in Reading order
  std::vector<std::string> probe_warnings;
  std::optional<EstimateParams> est;
  std::optional<size_t> est_cpu_index, est_ram_index;

  enum class State { ready, running, stopped } state = State::ready;
  std::mutex mu;
  std::condition_variable cv;
  std::thread sampler;
  bool stop_flag = false;
  std::optional<double> sampler_cpu_s;

  // Window state, guarded by mu while the sampler runs.
  double t0 = 0, t_prev = 0;
  std::optional<MachineTimes> m0, m_prev;
  std::optional<double> proc0, proc_prev;
  bool peak_reset = false;
  std::optional<uint64_t> max_rss;
  std::vector<Sample> samples;
  size_t sample_count = 0;

  double now() const { return opts.clock ? opts.clock() : steady_seconds(); }

  // Integrated samples resolve no better than the sampler's interval.
  std::optional<double> channel_resolution(const ChannelSpec& s) const {
    double r = s.resolution_s;
    if (s.source == Source::sampled) r = std::max(r, opts.interval_ms * 1e-3);
    if (r > 0) return r;
    return std::nullopt;
  }

  void add_probe(Probe& p) {
    for (std::string& w : p.warnings) probe_warnings.push_back(std::move(w));
    if (p.backend) {
      Channels c;
      c.first_domain = layout.size();
      for (const ChannelSpec& s : p.backend->channels()) {
        DomainReading d = domain_entry(s.name, s.kind, s.source, s.meter, s.note);
        d.in_total = s.in_total;
        d.details = s.details;
        d.resolution_s = channel_resolution(s);
        layout.push_back(std::move(d));
        c.acc.push_back(s.source == Source::counter ? EnergyAccumulator::counter(s.joules_per_unit, s.modulus)
                                                    : EnergyAccumulator::power());
      }
      c.last_error.resize(c.acc.size());
      c.last_ok.resize(c.acc.size());
      c.backend = std::move(p.backend);
      meters.push_back(std::move(c));
    }
  }

  void add_unavailable(std::string name, Kind kind, std::string meter, std::string reason) {
    layout.push_back(unavailable_domain(std::move(name), kind, std::move(meter), std::move(reason)));
  }

  void discover() {
    roots.sysfs = resolve_setting(opts.sysfs_root, "ECOINFER_SYSFS_ROOT", "/sys");
    roots.procfs = resolve_setting(opts.procfs_root, "ECOINFER_PROCFS_ROOT", "/proc");
    roots.devfs = resolve_setting(opts.devfs_root, "ECOINFER_DEVFS_ROOT", "/dev");
    opts.sysfs_root = roots.sysfs;
    opts.procfs_root = roots.procfs;
    opts.devfs_root = roots.devfs;
    opts.nvml_library = resolve_setting(opts.nvml_library, "ECOINFER_NVML_LIBRARY", "libnvidia-ml.so.1");
    if (!opts.cuda_visible_devices)
      if (const char* v = std::getenv("CUDA_VISIBLE_DEVICES")) opts.cuda_visible_devices = std::string(v);
    if (!opts.cuda_device_order)
      if (const char* v = std::getenv("CUDA_DEVICE_ORDER")) opts.cuda_device_order = std::string(v);
    ECO_CHECK(opts.interval_ms >= 0, "sampler interval must be >= 0 ms, got {}", opts.interval_ms);
    cpu = read_cpu_info(roots.procfs);

    // RAPL: powercap, else perf_event, else MSRs.
    std::vector<Probe> deferred;  // partial unavailability of the chosen meter
    std::vector<std::string> failures;
    bool have_rapl = false;
    auto attempt = [&](bool enabled, const char* what, auto&& probe_fn) {
      if (have_rapl) return;
      if (!enabled) {
        failures.push_back(std::string(what) + ": disabled");
        return;
      }
      Probe p = probe_fn();
      if (p.backend) {
        have_rapl = true;
        std::vector<DomainReading> un = std::move(p.unavailable);
        add_probe(p);
        for (DomainReading& d : un) layout.push_back(std::move(d));
      } else {
        failures.push_back(std::string(what) + ": " + p.failure);
        for (std::string& w : p.warnings) probe_warnings.push_back(std::move(w));
      }
    };
    attempt(opts.use_powercap, "powercap", [&] { return probe_powercap(roots); });
    attempt(opts.use_perf, "perf_event", [&] { return probe_perf_rapl(roots, opts.perf_ops); });
    attempt(opts.use_msr, "msr", [&] { return probe_msr_rapl(roots); });
    if (!have_rapl) add_unavailable("rapl", Kind::cpu, "rapl", "no RAPL energy counter readable: " + join(failures, "; "));

    if (opts.use_nvml) {
      Probe p = probe_nvml(opts.nvml_library, opts.cuda_visible_devices, opts.cuda_device_order);
      std::vector<DomainReading> un = std::move(p.unavailable);
      std::string failure = p.failure;
      bool had_backend = p.backend != nullptr;
      add_probe(p);
      for (DomainReading& d : un) layout.push_back(std::move(d));
      if (!had_backend && un.empty()) add_unavailable("nvml", Kind::gpu, "nvml", failure);
    } else {
      add_unavailable("nvml", Kind::gpu, "nvml", "disabled");
    }

    bool cpu_counter = false, dram_counter = false;
    for (const Channels& c : meters)
      for (const ChannelSpec& s : c.backend->channels()) {
        cpu_counter |= s.in_total && (s.kind == Kind::cpu || s.kind == Kind::platform);
        dram_counter |= s.in_total && (s.kind == Kind::dram || s.kind == Kind::platform);
      }
    // Resolved even when counters cover everything: a counter that fails during a
    // window falls back to its share of the estimate.
    if (opts.allow_estimate) est = resolve_estimate(cpu, opts);
    if (est && (!cpu_counter || !dram_counter)) {
      auto add_est = [&](std::string name, Kind kind, std::string why) {
        DomainReading d = domain_entry(std::move(name), kind, Source::estimate, "estimate", std::move(why));
        d.in_total = true;
        if (kind == Kind::cpu) d.resolution_s = cpu_estimate_resolution_s();
        layout.push_back(std::move(d));
        return layout.size() - 1;
      };
      if (!cpu_counter) est_cpu_index = add_est("cpu", Kind::cpu, "estimate from " + est->cpu_tdp_origin);
      if (!dram_counter) {
        if (est->ram_gb > 0) est_ram_index = add_est("ram", Kind::ram, "estimate from " + est->ram_origin);
        else add_unavailable("ram", Kind::ram, "estimate", "installed memory unknown (" + roots.procfs + "/meminfo)");
      }
    }
  }

  // The CPU estimate scales with utilization from /proc/stat, counted in clock ticks.
  static double cpu_estimate_resolution_s() { return 1.0 / static_cast<double>(::sysconf(_SC_CLK_TCK)); }

  std::optional<double> process_cpu_now() const {
    if (opts.pid == 0) return self_cpu_s();
    return read_process_cpu_s(roots.procfs, opts.pid);
  }

  // One reading of everything at time t. Caller holds mu (or no sampler runs).
  void tick(double t) {
    Sample s;
    s.t_s = t - t0;
    s.power_w.assign(layout.size(), std::nullopt);
    for (Channels& c : meters) {
      std::vector<ChannelValue> vals;
      c.backend->read(vals);
      const auto& specs = c.backend->channels();
      for (size_t i = 0; i < vals.size() && i < c.acc.size(); ++i) {
        c.last_ok[i] = vals[i].ok;
        if (!vals[i].ok) {
          c.last_error[i] = vals[i].error;
          continue;
        }
        auto w = specs[i].source == Source::counter ? c.acc[i].add_counter(vals[i].raw, t)
                                                    : c.acc[i].add_power(vals[i].watts, t);
        s.power_w[c.first_domain + i] = w;
      }
      c.backend->telemetry(s.gpus);
    }
    auto m = read_machine_times(roots.procfs);
    if (m && m_prev) s.cpu_utilization = machine_utilization(*m_prev, *m);
    if (m) m_prev = m;
    auto p = process_cpu_now();
    if (p && proc_prev && t > t_prev)
      s.process_cpu_utilization = std::max(0.0, (*p - *proc_prev) / ((t - t_prev) * std::max(1, cpu.logical_cpus)));
    if (p) proc_prev = p;
    s.rss_bytes = read_status_bytes(roots.procfs, opts.pid, "VmRSS");
    if (s.rss_bytes) max_rss = std::max(max_rss.value_or(0), *s.rss_bytes);
    if (est_cpu_index) {
      auto u = est->basis == EstimateBasis::machine ? s.cpu_utilization : s.process_cpu_utilization;
      if (u) s.power_w[*est_cpu_index] = estimate_cpu_power_w(*est, *u);
    }
    if (est_ram_index) s.power_w[*est_ram_index] = estimate_ram_power_w(*est);
    t_prev = t;
    ++sample_count;
    if (opts.keep_samples) samples.push_back(std::move(s));
  }

  void run_sampler() {
    double cpu_start = thread_cpu_s();
    auto period = std::chrono::milliseconds(opts.interval_ms);
    auto next = std::chrono::steady_clock::now() + period;
    std::unique_lock<std::mutex> lk(mu);
    for (;;) {
      if (cv.wait_until(lk, next, [this] { return stop_flag; })) break;
      tick(now());
      next += period;
      auto n = std::chrono::steady_clock::now();
      if (next < n) next = n + period;  // fell behind: skip, do not burst
    }
    sampler_cpu_s = thread_cpu_s() - cpu_start;
  }

  Reading finish(std::optional<ProcessUsage> usage) {
    Reading r;
    double t1 = now();
    tick(t1);
    r.duration_s = t1 - t0;
    r.interval_ms = opts.interval_ms;
    r.cpu_count = cpu.logical_cpus;
    r.cpu_model = cpu.model_name;
    if (cpu.mem_total_bytes) r.ram_total_gb = static_cast<double>(*cpu.mem_total_bytes) / (1024.0 * 1024 * 1024);
    r.warnings = probe_warnings;
    r.domains = layout;
    const double dur = r.duration_s;
    auto avg = [dur](double e) -> std::optional<double> {
      if (dur > 0) return e / dur;
      return std::nullopt;
    };

    struct Failed {
      size_t domain;
      std::string error;
    };
    std::vector<Failed> failed;       // in_total counters that never gave two reads
    std::map<Kind, int> total_specs;  // in_total channels per kind, failed or not
    for (Channels& c : meters) {
      const auto& specs = c.backend->channels();
      for (size_t i = 0; i < c.acc.size(); ++i) {
        DomainReading& d = r.domains[c.first_domain + i];
        const EnergyAccumulator& a = c.acc[i];
        if (specs[i].in_total) ++total_specs[specs[i].kind];
        if (a.readings() < 2) {
          if (specs[i].in_total) failed.push_back({c.first_domain + i, c.last_error[i]});
          d.source = Source::unavailable;
          d.in_total = false;
          d.reason = "read failed: " + c.last_error[i];
          continue;
        }
        d.energy_j = a.energy_j();
        d.avg_power_w = avg(a.energy_j());
        std::vector<std::string> notes;
        if (!d.reason.empty()) notes.push_back(d.reason);
        if (a.wraps() > 0) notes.push_back(std::to_string(a.wraps()) + " counter wrap(s) counted");
        if (a.resets() > 0) {
          notes.push_back(std::to_string(a.resets()) + " counter reset(s) seen (driver reload?); counted from 0");
          r.warnings.push_back(d.name + ": energy counter went backwards " + std::to_string(a.resets()) +
                               " time(s); energy after each reset counted from the new value");
        }
        if (!c.last_ok[i]) {
          notes.push_back("last read failed: " + c.last_error[i]);
          r.warnings.push_back(d.name + ": final read failed (" + c.last_error[i] + "); energy covers " +
                               fmt::format("{:.3f}", a.last_t() - a.first_t()) + " s of the window");
        }
        if (specs[i].min_wrap_time_s > 0 && a.max_gap_s() > specs[i].min_wrap_time_s)
          r.warnings.push_back(fmt::format(
              "{}: {:.1f} s between two reads exceeds the {:.1f} s the counter may take to wrap at full power; "
              "wraps may have been missed (sample more often)",
              d.name, a.max_gap_s(), specs[i].min_wrap_time_s));
        if (specs[i].source == Source::sampled && a.readings() < 3)
          r.warnings.push_back(d.name + ": only " + std::to_string(a.readings()) +
                               " power samples in the window; the integral is coarse");
        d.reason = join(notes, "; ");
      }
    }

    // Machine and process CPU.
    if (m0 && m_prev) {
      r.cpu_utilization = machine_utilization(*m0, *m_prev);
      if (m_prev->busy >= m0->busy)
        r.machine_cpu_time_s = static_cast<double>(m_prev->busy - m0->busy) / static_cast<double>(::sysconf(_SC_CLK_TCK));
    }
    if (usage) {
      r.process_cpu_time_s = usage->cpu_time_s;
    } else if (auto p = process_cpu_now(); p && proc0) {
      double own = *p - *proc0;
      if (opts.pid == 0 && sampler_cpu_s) own -= *sampler_cpu_s;
      r.process_cpu_time_s = std::max(0.0, own);
    }
    if (r.process_cpu_time_s && dur > 0)
      r.process_cpu_utilization = *r.process_cpu_time_s / (dur * std::max(1, cpu.logical_cpus));

    // Peak resident memory.
    if (usage) {
      r.peak_rss_bytes = usage->peak_rss_bytes;
    } else if (opts.pid == 0) {
      auto hwm = read_status_bytes(roots.procfs, 0, "VmHWM");
      if (hwm && !peak_reset) r.warnings.push_back("peak RSS is the process's peak since it started (clear_refs refused)");
      r.peak_rss_bytes = hwm ? hwm : max_rss;
    } else {
      r.peak_rss_bytes = max_rss;
    }

    // Estimates over the whole window: power is affine in utilization.
    bool machine = est && est->basis == EstimateBasis::machine;
    std::optional<double> u;
    bool u_resolved = false;
    auto utilization = [&]() -> std::optional<double> {
      if (u_resolved) return u;
      u_resolved = true;
      u = machine ? r.cpu_utilization : r.process_cpu_utilization;
      if (!u && machine && r.process_cpu_utilization) {
        // A window shorter than one /proc/stat tick: fall back to the process's own
        // CPU time, which getrusage/wait4 measure finely.
        machine = false;
        u = r.process_cpu_utilization;
        r.warnings.push_back("machine CPU utilization unknown over this window (shorter than a clock tick?); "
                             "the CPU estimate uses the process's utilization");
      }
      return u;
    };
    auto no_utilization = [&] {
      return std::string("no ") + (machine ? "machine" : "process") + " CPU utilization to scale the estimate (" +
             roots.procfs + ")";
    };
    bool estimate_used = est_cpu_index || est_ram_index;
    if (est_cpu_index) {
      DomainReading& d = r.domains[*est_cpu_index];
      if (utilization()) {
        d.energy_j = estimate_cpu_power_w(*est, *u) * dur;
        d.avg_power_w = avg(*d.energy_j);
        d.reason += fmt::format("; mean {} CPU utilization {:.3f}", machine ? "machine" : "process", *u);
      } else {
        d.source = Source::unavailable;
        d.in_total = false;
        d.reason = no_utilization();
      }
    }
    if (est_ram_index) {
      DomainReading& d = r.domains[*est_ram_index];
      d.energy_j = estimate_ram_power_w(*est) * dur;
      d.avg_power_w = avg(*d.energy_j);
      d.reason += fmt::format("; {:.2f} GiB installed", est->ram_gb);
    }
    // A counter that failed during the window (perf read refused, zone gone) is
    // replaced by its share of the estimate, so the total still covers the machine.
    for (const Failed& f : failed) {
      DomainReading& d = r.domains[f.domain];
      if (!est || d.kind == Kind::gpu) continue;
      const int n = std::max(1, total_specs[d.kind]);
      const bool needs_cpu = d.kind == Kind::cpu || d.kind == Kind::platform;
      const bool needs_ram = d.kind == Kind::dram || d.kind == Kind::platform;
      if (needs_cpu && !utilization()) {
        d.reason += "; no estimate either: " + no_utilization();
        continue;
      }
      if (needs_ram && est->ram_gb <= 0) {
        d.reason += "; no estimate either: installed memory unknown (" + roots.procfs + "/meminfo)";
        continue;
      }
      double w = (needs_cpu ? estimate_cpu_power_w(*est, *u) : 0.0) + (needs_ram ? estimate_ram_power_w(*est) : 0.0);
      std::string what = d.kind == Kind::platform ? "CPU and RAM estimates" : needs_cpu ? "CPU estimate" : "RAM estimate";
      std::string basis = needs_cpu ? fmt::format(" ({}; mean {} CPU utilization {:.3f})", est->cpu_tdp_origin,
                                                  machine ? "machine" : "process", *u)
                                    : fmt::format(" ({}; {:.2f} GiB installed)", est->ram_origin, est->ram_gb);
      std::string share = n > 1 ? fmt::format("1/{} of the machine's {}", n, what) : "the machine's " + what;
      r.warnings.push_back(fmt::format("{}: the {} counter failed during the window ({}); its energy is {} instead",
                                       d.name, d.meter, f.error, share));
      d.reason = fmt::format("{} counter read failed ({}); estimated as {}{}", d.meter, f.error, share, basis);
      d.source = Source::estimate;
      d.meter = "estimate";
      d.in_total = true;
      d.energy_j = w * dur / n;
      d.avg_power_w = avg(*d.energy_j);
      d.resolution_s = needs_cpu ? std::optional<double>(cpu_estimate_resolution_s()) : std::nullopt;
      estimate_used = true;
    }
    if (estimate_used) r.estimate = est;

    // Short windows: a figure is off by up to one update period (or averaging
    // window) of its source, i.e. by up to resolution / duration of its energy.
    for (DomainReading& d : r.domains) {
      if (!d.in_total || !d.energy_j || !d.resolution_s) continue;
      r.resolution_s = std::max(r.resolution_s.value_or(0.0), *d.resolution_s);
      if (dur > 0 && dur < 10 * *d.resolution_s) {
        std::string msg = fmt::format(
            "{} ({} {}) resolves only {:.3g} s (its update period or averaging window); over this {:.3g} s window "
            "its energy may be off by up to {:.0f} %",
            d.name, d.meter, source_name(d.source), *d.resolution_s, dur, 100.0 * std::min(1.0, *d.resolution_s / dur));
        r.warnings.push_back(msg);
        d.reason += std::string(d.reason.empty() ? "" : "; ") + "window shorter than 10x the source's resolution";
      }
    }

    double total = 0;
    bool any = false;
    int worst = 0;
    for (const DomainReading& d : r.domains) {
      if (!d.in_total || !d.energy_j) continue;
      total += *d.energy_j;
      any = true;
      worst = std::max(worst, trust_rank(d.source));
    }
    if (any) {
      r.total_energy_j = total;
      r.total_avg_power_w = avg(total);
      r.total_source = static_cast<Source>(worst);
    }
    r.sampler_cpu_s = sampler_cpu_s;
    if (sampler_cpu_s && dur > 0) r.sampler_overhead_cpu_fraction = *sampler_cpu_s / dur;
    r.sample_count = sample_count;
    r.samples = std::move(samples);
    samples.clear();
    return r;
  }
};

Session::Session(Options opts) : impl_(std::make_unique<Impl>()) {
  impl_->opts = std::move(opts);
  impl_->discover();
}

Session::~Session() {
  if (impl_->sampler.joinable()) {
    {
      std::lock_guard<std::mutex> lk(impl_->mu);
      impl_->stop_flag = true;
    }
    impl_->cv.notify_all();
    impl_->sampler.join();
  }
}

void Session::start() {
  Impl& m = *impl_;
  ECO_CHECK(m.state != Impl::State::running, "meter session already started");
  for (Impl::Channels& c : m.meters) {
    for (size_t i = 0; i < c.acc.size(); ++i) {
      const ChannelSpec& s = c.backend->channels()[i];
      c.acc[i] = s.source == Source::counter ? EnergyAccumulator::counter(s.joules_per_unit, s.modulus)
                                             : EnergyAccumulator::power();
      c.last_error[i].clear();
    }
  }
  m.samples.clear();
  m.sample_count = 0;
  m.max_rss.reset();
  m.sampler_cpu_s.reset();
  m.stop_flag = false;
  m.peak_reset = m.opts.pid == 0 && reset_peak_rss(m.roots.procfs, 0);
  m.t0 = m.now();
  m.t_prev = m.t0;
  m.m0 = read_machine_times(m.roots.procfs);
  m.m_prev = m.m0;
  m.proc0 = m.process_cpu_now();
  m.proc_prev = m.proc0;
  m.tick(m.t0);
  m.state = Impl::State::running;
  if (m.opts.interval_ms > 0) m.sampler = std::thread([&m] { m.run_sampler(); });
}

void Session::set_pid(pid_t pid) {
  Impl& m = *impl_;
  std::lock_guard<std::mutex> lk(m.mu);
  m.opts.pid = pid;
  m.proc0 = m.process_cpu_now();
  m.proc_prev = m.proc0;
  m.max_rss.reset();
  m.peak_reset = false;
}

void Session::sample() {
  Impl& m = *impl_;
  ECO_CHECK(m.state == Impl::State::running, "meter session: sample() outside a window");
  std::lock_guard<std::mutex> lk(m.mu);
  m.tick(m.now());
}

Reading Session::stop(std::optional<ProcessUsage> final_usage) {
  Impl& m = *impl_;
  ECO_CHECK(m.state == Impl::State::running, "meter session: stop() without start()");
  if (m.sampler.joinable()) {
    {
      std::lock_guard<std::mutex> lk(m.mu);
      m.stop_flag = true;
    }
    m.cv.notify_all();
    m.sampler.join();
  }
  m.state = Impl::State::stopped;
  return m.finish(final_usage);
}

std::vector<DomainReading> Session::describe() const { return impl_->layout; }
const Options& Session::options() const { return impl_->opts; }

}  // namespace ecoinfer::meter
