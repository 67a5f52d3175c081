#pragma once
// Operator registry: each op file registers its schema (input/output counts, shape rule,
// reference kernel); fast kernels (oneDNN, AVX-512) add themselves beside the reference.
// The test harness iterates every op and every kernel path against the reference.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace ecoinfer {

// What shape inference knows about a value. `value` is set when the value is a constant or
// was computed from shapes (Shape -> Gather -> Concat chains).
struct TensorMeta {
  DType dtype = DType::f32;
  Shape shape;
  const Tensor* value = nullptr;
};

struct OpContext {
  const Node& node;
  std::vector<const Tensor*> inputs;  // nullptr for an absent optional input
  int threads = 1;
  std::shared_ptr<void>* state = nullptr;  // per-node cache owned by the executor (primitives, packed weights)
  // Buffers the planned executor assigned to this node's outputs (its static memory plan);
  // null or undefined entries mean "allocate". Kernels get them through output().
  const std::vector<Tensor>* planned_outputs = nullptr;

  size_t num_inputs() const { return inputs.size(); }
  bool has(size_t i) const { return i < inputs.size() && inputs[i] != nullptr; }
  const Tensor& in(size_t i) const {
    ECO_CHECK(has(i), "{}: missing input {}", node.describe(), i);
    return *inputs[i];
  }
  // Storage for output i: the planned buffer when the plan has one of this dtype and shape,
  // else a fresh allocation. Contents are unspecified either way; kernels overwrite it all.
  Tensor output(size_t i, DType dtype, Shape shape) const;
};

using KernelFn = std::function<std::vector<Tensor>(OpContext&)>;
using InferFn = std::function<std::vector<TensorMeta>(const Node&, const std::vector<TensorMeta>&)>;
// Multiply-accumulates of one call, from input and output shapes.
using MacsFn = std::function<int64_t(const Node&, const std::vector<TensorMeta>&, const std::vector<TensorMeta>&)>;

// A CPU feature a fast kernel's code needs. A kernel whose feature this CPU lacks is never
// offered a node, and prepare() lists the nodes left on the reference kernel for that reason
// apart from real fallbacks (a kernel that runs here but declined the node).
enum class CpuFeature { none, avx2, avx512f, avx512_vnni, avx512_bf16 };
bool cpu_has(CpuFeature f);
// "AVX2", "AVX-512 (F, BW, DQ, VL)", "AVX-512 VNNI", "AVX-512 BF16"
const char* cpu_feature_name(CpuFeature f);

struct KernelImpl {
  std::string name;  // what it computes and for which ISA, e.g. "f32-conv2d-dnnl"
  std::function<bool(const OpContext&)> supports;
  KernelFn run;
  CpuFeature needs = CpuFeature::none;
  // Where the CPU has this feature a faster kernel of the same op runs, and the executor does
  // not offer this one nodes. It stays correct there: the op harness still checks it.
  std::optional<CpuFeature> yields_to;
  // This CPU can execute the kernel's code.
  bool runnable() const { return cpu_has(needs); }
  // The executor offers it nodes: runnable, and no better kernel for this CPU.
  bool available() const { return runnable() && !(yields_to && cpu_has(*yields_to)); }
};

struct OpSchema {
  std::string domain;  // "" for ONNX
  std::string op_type;
  int min_inputs = 1;
  int max_inputs = 1;
  int max_outputs = 1;
  KernelFn reference;
  InferFn infer;  // optional: without it, shape inference runs the reference kernel on zeros
  MacsFn macs;    // optional: 0 when absent
  // The output's values depend only on input shapes (Shape, Size): shape inference
  // evaluates the op so that shape subgraphs downstream are exact.
  bool value_from_shapes = false;
  // Output 0 may share input 0's storage (Reshape and friends return views): the planned
  // executor's memory plan keeps the input's buffer alive as long as the view is used.
  bool output_views_input = false;
  std::vector<KernelImpl> fast;
};

const OpSchema* find_op(const std::string& domain, const std::string& op_type);

// Every node's op is registered and has a valid input/output count, then verify_structure
// (sorts topologically). Throws Error naming the node.
void verify_graph(Graph& g);
std::vector<const OpSchema*> all_ops();

struct OpRegistrar {
  explicit OpRegistrar(OpSchema schema);
};
struct KernelRegistrar {
  KernelRegistrar(const std::string& domain, const std::string& op_type, KernelImpl impl);
};

#define ECO_CONCAT_INNER(a, b) a##b
#define ECO_CONCAT(a, b) ECO_CONCAT_INNER(a, b)
// Registers a schema at static-initialisation time (the library is linked whole-archive).
#define ECO_REGISTER_OP(...) static ::ecoinfer::OpRegistrar ECO_CONCAT(eco_op_registrar_, __LINE__)(__VA_ARGS__)
#define ECO_REGISTER_KERNEL(domain, op, ...) \
  static ::ecoinfer::KernelRegistrar ECO_CONCAT(eco_kernel_registrar_, __LINE__)(domain, op, __VA_ARGS__)

}  // namespace ecoinfer
