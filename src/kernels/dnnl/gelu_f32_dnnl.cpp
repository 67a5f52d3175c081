// f32 Gelu on oneDNN's eltwise primitive (gelu_erf for approximate="none", gelu_tanh for
// "tanh"), multithreaded by oneDNN, built once per node and element count. A Gelu stays a
// node of its own where no FusedLinear absorbs it: after dynamic-int8 (its MatMulDynamicInt8
// has no epilogue), or behind an op the fusion does not match. On the reference it took 17 % of
// torchvision ViT-B/16's time under dynamic-int8 + compile, 5 % with this kernel (--profile shares,
// 2026-12-02, both on a machine loaded by a build: indicative, no raw file).
#include "kernels/dnnl/dnnl_common.h"
#include "ops/registry.h"

namespace ecoinfer::kernels::onednn {
namespace {

struct GeluState {
  int64_t n = -1;
  dnnl::eltwise_forward prim;
};

bool gelu_supports(const OpContext& c) {
  if (!c.has(0) || c.in(0).dtype() != DType::f32 || c.in(0).numel() == 0) return false;
  const std::string approx = c.node.attr_string("approximate", "none");
  return approx == "none" || approx == "tanh";
}

std::vector<Tensor> gelu_run(OpContext& c) {
  const Tensor& x = c.in(0);
  Tensor y = c.output(0, DType::f32, x.shape());
  const int64_t n = x.numel();
  std::shared_ptr<void> local;  // callers without a state slot (shape inference) still work
  auto& slot = c.state ? *c.state : local;
  auto* st = static_cast<GeluState*>(slot.get());
  if (!st || st->n != n) {
    auto fresh = std::make_shared<GeluState>();
    fresh->n = n;
    const auto alg = c.node.attr_string("approximate", "none") == "tanh" ? dnnl::algorithm::eltwise_gelu_tanh
                                                                         : dnnl::algorithm::eltwise_gelu_erf;
    const dnnl::memory::desc md({n}, dt::f32, tag::a);
    fresh->prim = dnnl::eltwise_forward(dnnl::eltwise_forward::primitive_desc(
        dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_inference, alg, md, 0.f, 0.f), cpu_engine()));
    slot = fresh;
    st = fresh.get();
  }
  auto& s = thread_stream();
  const dnnl::memory::desc md({n}, dt::f32, tag::a);
  dnnl::memory src(md, cpu_engine(), const_cast<void*>(x.raw())), dst(md, cpu_engine(), y.raw());
  st->prim.execute(s, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
  s.wait();
  return {y};
}

}  // namespace

ECO_REGISTER_KERNEL("", "Gelu", KernelImpl{"f32-gelu-dnnl", gelu_supports, gelu_run});
ECO_REGISTER_KERNEL("com.microsoft", "Gelu", KernelImpl{"f32-gelu-dnnl", gelu_supports, gelu_run});

}  // namespace ecoinfer::kernels::onednn
