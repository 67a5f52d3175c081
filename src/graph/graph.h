#pragma once
// The graph IR: values are named (as in ONNX), nodes refer to them by name, constant
// initializers hold their tensors. A node input named "" is an absent optional input.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/tensor.h"

namespace ecoinfer {

// The domain of ecoinfer's own ops (fused and quantized nodes that passes and tactics create).
inline constexpr const char* kEcoDomain = "com.ecoinfer";

struct Attribute {
  enum class Kind { i, f, s, ints, floats, strings, tensor };
  Kind kind = Kind::i;
  int64_t i = 0;
  float f = 0;
  std::string s;
  std::vector<int64_t> ints;
  std::vector<float> floats;
  std::vector<std::string> strings;
  Tensor t;
};

struct Node {
  std::string name;
  std::string op_type;
  std::string domain;  // "" is the standard ONNX domain
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::map<std::string, Attribute> attrs;

  bool has_attr(const std::string& k) const { return attrs.count(k) != 0; }
  int64_t attr_int(const std::string& k, int64_t dflt) const;
  int64_t attr_int(const std::string& k) const;  // required
  float attr_float(const std::string& k, float dflt) const;
  std::string attr_string(const std::string& k, const std::string& dflt) const;
  std::vector<int64_t> attr_ints(const std::string& k, std::vector<int64_t> dflt = {}) const;
  std::vector<float> attr_floats(const std::string& k, std::vector<float> dflt = {}) const;
  const Tensor& attr_tensor(const std::string& k) const;
  // "Conv 'name'" for messages
  std::string describe() const;
  bool has_input(size_t i) const { return i < inputs.size() && !inputs[i].empty(); }
};

// A dimension: known size >= 0, or unknown (-1) with an optional symbolic name ("batch").
struct Dim {
  int64_t value = -1;
  std::string symbol;
  bool known() const { return value >= 0; }
};

struct ValueInfo {
  std::string name;
  DType dtype = DType::f32;
  std::vector<Dim> shape;
  bool has_shape = false;
  std::string shape_str() const;
};

struct Graph {
  std::string name;
  int64_t opset = 0;
  std::string producer;
  std::string source;  // the file it was loaded from, for error messages ("" when built in memory)
  std::vector<Node> nodes;  // topologically sorted after verify()
  std::vector<ValueInfo> inputs;   // runtime inputs only (initializers excluded)
  std::vector<ValueInfo> outputs;
  std::unordered_map<std::string, Tensor> initializers;
  std::unordered_map<std::string, ValueInfo> value_info;  // optional annotations
  // Compile passes never to run on this graph (`--disable-pass`): kept with it so that the
  // planned executor's per-shape plans, which run the passes again, skip them too.
  std::vector<std::string> disabled_passes;

  bool is_initializer(const std::string& n) const { return initializers.count(n) != 0; }
  const Tensor* initializer(const std::string& n) const;
  int64_t parameter_count() const;  // elements in float initializers
  size_t initializer_bytes() const;
  std::map<std::string, int> op_counts() const;
};

// Sorts nodes topologically and checks the graph's structure: every input is produced
// exactly once (graph input, initializer or node output), no cycles, every graph output is
// produced. Throws Error naming the node. Whether each op exists with a valid input/output
// count is the registry's to say: verify_graph (ops/registry.h) checks both.
void verify_structure(Graph& g);

}  // namespace ecoinfer
