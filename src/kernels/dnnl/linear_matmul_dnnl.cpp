// FusedLinear on oneDNN's matmul primitive: the constant weight is packed once into the
// layout the primitive asks for (sgemm repacks it on every call), and bias plus ReLU/GELU
// are applied by the primitive while each output tile is still in registers.
// Also the bf16 tactic's Linear layers (ops/compute_dtype.h), fused or a plain MatMul with a
// constant weight: the weight is packed once as bf16, the input converted to bf16 by a
// reorder on each call, accumulation and output f32.
#include "kernels/dnnl/dnnl_common.h"
#include "ops/compute_dtype.h"
#include "ops/weight_format.h"
#include "ops/registry.h"

namespace ecoinfer::kernels::onednn {
namespace {

struct LinearState {
  int64_t m = -1;
  Tensor weight_src;  // kept alive so the pointer identity check is sound
  dnnl::matmul::primitive_desc pd;
  dnnl::matmul prim;
  dnnl::memory weights;
  dnnl::memory src;         // the input in the compute type (bf16), when not f32
  dnnl::reorder to_compute;  // f32 -> compute type
};

bool bf16_has_jit(const OpContext& c);

template <dt Compute>
bool linear_supports(const OpContext& c) {
  if (!c.has(0) || !c.has(1)) return false;
  if (ops::compute_dtype_of(c.node) != (Compute == dt::bf16 ? "bf16" : "f32")) return false;
  if (ops::weight_format_of(c.node) != "dense") return false;  // sparse layers have their own kernel
  const Tensor& x = c.in(0);
  const Tensor& w = c.in(1);
  const std::string act = c.node.attr_string("activation", "");
  return x.dtype() == DType::f32 && w.dtype() == DType::f32 && x.rank() >= 2 && w.rank() == 2 && x.dim(-1) == w.dim(0) &&
         x.numel() > 0 && w.dim(1) > 0 &&
         (!c.has(2) || (c.in(2).dtype() == DType::f32 && c.in(2).rank() == 1 && c.in(2).dim(0) == w.dim(1))) &&
         (act.empty() || act == "Relu" || act == "Gelu") && (Compute != dt::bf16 || bf16_has_jit(c));
}

// The node's state for M rows: the primitive, and unless `probe` the packed weight and the
// input reorder. A probe only asks oneDNN which implementation it would pick.
std::shared_ptr<LinearState> build_state(const OpContext& c, dt compute, int64_t m, int64_t k, int64_t n, bool probe) {
  const Tensor& w = c.in(1);
  auto fresh = std::make_shared<LinearState>();
  fresh->m = m;
  dnnl::memory::desc src_md({m, k}, compute, tag::ab), dst_md({m, n}, dt::f32, tag::ab);
  dnnl::memory::desc wei_md({k, n}, compute, tag::any);
  dnnl::memory::desc bias_md({1, n}, dt::f32, tag::ab);
  dnnl::post_ops ops;
  const std::string act = c.node.attr_string("activation", "");
  // ONNX Gelu (approximate = none) and PyTorch's default GELU are the erf form.
  if (act == "Relu") ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
  if (act == "Gelu") ops.append_eltwise(1.f, dnnl::algorithm::eltwise_gelu_erf, 0.f, 0.f);
  dnnl::primitive_attr attr;
  attr.set_post_ops(ops);
  auto d = c.has(2) ? dnnl::matmul::desc(src_md, wei_md, bias_md, dst_md) : dnnl::matmul::desc(src_md, wei_md, dst_md);
  fresh->pd = dnnl::matmul::primitive_desc(d, attr, cpu_engine());
  if (probe) return fresh;
  fresh->prim = dnnl::matmul(fresh->pd);
  auto& s = thread_stream();
  dnnl::memory w_plain(dnnl::memory::desc({k, n}, dt::f32, tag::ab), cpu_engine(), const_cast<void*>(w.raw()));
  fresh->weights = dnnl::memory(fresh->pd.weights_desc(), cpu_engine());
  dnnl::reorder(w_plain, fresh->weights).execute(s, w_plain, fresh->weights);
  s.wait();
  fresh->weight_src = w;
  if (compute != dt::f32) {
    fresh->src = dnnl::memory(src_md, cpu_engine());
    fresh->to_compute = dnnl::reorder(dnnl::reorder::primitive_desc(
        cpu_engine(), dnnl::memory::desc({m, k}, dt::f32, tag::ab), cpu_engine(), src_md));
  }
  return fresh;
}

LinearState& prepare(const OpContext& c, std::shared_ptr<void>& slot, dt compute, int64_t m, int64_t k, int64_t n) {
  auto* st = static_cast<LinearState*>(slot.get());
  if (st && st->m == m && st->weight_src.raw() == c.in(1).raw()) return *st;
  std::shared_ptr<LinearState> fresh = build_state(c, compute, m, k, n, /*probe=*/false);
  st = fresh.get();
  slot = std::move(fresh);
  return *st;
}

// Only where oneDNN has a bf16 JIT kernel for this shape (its reference implementation would
// be far slower than f32). Building the descriptor alone costs little; run() packs the weight.
bool bf16_has_jit(const OpContext& c) {
  const Tensor& x = c.in(0);
  const Tensor& w = c.in(1);
  try {
    const std::string impl = build_state(c, dt::bf16, x.numel() / w.dim(0), w.dim(0), w.dim(1), /*probe=*/true)->pd.impl_info_str();
    return impl.find("ref") == std::string::npos;
  } catch (const dnnl::error&) {
    return false;  // no bf16 implementation on this CPU (oneDNN 2.x needs AVX-512 for bf16)
  }
}

template <dt Compute>
std::vector<Tensor> linear_run(OpContext& c) {
  const Tensor& x = c.in(0);
  const Tensor& w = c.in(1);
  const int64_t k = w.dim(0), n = w.dim(1), m = x.numel() / k;
  Shape out = x.shape();
  out.back() = n;
  Tensor y = c.output(0, DType::f32, out);
  std::shared_ptr<void> local;  // callers without a state slot (shape inference) still work
  LinearState& st = prepare(c, c.state ? *c.state : local, Compute, m, k, n);
  auto& eng = cpu_engine();
  auto& s = thread_stream();
  dnnl::memory src(dnnl::memory::desc({m, k}, dt::f32, tag::ab), eng, const_cast<void*>(x.raw()));
  dnnl::memory dst(dnnl::memory::desc({m, n}, dt::f32, tag::ab), eng, y.raw());
  if (Compute != dt::f32) {
    st.to_compute.execute(s, src, st.src);
    src = st.src;
  }
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, st.weights}, {DNNL_ARG_DST, dst}};
  if (c.has(2))
    args[DNNL_ARG_BIAS] = dnnl::memory(dnnl::memory::desc({1, n}, dt::f32, tag::ab), eng, const_cast<void*>(c.in(2).raw()));
  st.prim.execute(s, args);
  s.wait();
  return {y};
}

}  // namespace

ECO_REGISTER_KERNEL(kEcoDomain, "FusedLinear",
                    KernelImpl{"f32-linear-matmul-postops-dnnl", linear_supports<dt::f32>, linear_run<dt::f32>});
// oneDNN 2.x runs bf16 without AVX512-BF16 only by emulation, slower than f32: not offered there.
ECO_REGISTER_KERNEL(kEcoDomain, "FusedLinear",
                    KernelImpl{"bf16-linear-matmul-postops-dnnl", linear_supports<dt::bf16>, linear_run<dt::bf16>,
                               CpuFeature::avx512_bf16});
// A marked MatMul is a Linear layer without bias (the tactic marks only constant 2-D weights).
ECO_REGISTER_KERNEL("", "MatMul",
                    KernelImpl{"bf16-linear-matmul-dnnl", linear_supports<dt::bf16>, linear_run<dt::bf16>,
                               CpuFeature::avx512_bf16});

}  // namespace ecoinfer::kernels::onednn
