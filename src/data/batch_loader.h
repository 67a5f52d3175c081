#pragma once
// Batches of preprocessed images, decoded on worker threads ahead of the consumer (a bounded
// queue), so that the model rarely waits; optionally through an on-disk cache of
// preprocessed images. Batches come out in order. Used by runtime/evaluate (accuracy) and
// anything else that feeds a dataset to a model.
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/tensor.h"
#include "data/dataset.h"
#include "data/preprocessor_config.h"

namespace ecoinfer {

class ImageCache;

struct LoadedBatch {
  Tensor input;                 // [n, C, H, W] f32, n <= the batch size (short last batch, skipped images)
  std::vector<int> labels;      // one per row of input
  std::vector<int64_t> items;   // dataset indices of the rows
  std::string error;            // set when loading failed (not skipped): the consumer stops with it
};

struct BatchLoaderOptions {
  int64_t batch_size = 32;
  int workers = 1;                   // decode/preprocess threads
  std::filesystem::path cache_dir;   // empty: no cache
  bool skip_bad_images = false;      // skip and count images that fail to decode/preprocess
};

struct BatchLoaderStats {
  double busy_seconds = 0;      // wall time the workers spent loading, summed
  double busy_cpu_seconds = 0;  // their CPU time: the same work, unaffected by preemption
  int64_t cache_hits = 0, cache_misses = 0;
  int64_t skipped_images = 0;
  std::vector<std::string> skipped_examples;  // the first few skipped, with their errors
};

class BatchLoader {
 public:
  // `order`: the dataset indices to load, in order (all of them, or a subset).
  BatchLoader(const Dataset& data, Preprocessing pre, std::vector<int64_t> order, BatchLoaderOptions opts);
  ~BatchLoader();  // stops the workers (batches not taken are dropped)
  BatchLoader(const BatchLoader&) = delete;
  BatchLoader& operator=(const BatchLoader&) = delete;

  int64_t num_batches() const { return num_batches_; }
  int64_t num_images() const { return static_cast<int64_t>(order_.size()); }
  // The next batch in order, waiting for it if needed; false when every batch was taken.
  bool next(LoadedBatch& out);
  // Seconds next() spent waiting for the workers, summed.
  double wait_seconds() const { return wait_seconds_; }
  BatchLoaderStats stats() const;

 private:
  void work();
  void shutdown();
  LoadedBatch load_batch(int64_t b, BatchLoaderStats& local);
  void load_one(int64_t i, float* out, BatchLoaderStats& local);

  const Dataset& data_;
  const Preprocessing pre_;
  const std::vector<int64_t> order_;
  const BatchLoaderOptions opts_;
  const int64_t per_image_, num_batches_, depth_;
  std::unique_ptr<ImageCache> cache_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<int64_t, LoadedBatch> ready_;  // finished batches by index
  int64_t next_batch_ = 0, consumed_ = 0;
  bool stop_ = false;
  BatchLoaderStats stats_;
  double wait_seconds_ = 0;
  std::vector<std::thread> workers_;
};

}  // namespace ecoinfer
