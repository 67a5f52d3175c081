#pragma once
// Flags and output helpers shared by the commands.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "model/model_folder.h"

namespace ecoinfer::cli {

struct ModelArgs {
  std::string path;
  std::vector<float> mean, std;
  double scale = 0;
  bool grayscale = false;
  int threads = 1;
};

// MODEL positional plus the preprocessing flags for bare .onnx files, and --threads.
void add_model_args(CLI::App* cmd, ModelArgs& a, bool with_threads = true);
ModelBundle load_model_from_args(const ModelArgs& a);

// A one-line progress bar on stderr, only when stderr is a terminal.
class Progress {
 public:
  explicit Progress(std::string what);
  void update(int64_t done, int64_t total);
  void finish();

 private:
  std::string what_;
  bool tty_;
  double start_;
  int last_pct_ = -1;
};

void print_json(const nlohmann::json& j);

}  // namespace ecoinfer::cli
