#pragma once
// The data-pipeline flags shared by commands that read datasets (eval): decode workers,
// the preprocessed-image cache, skipping bad images and unlabeled ones; and how the
// pipeline's share of the time is reported.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "data/dataset.h"
#include "model/model_folder.h"
#include "runtime/evaluate.h"

namespace ecoinfer::cli {

struct DataArgs {
  int workers = 1;
  std::string cache;
  bool skip_bad_images = false;
  bool skip_unlabeled = false;
  bool labels_by_folder_order = false;
};

void add_data_args(CLI::App* cmd, DataArgs& a);
DatasetOptions dataset_options(const DataArgs& a, const ModelBundle& m);
void apply_data_args(const DataArgs& a, EvalOptions& o);
// "data      …" lines: worker time, wait share, cache and skipped images.
void print_data_lines(const EvalResult& r);
// On stderr: the dataset's notes (entries skipped, a label mapping chosen on request) and
// images whose logits held NaN.
void print_data_notes(const Dataset& d, const EvalResult& r);
// The same as JSON keys: notes, subset, nan_rows.
void add_data_json(nlohmann::json& j, const Dataset& d, const EvalResult& r);
// Fails (exit 1) with the bad image's error and how much was evaluated before it.
void stop_if_failed(const EvalResult& r);

}  // namespace ecoinfer::cli
