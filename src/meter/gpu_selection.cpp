#include "meter/gpu_selection.h"

#include <algorithm>
#include <numeric>

#include "meter/fsread.h"

namespace ecoinfer::meter {
namespace {

bool all_digits(const std::string& s) {
  return !s.empty() && s.size() < 6 && s.find_first_not_of("0123456789") == std::string::npos;
}

// CUDA's numbering as indices into `gpus`, and how sure that is.
std::vector<size_t> cuda_order(const std::vector<GpuIdentity>& gpus, const std::optional<std::string>& device_order,
                               std::string& how, std::vector<std::string>& warnings) {
  std::vector<size_t> order(gpus.size());
  std::iota(order.begin(), order.end(), 0);
  bool pci_known = std::all_of(gpus.begin(), gpus.end(), [](const GpuIdentity& g) { return g.pci.has_value(); });
  if (!pci_known) {
    how = "NVML index (PCI bus ids unavailable)";
    if (gpus.size() > 1)
      warnings.push_back("CUDA_VISIBLE_DEVICES lists indices but NVML gives no PCI bus ids: CUDA indices are taken as "
                         "NVML indices, which NVML's documentation says may not correlate; use GPU UUIDs");
    return order;
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return *gpus[a].pci < *gpus[b].pci; });
  const std::string mode = device_order.value_or("FASTEST_FIRST");
  if (mode == "PCI_BUS_ID") {
    how = "PCI bus order (CUDA_DEVICE_ORDER=PCI_BUS_ID)";
    return order;
  }
  bool identical = std::all_of(gpus.begin(), gpus.end(), [&](const GpuIdentity& g) { return g.name == gpus[0].name; });
  if (identical) {
    how = "PCI bus order (CUDA_DEVICE_ORDER=" + mode +
          " with identical GPUs, which CUDA orders by PCI bus in practice though it does not promise it)";
  } else {
    how = "PCI bus order, uncertain (CUDA_DEVICE_ORDER=" + mode + " with different GPU models: CUDA puts the one it "
          "guesses fastest first)";
    warnings.push_back("CUDA_VISIBLE_DEVICES lists indices and CUDA_DEVICE_ORDER is " + mode +
                       " on a machine with different GPU models: CUDA may number them differently from the PCI bus "
                       "order assumed here; set CUDA_DEVICE_ORDER=PCI_BUS_ID or use GPU UUIDs");
  }
  return order;
}

}  // namespace

GpuSelection select_visible_gpus(const std::vector<GpuIdentity>& gpus, const std::optional<std::string>& visible,
                                 const std::optional<std::string>& device_order) {
  GpuSelection sel;
  if (!visible) {
    for (size_t i = 0; i < gpus.size(); ++i) sel.picks.push_back({i, std::nullopt, ""});
    return sel;
  }
  std::vector<size_t> order;
  auto add = [&](size_t g, std::optional<int> cuda, std::string mig) {
    for (GpuSelection::Pick& p : sel.picks)
      if (p.gpu == g) {
        if (p.mig_instance.empty()) p.mig_instance = mig;
        return;
      }
    sel.picks.push_back({g, cuda, std::move(mig)});
  };
  for (const std::string& raw : split(*visible, ',')) {
    std::string tok = trim(raw);
    std::optional<size_t> hit;
    std::optional<int> cuda;
    std::string mig;
    if (all_digits(tok)) {
      if (order.empty()) order = cuda_order(gpus, device_order, sel.index_mapping, sel.warnings);
      cuda = std::stoi(tok);
      if (static_cast<size_t>(*cuda) < order.size()) hit = order[*cuda];
    } else if (tok.rfind("GPU-", 0) == 0) {
      for (size_t i = 0; i < gpus.size() && !hit; ++i)
        if (!gpus[i].uuid.empty() && gpus[i].uuid.rfind(tok, 0) == 0) hit = i;
    } else if (tok.rfind("MIG-", 0) == 0) {
      mig = tok;
      if (tok.rfind("MIG-GPU-", 0) == 0) {
        // MIG-GPU-<parent uuid>/<gi>/<ci>
        std::string parent = tok.substr(4, tok.find('/') - 4);
        for (size_t i = 0; i < gpus.size() && !hit; ++i)
          if (gpus[i].uuid == parent) hit = i;
      } else {
        for (size_t i = 0; i < gpus.size() && !hit; ++i)
          for (const std::string& u : gpus[i].mig_uuids)
            if (u.rfind(tok, 0) == 0) hit = i;
      }
      if (!hit) {
        // Not necessarily invalid for CUDA (NVML may hide the instance list): skip
        // this entry and go on rather than drop the rest.
        sel.warnings.push_back("CUDA_VISIBLE_DEVICES entry " + tok +
                               " is a MIG instance that NVML does not list under any GPU; it is not metered");
        continue;
      }
    }
    if (!hit) break;  // CUDA ignores this entry and everything after it
    add(*hit, cuda, mig);
  }
  return sel;
}

}  // namespace ecoinfer::meter
