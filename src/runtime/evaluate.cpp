#include "runtime/evaluate.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <numeric>

#include "core/error.h"
#include "data/batch_loader.h"
#include "data/stratified_subset.h"

namespace ecoinfer {

namespace {
using Clock = std::chrono::steady_clock;
double secs(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// The batch padded with zero images to `rows` (a fixed-batch model's last batch).
Tensor zero_padded(const Tensor& x, int64_t rows) {
  Shape s = x.shape();
  s[0] = rows;
  Tensor t = Tensor::zeros(x.dtype(), s);
  std::memcpy(t.raw(), x.raw(), x.nbytes());
  return t;
}

// A dataset whose class folders were matched to id2label by name cannot tell apart two
// classes that share a name (the first would get every image of both): refuse it.
void check_unambiguous_labels(const ModelBundle& model, const Dataset& data) {
  if (data.label_source() != "id2label") return;
  const auto dups = duplicate_labels(model.labels);
  if (dups.empty()) return;
  std::map<int, size_t> later_of;
  for (auto [first, later] : dups) later_of.emplace(static_cast<int>(first), later);
  for (size_t i = 0; i < data.size(); ++i) {
    auto it = later_of.find(data.label(i));
    ECO_CHECK(it == later_of.end(), "{}: id2label names classes {} and {} both '{}'; images in a folder of that name "
              "cannot be matched to one class (make the labels unique)",
              (model.path / "config.json").string(), it->first, it->second, model.labels[it->second]);
  }
}

}  // namespace

std::vector<int> top_k(const float* row, int n, int k) {
  std::vector<int> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  k = std::min(k, n);
  std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), [&](int a, int b) {
    const bool na = std::isnan(row[a]), nb = std::isnan(row[b]);
    if (na || nb) return na == nb ? a < b : nb;
    return row[a] > row[b] || (row[a] == row[b] && a < b);
  });
  idx.resize(k);
  return idx;
}

void score_logits(const Tensor& logits, const std::vector<int>& labels, EvalResult& r) {
  ECO_CHECK(logits.dtype() == DType::f32 && logits.rank() >= 2 && logits.dim(0) >= static_cast<int64_t>(labels.size()),
            "logits {} are not [batch, classes] for {} labels", shape_str(logits.shape()), labels.size());
  const int classes = static_cast<int>(logits.numel() / logits.dim(0));
  for (size_t i = 0; i < labels.size(); ++i) {
    ECO_CHECK(labels[i] >= 0 && labels[i] < classes, "label {} is outside the model's {} classes", labels[i], classes);
    const float* row = logits.data<float>() + static_cast<int64_t>(i) * classes;
    // A row with a NaN has no prediction: it scores as wrong and is counted apart.
    if (std::any_of(row, row + classes, [](float v) { return std::isnan(v); })) {
      ++r.nan_rows;
      continue;
    }
    auto top = top_k(row, classes, 5);
    if (top[0] == labels[i]) ++r.correct1;
    if (std::find(top.begin(), top.end(), labels[i]) != top.end()) ++r.correct5;
  }
  r.images += static_cast<int64_t>(labels.size());
  r.top1 = r.images ? double(r.correct1) / r.images : 0;
  r.top5 = r.images ? double(r.correct5) / r.images : 0;
}

EvalResult evaluate(const ModelBundle& model, const Dataset& data, const EvalOptions& opts) {
  std::unique_ptr<Executor> exec = make_executor(model.graph, opts.executor, RunOptions{opts.threads, opts.reference_only});
  return evaluate(*exec, model, data, opts);
}

EvalResult evaluate(Executor& exec, const ModelBundle& model, const Dataset& data, const EvalOptions& opts) {
  const Preprocessing& pre = model.pre;
  ECO_CHECK(opts.batch >= 1, "--batch must be at least 1");
  ECO_CHECK(opts.data_workers >= 1, "--data-workers must be at least 1");
  ECO_CHECK(pre.height > 0 && pre.width > 0,
            "{}: the model's input height and width are dynamic and preprocessor_config.json does not fix them "
            "(an exact 'size' or a center crop); cannot batch images",
            model.onnx_path.string());
  // A model exported with a fixed batch (often 1) takes exactly that many images per run.
  const ValueInfo& in0 = model.graph.inputs.at(0);
  const int64_t fixed_batch = in0.has_shape && !in0.shape.empty() && in0.shape[0].value > 0 ? in0.shape[0].value : 0;
  const int64_t batch_size = fixed_batch > 0 ? fixed_batch : opts.batch;
  if (fixed_batch > 0 && fixed_batch != opts.batch)
    std::fprintf(stderr, "ecoinfer: note: %s takes a fixed batch of %lld: evaluating %lld image(s) per run, not %d\n",
                 model.onnx_path.string().c_str(), static_cast<long long>(fixed_batch),
                 static_cast<long long>(fixed_batch), opts.batch);
  check_unambiguous_labels(model, data);
  // The images to evaluate, by dataset index: all, or a stratified subset for --limit.
  std::vector<int64_t> order;
  std::string subset_description;
  if (opts.limit >= 0 && opts.limit < static_cast<int64_t>(data.size())) {
    Subset s = stratified_subset(data, opts.limit);
    order = std::move(s.items);
    subset_description = std::move(s.description);
  } else {
    order.resize(data.size());
    std::iota(order.begin(), order.end(), int64_t{0});
  }
  const int64_t total = static_cast<int64_t>(order.size());
  ECO_CHECK(total > 0, "the dataset holds no images to evaluate");
  const int64_t per_image = int64_t(pre.channels) * pre.height * pre.width;
  // The model's input size, not any image, decides whether a batch fits the tensor limit.
  ECO_CHECK(static_cast<long double>(batch_size) * per_image * sizeof(float) <= max_tensor_bytes(),
            "{}: the model's input {}x{}x{} (CxHxW) at batch {} exceeds the {} byte tensor limit: the model's input "
            "size is too large{}",
            model.onnx_path.string(), pre.channels, pre.height, pre.width, batch_size, max_tensor_bytes(),
            fixed_batch > 0 ? "" : " (or try a smaller --batch)");

  BatchLoader loader(data, pre, std::move(order),
                     BatchLoaderOptions{batch_size, opts.data_workers, opts.cache_dir, opts.skip_bad_images});
  EvalResult r;
  r.label_source = data.label_source();
  r.subset = subset_description;
  const auto t0 = Clock::now();
  LoadedBatch batch;
  while (loader.next(batch)) {
    if (!batch.error.empty()) {
      r.error = batch.error;
      break;
    }
    if (batch.labels.empty()) continue;  // every image of the batch was skipped
    const auto m0 = Clock::now();
    const int64_t n = batch.input.dim(0);
    // A fixed-batch model's last, short batch is padded with zero images, left unscored.
    std::vector<Tensor> out = exec.run({fixed_batch > n ? zero_padded(batch.input, fixed_batch) : batch.input});
    r.model_seconds += secs(Clock::now() - m0);
    const Tensor& logits = out.at(0);
    ECO_CHECK(logits.dtype() == DType::f32 && logits.rank() >= 2 && logits.dim(0) == std::max(n, fixed_batch),
              "{}: the first output {} is not [batch, classes] logits", model.onnx_path.string(), shape_str(logits.shape()));
    const int classes = static_cast<int>(logits.numel() / logits.dim(0));
    ECO_CHECK(model.labels.empty() || static_cast<size_t>(classes) == model.labels.size(),
              "{}: id2label has {} labels, but the model's output {} has {} classes",
              (model.path / "config.json").string(), model.labels.size(), shape_str(logits.shape()), classes);
    for (int64_t i = 0; i < n; ++i)
      ECO_CHECK(batch.labels[i] < classes, "{}: label {} is outside the model's {} classes",
                data.item_name(static_cast<size_t>(batch.items[i])), batch.labels[i], classes);
    score_logits(logits, batch.labels, r);
    if (opts.progress) opts.progress(r.images, total);
  }
  r.seconds = secs(Clock::now() - t0);
  r.data_wait_seconds = loader.wait_seconds();
  const BatchLoaderStats st = loader.stats();
  r.data_seconds = st.busy_seconds;
  r.data_cpu_seconds = st.busy_cpu_seconds;
  r.skipped_images = st.skipped_images;
  r.skipped_examples = st.skipped_examples;
  r.cache_hits = st.cache_hits;
  r.cache_misses = st.cache_misses;
  return r;
}

}  // namespace ecoinfer
