#include <cstdio>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "runtime/executor.h"

namespace ecoinfer::cli {

namespace {
nlohmann::json value_json(const ValueInfo& v) {
  nlohmann::json shape = nlohmann::json::array();
  for (auto& d : v.shape) {
    if (d.known()) shape.push_back(d.value);
    else shape.push_back(d.symbol.empty() ? "?" : d.symbol);
  }
  return {{"name", v.name}, {"dtype", dtype_name(v.dtype)}, {"shape", v.has_shape ? shape : nlohmann::json(nullptr)}};
}
}  // namespace

void add_inspect_command(CLI::App& app) {
  struct Args {
    ModelArgs model;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("inspect", "inputs, outputs, operators, parameters and compute of a model");
  add_model_args(cmd, args->model, false);
  cmd->add_flag("--json", args->json, "print one JSON object");
  cmd->callback([args] {
    ModelBundle m = load_model_from_args(args->model);
    const Graph& g = m.graph;
    // Per-image compute at batch 1, at the image size the model will see; unknown when a
    // dimension is dynamic and nothing fixes it (never computed at a guessed size).
    std::vector<Shape> shapes;
    for (size_t k = 0; k < g.inputs.size(); ++k)
      if (auto s = concrete_input_shape(m, k, 1)) shapes.push_back(*s);
    const std::optional<int64_t> macs =
        shapes.size() == g.inputs.size() ? std::optional<int64_t>(count_macs(g, shapes)) : std::nullopt;
    nlohmann::json j;
    j["model"] = m.path.string();
    j["onnx"] = m.onnx_path.string();
    j["opset"] = g.opset;
    j["producer"] = g.producer;
    j["inputs"] = nlohmann::json::array();
    for (auto& v : g.inputs) j["inputs"].push_back(value_json(v));
    j["outputs"] = nlohmann::json::array();
    for (auto& v : g.outputs) j["outputs"].push_back(value_json(v));
    j["nodes"] = g.nodes.size();
    j["op_counts"] = g.op_counts();
    j["parameters"] = g.parameter_count();
    j["model_bytes"] = m.model_bytes;
    j["macs_per_image"] = macs ? nlohmann::json(*macs) : nlohmann::json(nullptr);
    j["labels"] = m.labels.size();
    j["preprocess"] = {{"channels", m.pre.channels}, {"height", m.pre.height}, {"width", m.pre.width},
                       {"rescale_factor", m.pre.rescale_factor}, {"mean", m.pre.mean}, {"std", m.pre.std}};
    if (args->json) {
      print_json(j);
      return;
    }
    std::printf("model       %s (opset %lld, %s)\n", m.onnx_path.string().c_str(), static_cast<long long>(g.opset),
                g.producer.empty() ? "unknown producer" : g.producer.c_str());
    for (auto& v : g.inputs)
      std::printf("input       %s %s %s\n", v.name.c_str(), std::string(dtype_name(v.dtype)).c_str(), v.shape_str().c_str());
    for (auto& v : g.outputs)
      std::printf("output      %s %s %s\n", v.name.c_str(), std::string(dtype_name(v.dtype)).c_str(), v.shape_str().c_str());
    std::printf("parameters  %lld (%.2f M)\n", static_cast<long long>(g.parameter_count()), g.parameter_count() / 1e6);
    std::printf("model size  %zu bytes (%.2f MB)\n", m.model_bytes, m.model_bytes / 1e6);
    if (macs)
      std::printf("MACs/image  %lld (%.2f M)%s\n", static_cast<long long>(*macs), *macs / 1e6,
                  m.pre.size_from_config ? " at the preprocessor_config.json size" : "");
    else
      std::printf("MACs/image  unknown (the input size is dynamic and preprocessor_config.json does not fix it)\n");
    std::printf("labels      %zu\n", m.labels.size());
    std::printf("nodes       %zu\n", g.nodes.size());
    for (auto& [op, n] : g.op_counts()) std::printf("  %-22s %d\n", op.c_str(), n);
  });
}

}  // namespace ecoinfer::cli
