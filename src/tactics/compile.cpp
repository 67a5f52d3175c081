// `compile[:disable=PASS,...]`: the graph-level passes (constant folding, dead-code
// elimination, BatchNorm folding, GELU, LayerNorm and epilogue fusion, channels-last
// convolutions) now, and the planned executor (per-shape plans with shape arithmetic frozen,
// the passes run again, cached kernel state) at run time. Disabled passes are skipped in
// both (the CLI's `--disable-pass NAME` writes this argument).
#include <algorithm>
#include <deque>
#include <optional>

#include "passes/pass.h"
#include "runtime/executor.h"
#include "tactics/tactic.h"

namespace ecoinfer {
namespace {

constexpr std::string_view kDisable = "disable=";

std::vector<std::string> disabled_passes(const std::string& arg) {
  std::vector<std::string> names;
  if (arg.empty()) return names;
  ECO_CHECK(arg.starts_with(kDisable) && arg.size() > kDisable.size(),
            "tactic 'compile' takes no argument or disable=PASS[,PASS...] (got '{}')", arg);
  for (size_t start = kDisable.size(); start <= arg.size();) {
    const size_t comma = std::min(arg.find(',', start), arg.size());
    const std::string name = arg.substr(start, comma - start);
    ECO_CHECK(!name.empty(), "tactic 'compile:{}': an empty pass name", arg);
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    start = comma + 1;
  }
  passes::check_pass_names(names);
  return names;
}

void check_compile_arg(const std::string& arg) { disabled_passes(arg); }

// Value shapes at one input shape (the batch dimension 2 where it is free, so that a
// batch-broadcast value cannot pass for a full-sized one): fuse_conv_epilogue fuses a residual
// Add only when it knows the shapes agree. Without a concrete input shape, or when the probe
// fails (a hostile model), the passes run without shapes and those Adds wait for the
// per-shape plans, which know the shapes.
std::optional<passes::ValueShapes> probe_shapes(const ModelBundle& m, std::deque<Tensor>& keep, std::string& note) {
  std::vector<Shape> shapes;
  for (size_t i = 0; i < m.graph.inputs.size(); ++i) {
    const auto& dims = m.graph.inputs[i].shape;
    const int64_t batch = !dims.empty() && dims[0].known() ? dims[0].value : 2;
    std::optional<Shape> s = concrete_input_shape(m, i, batch);
    if (!s) {
      note = "no concrete shape for input '" + m.graph.inputs[i].name + "'";
      return std::nullopt;
    }
    shapes.push_back(*s);
  }
  try {
    return infer_shapes(m.graph, shapes, keep);
  } catch (const Error& e) {
    note = e.what();
    return std::nullopt;
  }
}

nlohmann::json apply_compile(ModelBundle& m, TacticContext& ctx, const std::string& arg) {
  m.graph.disabled_passes = disabled_passes(arg);
  const size_t before = m.graph.nodes.size();
  std::deque<Tensor> keep;
  std::string probe_note;
  const std::optional<passes::ValueShapes> shapes = probe_shapes(m, keep, probe_note);
  nlohmann::json rewrites = passes::run_compile_passes(m.graph, shapes ? &*shapes : nullptr);
  ctx.executor = ExecutorKind::planned;
  nlohmann::json summary{{"nodes_before", before},
                         {"nodes_after", m.graph.nodes.size()},
                         {"rewrites", rewrites},
                         {"disabled_passes", m.graph.disabled_passes},
                         {"executor", "planned"}};
  if (!shapes) summary["shapes_unknown"] = probe_note;
  return summary;
}

}  // namespace

ECO_REGISTER_TACTIC(TacticInfo{"compile",
                               "fold constants and BatchNorm, fuse epilogues, GELU, LayerNorm and attention; planned executor "
                               "(compile:disable=PASS,... skips passes)",
                               apply_compile, check_compile_arg});

}  // namespace ecoinfer
