#pragma once
// Graph passes: each is a match condition plus a rewrite (one pass per file), listed in
// pipeline.cpp. A pass returns how many rewrites it made; the pipeline logs them.
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "graph/graph.h"

namespace ecoinfer::passes {

struct Pass {
  std::string name;
  std::string what;  // one line for logs and docs
  std::function<int(Graph&)> run;
};

// Helpers for writing passes over the name-based graph.
struct GraphIndex {
  explicit GraphIndex(const Graph& g);
  std::unordered_map<std::string, int> producer;                // value -> node index
  std::unordered_map<std::string, std::vector<int>> consumers;  // value -> node indices
  std::unordered_map<std::string, bool> is_graph_output;
  // The only consumer of `value`, or -1 (also -1 when it is a graph output).
  int single_consumer(const std::string& value) const;
};

// A standard-domain node of the given op type.
inline bool is_op(const Node& n, const char* op) { return n.op_type == op && n.domain.empty(); }

// Removes nodes marked dead (op_type cleared) and re-verifies the graph.
void compact(Graph& g);
// A fresh initializer name derived from `base`.
std::string fresh_name(const Graph& g, const std::string& base);
// Hands out value names, derived from a base, that no node, initializer or graph input/output
// uses and that it has not handed out before (so a pass can collect new nodes before they
// join the graph). Built once per rewrite sweep: one scan of the graph, not one per name.
class ValueNames {
 public:
  explicit ValueNames(const Graph& g);
  std::string fresh(const std::string& base);

 private:
  std::unordered_set<std::string> taken_;
};
// Transpose(input, perm) -> output, named after its output.
Node make_transpose(const std::string& input, const std::string& output, std::vector<int64_t> perm);
// Scalar value of a constant float initializer holding one element, else NaN.
float constant_scalar(const Graph& g, const std::string& name);

// The `compile` pipeline's graph-level passes, in order.
const std::vector<Pass>& compile_passes();
// Runs them to a fixed point (at most a few rounds) and returns {pass name: rewrites}.
nlohmann::json run_compile_passes(Graph& g);

}  // namespace ecoinfer::passes
