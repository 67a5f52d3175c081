#pragma once
// The flags `ecoinfer study plan`, `run` and `slurm` share: a spec file and the common keys of
// a spec as flags (enough for a quick study without a file, and overrides of a file's values).
#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "study/spec.h"

namespace ecoinfer::cli {

struct QuickFlags {
  std::string spec;
  std::vector<std::string> models, data, tactics;
  std::optional<int> repetitions, images;
  std::optional<int64_t> seed;
  std::optional<std::string> out, name;
  std::vector<int> batch, threads;
  std::optional<double> min_seconds, warmup, cooldown, idle_seconds;
  std::optional<int64_t> accuracy_images;
  std::optional<int> accuracy_batch;
};

void add_quick_flags(CLI::App* cmd, QuickFlags& f);
// The spec of the file (if any) with the flags applied, validated.
study::StudySpec spec_from(const QuickFlags& f);
// The flags again as `ecoinfer study run` arguments, values as given (relative paths stay
// relative: the Slurm tasks run in the same folder).
std::vector<std::string> quick_flag_args(const QuickFlags& f);

// `ecoinfer study slurm` and `ecoinfer study status` (cmd_study_slurm.cpp).
void add_study_slurm_commands(CLI::App* study);

}  // namespace ecoinfer::cli
