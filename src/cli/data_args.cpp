#include "cli/data_args.h"

#include <cstdio>

#include "core/error.h"

namespace ecoinfer::cli {

void add_data_args(CLI::App* cmd, DataArgs& a) {
  cmd->add_option("--data-workers", a.workers,
                  "decode/preprocess threads ahead of the model (default 1: the model's --threads keep the cores)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--cache", a.cache,
                  "folder for an on-disk cache of preprocessed images (keyed by file path, size, mtime and the "
                  "preprocessing config); repeated runs skip decode and resize");
  cmd->add_flag("--skip-bad-images", a.skip_bad_images,
                "skip images that fail to decode or preprocess, and count them, instead of stopping");
  cmd->add_flag("--skip-unlabeled", a.skip_unlabeled, "leave out images whose label cannot be mapped to the model's classes");
}

DatasetOptions dataset_options(const DataArgs& a, const ModelBundle& m) {
  DatasetOptions o;
  o.model_labels = m.labels;
  o.skip_unlabeled = a.skip_unlabeled;
  return o;
}

void apply_data_args(const DataArgs& a, EvalOptions& o) {
  o.data_workers = a.workers;
  o.cache_dir = a.cache;
  o.skip_bad_images = a.skip_bad_images;
}

void print_data_lines(const EvalResult& r) {
  const double share = r.seconds > 0 ? 100.0 * r.data_wait_seconds / r.seconds : 0;
  std::printf("pipeline  data %.3f s (worker time; %.3f s CPU), model waited %.3f s = %.1f%% of wall time\n",
              r.data_seconds, r.data_cpu_seconds, r.data_wait_seconds, share);
  if (r.cache_hits + r.cache_misses > 0)
    std::printf("cache     %lld hits, %lld misses\n", static_cast<long long>(r.cache_hits),
                static_cast<long long>(r.cache_misses));
  if (r.skipped_images > 0) {
    std::printf("skipped   %lld bad image(s)\n", static_cast<long long>(r.skipped_images));
    for (auto& s : r.skipped_examples) std::fprintf(stderr, "ecoinfer: skipped: %s\n", s.c_str());
  }
}

void stop_if_failed(const EvalResult& r) {
  if (r.error.empty()) return;
  if (r.images > 0)
    fail("{}\nevaluation stopped: {} image(s) were evaluated before it (top-1 {:.4f}, top-5 {:.4f} on those); pass "
         "--skip-bad-images to skip bad images",
         r.error, r.images, r.top1, r.top5);
  fail("{}\nevaluation stopped before any image was evaluated; pass --skip-bad-images to skip bad images", r.error);
}

}  // namespace ecoinfer::cli
