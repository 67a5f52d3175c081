// Fuzzes the ONNX loader: parse, convert, verify, and shape inference at batch 1.
// Any ecoinfer::Error is the expected outcome for bad bytes; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <deque>

#include "onnx/onnx_import.h"
#include "runtime/executor.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Keep single tensors far below the fuzzer's RSS limit; bigger claims must fail cleanly.
  ecoinfer::set_max_tensor_bytes(size_t{64} << 20);
  try {
    ecoinfer::Graph g = ecoinfer::load_onnx_bytes(data, size, "fuzz.onnx", {});
    // Shape inference evaluates constant subgraphs: bound the work on huge claims.
    if (g.initializer_bytes() > (8u << 20) || g.nodes.size() > 2000) return 0;
    std::vector<ecoinfer::Shape> shapes;
    for (auto& v : g.inputs) {
      ecoinfer::Shape s;
      for (auto& d : v.shape) s.push_back(d.known() ? std::min<int64_t>(d.value, 64) : 1);
      shapes.push_back(s);
    }
    std::deque<ecoinfer::Tensor> keep;
    ecoinfer::infer_shapes(g, shapes, keep);
  } catch (const ecoinfer::Error&) {
  }
  return 0;
}
