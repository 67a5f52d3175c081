#include <cstdio>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/tactic_args.h"
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
    bool plan = false;
    int batch = 1;
    TacticArgs tactics;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("inspect", "inputs, outputs, operators, parameters and compute of a model");
  add_model_args(cmd, args->model, true);
  cmd->add_flag("--json", args->json, "print one JSON object");
  cmd->add_flag("--plan", args->plan,
                "prepare the model (after --tactic ...) at --batch and list each node's kernel and the nodes left on a "
                "reference kernel although their op has fast ones");
  cmd->add_option("--batch", args->batch, "batch size of the --plan input (default 1)")->check(whole_number(1, 65536));
  add_tactic_args(cmd, args->tactics);
  cmd->callback([args] {
    ModelBundle m = load_model_from_args(args->model);
    ECO_CHECK(args->plan || (args->tactics.specs.empty() && args->tactics.disabled_passes.empty()),
              "inspect: --tactic and --disable-pass go with --plan (inspect describes the model as loaded otherwise)");
    // The model as loaded: its graph is copied before tactics rewrite it for the plan.
    const Graph g = m.graph;
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
    std::optional<PrepareReport> prep;
    TacticContext tactics;
    if (args->plan) {
      std::vector<Shape> plan_shapes;
      for (size_t k = 0; k < g.inputs.size(); ++k) {
        std::optional<Shape> s = concrete_input_shape(m, k, args->batch);
        ECO_CHECK(s, "{}: input '{}' {} has dynamic dimensions that preprocessor_config.json does not fix: --plan "
                  "needs concrete input shapes", m.onnx_path.string(), g.inputs[k].name, g.inputs[k].shape_str());
        plan_shapes.push_back(*s);
      }
      tactics = apply_tactic_args(m, args->tactics);
      std::unique_ptr<Executor> exec = make_executor(m.graph, tactics.executor, RunOptions{args->model.threads, false});
      prep = exec->prepare(plan_shapes);
      j["plan"] = prepare_json(*prep, true);
      j["plan"]["executor"] = executor_name(tactics.executor);
      j["plan"]["batch"] = args->batch;
      j["plan"]["threads"] = args->model.threads;
      add_tactic_json(j["plan"], args->tactics, tactics.results);
    }
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
    if (prep) {
      std::printf("plan        %s executor, batch %d, threads %d\n", std::string(executor_name(tactics.executor)).c_str(),
                  args->batch, args->model.threads);
      print_tactic_lines(tactics.results);
      for (const std::string& k : prep->kernels) std::printf("  %s\n", k.c_str());
      print_prepare(*prep);
    }
  });
}

}  // namespace ecoinfer::cli
