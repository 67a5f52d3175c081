#pragma once
// A variant: one model with one tactic chain applied, ready to run at one batch size.
// Preparing it is the tactic's optimization cost and is metered as one window: the tactics
// (passes, pruning, quantization), the executor, and Executor::prepare at the run's input
// shape (the planned executor's per-shape plan, kernel choice, weight packing). What comes
// after that window is the steady state the runs measure.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "data/dataset.h"
#include "meter/meter.h"
#include "model/model_folder.h"
#include "runtime/executor.h"
#include "study/spec.h"
#include "study/store.h"

namespace ecoinfer::study {

// Images decoded and preprocessed once, before any window: batches of the run's input
// shape, so that decoding and disk reads are never measured.
struct Workload {
  int batch = 0;
  std::vector<Tensor> batches;
  int64_t images() const { return static_cast<int64_t>(batches.size()) * batch; }
  size_t bytes() const;
};

// `images` images spread evenly over the dataset (index i·size/images, so that every class
// of a class-folder dataset is represented), rounded up to whole batches.
// `model` names the model in errors.
Workload make_workload(const Preprocessing& pre, const std::string& model, const Dataset& data, int images, int batch);

struct PreparedVariant {
  std::string model, tactic;
  int batch = 0, threads = 0;
  std::unique_ptr<ModelBundle> bundle;  // the executor refers to its graph
  ExecutorKind executor = ExecutorKind::eager;  // the chain's choice (TacticContext::executor)
  std::unique_ptr<Executor> exec;
  size_t bytes = 0;  // what it holds in memory (initializers), for the variant cache
};

// Elements of the weight initializers (floating-point and 8-bit tensors of rank >= 1), and
// how many of them are non-zero.
struct ParamCount {
  int64_t params = 0, nonzero = 0;
};
ParamCount count_params(const Graph& g);

// Multiply-accumulates of one image of the model as loaded: dense, and with every weighted
// node scaled by the density its weight has in the variant (what a sparse kernel would
// have to do). A weight the variant renamed or reshaped (folded) counts as dense.
std::pair<int64_t, int64_t> count_macs_dense_and_effective(const Graph& original, const Graph& variant, const Shape& one_image);

meter::Options meter_options(const StudySpec& spec);

// Loads the model, applies the chain and prepares the executor for `first_batch`'s shape,
// metered; fills the preparation and complexity columns of `row` (not the accuracy).
PreparedVariant prepare_variant(const ModelEntry& entry, const std::string& tactic, int batch, int threads, const StudySpec& spec,
                                const Tensor& first_batch, VariantRow* row);

// Fills a meter reading's figures into the store's form.
struct ReadingSummary {
  std::optional<double> energy_j, avg_power_w, cpu_j, ram_j, gpu_j;
  std::string source = "unavailable";
  nlohmann::json domains = nlohmann::json::array();
  nlohmann::json estimate = nullptr;
  nlohmann::json warnings = nlohmann::json::array();
};
ReadingSummary summarize(const meter::Reading& r);

}  // namespace ecoinfer::study
