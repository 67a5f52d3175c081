// NVIDIA GPUs through NVML, loaded with dlopen so that nothing is needed at build
// time or on machines without a GPU.
//   energy: nvmlDeviceGetTotalEnergyConsumption (mJ since the driver loaded; Volta
//           and newer) differenced, a backward step counted as a reset; otherwise
//           nvmlDeviceGetPowerUsage (mW) sampled and integrated (`sampled`).
//   which GPUs: CUDA_VISIBLE_DEVICES (indices or GPU- UUID prefixes; an entry that
//           matches nothing ends the list, as in CUDA); unset means all. Domains
//           are named by NVML index (gpu-N, as nvidia-smi numbers them).
//   telemetry each sample: utilization, memory used, power limit, SM and memory
//           clocks, temperature.
#include <dlfcn.h>

#include <cstdlib>

#include "meter/backend.h"
#include "meter/fsread.h"
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

struct Gpu {
  unsigned index = 0;
  nvmlDevice_t dev = nullptr;
  bool counter = false;
};

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
      if (gpus_[i].counter) {
        unsigned long long mj = 0;
        r = nvml_->get_energy(gpus_[i].dev, &mj);
        out[i].raw = mj;
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

bool all_digits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

Probe probe_nvml(const std::string& library, const std::optional<std::string>& cuda_visible_devices) {
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

  struct Dev {
    unsigned index;
    nvmlDevice_t dev;
    std::string name, uuid;
  };
  std::vector<Dev> all;
  for (unsigned i = 0; i < count; ++i) {
    Dev d{i, nullptr, "", ""};
    r = nvml->get_handle(i, &d.dev);
    if (r != NVML_SUCCESS) {
      probe.warnings.push_back("GPU " + std::to_string(i) + ": nvmlDeviceGetHandleByIndex failed: " + nvml->err(r));
      continue;
    }
    char buf[96] = {};
    if (nvml->get_name && nvml->get_name(d.dev, buf, sizeof buf) == NVML_SUCCESS) d.name = buf;
    char ubuf[96] = {};
    if (nvml->get_uuid && nvml->get_uuid(d.dev, ubuf, sizeof ubuf) == NVML_SUCCESS) d.uuid = ubuf;
    all.push_back(std::move(d));
  }

  // Which GPUs the workload can see.
  std::vector<Dev> visible;
  if (!cuda_visible_devices) {
    visible = all;
  } else {
    bool by_index = false;
    for (const std::string& raw : split(*cuda_visible_devices, ',')) {
      std::string tok = trim(raw);
      const Dev* hit = nullptr;
      if (all_digits(tok)) {
        by_index = true;
        for (const Dev& d : all)
          if (std::to_string(d.index) == tok) hit = &d;
      } else if (tok.rfind("GPU-", 0) == 0) {
        for (const Dev& d : all)
          if (!d.uuid.empty() && d.uuid.rfind(tok, 0) == 0) hit = &d;
      } else if (tok.rfind("MIG-", 0) == 0) {
        probe.warnings.push_back("CUDA_VISIBLE_DEVICES entry " + tok +
                                 " is a MIG instance: NVML does not meter MIG instances' energy; ignored");
      }
      if (!hit) break;  // CUDA ignores this entry and everything after it
      bool dup = false;
      for (const Dev& v : visible) dup |= v.index == hit->index;
      if (!dup) visible.push_back(*hit);
    }
    const char* order = std::getenv("CUDA_DEVICE_ORDER");
    if (by_index && all.size() > 1 && !(order && std::string(order) == "PCI_BUS_ID"))
      probe.warnings.push_back(
          "CUDA_VISIBLE_DEVICES lists indices but CUDA_DEVICE_ORDER is not PCI_BUS_ID: CUDA may number GPUs "
          "fastest-first while NVML (and this meter) numbers them by PCI bus");
  }
  if (visible.empty()) {
    probe.failure = count == 0 ? std::string("NVML found no GPU")
                               : "no GPU visible (CUDA_VISIBLE_DEVICES='" + cuda_visible_devices.value_or("") +
                                     "' selects none of the " + std::to_string(count) + " GPUs)";
    return probe;
  }

  auto backend = std::make_unique<NvmlBackend>(nvml);
  for (const Dev& d : visible) {
    ChannelSpec s;
    s.name = "gpu-" + std::to_string(d.index);
    s.kind = Kind::gpu;
    s.meter = "nvml";
    s.details = {{"model", d.name}, {"uuid", d.uuid}, {"nvml_index", std::to_string(d.index)}};
    if (!driver.empty()) s.details.push_back({"driver", driver});
    Gpu g{d.index, d.dev, false};
    unsigned long long mj = 0;
    nvmlReturn_t re = nvml->get_energy ? nvml->get_energy(d.dev, &mj) : NVML_ERROR_NOT_SUPPORTED;
    unsigned mw = 0;
    nvmlReturn_t rp = nvml->get_power ? nvml->get_power(d.dev, &mw) : NVML_ERROR_NOT_SUPPORTED;
    if (re == NVML_SUCCESS) {
      g.counter = true;
      s.source = Source::counter;
      s.joules_per_unit = 1e-3;
      s.modulus = 0;  // a backward step is a reset (driver reload)
    } else if (rp == NVML_SUCCESS) {
      s.source = Source::sampled;
      s.note = "no energy counter (" + nvml->err(re) +
               "); power samples integrated (a 1 s average on Ampere and newer, instantaneous before)";
    } else {
      DomainReading u = unavailable_domain(s.name, Kind::gpu, "nvml",
                                           "neither the energy counter (" + nvml->err(re) + ") nor power readings (" +
                                               nvml->err(rp) + ") are supported");
      u.details = s.details;
      probe.unavailable.push_back(std::move(u));
      continue;
    }
    backend->add(std::move(s), g);
  }
  if (!backend->channels().empty()) probe.backend = std::move(backend);
  else probe.failure = "no visible GPU reports energy or power";
  return probe;
}

}  // namespace ecoinfer::meter
