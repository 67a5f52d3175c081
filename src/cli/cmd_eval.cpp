#include <cstdio>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/data_args.h"
#include "cli/tactic_args.h"
#include "data/dataset.h"
#include "runtime/evaluate.h"

namespace ecoinfer::cli {

void add_eval_command(CLI::App& app) {
  struct Args {
    ModelArgs model;
    std::string data;
    int batch = 32;
    int64_t limit = -1;
    bool json = false;
    bool reference = false;
    DataArgs data_args;
    TacticArgs tactics;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("eval", "top-1/top-5 accuracy of a model over a labelled image dataset");
  add_model_args(cmd, args->model);
  cmd->add_option("--data", args->data, "dataset: class folders (by label or ImageNet wnid), a folder of wnid-named images, MNIST idx, CIFAR .bin batches, or a list file of path<TAB>label")->required();
  cmd->add_option("--batch", args->batch, "images per batch")->check(whole_number(1, 65536));
  cmd->add_option("--limit", args->limit,
                  "evaluate N images: the first of each class in turn, the same number per class as far as possible")
      ->check(whole_number(1))
      ->default_str("all");
  cmd->add_flag("--json", args->json, "print one JSON object");
  cmd->add_flag("--reference-kernels", args->reference, "run reference kernels only (slow; for debugging)");
  add_data_args(cmd, args->data_args);
  add_tactic_args(cmd, args->tactics);
  cmd->callback([args] {
    ModelBundle m = load_model_from_args(args->model);
    const TacticContext tactics = apply_tactic_args(m, args->tactics);
    auto data = open_dataset(args->data, dataset_options(args->data_args, m));
    Progress progress("eval");
    EvalOptions o;
    o.batch = args->batch;
    o.threads = args->model.threads;
    o.limit = args->limit;
    o.reference_only = args->reference;
    o.executor = tactics.executor;
    apply_data_args(args->data_args, o);
    o.progress = [&](int64_t d, int64_t t) { progress.update(d, t); };
    EvalResult r = evaluate(m, *data, o);
    progress.finish();
    print_data_notes(*data, r);
    const double ips = r.seconds > 0 ? r.images / r.seconds : 0;
    if (args->json) {
      nlohmann::json j{{"model", m.path.string()},
                  {"data", args->data},
                  {"top1", r.top1},
                  {"top5", r.top5},
                  {"images", r.images},
                  {"seconds", r.seconds},
                  {"images_per_s", ips},
                  {"model_seconds", r.model_seconds},
                  {"data_wait_seconds", r.data_wait_seconds},
                  {"data_seconds", r.data_seconds},
                  {"data_cpu_seconds", r.data_cpu_seconds},
                  {"data_wait_share", r.seconds > 0 ? r.data_wait_seconds / r.seconds : 0.0},
                  {"data_workers", args->data_args.workers},
                  {"cache_hits", r.cache_hits},
                  {"cache_misses", r.cache_misses},
                  {"skipped_images", r.skipped_images},
                  {"skipped_unlabeled", data->skipped_unlabeled()},
                  {"stopped_on_error", !r.error.empty()},
                  {"batch", args->batch},
                  {"threads", args->model.threads},
                  {"labels", r.label_source}};
      add_tactic_json(j, args->tactics, tactics.results);
      add_data_json(j, *data, r);
      print_json(j);
      stop_if_failed(r);
      return;
    }
    std::printf("model     %s\n", m.path.string().c_str());
    print_tactic_lines(tactics.results);
    std::printf("data      %s (%lld images, labels by %s)\n", args->data.c_str(), static_cast<long long>(r.images),
                r.label_source.c_str());
    if (!r.subset.empty()) std::printf("subset    %s\n", r.subset.c_str());
    std::printf("top-1     %.4f (%lld correct)\n", r.top1, static_cast<long long>(r.correct1));
    std::printf("top-5     %.4f (%lld correct)\n", r.top5, static_cast<long long>(r.correct5));
    std::printf("time      %.3f s wall, %.1f images/s (model %.3f s, waiting for data %.3f s)\n", r.seconds, ips,
                r.model_seconds, r.data_wait_seconds);
    print_data_lines(r);
    stop_if_failed(r);
  });
}

}  // namespace ecoinfer::cli
