#include "cli/data_args.h"

#include <cstdio>

#include "cli/cli_common.h"
#include "core/error.h"

namespace ecoinfer::cli {

void add_data_args(CLI::App* cmd, DataArgs& a) {
  cmd->add_option("--data-workers", a.workers,
                  "decode/preprocess threads ahead of the model (default 1: the model's --threads keep the cores)")
      ->check(whole_number(1, 256));
  cmd->add_option("--cache", a.cache,
                  "folder for an on-disk cache of preprocessed images (keyed by file path, size, mtime and the "
                  "preprocessing config); repeated runs skip decode and resize");
  cmd->add_flag("--skip-bad-images", a.skip_bad_images,
                "skip images that fail to read, decode or preprocess (and folder entries that cannot be examined, such "
                "as symlink loops), and count them, instead of stopping");
  cmd->add_flag("--skip-unlabeled", a.skip_unlabeled, "leave out images whose label cannot be mapped to the model's classes");
  cmd->add_flag("--labels-by-folder-order", a.labels_by_folder_order,
                "when no class-folder name is one of the model's id2label labels, number the sorted folders 0, 1, 2, … "
                "(refused otherwise: it would score images against unrelated classes)");
}

DatasetOptions dataset_options(const DataArgs& a, const ModelBundle& m) {
  DatasetOptions o;
  o.model_labels = m.labels;
  o.skip_unlabeled = a.skip_unlabeled;
  o.skip_bad_images = a.skip_bad_images;
  o.labels_by_folder_order = a.labels_by_folder_order;
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

void print_data_notes(const Dataset& d, const EvalResult& r) {
  for (const std::string& n : d.notes()) std::fprintf(stderr, "ecoinfer: note: %s\n", n.c_str());
  if (r.nan_rows > 0)
    std::fprintf(stderr,
                 "ecoinfer: warning: %lld of %lld image(s) gave NaN logits; they are scored as wrong (the model or "
                 "its preprocessing produces NaN)\n",
                 static_cast<long long>(r.nan_rows), static_cast<long long>(r.images));
}

void add_data_json(nlohmann::json& j, const Dataset& d, const EvalResult& r) {
  j["notes"] = d.notes();
  j["subset"] = r.subset;
  j["nan_rows"] = r.nan_rows;
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
