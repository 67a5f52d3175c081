#pragma once
// Flags and output helpers shared by the commands.
#include <CLI/CLI.hpp>
#include <cfloat>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "model/model_folder.h"
#include "runtime/executor.h"

namespace ecoinfer::cli {

struct ModelArgs {
  std::string path;       // a folder, a .onnx file or a Hub id
  std::string onnx_file;  // --onnx-file
  std::vector<float> mean, std;
  std::optional<double> scale;
  bool grayscale = false;
  int threads = 1;
};

// Validators for every numeric flag of every command (docs/resource-policy.md). Unlike
// CLI11's Range they refuse NaN and infinities, say "not a number" for words, and print
// bounds as written ("above the maximum, 86400", not a 309-digit DBL_MAX).
enum class Bound { inclusive, exclusive };
CLI::Validator finite_number(double lo = -DBL_MAX, double hi = DBL_MAX, Bound lower = Bound::inclusive);
CLI::Validator finite_nonzero();
CLI::Validator whole_number(int64_t lo, int64_t hi = INT64_MAX);

// MODEL positional (and --onnx-file) plus the preprocessing flags for bare .onnx files, and --threads.
void add_model_args(CLI::App* cmd, ModelArgs& a, bool with_threads = true);
ModelBundle load_model_from_args(const ModelArgs& a);
// For commands that feed tensors as given (`infer`): MODEL and --threads only, no image
// flags, and the model is loaded without image checks (ModelFeed::tensors).
void add_tensor_model_args(CLI::App* cmd, ModelArgs& a);
ModelBundle load_tensor_model_from_args(const ModelArgs& a);

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

// prepare()'s report as JSON: seconds, nodes, reference_fallbacks (node, op, input shapes,
// the fast kernels that declined), and with `kernels` the kernel of every node.
nlohmann::json prepare_json(const PrepareReport& r, bool kernels);
// "prepare      0.012 s, 53 nodes, reference fallbacks: none" or the list, one per line.
void print_prepare(const PrepareReport& r);

// Reports a command-line error as CLI11 does, except that when no command was recognised
// (`ecoinfer evaluate`, `ecoinfer --frobnicate`, `ecoinfer`) it names the problem and lists
// the commands, and `ecoinfer help [COMMAND]` prints the help. Returns the exit status.
int handle_parse_error(CLI::App& app, const CLI::ParseError& e, int argc, char** argv);

}  // namespace ecoinfer::cli
