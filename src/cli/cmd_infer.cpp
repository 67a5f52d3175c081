#include <cmath>
#include <cstdio>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "data/npy.h"
#include "runtime/evaluate.h"

namespace ecoinfer::cli {

void add_infer_command(CLI::App& app) {
  struct Args {
    ModelArgs model;
    std::string input, output;
    bool reference = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("infer", "run a model on a NumPy .npy tensor and write its first output");
  add_tensor_model_args(cmd, args->model);
  cmd->add_option("--input", args->input,
                  ".npy tensor in the model's input type (float32, float16, bfloat16, ...) and layout, any batch")
      ->required();
  cmd->add_option("--output", args->output, "write the first output here as .npy (else print a summary)");
  cmd->add_flag("--reference-kernels", args->reference, "run reference kernels only");
  cmd->callback([args] {
    ModelBundle m = load_tensor_model_from_args(args->model);
    Tensor x = read_npy(args->input);
    ECO_CHECK(x.dtype() == m.graph.inputs[0].dtype, "{}: holds {}, the model's input '{}' is {}", args->input,
              dtype_name(x.dtype()), m.graph.inputs[0].name, dtype_name(m.graph.inputs[0].dtype));
    std::unique_ptr<Executor> exec = make_executor(m.graph, ExecutorKind::eager, RunOptions{args->model.threads, args->reference});
    std::vector<Tensor> out = exec->run({x});
    const Tensor& y = out.at(0);
    if (!args->output.empty()) {
      write_npy(args->output, y);
      std::printf("wrote %s %s to %s\n", std::string(dtype_name(y.dtype())).c_str(), shape_str(y.shape()).c_str(),
                  args->output.c_str());
      return;
    }
    std::printf("output '%s': %s %s\n", m.graph.outputs[0].name.c_str(), std::string(dtype_name(y.dtype())).c_str(),
                shape_str(y.shape()).c_str());
    if (y.dtype() != DType::f32 || y.rank() < 2) return;
    const int64_t n = y.dim(0), classes = y.numel() / std::max<int64_t>(1, n);
    for (int64_t i = 0; i < n && i < 16; ++i) {
      auto top = top_k(y.data<float>() + i * classes, static_cast<int>(classes), 3);
      std::printf("  [%lld]", static_cast<long long>(i));
      for (int t : top) {
        const std::string name = t < static_cast<int>(m.labels.size()) ? m.labels[t] : std::to_string(t);
        std::printf("  %s %.4f", name.c_str(), y.data<float>()[i * classes + t]);
      }
      std::printf("\n");
    }
    if (n > 16) std::printf("  ... %lld more rows\n", static_cast<long long>(n - 16));
  });
}

}  // namespace ecoinfer::cli
