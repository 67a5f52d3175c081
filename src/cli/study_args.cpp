// The flags the study subcommands share (study_args.h).
#include "cli/study_args.h"

#include <filesystem>

#include <fmt/format.h>

#include "core/error.h"

namespace ecoinfer::cli {

namespace fs = std::filesystem;
using namespace ecoinfer::study;

void add_quick_flags(CLI::App* cmd, QuickFlags& f) {
  cmd->add_option("spec", f.spec, "study spec (TOML; `ecoinfer study init` writes an example)");
  cmd->add_option("--model", f.models, "model folder or .onnx (repeatable; replaces the spec's models)");
  cmd->add_option("--data", f.data, "dataset of each --model, in the same order (one for all models is allowed)");
  cmd->add_option("--tactic", f.tactics, "tactic chain, e.g. compile or dynamic-int8+compile (repeatable; 'none' is always included)");
  cmd->add_option("--repetitions", f.repetitions, "runs per treatment [spec or 30]")->check(CLI::Range(1, 100000));
  cmd->add_option("--images", f.images, "images per run, decoded beforehand [spec or 256]")->check(CLI::Range(1, 1000000));
  cmd->add_option("--seed", f.seed, "seed of the run order [spec or 1]")->check(CLI::Range(int64_t(0), int64_t(INT64_MAX)));
  cmd->add_option("--out", f.out, "output folder [spec or study-out]");
  cmd->add_option("--name", f.name, "study name");
  cmd->add_option("--batch", f.batch, "batch size (repeatable) [spec or 32]")->check(CLI::Range(1, 65536));
  cmd->add_option("--threads", f.threads, "engine threads (repeatable) [spec or 1]")->check(CLI::Range(1, 1024));
  cmd->add_option("--min-seconds", f.min_seconds, "minimum metered window per run [spec or 2]")->check(CLI::Range(0.0, 86400.0));
  cmd->add_option("--warmup", f.warmup, "warm-up seconds before each run [spec or 1]")->check(CLI::Range(0.0, 3600.0));
  cmd->add_option("--cooldown", f.cooldown, "pause after each run, seconds [spec or 1]")->check(CLI::Range(0.0, 3600.0));
  cmd->add_option("--idle-seconds", f.idle_seconds, "idle baseline window, seconds (0: none) [spec or 3]")->check(CLI::Range(0.0, 3600.0));
  cmd->add_option("--accuracy-images", f.accuracy_images, "images for each variant's accuracy (0: all) [spec or 0]")
      ->check(CLI::Range(int64_t(0), int64_t(1) << 40));
  cmd->add_option("--accuracy-batch", f.accuracy_batch, "batch for accuracy (0: the run batch) [spec or 0]")->check(CLI::Range(0, 65536));
}

StudySpec spec_from(const QuickFlags& f) {
  StudySpec s;
  if (!f.spec.empty()) {
    s = load_spec(f.spec);
  } else {
    ECO_CHECK(!f.models.empty(), "give a spec file, or --model and --data for a quick study (see `ecoinfer study init`)");
    s.source_name = "command line";
  }
  if (!f.models.empty()) {
    ECO_CHECK(!f.data.empty(), "--model needs --data (the dataset each model is evaluated on)");
    ECO_CHECK(f.data.size() == 1 || f.data.size() == f.models.size(), "give one --data for all models or one per --model ({} models, {} --data)",
              f.models.size(), f.data.size());
    s.models.clear();
    for (size_t i = 0; i < f.models.size(); ++i) {
      ModelEntry m;
      m.path = fs::path(f.models[i]).lexically_normal().string();
      m.data = fs::path(f.data.size() == 1 ? f.data[0] : f.data[i]).lexically_normal().string();
      m.name = model_name_from_path(m.path);
      s.models.push_back(m);
    }
  } else {
    ECO_CHECK(f.data.empty(), "--data without --model: the spec's [[model]] sections name their datasets");
  }
  if (!f.tactics.empty()) {
    s.tactics = f.tactics;
    normalize_tactics(s);
  }
  if (f.repetitions) s.repetitions = *f.repetitions;
  if (f.images) s.images = *f.images;
  if (f.seed) s.seed = static_cast<uint64_t>(*f.seed);
  if (f.out) s.output = *f.out;
  if (f.name) s.name = *f.name;
  if (!f.batch.empty()) s.batch = f.batch;
  if (!f.threads.empty()) s.threads = f.threads;
  if (f.min_seconds) s.min_seconds = *f.min_seconds;
  if (f.warmup) s.warmup_seconds = *f.warmup;
  if (f.cooldown) s.cooldown_seconds = *f.cooldown;
  if (f.idle_seconds) s.idle_seconds = *f.idle_seconds;
  if (f.accuracy_images) s.accuracy_images = *f.accuracy_images;
  if (f.accuracy_batch) s.accuracy_batch = *f.accuracy_batch;
  validate_spec(s);
  if (f.spec.empty()) s.source_text = "study from command-line flags:\n" + measurement_json(s).dump(2);
  return s;
}

std::vector<std::string> quick_flag_args(const QuickFlags& f) {
  std::vector<std::string> a;
  if (!f.spec.empty()) a.push_back(f.spec);
  auto each = [&](const char* flag, const auto& values) {
    for (const auto& v : values) {
      a.push_back(flag);
      a.push_back(fmt::format("{}", v));
    }
  };
  auto once = [&](const char* flag, const auto& value) {
    if (value) {
      a.push_back(flag);
      a.push_back(fmt::format("{}", *value));  // {} of a double is its shortest exact text
    }
  };
  each("--model", f.models);
  each("--data", f.data);
  each("--tactic", f.tactics);
  once("--repetitions", f.repetitions);
  once("--images", f.images);
  once("--seed", f.seed);
  once("--out", f.out);
  once("--name", f.name);
  each("--batch", f.batch);
  each("--threads", f.threads);
  once("--min-seconds", f.min_seconds);
  once("--warmup", f.warmup);
  once("--cooldown", f.cooldown);
  once("--idle-seconds", f.idle_seconds);
  once("--accuracy-images", f.accuracy_images);
  once("--accuracy-batch", f.accuracy_batch);
  return a;
}

}  // namespace ecoinfer::cli
