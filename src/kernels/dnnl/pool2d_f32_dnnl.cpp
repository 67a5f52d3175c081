// f32 MaxPool, AveragePool (1-D and 2-D) and GlobalAveragePool on oneDNN pooling, plain NCHW
// in and out; the primitive is built once per node and input shape. Only windows that map
// exactly onto oneDNN's are taken, else the reference runs:
// - ceil_mode becomes extra right padding (as PyTorch's oneDNN path does); with
//   count_include_pad that would count the overhang, which ONNX and PyTorch do not: reference.
// - every window must hold at least one input element (pads smaller than the dilated
//   window, dilated windows no larger than the input): oneDNN's empty-window values differ.
// - MaxPool's optional Indices output: reference.
// Max pooling is exact; averages are summed in float (the reference sums in double).
// NaN inputs to max pooling propagate in the reference; oneDNN does not promise that.
#include <optional>

#include "kernels/dnnl/dnnl_common.h"
#include "ops/pool.h"

namespace ecoinfer::kernels::onednn {
namespace {

struct PoolGeometry {
  Shape out_shape;
  dnnl::algorithm alg = dnnl::algorithm::pooling_max;
  dnnl::memory::dims src, dst, kernel, strides, dilation, pad_l, pad_r;  // 2-D, oneDNN's conventions
};

struct PoolState {
  Shape x_shape;
  PoolGeometry g;
  dnnl::pooling_v2_forward prim;
};

// One spatial axis: the right padding that makes oneDNN's floor formula give `out`, or
// nullopt when the axis does not map exactly.
std::optional<int64_t> axis_pad_r(int64_t in, int64_t k, int64_t stride, int64_t dil, int64_t pad_l, int64_t pad_r,
                                  int64_t out, bool include_pad) {
  const int64_t span = dil * (k - 1) + 1;
  int64_t pr = pad_r;
  if ((in - span + pad_l + pad_r) / stride + 1 != out) {
    pr = (out - 1) * stride + span - in - pad_l;  // ceil_mode overhang beyond the explicit padding
    if (include_pad) return std::nullopt;
  }
  if (pad_l >= span || pr >= span || pr < 0) return std::nullopt;
  if (dil > 1 && in < span) return std::nullopt;
  return pr;
}

std::optional<PoolGeometry> pool_geometry(const OpContext& c) {
  if (!c.has(0) || c.in(0).dtype() != DType::f32 || c.in(0).numel() == 0) return std::nullopt;
  const Tensor& x = c.in(0);
  const std::string& op = c.node.op_type;
  PoolGeometry g;
  if (op == "GlobalAveragePool") {
    if (x.rank() < 3) return std::nullopt;
    // All spatial axes pooled: rank 4 as is, any other rank as [N, C, 1, H*W*...].
    const int64_t h = x.rank() == 4 ? x.dim(2) : 1, w = x.numel() / (x.dim(0) * x.dim(1) * h);
    g.out_shape = x.shape();
    for (int d = 2; d < x.rank(); ++d) g.out_shape[d] = 1;
    g.alg = dnnl::algorithm::pooling_avg_exclude_padding;
    g.src = {x.dim(0), x.dim(1), h, w};
    g.dst = {x.dim(0), x.dim(1), 1, 1};
    g.kernel = {h, w};
    g.strides = {1, 1};
    g.dilation = {0, 0};
    g.pad_l = g.pad_r = {0, 0};
    return g;
  }
  if (x.rank() != 3 && x.rank() != 4) return std::nullopt;
  if (op == "MaxPool" && c.node.outputs.size() >= 2 && !c.node.outputs[1].empty()) return std::nullopt;
  ops::PoolParams p;
  try {
    p = ops::resolve_pool(c.node, x.shape());
  } catch (const Error&) {
    return std::nullopt;  // the reference reports it
  }
  const bool include = op == "AveragePool" && p.count_include_pad;
  auto pr_h = axis_pad_r(p.h, p.kh, p.stride_h, p.dil_h, p.pad_t, p.pad_b, p.oh, include);
  auto pr_w = axis_pad_r(p.w, p.kw, p.stride_w, p.dil_w, p.pad_l, p.pad_r, p.ow, include);
  if (!pr_h || !pr_w) return std::nullopt;
  g.out_shape = p.out_shape;
  g.alg = op == "MaxPool" ? dnnl::algorithm::pooling_max
          : include       ? dnnl::algorithm::pooling_avg_include_padding
                          : dnnl::algorithm::pooling_avg_exclude_padding;
  g.src = {p.n, p.c, p.h, p.w};
  g.dst = {p.n, p.c, p.oh, p.ow};
  g.kernel = {p.kh, p.kw};
  g.strides = {p.stride_h, p.stride_w};
  g.dilation = {p.dil_h - 1, p.dil_w - 1};  // oneDNN counts the gaps
  g.pad_l = {p.pad_t, p.pad_l};
  g.pad_r = {*pr_h, *pr_w};
  return g;
}

bool pool_supports(const OpContext& c) { return pool_geometry(c).has_value(); }

PoolState& prepare(OpContext& c, std::shared_ptr<void>& local) {
  auto& slot = c.state ? *c.state : local;  // no executor slot: build for this call only
  auto* st = static_cast<PoolState*>(slot.get());
  if (st && st->x_shape == c.in(0).shape()) return *st;
  auto fresh = std::make_shared<PoolState>();
  fresh->x_shape = c.in(0).shape();
  fresh->g = *pool_geometry(c);
  const PoolGeometry& g = fresh->g;
  auto d = dnnl::pooling_v2_forward::desc(dnnl::prop_kind::forward_inference, g.alg,
                                          dnnl::memory::desc(g.src, dt::f32, tag::nchw),
                                          dnnl::memory::desc(g.dst, dt::f32, tag::nchw), g.strides, g.kernel,
                                          g.dilation, g.pad_l, g.pad_r);
  fresh->prim = dnnl::pooling_v2_forward(dnnl::pooling_v2_forward::primitive_desc(d, cpu_engine()));
  slot = fresh;
  return *fresh;
}

std::vector<Tensor> pool_run(OpContext& c) {
  std::shared_ptr<void> local;
  PoolState& st = prepare(c, local);
  const Tensor& x = c.in(0);
  Tensor y = c.output(0, DType::f32, st.g.out_shape);
  auto& eng = cpu_engine();
  auto& s = thread_stream();
  dnnl::memory src(dnnl::memory::desc(st.g.src, dt::f32, tag::nchw), eng, const_cast<void*>(x.raw()));
  dnnl::memory dst(dnnl::memory::desc(st.g.dst, dt::f32, tag::nchw), eng, y.raw());
  st.prim.execute(s, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
  s.wait();
  return {y};
}

}  // namespace

ECO_REGISTER_KERNEL("", "MaxPool", KernelImpl{"f32-maxpool2d-dnnl", pool_supports, pool_run});
ECO_REGISTER_KERNEL("", "AveragePool", KernelImpl{"f32-avgpool2d-dnnl", pool_supports, pool_run});
ECO_REGISTER_KERNEL("", "GlobalAveragePool", KernelImpl{"f32-globalavgpool-dnnl", pool_supports, pool_run});

}  // namespace ecoinfer::kernels::onednn
