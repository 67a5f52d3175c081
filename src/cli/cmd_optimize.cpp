// `ecoinfer optimize MODEL --tactic T... -o OUT`: applies the tactics and writes the result
// as a model folder (model.onnx + the source's config.json / preprocessor_config.json).
#include <cstdio>
#include <filesystem>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/tactic_args.h"
#include "onnx/onnx_export.h"

namespace ecoinfer::cli {

namespace fs = std::filesystem;

void add_optimize_command(CLI::App& app) {
  struct Args {
    ModelArgs model;
    TacticArgs tactics;
    std::string out;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("optimize", "apply tactics and write the optimized model as a model folder");
  add_model_args(cmd, args->model, false);
  add_tactic_args(cmd, args->tactics);
  cmd->add_option("-o,--output", args->out, "output folder (created; model.onnx is overwritten)")->required();
  cmd->add_flag("--json", args->json, "print one JSON object");
  cmd->callback([args] {
    ECO_CHECK(!args->tactics.specs.empty(), "optimize: give at least one --tactic (e.g. --tactic dynamic-int8)");
    ModelBundle m = load_model_from_args(args->model);
    const size_t nodes_before = m.graph.nodes.size();
    const auto ops_before = m.graph.op_counts();
    const std::vector<TacticResult> tactics = apply_tactic_args(m, args->tactics).results;
    const fs::path out(args->out);
    std::error_code ec;
    fs::create_directories(out, ec);
    ECO_CHECK(fs::is_directory(out), "{}: cannot create the output folder", out.string());
    ECO_CHECK(fs::weakly_canonical(out) != fs::weakly_canonical(m.onnx_path.parent_path()) || m.onnx_path.filename() != "model.onnx",
              "{}: the output folder must differ from the model's own folder", out.string());
    save_onnx(m.graph, out / "model.onnx");
    std::vector<std::string> copied;
    if (fs::is_directory(m.path))
      for (const char* f : {"config.json", "preprocessor_config.json"})
        if (fs::exists(m.path / f)) {
          fs::copy_file(m.path / f, out / f, fs::copy_options::overwrite_existing);
          copied.push_back(f);
        }
    const auto ops_after = m.graph.op_counts();
    nlohmann::json j{{"model", m.path.string()},
                     {"output", out.string()},
                     {"nodes_before", nodes_before},
                     {"nodes_after", m.graph.nodes.size()},
                     {"model_bytes_before", m.model_bytes},
                     {"model_bytes_after", fs::file_size(out / "model.onnx")},
                     {"copied", copied}};
    add_tactic_json(j, args->tactics, tactics);
    if (args->json) {
      print_json(j);
      return;
    }
    std::printf("model     %s\n", m.path.string().c_str());
    print_tactic_lines(tactics);
    for (const TacticResult& r : tactics)
      if (r.summary.is_object() && r.summary.contains("per_layer_sparsity"))
        for (auto& [name, frac] : r.summary["per_layer_sparsity"].items())
          std::printf("          %-40s sparsity %.4f\n", name.c_str(), frac.get<double>());
    std::string changed;
    for (auto& [op, n] : ops_after) {
      auto it = ops_before.find(op);
      const int before = it == ops_before.end() ? 0 : it->second;
      if (before != n) changed += fmt::format(" {} {}->{}", op, before, n);
    }
    for (auto& [op, n] : ops_before)
      if (!ops_after.count(op)) changed += fmt::format(" {} {}->0", op, n);
    std::printf("nodes     %zu -> %zu%s\n", nodes_before, m.graph.nodes.size(), changed.empty() ? "" : ("  (" + changed.substr(1) + ")").c_str());
    std::printf("size      %zu -> %llu bytes\n", m.model_bytes, static_cast<unsigned long long>(fs::file_size(out / "model.onnx")));
    double secs = 0;
    for (auto& r : tactics) secs += r.seconds;
    std::printf("time      %.3f s to optimize\n", secs);
    std::printf("wrote     %s\n", (out / "model.onnx").string().c_str());
  });
}

}  // namespace ecoinfer::cli
