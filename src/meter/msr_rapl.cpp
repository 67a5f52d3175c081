// RAPL through the model-specific registers, read from <devfs>/cpu/N/msr (needs
// root and the msr module); the last resort when powercap and perf_event fail.
//   Intel: MSR_RAPL_POWER_UNIT 0x606 (energy unit 1/2^ESU J, ESU = bits 12:8),
//          MSR_PKG_ENERGY_STATUS 0x611, MSR_DRAM_ENERGY_STATUS 0x619. Haswell-EP to
//          Ice Lake-SP servers and Xeon Phi count DRAM in a fixed unit of 2^-16 J
//          whatever 0x606 says; Sapphire Rapids and later use 0x606's unit.
// A counter that reads 0 is no domain: the kernel drops such domains
// (rapl_check_domain in drivers/powercap/intel_rapl_common.c), e.g. 0x619 on parts
// without DRAM RAPL.
//   AMD (family 17h and later) and Hygon: 0xC0010299 unit, 0xC001029B package.
// Counters are 32 bits wide and wrap at 2^32 units. One CPU is read per package.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cmath>

#include "meter/backend.h"
#include "meter/cpu_info.h"
#include "meter/cpu_topology.h"
#include "meter/fsread.h"

namespace ecoinfer::meter {
namespace {

constexpr uint32_t kIntelUnit = 0x606, kIntelPkg = 0x611, kIntelDram = 0x619;
constexpr uint32_t kAmdUnit = 0xC0010299, kAmdPkg = 0xC001029B;

// Intel models whose DRAM domain counts in 2^-16 J: the kernel's
// rapl_defaults_hsw_server (drivers/powercap/intel_rapl_common.c) and perf's
// model_hsx/model_knl (arch/x86/events/rapl.c). Sapphire Rapids (0x8F), Emerald
// Rapids (0xCF) and Granite Rapids (0xAD, 0xAE) are absent on purpose: they use
// rapl_defaults_spr_server / model_spr, whose DRAM unit is 0x606's since
// "powercap: intel_rapl: Use standard Energy Unit for SPR Dram RAPL domain" and
// "perf/x86/rapl: Use standard Energy Unit for SPR Dram RAPL domain" (Linux 6.1,
// backported to stable kernels; turbostat 2022.10.04 likewise).
// Broadwell-DE (0x56) is in perf's list but not powercap's; we follow perf.
bool intel_dram_fixed_unit(int family, int model) {
  if (family != 6) return false;
  switch (model) {
    case 0x3F: case 0x4F: case 0x56: case 0x55:  // Haswell-X, Broadwell-X, Broadwell-DE, Skylake/Cascade/Cooper Lake-X
    case 0x6A: case 0x6C:                        // Ice Lake-X, Ice Lake-D
    case 0x57: case 0x85:                        // Xeon Phi Knights Landing, Knights Mill
      return true;
    default:
      return false;
  }
}

// Sets errno (EIO for a short read) when it fails.
bool read_msr(int fd, uint32_t reg, uint64_t& value) {
  ssize_t n = ::pread(fd, &value, sizeof value, static_cast<off_t>(reg));
  if (n == static_cast<ssize_t>(sizeof value)) return true;
  if (n >= 0) errno = EIO;
  return false;
}

class MsrBackend : public Backend {
 public:
  ~MsrBackend() override {
    for (int fd : owned_) ::close(fd);
  }
  void own(int fd) { owned_.push_back(fd); }
  void add(ChannelSpec spec, int fd, uint32_t reg) {
    channels_.push_back(std::move(spec));
    regs_.push_back({fd, reg});
  }
  void read(std::vector<ChannelValue>& out) override {
    out.assign(regs_.size(), {});
    for (size_t i = 0; i < regs_.size(); ++i) {
      uint64_t v = 0;
      out[i].ok = read_msr(regs_[i].first, regs_[i].second, v);
      out[i].raw = v & 0xFFFFFFFFull;
      if (!out[i].ok) out[i].error = "MSR read failed: " + errno_text(errno);
    }
  }

 private:
  std::vector<int> owned_;
  std::vector<std::pair<int, uint32_t>> regs_;
};

}  // namespace

Probe probe_msr_rapl(const Roots& roots) {
  Probe probe;
  CpuInfo cpu = read_cpu_info(roots.procfs);
  bool intel = cpu.vendor == "GenuineIntel";
  bool amd = (cpu.vendor == "AuthenticAMD" && cpu.family >= 0x17) || cpu.vendor == "HygonGenuine";
  if (!intel && !amd) {
    probe.failure = "no RAPL MSRs known for CPU vendor '" + cpu.vendor + "' family " + std::to_string(cpu.family);
    return probe;
  }
  auto backend = std::make_unique<MsrBackend>();
  for (auto pkg_cpu : cpu_per_package(roots.sysfs)) {
    // Plain variables, not structured bindings: clang 14 cannot capture those in lambdas.
    const auto pkg = pkg_cpu.first;
    const auto c = pkg_cpu.second;
    std::string path = roots.devfs + "/cpu/" + std::to_string(c) + "/msr";
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      int err = errno;
      std::string why = path + ": " + errno_text(err);
      if (err == ENOENT) why += " (msr module not loaded, or no such device)";
      if (err == EACCES || err == EPERM) why += " (MSRs are readable by root only, with CAP_SYS_RAWIO)";
      probe.failure = why;
      return probe;
    }
    backend->own(fd);
    uint64_t unit = 0;
    uint32_t unit_reg = intel ? kIntelUnit : kAmdUnit;
    if (!read_msr(fd, unit_reg, unit)) {
      probe.failure = path + ": RAPL unit register unreadable: " + errno_text(errno) + " (no RAPL on this CPU or VM)";
      return probe;
    }
    double joules = std::ldexp(1.0, -static_cast<int>((unit >> 8) & 0x1F));
    std::string n = std::to_string(pkg);
    auto spec = [&](std::string name, Kind kind, double jpu, uint32_t reg) {
      ChannelSpec s = counter_channel(std::move(name), kind, "msr", jpu, 1ull << 32);
      s.min_wrap_time_s = std::ldexp(1.0, 32) * jpu / 1000.0;  // at 1 kW
      s.resolution_s = kRaplUpdatePeriodS;
      char hex[16];
      std::snprintf(hex, sizeof hex, "0x%X", reg);
      s.details = {{"msr", hex}, {"cpu", std::to_string(c)}};
      return s;
    };
    uint64_t v = 0;
    uint32_t pkg_reg = intel ? kIntelPkg : kAmdPkg;
    if (!read_msr(fd, pkg_reg, v)) {
      probe.failure = path + ": package energy MSR unreadable: " + errno_text(errno);
      return probe;
    }
    backend->add(spec("package-" + n, Kind::cpu, joules, pkg_reg), fd, pkg_reg);
    if (intel) {
      bool fixed = intel_dram_fixed_unit(cpu.family, cpu.model);
      double dram_j = fixed ? std::ldexp(1.0, -16) : joules;
      bool dram_read = read_msr(fd, kIntelDram, v);
      int dram_err = errno;
      if (dram_read && (v & 0xFFFFFFFFull) != 0) {
        ChannelSpec s = spec("dram-" + n, Kind::dram, dram_j, kIntelDram);
        s.details.push_back({"dram_energy_unit", fixed ? "fixed 2^-16 J (Haswell-EP to Ice Lake-SP server quirk)"
                                                       : "from MSR_RAPL_POWER_UNIT 0x606"});
        backend->add(std::move(s), fd, kIntelDram);
      } else if (dram_read) {
        probe.unavailable.push_back(unavailable_domain(
            "dram-" + n, Kind::dram, "msr",
            path + ": DRAM energy MSR 0x619 reads 0: no DRAM domain on this part (the kernel drops RAPL domains "
                   "whose counter reads 0)"));
      } else {
        probe.unavailable.push_back(unavailable_domain(
            "dram-" + n, Kind::dram, "msr",
            path + ": DRAM energy MSR 0x619 unreadable: " + errno_text(dram_err) + " (not on this model)"));
      }
    }
  }
  probe.backend = std::move(backend);
  return probe;
}

}  // namespace ecoinfer::meter
