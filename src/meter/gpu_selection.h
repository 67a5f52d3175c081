#pragma once
// Which NVML devices a CUDA job sees: CUDA_VISIBLE_DEVICES read the way CUDA reads
// it, mapped onto NVML devices by PCI bus id or UUID. NVML's own numbering need not
// match CUDA's (nvmlDeviceGetHandleByIndex: "the NVML index may not correlate with
// other APIs, such as the CUDA device index"):
//   indices   CUDA numbers GPUs by PCI bus id when CUDA_DEVICE_ORDER=PCI_BUS_ID;
//             by default (FASTEST_FIRST) the fastest GPU comes first and the rest
//             are "unspecified" (CUDA C Programming Guide, CUDA environment
//             variables). With identical GPUs the order is the PCI bus order in
//             practice; with mixed models the mapping is uncertain and said so.
//   GPU-...   a UUID prefix, matched against every GPU.
//   MIG-...   a MIG instance (MIG-<uuid>, or MIG-GPU-<uuid>/<gi>/<ci> before driver
//             R470): resolved to its parent GPU, whose whole board NVML meters.
// An entry that matches nothing ends the list, as in CUDA; an unset variable means
// every GPU, an empty one none.
#include <array>
#include <optional>
#include <string>
#include <vector>

namespace ecoinfer::meter {

struct GpuIdentity {
  unsigned nvml_index = 0;
  std::string name, uuid;
  std::optional<std::array<unsigned, 3>> pci;  // domain, bus, device
  bool mig_enabled = false;
  std::vector<std::string> mig_uuids;  // its MIG instances' UUIDs
};

struct GpuSelection {
  struct Pick {
    size_t gpu = 0;                 // index into the identities
    std::optional<int> cuda_index;  // when the variable named it by index
    std::string mig_instance;       // when it named a MIG instance of this GPU
  };
  std::vector<Pick> picks;
  std::vector<std::string> warnings;
  std::string index_mapping;  // how CUDA indices map to NVML devices ("" when no index was given)
};

GpuSelection select_visible_gpus(const std::vector<GpuIdentity>& gpus, const std::optional<std::string>& visible,
                                 const std::optional<std::string>& device_order);

}  // namespace ecoinfer::meter
