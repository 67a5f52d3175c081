#include "runtime/evaluate.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <condition_variable>
#include <atomic>
#include <map>
#include <optional>
#include <mutex>
#include <numeric>
#include <thread>

#include "core/error.h"
#include "data/image_cache.h"
#include "data/preprocess.h"
#include "data/stratified_subset.h"

namespace ecoinfer {

namespace {
using Clock = std::chrono::steady_clock;
double secs(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct Batch {
  Tensor input;
  std::vector<int> labels;
  std::vector<int64_t> items;  // dataset indices of the images in the batch
  std::string error;  // set when loading failed: the evaluation stops with it
};

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

EvalResult evaluate(const ModelBundle& model, const Dataset& data, const EvalOptions& opts) {
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
  const int64_t num_batches = (total + batch_size - 1) / batch_size;
  // The model's input size, not any image, decides whether a batch fits the tensor limit.
  ECO_CHECK(static_cast<long double>(batch_size) * per_image * sizeof(float) <= max_tensor_bytes(),
            "{}: the model's input {}x{}x{} (CxHxW) at batch {} exceeds the {} byte tensor limit: the model's input "
            "size is too large{}",
            model.onnx_path.string(), pre.channels, pre.height, pre.width, batch_size, max_tensor_bytes(),
            fixed_batch > 0 ? "" : " (or try a smaller --batch)");
  std::unique_ptr<ImageCache> cache;
  if (!opts.cache_dir.empty()) cache = std::make_unique<ImageCache>(opts.cache_dir, geometry_hash(pre));

  // One image into `out`: from the cache when it holds it, else decode + resize/crop (and
  // fill the cache); rescale/normalise always.
  std::atomic<int64_t> hits{0}, misses{0};
  auto load_one = [&](int64_t i, float* out) {
    const std::string name = data.item_name(static_cast<size_t>(i));
    std::optional<std::filesystem::path> file = cache ? data.item_file(static_cast<size_t>(i)) : std::nullopt;
    Image img;
    if (file && cache->get(*file, img)) {
      ++hits;
    } else {
      img = data.load(static_cast<size_t>(i), pre.channels);
      try {
        img = apply_geometry(img, pre);
      } catch (const Error& e) {
        fail("{}: {}", name, e.what());
      }
      if (file) {
        ++misses;
        cache->put(*file, img);
      }
    }
    image_to_tensor(img, pre, out, name);
  };

  std::mutex mu;
  std::condition_variable cv;
  std::map<int64_t, Batch> ready;  // finished batches by index
  int64_t next_batch = 0, consumed = 0;
  bool stop = false;
  double busy = 0, busy_cpu = 0;
  int64_t skipped = 0;
  std::vector<std::string> skipped_examples;
  const int64_t depth = std::max<int64_t>(2, opts.data_workers + 1);  // batches in flight or waiting
  auto worker = [&] {
    for (;;) {
      int64_t b;
      {
        std::unique_lock lk(mu);
        cv.wait(lk, [&] { return stop || next_batch >= num_batches || next_batch - consumed < depth; });
        if (stop || next_batch >= num_batches) return;
        b = next_batch++;
      }
      const auto t0 = Clock::now();
      const double cpu0 = thread_cpu_seconds();
      const int64_t begin = b * batch_size, end = std::min(total, begin + batch_size);
      Batch batch;
      int64_t bad = 0;
      std::vector<std::string> bad_names;
      try {
        batch.input = Tensor::empty(DType::f32, {end - begin, pre.channels, pre.height, pre.width});
        int64_t n = 0;
        for (int64_t k = begin; k < end; ++k) {
          const int64_t i = order[static_cast<size_t>(k)];
          try {
            load_one(i, batch.input.data<float>() + n * per_image);
          } catch (const Error& e) {
            if (!opts.skip_bad_images) throw;
            ++bad;
            if (bad_names.size() < 5) bad_names.push_back(e.what());
            continue;
          }
          batch.labels.push_back(data.label(static_cast<size_t>(i)));
          batch.items.push_back(i);
          ++n;
        }
        if (n < end - begin) {  // some skipped: keep the first n images
          Tensor t = Tensor::empty(DType::f32, {n, pre.channels, pre.height, pre.width});
          std::copy(batch.input.data<float>(), batch.input.data<float>() + n * per_image, t.data<float>());
          batch.input = std::move(t);
        }
      } catch (const std::exception& e) {
        batch.error = e.what();
      }
      std::unique_lock lk(mu);
      busy += secs(Clock::now() - t0);
      busy_cpu += thread_cpu_seconds() - cpu0;
      skipped += bad;
      for (auto& s : bad_names)
        if (skipped_examples.size() < 5) skipped_examples.push_back(s);
      ready.emplace(b, std::move(batch));
      cv.notify_all();
    }
  };
  std::vector<std::thread> workers;
  struct Joiner {
    std::vector<std::thread>& ts;
    std::mutex& mu;
    bool& stop;
    std::condition_variable& cv;
    ~Joiner() {
      {
        std::lock_guard lk(mu);
        stop = true;
      }
      cv.notify_all();
      for (auto& t : ts) t.join();
    }
  } joiner{workers, mu, stop, cv};
  for (int w = 0; w < opts.data_workers; ++w) workers.emplace_back(worker);

  std::unique_ptr<Executor> exec = make_executor(model.graph, model.executor, RunOptions{opts.threads, opts.reference_only});
  EvalResult r;
  r.label_source = data.label_source();
  r.subset = subset_description;
  const auto t0 = Clock::now();
  for (int64_t b = 0; b < num_batches; ++b) {
    Batch batch;
    {
      const auto w0 = Clock::now();
      std::unique_lock lk(mu);
      cv.wait(lk, [&] { return ready.count(b) > 0; });
      batch = std::move(ready[b]);
      ready.erase(b);
      consumed = b + 1;
      cv.notify_all();
      r.data_wait_seconds += secs(Clock::now() - w0);
    }
    if (!batch.error.empty()) {
      r.error = batch.error;
      break;
    }
    if (batch.labels.empty()) continue;  // every image of the batch was skipped
    const auto m0 = Clock::now();
    const int64_t n = batch.input.dim(0);
    // A fixed-batch model's last, short batch is padded with zero images, left unscored.
    std::vector<Tensor> out = exec->run({fixed_batch > n ? zero_padded(batch.input, fixed_batch) : batch.input});
    r.model_seconds += secs(Clock::now() - m0);
    const Tensor& logits = out.at(0);
    ECO_CHECK(logits.dtype() == DType::f32 && logits.rank() >= 2 && logits.dim(0) == std::max(n, fixed_batch),
              "{}: the first output {} is not [batch, classes] logits", model.onnx_path.string(), shape_str(logits.shape()));
    const int classes = static_cast<int>(logits.numel() / logits.dim(0));
    ECO_CHECK(model.labels.empty() || static_cast<size_t>(classes) == model.labels.size(),
              "{}: id2label has {} labels, but the model's output {} has {} classes",
              (model.path / "config.json").string(), model.labels.size(), shape_str(logits.shape()), classes);
    for (int64_t i = 0; i < n; ++i) {
      ECO_CHECK(batch.labels[i] < classes, "{}: label {} is outside the model's {} classes",
                data.item_name(static_cast<size_t>(batch.items[i])), batch.labels[i], classes);
      const float* row = logits.data<float>() + i * classes;
      // A row with a NaN has no prediction: it scores as wrong and is counted apart.
      if (std::any_of(row, row + classes, [](float v) { return std::isnan(v); })) {
        ++r.nan_rows;
        continue;
      }
      auto top = top_k(row, classes, 5);
      if (top[0] == batch.labels[i]) ++r.correct1;
      if (std::find(top.begin(), top.end(), batch.labels[i]) != top.end()) ++r.correct5;
    }
    r.images += n;
    if (opts.progress) opts.progress(r.images, total);
  }
  r.seconds = secs(Clock::now() - t0);
  {
    std::lock_guard lk(mu);
    stop = true;
    r.data_seconds = busy;
    r.data_cpu_seconds = busy_cpu;
    r.skipped_images = skipped;
    r.skipped_examples = skipped_examples;
  }
  cv.notify_all();
  r.cache_hits = hits;
  r.cache_misses = misses;
  r.top1 = r.images ? double(r.correct1) / r.images : 0;
  r.top5 = r.images ? double(r.correct5) / r.images : 0;
  return r;
}

}  // namespace ecoinfer
