#pragma once
// Accuracy over a labelled dataset: images are decoded and preprocessed on a worker
// thread one batch ahead of the model, so that the model rarely waits.
#include <functional>

#include "data/dataset.h"
#include "model/model_folder.h"
#include "runtime/executor.h"

namespace ecoinfer {

struct EvalOptions {
  int batch = 32;
  int threads = 1;
  int64_t limit = -1;  // first N images; -1: all
  bool reference_only = false;
  std::function<void(int64_t done, int64_t total)> progress;
};

struct EvalResult {
  int64_t images = 0, correct1 = 0, correct5 = 0;
  double top1 = 0, top5 = 0;
  double seconds = 0;            // wall time of the whole evaluation
  double model_seconds = 0;      // time inside the executor
  double data_wait_seconds = 0;  // time the model waited for the next batch
  std::string label_source;
};

EvalResult evaluate(const ModelBundle& model, const Dataset& data, const EvalOptions& opts);

// Top-k indices of one row of logits (ties: lower index first, as torch.topk on CPU).
std::vector<int> top_k(const float* row, int n, int k);

}  // namespace ecoinfer
