#include "data/batch_loader.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <optional>

#include "core/error.h"
#include "data/image_cache.h"
#include "data/preprocess.h"

namespace ecoinfer {

namespace {
using Clock = std::chrono::steady_clock;
double secs(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}
}  // namespace

BatchLoader::BatchLoader(const Dataset& data, Preprocessing pre, std::vector<int64_t> order, BatchLoaderOptions opts)
    : data_(data),
      pre_(std::move(pre)),
      order_(std::move(order)),
      opts_(std::move(opts)),
      per_image_(int64_t(pre_.channels) * pre_.height * pre_.width),
      num_batches_(opts_.batch_size > 0 ? (static_cast<int64_t>(order_.size()) + opts_.batch_size - 1) / opts_.batch_size : 0),
      depth_(std::max<int64_t>(2, opts_.workers + 1)) {
  ECO_CHECK(opts_.batch_size >= 1, "the batch size must be at least 1");
  ECO_CHECK(opts_.workers >= 1, "--data-workers must be at least 1");
  ECO_CHECK(pre_.height > 0 && pre_.width > 0, "the preprocessing does not fix the image height and width: cannot batch images");
  if (!opts_.cache_dir.empty()) cache_ = std::make_unique<ImageCache>(opts_.cache_dir, geometry_hash(pre_));
  workers_.reserve(static_cast<size_t>(opts_.workers));
  try {
    for (int w = 0; w < opts_.workers; ++w) workers_.emplace_back([this] { work(); });
  } catch (...) {
    shutdown();  // join the workers that started before the members go
    throw;
  }
}

BatchLoader::~BatchLoader() { shutdown(); }

void BatchLoader::shutdown() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_)
    if (t.joinable()) t.join();
}

// One image into `out`: from the cache when it holds it, else decode + resize/crop (and fill
// the cache); rescale/normalise always.
void BatchLoader::load_one(int64_t i, float* out, BatchLoaderStats& local) {
  const auto item = static_cast<size_t>(i);
  const std::string name = data_.item_name(item);
  std::optional<std::filesystem::path> file = cache_ ? data_.item_file(item) : std::nullopt;
  Image img;
  if (file && cache_->get(*file, img)) {
    ++local.cache_hits;
  } else {
    img = data_.load(item, pre_.channels);
    try {
      img = apply_geometry(img, pre_);
    } catch (const Error& e) {
      fail("{}: {}", name, e.what());
    }
    if (file) {
      ++local.cache_misses;
      cache_->put(*file, img);
    }
  }
  image_to_tensor(img, pre_, out, name);
}

LoadedBatch BatchLoader::load_batch(int64_t b, BatchLoaderStats& local) {
  const int64_t total = num_images();
  const int64_t begin = b * opts_.batch_size, end = std::min(total, begin + opts_.batch_size);
  LoadedBatch batch;
  try {
    batch.input = Tensor::empty(DType::f32, {end - begin, pre_.channels, pre_.height, pre_.width});
    int64_t n = 0;
    for (int64_t k = begin; k < end; ++k) {
      const int64_t i = order_[static_cast<size_t>(k)];
      try {
        load_one(i, batch.input.data<float>() + n * per_image_, local);
      } catch (const Error& e) {
        if (!opts_.skip_bad_images) throw;
        ++local.skipped_images;
        if (local.skipped_examples.size() < 5) local.skipped_examples.push_back(e.what());
        continue;
      }
      batch.labels.push_back(data_.label(static_cast<size_t>(i)));
      batch.items.push_back(i);
      ++n;
    }
    if (n < end - begin) {  // some skipped: keep the first n images
      Tensor t = Tensor::empty(DType::f32, {n, pre_.channels, pre_.height, pre_.width});
      std::copy(batch.input.data<float>(), batch.input.data<float>() + n * per_image_, t.data<float>());
      batch.input = std::move(t);
    }
  } catch (const std::exception& e) {
    batch.error = e.what();
  }
  return batch;
}

void BatchLoader::work() {
  for (;;) {
    int64_t b;
    {
      std::unique_lock lk(mu_);
      cv_.wait(lk, [&] { return stop_ || next_batch_ >= num_batches_ || next_batch_ - consumed_ < depth_; });
      if (stop_ || next_batch_ >= num_batches_) return;
      b = next_batch_++;
    }
    const auto t0 = Clock::now();
    const double cpu0 = thread_cpu_seconds();
    BatchLoaderStats local;
    LoadedBatch batch = load_batch(b, local);
    std::lock_guard lk(mu_);
    stats_.busy_seconds += secs(Clock::now() - t0);
    stats_.busy_cpu_seconds += thread_cpu_seconds() - cpu0;
    stats_.cache_hits += local.cache_hits;
    stats_.cache_misses += local.cache_misses;
    stats_.skipped_images += local.skipped_images;
    for (auto& s : local.skipped_examples)
      if (stats_.skipped_examples.size() < 5) stats_.skipped_examples.push_back(std::move(s));
    ready_.emplace(b, std::move(batch));
    cv_.notify_all();
  }
}

bool BatchLoader::next(LoadedBatch& out) {
  const auto w0 = Clock::now();
  std::unique_lock lk(mu_);
  if (consumed_ >= num_batches_) return false;
  const int64_t b = consumed_;
  cv_.wait(lk, [&] { return ready_.count(b) > 0; });
  out = std::move(ready_[b]);
  ready_.erase(b);
  consumed_ = b + 1;
  cv_.notify_all();
  wait_seconds_ += secs(Clock::now() - w0);
  return true;
}

BatchLoaderStats BatchLoader::stats() const {
  std::lock_guard lk(mu_);
  return stats_;
}

}  // namespace ecoinfer
