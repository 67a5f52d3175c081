#include "study/variant.h"

#include <chrono>
#include <cstring>

#include "core/error.h"
#include "data/preprocess.h"
#include "onnx/onnx_export.h"
#include "study/environment.h"
#include "tactics/tactic.h"

namespace ecoinfer::study {

size_t Workload::bytes() const {
  size_t b = 0;
  for (auto& t : batches) b += t.nbytes();
  return b;
}

Workload make_workload(const Preprocessing& pre, const std::string& model, const Dataset& data, int images, int batch) {
  ECO_CHECK(pre.height > 0 && pre.width > 0,
            "{}: the model's input size is not fixed and its preprocessor config does not fix it; a study needs a fixed input size", model);
  ECO_CHECK(data.size() > 0, "the dataset for {} is empty", model);
  const int64_t n_batches = (images + batch - 1) / batch;
  const int64_t total = n_batches * batch;
  const int64_t per_image = int64_t(pre.channels) * pre.height * pre.width;
  Workload w;
  w.batch = batch;
  for (int64_t b = 0; b < n_batches; ++b) {
    Tensor t = Tensor::empty(DType::f32, {batch, pre.channels, pre.height, pre.width});
    for (int64_t j = 0; j < batch; ++j) {
      const int64_t k = b * batch + j;
      // Evenly spread; with more images than the set holds, indices repeat.
      const size_t idx = static_cast<size_t>((k * static_cast<int64_t>(data.size())) / total) % data.size();
      const Image img = data.load(idx, pre.channels);
      preprocess_image(img, pre, t.data<float>() + j * per_image, data.item_name(idx));
    }
    w.batches.push_back(std::move(t));
  }
  return w;
}

ParamCount count_params(const Graph& g) {
  ParamCount c;
  for (auto& [name, t] : g.initializers) {
    if (t.rank() < 1) continue;
    const int64_t n = t.numel();
    int64_t nz = 0;
    switch (t.dtype()) {
      case DType::f32: {
        const float* p = t.data<float>();
        for (int64_t i = 0; i < n; ++i) nz += p[i] != 0.0f;
        break;
      }
      case DType::f64: {
        const double* p = t.data<double>();
        for (int64_t i = 0; i < n; ++i) nz += p[i] != 0.0;
        break;
      }
      case DType::f16:
      case DType::bf16: {
        // Zero is +0 or -0: every bit but the sign clear.
        const auto* p = static_cast<const uint16_t*>(t.raw());
        for (int64_t i = 0; i < n; ++i) nz += (p[i] & 0x7fff) != 0;
        break;
      }
      case DType::i8:
      case DType::u8: {
        const auto* p = static_cast<const uint8_t*>(t.raw());
        for (int64_t i = 0; i < n; ++i) nz += p[i] != 0;
        break;
      }
      default:
        continue;  // integer shape constants and masks are not parameters
    }
    c.params += n;
    c.nonzero += nz;
  }
  return c;
}

std::pair<int64_t, int64_t> count_macs_dense_and_effective(const Graph& original, const Graph& variant, const Shape& one_image) {
  const std::vector<int64_t> per_node = count_macs_per_node(original, {one_image});
  int64_t dense = 0;
  double effective = 0;
  for (size_t i = 0; i < original.nodes.size(); ++i) {
    if (!per_node[i]) continue;
    dense += per_node[i];
    // The node's weight: its largest initializer of rank >= 2 (not the bias). Its density is
    // read from the variant, where pruning zeroed entries under the same name.
    std::string weight;
    int64_t size = 0;
    for (auto& in : original.nodes[i].inputs)
      if (const Tensor* t = original.initializer(in); t && t->rank() >= 2 && t->numel() > size) {
        weight = in;
        size = t->numel();
      }
    double density = 1.0;
    if (const Tensor* w = weight.empty() ? nullptr : variant.initializer(weight); w && w->numel() == size) {
      Graph one;
      one.initializers.emplace("w", *w);
      const ParamCount pc = count_params(one);
      if (pc.params > 0) density = static_cast<double>(pc.nonzero) / static_cast<double>(pc.params);
    }
    effective += static_cast<double>(per_node[i]) * density;
  }
  return {dense, static_cast<int64_t>(effective + 0.5)};
}

meter::Options meter_options(const StudySpec& spec) {
  meter::Options o;
  o.interval_ms = spec.meter.interval_ms;
  o.keep_samples = spec.meter.keep_samples;
  o.basis = spec.meter.estimate_basis == "process" ? meter::EstimateBasis::process : meter::EstimateBasis::machine;
  o.cpu_tdp_w = spec.meter.cpu_tdp_w;
  o.cpu_idle_fraction = spec.meter.cpu_idle_fraction;
  o.ram_w_per_gb = spec.meter.ram_w_per_gb;
  return o;
}

ReadingSummary summarize(const meter::Reading& r) {
  ReadingSummary s;
  s.energy_j = r.total_energy_j;
  s.avg_power_w = r.total_avg_power_w;
  s.source = r.total_energy_j ? meter::source_name(r.total_source) : "unavailable";
  s.cpu_j = r.energy_of(meter::Kind::cpu);
  const auto dram = r.energy_of(meter::Kind::dram), ram = r.energy_of(meter::Kind::ram);
  if (dram || ram) s.ram_j = dram.value_or(0) + ram.value_or(0);
  s.gpu_j = r.energy_of(meter::Kind::gpu);
  auto opt = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  for (const meter::DomainReading& d : r.domains) {
    nlohmann::json details = nlohmann::json::object();
    for (auto& [k, v] : d.details) details[k] = v;
    s.domains.push_back({{"name", d.name},
                         {"kind", meter::kind_name(d.kind)},
                         {"source", meter::source_name(d.source)},
                         {"meter", d.meter},
                         {"energy_j", opt(d.energy_j)},
                         {"avg_power_w", opt(d.avg_power_w)},
                         {"in_total", d.in_total},
                         {"reason", d.reason},
                         {"details", details}});
  }
  if (r.estimate) {
    const meter::EstimateParams& e = *r.estimate;
    s.estimate = {{"cpu_tdp_w", e.cpu_tdp_w},
                  {"cpu_idle_w", e.cpu_idle_w},
                  {"cpu_tdp_origin", e.cpu_tdp_origin},
                  {"ram_w_per_gb", e.ram_w_per_gb},
                  {"ram_gb", e.ram_gb},
                  {"ram_origin", e.ram_origin},
                  {"basis", e.basis == meter::EstimateBasis::process ? "process" : "machine"}};
  }
  for (auto& w : r.warnings) s.warnings.push_back(w);
  return s;
}

PreparedVariant prepare_variant(const ModelEntry& entry, const std::string& tactic, int batch, int threads, const StudySpec& spec,
                                const Tensor& first_batch, VariantRow* row) {
  using Clock = std::chrono::steady_clock;
  PreparedVariant v;
  v.model = entry.name;
  v.tactic = tactic;
  v.batch = batch;
  v.threads = threads;
  // Loading reads the file: not part of any tactic's cost.
  v.bundle = std::make_unique<ModelBundle>(load_model(entry.path, model_flags(entry)));
  const int64_t loaded_bytes = static_cast<int64_t>(v.bundle->model_bytes);
  // The graph as loaded, for the dense MAC count (fused and quantized ops of a variant may not
  // count their MACs the same way). Initializer tensors share storage: a cheap copy.
  const Graph original = row ? v.bundle->graph : Graph{};

  meter::Session session(meter_options(spec));
  session.start();
  const auto t0 = Clock::now();
  std::vector<TacticResult> results;
  try {
    TacticContext tc = apply_tactics(*v.bundle, split_chain(tactic));
    results = std::move(tc.results);
    v.executor = tc.executor;
  } catch (const Error& e) {
    session.stop();
    fail("{}: tactic '{}': {}", entry.path, tactic, e.what());
  }
  const auto t1 = Clock::now();
  v.exec = make_executor(v.bundle->graph, v.executor, RunOptions{threads, false});
  // Per-shape planning, kernel choice and weight packing: the rest of the one-off cost.
  v.exec->prepare({first_batch.shape()});
  const auto t2 = Clock::now();
  const meter::Reading reading = session.stop();

  for (auto& [name, t] : v.bundle->graph.initializers) v.bytes += t.nbytes();
  if (!row) return v;
  VariantRow& r = *row;
  r.model = entry.name;
  r.tactic = tactic;
  r.batch = batch;
  r.tactics_seconds = std::chrono::duration<double>(t1 - t0).count();
  r.first_run_seconds = std::chrono::duration<double>(t2 - t1).count();
  r.prep_seconds = std::chrono::duration<double>(t2 - t0).count();
  const ReadingSummary s = summarize(reading);
  r.prep_energy_j = s.energy_j;
  r.prep_energy_source = s.source;
  r.prep_avg_power_w = s.avg_power_w;
  if (reading.peak_rss_bytes) r.prep_peak_rss_bytes = static_cast<int64_t>(*reading.peak_rss_bytes);
  r.prep_domains = s.domains;
  r.tactic_json = nlohmann::json::array();
  for (auto& t : results) r.tactic_json.push_back({{"tactic", t.spec}, {"seconds", t.seconds}, {"summary", t.summary}});
  const ParamCount pc = count_params(v.bundle->graph);
  r.params = pc.params;
  r.nonzero_params = pc.nonzero;
  Shape one = first_batch.shape();
  one[0] = 1;
  std::tie(r.macs_per_image, r.effective_macs_per_image) = count_macs_dense_and_effective(original, v.bundle->graph, one);
  r.model_bytes = loaded_bytes;
  r.optimized_model_bytes = static_cast<int64_t>(save_onnx_bytes(v.bundle->graph).size());
  r.host = host_name();
  r.created_at = utc_now();
  return v;
}

}  // namespace ecoinfer::study
