#include "meter/codecarbon_csv.h"

#include <sys/utsname.h>

#include <ctime>
#include <fstream>
#include <map>
#include <random>

#include "core/error.h"
#include "meter/fsread.h"

namespace ecoinfer::meter {

double carbon_intensity_g_per_kwh() {
  return env_number("ECOINFER_CARBON_INTENSITY_G_PER_KWH").value_or(kDefaultCarbonIntensityGPerKwh);
}

const std::vector<std::string>& codecarbon_columns() {
  static const std::vector<std::string> cols = {
      "timestamp",      "project_name",   "run_id",        "duration",        "emissions",
      "emissions_rate", "cpu_power",      "gpu_power",     "ram_power",       "cpu_energy",
      "gpu_energy",     "ram_energy",     "energy_consumed", "country_name",  "country_iso_code",
      "region",         "cloud_provider", "cloud_region",  "os",              "python_version",
      "codecarbon_version", "cpu_count",  "cpu_model",     "gpu_count",       "gpu_model",
      "longitude",      "latitude",       "ram_total_size", "tracking_mode",  "on_cloud",
      "pue"};
  return cols;
}

std::string random_uuid() {
  std::random_device rd;
  std::uniform_int_distribution<int> hex(0, 15);
  const char* digits = "0123456789abcdef";
  std::string s = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx";
  for (char& c : s) {
    if (c == 'x') c = digits[hex(rd)];
    else if (c == 'y') c = digits[8 + (hex(rd) & 3)];
  }
  return s;
}

namespace {

std::string num(double v) { return fmt::format("{}", v); }
std::string opt_num(const std::optional<double>& v) { return v ? num(*v) : std::string(); }

std::string now_local() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

std::string os_string() {
  utsname u{};
  if (::uname(&u) != 0) return {};
  return std::string(u.sysname) + "-" + u.release + "-" + u.machine;
}

// Sum of average power over in_total domains of the given kinds.
std::optional<double> power_of(const Reading& r, std::initializer_list<Kind> kinds) {
  std::optional<double> sum;
  for (const DomainReading& d : r.domains)
    if (d.in_total && d.avg_power_w && std::find(kinds.begin(), kinds.end(), d.kind) != kinds.end())
      sum = sum.value_or(0) + *d.avg_power_w;
  return sum;
}

std::optional<double> energy_kwh(const Reading& r, std::initializer_list<Kind> kinds) {
  std::optional<double> sum;
  for (Kind k : kinds)
    if (auto e = r.energy_of(k)) sum = sum.value_or(0) + *e / 3.6e6;
  return sum;
}

}  // namespace

std::string csv_line(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    const std::string& f = fields[i];
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      out += f;
      continue;
    }
    out += '"';
    for (char c : f) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    out += '"';
  }
  return out;
}

std::vector<std::string> codecarbon_row(const Reading& r, const CsvContext& ctx) {
  std::map<std::string, std::string> f;
  f["timestamp"] = ctx.timestamp.empty() ? now_local() : ctx.timestamp;
  f["project_name"] = ctx.project_name;
  f["run_id"] = ctx.run_id.empty() ? random_uuid() : ctx.run_id;
  f["duration"] = num(r.duration_s);
  std::optional<double> total_kwh;
  if (r.total_energy_j) total_kwh = *r.total_energy_j / 3.6e6;
  if (total_kwh) {
    double kg = *total_kwh * ctx.carbon_intensity_g_per_kwh / 1000.0;
    f["emissions"] = num(kg);
    if (r.duration_s > 0) f["emissions_rate"] = num(kg / r.duration_s);
  }
  f["cpu_power"] = opt_num(power_of(r, {Kind::cpu}));
  f["gpu_power"] = opt_num(power_of(r, {Kind::gpu}));
  f["ram_power"] = opt_num(power_of(r, {Kind::dram, Kind::ram}));
  f["cpu_energy"] = opt_num(energy_kwh(r, {Kind::cpu}));
  f["gpu_energy"] = opt_num(energy_kwh(r, {Kind::gpu}));
  f["ram_energy"] = opt_num(energy_kwh(r, {Kind::dram, Kind::ram}));
  f["energy_consumed"] = opt_num(total_kwh);
  f["os"] = os_string();
  f["cpu_count"] = std::to_string(r.cpu_count);
  f["cpu_model"] = r.cpu_model;
  // GPUs: only when NVML answered; a missing library means "unknown", not zero.
  int gpus = 0;
  bool nvml_answered = false;
  std::map<std::string, int> models;
  for (const DomainReading& d : r.domains) {
    if (d.kind != Kind::gpu || d.meter != "nvml" || d.name == "nvml") continue;
    nvml_answered = true;
    ++gpus;
    for (const auto& [k, v] : d.details)
      if (k == "model") ++models[v];
  }
  if (nvml_answered) {
    f["gpu_count"] = std::to_string(gpus);
    std::string m;
    for (const auto& [name, n] : models) m += (m.empty() ? "" : ", ") + std::to_string(n) + " x " + name;
    f["gpu_model"] = m;
  }
  f["ram_total_size"] = opt_num(r.ram_total_gb);
  f["tracking_mode"] = r.estimate && r.estimate->basis == EstimateBasis::process ? "process" : "machine";
  f["on_cloud"] = "N";
  f["pue"] = "1.0";
  std::vector<std::string> row;
  for (const std::string& c : codecarbon_columns()) row.push_back(f.count(c) ? f[c] : std::string());
  return row;
}

void append_codecarbon_csv(const std::string& path, const Reading& r, const CsvContext& ctx) {
  const std::string header = csv_line(codecarbon_columns());
  FileText existing = read_file(path);
  bool write_header = !existing.ok || existing.text.empty();
  if (!write_header) {
    std::string first = existing.text.substr(0, existing.text.find('\n'));
    if (!first.empty() && first.back() == '\r') first.pop_back();
    ECO_CHECK(first == header, "{}: its header is not CodeCarbon's version 2 header; refusing to append", path);
  }
  std::ofstream out(path, std::ios::app | std::ios::binary);
  ECO_CHECK(out.good(), "{}: cannot open for appending: {}", path, errno_text(errno));
  if (!write_header && existing.text.back() != '\n') out << '\n';
  if (write_header) out << header << '\n';
  out << csv_line(codecarbon_row(r, ctx)) << '\n';
  out.flush();
  ECO_CHECK(out.good(), "{}: write failed", path);
}

}  // namespace ecoinfer::meter
