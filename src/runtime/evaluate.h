#pragma once
// Accuracy over a labelled dataset: data/batch_loader feeds preprocessed batches (decoded on
// worker threads ahead of the model, optionally through an on-disk cache); the scoring loop
// runs them through an executor and counts top-1/top-5.
#include <filesystem>
#include <functional>

#include "data/dataset.h"
#include "model/model_folder.h"
#include "runtime/executor.h"

namespace ecoinfer {

struct EvalOptions {
  int batch = 32;
  int threads = 1;
  int64_t limit = -1;  // N images, a stratified subset (data/stratified_subset.h); -1: all
  bool reference_only = false;
  ExecutorKind executor = ExecutorKind::eager;  // the tactics' choice (TacticContext::executor)
  int data_workers = 1;                 // decode/preprocess threads (the model has `threads`)
  std::filesystem::path cache_dir;      // empty: no cache
  bool skip_bad_images = false;         // skip and count images that fail to decode/preprocess
  std::function<void(int64_t done, int64_t total)> progress;
};

struct EvalResult {
  int64_t images = 0, correct1 = 0, correct5 = 0;
  double top1 = 0, top5 = 0;
  double seconds = 0;            // wall time of the whole evaluation
  double model_seconds = 0;      // time inside the executor
  double data_wait_seconds = 0;  // time the model waited for the next batch
  double data_seconds = 0;       // busy (wall) time of the data workers (decode, resize, cache), summed
  double data_cpu_seconds = 0;   // CPU time of the data workers: the same work, unaffected by preemption
  int64_t cache_hits = 0, cache_misses = 0;
  int64_t skipped_images = 0;    // bad images skipped (skip_bad_images)
  std::vector<std::string> skipped_examples;  // the first few skipped, with their errors
  // Set when the evaluation stopped on a bad image; the counts cover the images before it.
  std::string error;
  std::string label_source;
  std::string subset;     // what --limit took ("200 of 10000 images: the first 20 of each of 10 classes"); "" for all
  int64_t nan_rows = 0;   // images whose logits hold a NaN: scored as wrong (neither top-1 nor top-5)
};

// With an executor of opts.executor's kind made for the evaluation.
EvalResult evaluate(const ModelBundle& model, const Dataset& data, const EvalOptions& opts);
// With a ready executor of model's graph (e.g. a study's prepared variant: no second plan).
// opts.executor, threads and reference_only are the executor's own then, and are not read.
EvalResult evaluate(Executor& exec, const ModelBundle& model, const Dataset& data, const EvalOptions& opts);

// Adds one batch to r's counts: row i of logits ([rows >= labels.size(), classes], f32)
// against labels[i]. A row holding a NaN has no prediction: counted in nan_rows, scored wrong.
// Label out of range: Error.
void score_logits(const Tensor& logits, const std::vector<int>& labels, EvalResult& r);

// Top-k indices of one row of logits (ties: lower index first, as torch.topk on CPU; NaN
// ranks below every number, so that a NaN logit is never the prediction).
std::vector<int> top_k(const float* row, int n, int k);

}  // namespace ecoinfer
