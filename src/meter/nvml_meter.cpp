// NVIDIA GPUs through NVML, loaded with dlopen so that nothing is needed at build
// time or on machines without a GPU.
//   energy: nvmlDeviceGetTotalEnergyConsumption (mJ since the driver loaded; Volta
//           and newer) differenced, a backward step counted as a reset. It updates
//           about every 100 ms (measured by Zeus and others; NVML does not state
//           it), which is the domain's resolution_s. Otherwise power is sampled and
//           integrated (`sampled`): the instantaneous field NVML_FI_DEV_POWER_INSTANT
//           through nvmlDeviceGetFieldValues where the driver has it, else
//           nvmlDeviceGetPowerUsage, a 1 s average on Ampere and newer except GA100
//           (NVML_FI_DEV_POWER_AVERAGE's documentation), instantaneous before.
//   which GPUs: CUDA_VISIBLE_DEVICES mapped onto NVML devices (gpu_selection.h).
//           Domains are named by NVML index (gpu-N, as nvidia-smi numbers them).
//   MIG:    NVML's power and energy are the whole board's under MIG; a GPU in MIG
//           mode is metered whole and the domain says so.
//   telemetry each sample: utilization, memory used, power limit, SM and memory
//           clocks, temperature.
#include <dlfcn.h>

#include <cctype>
#include <cstdlib>
#include <cstring>

#include "meter/backend.h"
#include "meter/fsread.h"
#include "meter/gpu_selection.h"
#include "meter/nvml_api.h"

namespace ecoinfer::meter {
namespace {

struct Nvml {
  void* handle = nullptr;
  bool initialised = false;
  nvmlShutdown_fn shutdown = nullptr;
  nvmlErrorString_fn error_string = nullptr;
  nvmlDeviceGetCount_fn get_count = nullptr;
  nvmlDeviceGetHandleByIndex_fn get_handle = nullptr;
  nvmlDeviceGetString_fn get_name = nullptr, get_uuid = nullptr;
  nvmlDeviceGetTotalEnergyConsumption_fn get_energy = nullptr;
  nvmlDeviceGetUInt_fn get_power = nullptr, get_power_limit = nullptr;
  nvmlDeviceGetUtilizationRates_fn get_util = nullptr;
  nvmlDeviceGetMemoryInfo_fn get_memory = nullptr;
  nvmlDeviceGetClockInfo_fn get_clock = nullptr;
  nvmlDeviceGetTemperature_fn get_temperature = nullptr;
  nvmlSystemGetDriverVersion_fn get_driver = nullptr;
  nvmlDeviceGetPciInfo_fn get_pci = nullptr;
  nvmlDeviceGetFieldValues_fn get_fields = nullptr;
  nvmlDeviceGetMigMode_fn get_mig_mode = nullptr;
  nvmlDeviceGetUInt_fn get_max_mig = nullptr, get_arch = nullptr;
  nvmlDeviceGetMigDeviceHandleByIndex_fn get_mig_handle = nullptr;

  ~Nvml() {
    if (initialised && shutdown) shutdown();
    if (handle) ::dlclose(handle);
  }
  std::string err(nvmlReturn_t r) const {
    const char* s = error_string ? error_string(r) : nullptr;
    return (s ? std::string(s) : std::string("error")) + " (NVML code " + std::to_string(r) + ")";
  }
  template <typename F>
  void sym(F& f, const char* name) {
    f = reinterpret_cast<F>(::dlsym(handle, name));
  }
};

// How a GPU's energy is read.
enum class GpuRead { counter, instant_power, power_usage };

struct Gpu {
  unsigned index = 0;
  nvmlDevice_t dev = nullptr;
  GpuRead how = GpuRead::counter;
};

// The instantaneous power field in mW, or the NVML error.
nvmlReturn_t instant_power_mw(const Nvml& nvml, nvmlDevice_t dev, double& mw) {
  if (!nvml.get_fields) return NVML_ERROR_NOT_SUPPORTED;
  nvmlFieldValue_t f{};
  f.fieldId = NVML_FI_DEV_POWER_INSTANT;
  nvmlReturn_t r = nvml.get_fields(dev, 1, &f);
  if (r != NVML_SUCCESS) return r;
  if (f.nvmlReturn != NVML_SUCCESS) return f.nvmlReturn;
  switch (f.valueType) {
    case NVML_VALUE_TYPE_DOUBLE: mw = f.value.dVal; break;
    case NVML_VALUE_TYPE_UNSIGNED_INT: mw = f.value.uiVal; break;
    case NVML_VALUE_TYPE_UNSIGNED_LONG: mw = static_cast<double>(f.value.ulVal); break;
    case NVML_VALUE_TYPE_UNSIGNED_LONG_LONG: mw = static_cast<double>(f.value.ullVal); break;
    case NVML_VALUE_TYPE_SIGNED_LONG_LONG: mw = static_cast<double>(f.value.sllVal); break;
    case NVML_VALUE_TYPE_SIGNED_INT: mw = f.value.siVal; break;
    case NVML_VALUE_TYPE_UNSIGNED_SHORT: mw = f.value.usVal; break;
    default: return NVML_ERROR_UNKNOWN;
  }
  return NVML_SUCCESS;
}

// GA100 (A100, A800, A30) reports instantaneous power through nvmlDeviceGetPowerUsage
// though it is Ampere.
bool is_ga100(const std::string& name) {
  for (const char* m : {"A100", "A800", "A30"}) {
    size_t p = name.find(m);
    if (p != std::string::npos) {
      size_t e = p + std::string(m).size();
      if (e == name.size() || !std::isdigit(static_cast<unsigned char>(name[e]))) return true;
    }
  }
  return false;
}

class NvmlBackend : public Backend {
 public:
  explicit NvmlBackend(std::shared_ptr<Nvml> nvml) : nvml_(std::move(nvml)) {}
  void add(ChannelSpec spec, Gpu gpu) {
    channels_.push_back(std::move(spec));
    gpus_.push_back(gpu);
  }
  void read(std::vector<ChannelValue>& out) override {
    out.assign(gpus_.size(), {});
    for (size_t i = 0; i < gpus_.size(); ++i) {
      nvmlReturn_t r;
      if (gpus_[i].how == GpuRead::counter) {
        unsigned long long mj = 0;
        r = nvml_->get_energy(gpus_[i].dev, &mj);
        out[i].raw = mj;
      } else if (gpus_[i].how == GpuRead::instant_power) {
        double mw = 0;
        r = instant_power_mw(*nvml_, gpus_[i].dev, mw);
        out[i].watts = mw * 1e-3;
      } else {
        unsigned mw = 0;
        r = nvml_->get_power(gpus_[i].dev, &mw);
        out[i].watts = mw * 1e-3;
      }
      out[i].ok = r == NVML_SUCCESS;
      if (!out[i].ok) out[i].error = channels_[i].name + ": " + nvml_->err(r);
    }
  }
  void telemetry(std::vector<GpuTelemetry>& out) override {
    for (size_t i = 0; i < gpus_.size(); ++i) {
      GpuTelemetry t;
      t.name = channels_[i].name;
      nvmlDevice_t d = gpus_[i].dev;
      nvmlUtilization_t u{};
      if (nvml_->get_util && nvml_->get_util(d, &u) == NVML_SUCCESS) t.utilization = u.gpu / 100.0;
      nvmlMemory_t m{};
      if (nvml_->get_memory && nvml_->get_memory(d, &m) == NVML_SUCCESS) t.memory_used_bytes = m.used;
      unsigned v = 0;
      if (nvml_->get_power_limit && nvml_->get_power_limit(d, &v) == NVML_SUCCESS) t.power_limit_w = v * 1e-3;
      if (nvml_->get_clock && nvml_->get_clock(d, NVML_CLOCK_SM, &v) == NVML_SUCCESS) t.sm_clock_mhz = v;
      if (nvml_->get_clock && nvml_->get_clock(d, NVML_CLOCK_MEM, &v) == NVML_SUCCESS) t.mem_clock_mhz = v;
      if (nvml_->get_temperature && nvml_->get_temperature(d, NVML_TEMPERATURE_GPU, &v) == NVML_SUCCESS)
        t.temperature_c = v;
      out.push_back(std::move(t));
    }
  }

 private:
  std::shared_ptr<Nvml> nvml_;
  std::vector<Gpu> gpus_;
};

}  // namespace

Probe probe_nvml(const std::string& library, const std::optional<std::string>& cuda_visible_devices,
                 const std::optional<std::string>& cuda_device_order) {
  Probe probe;
  auto nvml = std::make_shared<Nvml>();
  ::dlerror();
  nvml->handle = ::dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!nvml->handle) {
    const char* e = ::dlerror();
    probe.failure = "NVML library " + library + " could not be loaded (" + (e ? e : "unknown error") +
                    "): no NVIDIA driver on this machine";
    return probe;
  }
  nvmlInit_fn init = nullptr;
  nvml->sym(init, "nvmlInit_v2");
  if (!init) nvml->sym(init, "nvmlInit");
  nvml->sym(nvml->shutdown, "nvmlShutdown");
  nvml->sym(nvml->error_string, "nvmlErrorString");
  nvml->sym(nvml->get_count, "nvmlDeviceGetCount_v2");
  if (!nvml->get_count) nvml->sym(nvml->get_count, "nvmlDeviceGetCount");
  nvml->sym(nvml->get_handle, "nvmlDeviceGetHandleByIndex_v2");
  if (!nvml->get_handle) nvml->sym(nvml->get_handle, "nvmlDeviceGetHandleByIndex");
  nvml->sym(nvml->get_name, "nvmlDeviceGetName");
  nvml->sym(nvml->get_uuid, "nvmlDeviceGetUUID");
  nvml->sym(nvml->get_energy, "nvmlDeviceGetTotalEnergyConsumption");
  nvml->sym(nvml->get_power, "nvmlDeviceGetPowerUsage");
  nvml->sym(nvml->get_power_limit, "nvmlDeviceGetEnforcedPowerLimit");
  nvml->sym(nvml->get_util, "nvmlDeviceGetUtilizationRates");
  nvml->sym(nvml->get_memory, "nvmlDeviceGetMemoryInfo");
  nvml->sym(nvml->get_clock, "nvmlDeviceGetClockInfo");
  nvml->sym(nvml->get_temperature, "nvmlDeviceGetTemperature");
  nvml->sym(nvml->get_driver, "nvmlSystemGetDriverVersion");
  nvml->sym(nvml->get_pci, "nvmlDeviceGetPciInfo_v3");
  if (!nvml->get_pci) nvml->sym(nvml->get_pci, "nvmlDeviceGetPciInfo_v2");
  nvml->sym(nvml->get_fields, "nvmlDeviceGetFieldValues");
  nvml->sym(nvml->get_mig_mode, "nvmlDeviceGetMigMode");
  nvml->sym(nvml->get_max_mig, "nvmlDeviceGetMaxMigDeviceCount");
  nvml->sym(nvml->get_mig_handle, "nvmlDeviceGetMigDeviceHandleByIndex");
  nvml->sym(nvml->get_arch, "nvmlDeviceGetArchitecture");
  if (!init || !nvml->get_count || !nvml->get_handle) {
    probe.failure = library + " lacks nvmlInit/nvmlDeviceGetCount/nvmlDeviceGetHandleByIndex: not an NVML library";
    return probe;
  }
  nvmlReturn_t r = init();
  if (r != NVML_SUCCESS) {
    probe.failure = "nvmlInit failed: " + nvml->err(r);
    return probe;
  }
  nvml->initialised = true;
  unsigned count = 0;
  r = nvml->get_count(&count);
  if (r != NVML_SUCCESS) {
    probe.failure = "nvmlDeviceGetCount failed: " + nvml->err(r);
    return probe;
  }
  std::string driver;
  if (nvml->get_driver) {
    char buf[96] = {};
    if (nvml->get_driver(buf, sizeof buf) == NVML_SUCCESS) driver = buf;
  }

  std::vector<GpuIdentity> ids;
  std::vector<nvmlDevice_t> handles;
  std::vector<std::string> bus_ids;
  for (unsigned i = 0; i < count; ++i) {
    GpuIdentity id;
    id.nvml_index = i;
    nvmlDevice_t dev = nullptr;
    r = nvml->get_handle(i, &dev);
    if (r != NVML_SUCCESS) {
      probe.warnings.push_back("GPU " + std::to_string(i) + ": nvmlDeviceGetHandleByIndex failed: " + nvml->err(r));
      continue;
    }
    char buf[96] = {};
    if (nvml->get_name && nvml->get_name(dev, buf, sizeof buf) == NVML_SUCCESS) id.name = buf;
    char ubuf[96] = {};
    if (nvml->get_uuid && nvml->get_uuid(dev, ubuf, sizeof ubuf) == NVML_SUCCESS) id.uuid = ubuf;
    nvmlPciInfo_t pci{};
    std::string bus_id;
    if (nvml->get_pci && nvml->get_pci(dev, &pci) == NVML_SUCCESS) {
      id.pci = std::array<unsigned, 3>{pci.domain, pci.bus, pci.device};
      bus_id = std::string(pci.busId, strnlen(pci.busId, sizeof pci.busId));
    }
    unsigned current = 0, pending = 0;
    if (nvml->get_mig_mode && nvml->get_mig_mode(dev, &current, &pending) == NVML_SUCCESS &&
        current == NVML_DEVICE_MIG_ENABLE) {
      id.mig_enabled = true;
      unsigned max_mig = 0;
      if (nvml->get_max_mig && nvml->get_mig_handle && nvml->get_uuid && nvml->get_max_mig(dev, &max_mig) == NVML_SUCCESS)
        for (unsigned k = 0; k < max_mig; ++k) {
          nvmlDevice_t mig = nullptr;
          char mbuf[96] = {};
          if (nvml->get_mig_handle(dev, k, &mig) == NVML_SUCCESS && nvml->get_uuid(mig, mbuf, sizeof mbuf) == NVML_SUCCESS)
            id.mig_uuids.push_back(mbuf);
        }
    }
    ids.push_back(std::move(id));
    handles.push_back(dev);
    bus_ids.push_back(std::move(bus_id));
  }

  // Which GPUs the workload can see.
  GpuSelection sel = select_visible_gpus(ids, cuda_visible_devices, cuda_device_order);
  for (std::string& w : sel.warnings) probe.warnings.push_back(std::move(w));
  if (sel.picks.empty()) {
    probe.failure = count == 0 ? std::string("NVML found no GPU")
                               : "no GPU visible (CUDA_VISIBLE_DEVICES='" + cuda_visible_devices.value_or("") +
                                     "' selects none of the " + std::to_string(count) + " GPUs)";
    return probe;
  }

  auto backend = std::make_unique<NvmlBackend>(nvml);
  for (const GpuSelection::Pick& pick : sel.picks) {
    const GpuIdentity& d = ids[pick.gpu];
    nvmlDevice_t dev = handles[pick.gpu];
    ChannelSpec s;
    s.name = "gpu-" + std::to_string(d.nvml_index);
    s.kind = Kind::gpu;
    s.meter = "nvml";
    s.details = {{"model", d.name}, {"uuid", d.uuid}, {"nvml_index", std::to_string(d.nvml_index)}};
    if (!bus_ids[pick.gpu].empty()) s.details.push_back({"pci_bus_id", bus_ids[pick.gpu]});
    if (pick.cuda_index) {
      s.details.push_back({"cuda_index", std::to_string(*pick.cuda_index)});
      s.details.push_back({"cuda_index_mapping", sel.index_mapping});
    }
    if (!driver.empty()) s.details.push_back({"driver", driver});
    std::vector<std::string> notes;
    if (d.mig_enabled) {
      std::string inst = pick.mig_instance.empty() ? std::string("this process's MIG instance")
                                                   : "MIG instance " + pick.mig_instance;
      notes.push_back("MIG mode: NVML meters the whole board, every MIG instance on it, not " + inst);
      probe.warnings.push_back(s.name + " is in MIG mode: its energy is the whole GPU's, shared by all MIG instances" +
                               (cuda_visible_devices ? std::string("") : " (CUDA_VISIBLE_DEVICES unset, as in a MIG "
                                                                         "container: the parent GPU is charged whole)"));
      s.details.push_back({"mig", pick.mig_instance.empty() ? "enabled" : pick.mig_instance});
    }
    Gpu g{d.nvml_index, dev, GpuRead::counter};
    unsigned long long mj = 0;
    nvmlReturn_t re = nvml->get_energy ? nvml->get_energy(dev, &mj) : NVML_ERROR_NOT_SUPPORTED;
    double imw = 0;
    nvmlReturn_t ri = re == NVML_SUCCESS ? NVML_ERROR_NOT_SUPPORTED : instant_power_mw(*nvml, dev, imw);
    unsigned mw = 0;
    nvmlReturn_t rp = nvml->get_power ? nvml->get_power(dev, &mw) : NVML_ERROR_NOT_SUPPORTED;
    if (re == NVML_SUCCESS) {
      s.source = Source::counter;
      s.joules_per_unit = 1e-3;
      s.modulus = 0;  // a backward step is a reset (driver reload)
      s.resolution_s = 0.1;
      s.details.push_back({"power_reading", "energy counter (updates about every 100 ms)"});
    } else if (ri == NVML_SUCCESS) {
      g.how = GpuRead::instant_power;
      s.source = Source::sampled;
      notes.push_back("no energy counter (" + nvml->err(re) +
                      "); instantaneous power (NVML_FI_DEV_POWER_INSTANT) samples integrated");
      s.details.push_back({"power_reading", "instant"});
    } else if (rp == NVML_SUCCESS) {
      g.how = GpuRead::power_usage;
      s.source = Source::sampled;
      unsigned arch = 0;
      bool arch_known = nvml->get_arch && nvml->get_arch(dev, &arch) == NVML_SUCCESS;
      std::string what;
      if (arch_known && (arch < NVML_DEVICE_ARCH_AMPERE || is_ga100(d.name))) {
        what = "instantaneous on this GPU (pre-Ampere or GA100)";
      } else {
        // A 1 s trailing average: the integral lags the load by about half a second.
        s.resolution_s = 1.0;
        what = arch_known ? "a 1 s average on this Ampere-or-newer GPU, so the integral lags by about 0.5 s"
                          : "a 1 s average on Ampere and newer except GA100, instantaneous before";
      }
      notes.push_back("no energy counter (" + nvml->err(re) + ") and no instantaneous power field (" + nvml->err(ri) +
                      "); nvmlDeviceGetPowerUsage samples integrated (" + what + ")");
      s.details.push_back({"power_reading", "average"});
    } else {
      DomainReading u = unavailable_domain(s.name, Kind::gpu, "nvml",
                                           "neither the energy counter (" + nvml->err(re) + ") nor power readings (" +
                                               nvml->err(rp) + ") are supported");
      u.details = s.details;
      probe.unavailable.push_back(std::move(u));
      continue;
    }
    for (const std::string& n : notes) s.note += (s.note.empty() ? "" : "; ") + n;
    backend->add(std::move(s), g);
  }
  if (!backend->channels().empty()) probe.backend = std::move(backend);
  else probe.failure = "no visible GPU reports energy or power";
  return probe;
}

}  // namespace ecoinfer::meter
