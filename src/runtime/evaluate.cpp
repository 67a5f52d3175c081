#include "runtime/evaluate.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <numeric>
#include <thread>

#include "data/preprocess.h"

namespace ecoinfer {

namespace {
using Clock = std::chrono::steady_clock;
double secs(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

struct Batch {
  Tensor input;
  std::vector<int> labels;
  std::string error;  // set when loading failed: the evaluation stops with it
};
}  // namespace

std::vector<int> top_k(const float* row, int n, int k) {
  std::vector<int> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  k = std::min(k, n);
  std::partial_sort(idx.begin(), idx.begin() + k, idx.end(),
                    [&](int a, int b) { return row[a] > row[b] || (row[a] == row[b] && a < b); });
  idx.resize(k);
  return idx;
}

EvalResult evaluate(const ModelBundle& model, const Dataset& data, const EvalOptions& opts) {
  const Preprocessing& pre = model.pre;
  ECO_CHECK(opts.batch >= 1, "--batch must be at least 1");
  ECO_CHECK(pre.height > 0 && pre.width > 0, "{}: the model's input size is not fixed; cannot batch images",
            model.onnx_path.string());
  const int64_t total = opts.limit >= 0 ? std::min<int64_t>(opts.limit, data.size()) : static_cast<int64_t>(data.size());
  ECO_CHECK(total > 0, "the dataset holds no images to evaluate");
  const int64_t per_image = int64_t(pre.channels) * pre.height * pre.width;
  const int64_t num_batches = (total + opts.batch - 1) / opts.batch;

  std::mutex mu;
  std::condition_variable cv;
  std::deque<Batch> ready;
  bool stop = false;
  constexpr size_t kQueueDepth = 2;
  std::thread producer([&] {
    for (int64_t b = 0; b < num_batches; ++b) {
      const int64_t begin = b * opts.batch, end = std::min(total, begin + opts.batch);
      Batch batch;
      try {
        batch.input = Tensor::empty(DType::f32, {end - begin, pre.channels, pre.height, pre.width});
        for (int64_t i = begin; i < end; ++i) {
          Image img = data.load(static_cast<size_t>(i), pre.channels);
          image_to_tensor(img, pre, batch.input.data<float>() + (i - begin) * per_image, data.item_name(i));
          batch.labels.push_back(data.label(static_cast<size_t>(i)));
        }
      } catch (const std::exception& e) {
        batch.error = e.what();
      }
      std::unique_lock lk(mu);
      cv.wait(lk, [&] { return ready.size() < kQueueDepth || stop; });
      if (stop) return;
      const bool failed = !batch.error.empty();
      ready.push_back(std::move(batch));
      cv.notify_all();
      if (failed) return;
    }
  });
  struct Joiner {
    std::thread& t;
    std::mutex& mu;
    bool& stop;
    std::condition_variable& cv;
    ~Joiner() {
      {
        std::lock_guard lk(mu);
        stop = true;
      }
      cv.notify_all();
      t.join();
    }
  } joiner{producer, mu, stop, cv};

  std::unique_ptr<Executor> exec = make_executor(model.graph, model.executor, RunOptions{opts.threads, opts.reference_only});
  EvalResult r;
  r.label_source = data.label_source();
  const auto t0 = Clock::now();
  for (int64_t b = 0; b < num_batches; ++b) {
    Batch batch;
    {
      const auto w0 = Clock::now();
      std::unique_lock lk(mu);
      cv.wait(lk, [&] { return !ready.empty(); });
      batch = std::move(ready.front());
      ready.pop_front();
      cv.notify_all();
      r.data_wait_seconds += secs(Clock::now() - w0);
    }
    ECO_CHECK(batch.error.empty(), "{}", batch.error);
    const auto m0 = Clock::now();
    std::vector<Tensor> out = exec->run({batch.input});
    r.model_seconds += secs(Clock::now() - m0);
    const Tensor& logits = out.at(0);
    const int64_t n = batch.input.dim(0);
    ECO_CHECK(logits.dtype() == DType::f32 && logits.rank() >= 2 && logits.dim(0) == n,
              "{}: the first output {} is not [batch, classes] logits", model.onnx_path.string(), shape_str(logits.shape()));
    const int classes = static_cast<int>(logits.numel() / n);
    for (int64_t i = 0; i < n; ++i) {
      ECO_CHECK(batch.labels[i] < classes, "{}: label {} is outside the model's {} classes", data.item_name(b * opts.batch + i),
                batch.labels[i], classes);
      auto top = top_k(logits.data<float>() + i * classes, classes, 5);
      if (top[0] == batch.labels[i]) ++r.correct1;
      if (std::find(top.begin(), top.end(), batch.labels[i]) != top.end()) ++r.correct5;
    }
    r.images += n;
    if (opts.progress) opts.progress(r.images, total);
  }
  r.seconds = secs(Clock::now() - t0);
  r.top1 = double(r.correct1) / r.images;
  r.top5 = double(r.correct5) / r.images;
  return r;
}

}  // namespace ecoinfer
