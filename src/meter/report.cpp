#include "meter/report.h"

#include <algorithm>
#include <array>
#include <fmt/format.h>

namespace ecoinfer::meter {

using nlohmann::json;

const char* source_name(Source s) {
  switch (s) {
    case Source::counter: return "counter";
    case Source::sampled: return "sampled";
    case Source::estimate: return "estimate";
    case Source::unavailable: return "unavailable";
  }
  return "unavailable";
}

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::cpu: return "cpu";
    case Kind::dram: return "dram";
    case Kind::gpu: return "gpu";
    case Kind::ram: return "ram";
    case Kind::platform: return "platform";
  }
  return "cpu";
}

const DomainReading* Reading::find(const std::string& name) const {
  for (const DomainReading& d : domains)
    if (d.name == name) return &d;
  return nullptr;
}

std::optional<double> Reading::energy_of(Kind k) const {
  std::optional<double> sum;
  for (const DomainReading& d : domains)
    if (d.kind == k && d.in_total && d.energy_j) sum = sum.value_or(0) + *d.energy_j;
  return sum;
}

namespace {

template <typename T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json series_json(const Reading& r) {
  json s;
  json t = json::array(), cu = json::array(), pu = json::array(), rss = json::array();
  json power = json::object();
  json gpus = json::object();
  for (const DomainReading& d : r.domains)
    if (d.source != Source::unavailable) power[d.name] = json::array();
  for (const Sample& x : r.samples) {
    t.push_back(x.t_s);
    cu.push_back(opt(x.cpu_utilization));
    pu.push_back(opt(x.process_cpu_utilization));
    rss.push_back(opt(x.rss_bytes));
    for (size_t i = 0; i < r.domains.size() && i < x.power_w.size(); ++i)
      if (power.contains(r.domains[i].name)) power[r.domains[i].name].push_back(opt(x.power_w[i]));
    for (const GpuTelemetry& g : x.gpus) {
      json& o = gpus[g.name];
      o["utilization"].push_back(opt(g.utilization));
      o["memory_used_bytes"].push_back(opt(g.memory_used_bytes));
      o["power_limit_w"].push_back(opt(g.power_limit_w));
      o["sm_clock_mhz"].push_back(opt(g.sm_clock_mhz));
      o["mem_clock_mhz"].push_back(opt(g.mem_clock_mhz));
      o["temperature_c"].push_back(opt(g.temperature_c));
    }
  }
  s["t_s"] = t;
  s["cpu_utilization"] = cu;
  s["process_cpu_utilization"] = pu;
  s["rss_bytes"] = rss;
  s["power_w"] = power;
  s["gpus"] = gpus;
  return s;
}

}  // namespace

json to_json(const Reading& r, bool series) {
  json j;
  j["duration_s"] = r.duration_s;
  json domains = json::array();
  for (const DomainReading& d : r.domains) {
    json details = json::object();
    for (const auto& [k, v] : d.details) details[k] = v;
    domains.push_back({{"name", d.name},
                       {"kind", kind_name(d.kind)},
                       {"source", source_name(d.source)},
                       {"meter", d.meter},
                       {"energy_j", opt(d.energy_j)},
                       {"avg_power_w", opt(d.avg_power_w)},
                       {"in_total", d.in_total},
                       {"reason", d.reason},
                       {"details", details},
                       {"resolution_s", opt(d.resolution_s)}});
  }
  j["domains"] = domains;
  j["total_energy_j"] = opt(r.total_energy_j);
  j["total_avg_power_w"] = opt(r.total_avg_power_w);
  j["total_source"] = source_name(r.total_source);
  j["resolution_s"] = opt(r.resolution_s);
  j["cpu_utilization"] = opt(r.cpu_utilization);
  j["machine_cpu_time_s"] = opt(r.machine_cpu_time_s);
  j["process_cpu_utilization"] = opt(r.process_cpu_utilization);
  j["process_cpu_time_s"] = opt(r.process_cpu_time_s);
  j["peak_rss_bytes"] = opt(r.peak_rss_bytes);
  j["cpu_count"] = r.cpu_count;
  j["cpu_model"] = r.cpu_model;
  j["ram_total_gb"] = opt(r.ram_total_gb);
  if (r.estimate) {
    const EstimateParams& e = *r.estimate;
    j["estimate"] = {{"cpu_tdp_w", e.cpu_tdp_w},
                     {"cpu_idle_w", e.cpu_idle_w},
                     {"cpu_tdp_origin", e.cpu_tdp_origin},
                     {"ram_w_per_gb", e.ram_w_per_gb},
                     {"ram_gb", e.ram_gb},
                     {"ram_origin", e.ram_origin},
                     {"basis", e.basis == EstimateBasis::machine ? "machine" : "process"}};
  } else {
    j["estimate"] = nullptr;
  }
  j["sampler_interval_ms"] = r.interval_ms;
  j["sample_count"] = r.sample_count;
  j["sampler_cpu_s"] = opt(r.sampler_cpu_s);
  j["sampler_overhead_cpu_fraction"] = opt(r.sampler_overhead_cpu_fraction);
  j["warnings"] = r.warnings;
  if (series) j["series"] = series_json(r);
  return j;
}

std::string format_energy(double joules) {
  if (joules >= 3.6e6) return fmt::format("{:.3f} kWh", joules / 3.6e6);
  if (joules >= 1000) return fmt::format("{:.1f} J", joules);
  return fmt::format("{:.3f} J", joules);
}

std::string format_bytes(uint64_t b) {
  double v = static_cast<double>(b);
  if (v >= 1024.0 * 1024 * 1024) return fmt::format("{:.2f} GiB", v / (1024.0 * 1024 * 1024));
  if (v >= 1024.0 * 1024) return fmt::format("{:.1f} MiB", v / (1024.0 * 1024));
  return fmt::format("{:.1f} KiB", v / 1024.0);
}

std::string format_table(const Reading& r) {
  const std::string na = "unavailable";
  auto pct = [&](const std::optional<double>& u) { return u ? fmt::format("{:.1f} %", *u * 100) : na; };
  std::string out;
  auto line = [&](const std::string& k, const std::string& v) { out += fmt::format("{:<18}{}\n", k, v); };
  line("duration", fmt::format("{:.3f} s", r.duration_s));
  line("total energy", r.total_energy_j ? fmt::format("{} ({}), average {:.2f} W", format_energy(*r.total_energy_j),
                                                      source_name(r.total_source), r.total_avg_power_w.value_or(0))
                                        : na + " (no domain could be measured or estimated)");
  line("cpu utilization", pct(r.cpu_utilization) + fmt::format(" of {} logical CPUs (machine); process ", r.cpu_count) +
                              pct(r.process_cpu_utilization) +
                              (r.process_cpu_time_s ? fmt::format(" ({:.3f} s CPU)", *r.process_cpu_time_s) : ""));
  line("peak memory", r.peak_rss_bytes ? format_bytes(*r.peak_rss_bytes) + " resident" : na);
  line("sampler", r.interval_ms > 0
                      ? fmt::format("every {} ms, {} samples, overhead {}", r.interval_ms, r.sample_count,
                                    r.sampler_overhead_cpu_fraction
                                        ? fmt::format("{:.3f} % of one core", *r.sampler_overhead_cpu_fraction * 100)
                                        : na)
                      : std::string("off (start and stop readings only)"));
  out += "\n";

  std::vector<std::array<std::string, 6>> rows;
  rows.push_back({"domain", "kind", "source", "energy", "avg power", "note"});
  for (const DomainReading& d : r.domains) {
    std::string note = d.reason;
    if (!d.in_total && d.source != Source::unavailable && note.find("not added") == std::string::npos)
      note = "not in total; " + note;
    rows.push_back({d.name, kind_name(d.kind), source_name(d.source), d.energy_j ? format_energy(*d.energy_j) : na,
                    d.avg_power_w ? fmt::format("{:.2f} W", *d.avg_power_w) : na, note});
  }
  std::array<size_t, 5> w{};
  for (const auto& row : rows)
    for (size_t c = 0; c < 5; ++c) w[c] = std::max(w[c], row[c].size());
  for (const auto& row : rows) {
    std::string l;
    for (size_t c = 0; c < 5; ++c) l += fmt::format("{:<{}}  ", row[c], w[c]);
    l += row[5];
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  }
  for (const std::string& wmsg : r.warnings) out += "warning: " + wmsg + "\n";
  return out;
}

}  // namespace ecoinfer::meter
