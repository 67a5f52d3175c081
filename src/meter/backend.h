#pragma once
// What every hardware meter (powercap, perf_event, MSR, NVML) gives the Session:
// a list of channels found at construction, and a read of all of them at once.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "meter/meter.h"

namespace ecoinfer::meter {

struct ChannelSpec {
  std::string name;
  Kind kind = Kind::cpu;
  Source source = Source::counter;  // counter or sampled
  std::string meter;
  bool in_total = true;
  std::string note;  // e.g. "part of package-0"
  double joules_per_unit = 1;  // counters
  uint64_t modulus = 0;        // counters: wrap modulus in raw units; 0 = none
  double min_wrap_time_s = 0;  // shortest time to a wrap at the highest power; 0 = n/a
  double resolution_s = 0;     // update period or averaging window (DomainReading::resolution_s); 0 = none
  std::vector<std::pair<std::string, std::string>> details;
};

inline ChannelSpec counter_channel(std::string name, Kind kind, std::string meter, double joules_per_unit,
                                   uint64_t modulus) {
  ChannelSpec s;
  s.name = std::move(name);
  s.kind = kind;
  s.source = Source::counter;
  s.meter = std::move(meter);
  s.joules_per_unit = joules_per_unit;
  s.modulus = modulus;
  return s;
}

inline DomainReading domain_entry(std::string name, Kind kind, Source source, std::string meter, std::string reason) {
  DomainReading d;
  d.name = std::move(name);
  d.kind = kind;
  d.source = source;
  d.meter = std::move(meter);
  d.reason = std::move(reason);
  return d;
}

inline DomainReading unavailable_domain(std::string name, Kind kind, std::string meter, std::string reason) {
  return domain_entry(std::move(name), kind, Source::unavailable, std::move(meter), std::move(reason));
}

struct ChannelValue {
  bool ok = false;
  uint64_t raw = 0;    // counter channels
  double watts = 0;    // sampled channels
  std::string error;   // when !ok
};

class Backend {
 public:
  virtual ~Backend() = default;
  const std::vector<ChannelSpec>& channels() const { return channels_; }
  // Fills one value per channel.
  virtual void read(std::vector<ChannelValue>& out) = 0;
  // Telemetry that is not energy (GPUs); default none.
  virtual void telemetry(std::vector<GpuTelemetry>& out) {}

 protected:
  std::vector<ChannelSpec> channels_;
};

// The outcome of probing one family of meters: a backend with at least one channel,
// and/or domains that could not be read (with their reasons), and warnings.
struct Probe {
  std::unique_ptr<Backend> backend;
  std::vector<DomainReading> unavailable;
  std::vector<std::string> warnings;
  std::string failure;  // why nothing at all was usable (empty when backend is set)
};

struct Roots {
  std::string sysfs, procfs, devfs;
};

// RAPL energy-status registers update about once a millisecond (measured by Haehnel
// et al., "Measuring energy consumption for short code paths using RAPL", 2012).
inline constexpr double kRaplUpdatePeriodS = 1e-3;

Probe probe_powercap(const Roots& roots);
Probe probe_perf_rapl(const Roots& roots, std::shared_ptr<PerfOps> ops);
Probe probe_msr_rapl(const Roots& roots);
Probe probe_nvml(const std::string& library, const std::optional<std::string>& cuda_visible_devices,
                 const std::optional<std::string>& cuda_device_order);

}  // namespace ecoinfer::meter
