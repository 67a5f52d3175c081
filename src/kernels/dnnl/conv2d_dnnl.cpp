// 2-D convolution on oneDNN: plain NCHW in and out (the executors' layout), or NHWC for a
// FusedConv with channels_last (then no activation reorder at all); oneDNN picks the weight
// layout, and weights are reordered once per node and cached. The same kernel runs
// FusedConv: residual and activation become oneDNN post-ops (sum, eltwise).
// Two compute types share this plumbing: f32, and bf16 for the layers the bf16 tactic marks
// (ops/compute_dtype.h): weights are packed once as bf16, the input is converted to bf16 by
// the reorder into the primitive's layout, accumulation and output stay f32.
#include <cmath>
#include <cstring>

#include "kernels/dnnl/dnnl_common.h"
#include "ops/compute_dtype.h"
#include "ops/conv.h"
#include "ops/fused_epilogue.h"

namespace ecoinfer::kernels::onednn {
namespace {

struct ConvState {
  Shape x_shape;
  ops::ConvParams p;
  Shape out_shape;  // as the tensor holds it (NHWC when channels_last)
  dnnl::convolution_forward prim;
  dnnl::convolution_forward::primitive_desc pd;
  Tensor weight_src;  // kept alive so the pointer identity check below is sound
  dnnl::memory weights;
  bool src_reorder = false, dst_reorder = false;
  dnnl::memory src_blocked, dst_blocked;
  dnnl::reorder to_blocked, from_blocked, residual_to_blocked;
};

bool is_fused(const OpContext& c) { return c.node.op_type == "FusedConv"; }
bool channels_last(const OpContext& c) { return is_fused(c) && c.node.attr_int("channels_last", 0) != 0; }
Shape logical_nchw(const OpContext& c, const Shape& s) {
  return channels_last(c) && s.size() == 4 ? Shape{s[0], s[3], s[1], s[2]} : s;
}
Shape stored(const OpContext& c, const Shape& nchw) {
  return channels_last(c) && nchw.size() == 4 ? Shape{nchw[0], nchw[2], nchw[3], nchw[1]} : nchw;
}

// The node's state for its input shape: the primitive, and unless `probe` the packed weights
// and reorders. A probe only asks oneDNN which implementation it would pick.
std::shared_ptr<ConvState> build_state(const OpContext& c, dt compute, bool probe);

template <dt Compute>
bool conv_supports(const OpContext& c) {
  if (!c.has(0) || !c.has(1)) return false;
  if (ops::compute_dtype_of(c.node) != (Compute == dt::bf16 ? "bf16" : "f32")) return false;
  if (is_fused(c)) {
    const std::string act = c.node.attr_string("activation", "");
    if (!ops::conv_activation_in_dnnl(act)) return false;
  }
  const Tensor& x = c.in(0);
  const Tensor& w = c.in(1);
  if (x.dtype() != DType::f32 || w.dtype() != DType::f32 || x.rank() != 4 || w.rank() != 4) return false;
  if (c.has(2) && (c.in(2).dtype() != DType::f32 || c.in(2).numel() != w.dim(0))) return false;
  if (x.numel() == 0) return false;
  if (c.has(3)) {  // residual: same shape as the output, no broadcasting
    const ops::ConvParams p = ops::resolve_conv(c.node, logical_nchw(c, x.shape()), w.shape());
    if (c.in(3).dtype() != DType::f32 || c.in(3).shape() != stored(c, p.out_shape)) return false;
  }
  if constexpr (Compute == dt::bf16) {
    // Only where oneDNN has a bf16 JIT kernel for this shape: its reference implementation
    // would be far slower than f32. Building the descriptor alone costs little; weights are
    // packed by run().
    try {
      return std::string(build_state(c, dt::bf16, /*probe=*/true)->pd.impl_info_str()).find("ref") == std::string::npos;
    } catch (const dnnl::error&) {
      return false;  // no bf16 implementation on this CPU (oneDNN 2.x needs AVX-512 for bf16)
    }
  }
  return true;
}

std::shared_ptr<ConvState> build_state(const OpContext& c, dt compute, bool probe) {
  const Tensor& x = c.in(0);
  const Tensor& w = c.in(1);
  auto fresh = std::make_shared<ConvState>();
  fresh->x_shape = x.shape();
  fresh->p = ops::resolve_conv(c.node, logical_nchw(c, x.shape()), w.shape());
  const auto& p = fresh->p;
  fresh->out_shape = stored(c, p.out_shape);
  const tag plain_tag = channels_last(c) ? tag::nhwc : tag::nchw;
  dnnl::memory::dims src{p.n, p.c_in, p.h, p.w}, dst{p.n, p.c_out, p.oh, p.ow};
  dnnl::memory::dims wei = p.groups == 1 ? dnnl::memory::dims{p.c_out, p.c_in, p.kh, p.kw}
                                         : dnnl::memory::dims{p.groups, p.c_out / p.groups, p.c_in / p.groups, p.kh, p.kw};
  dnnl::memory::dims bias{p.c_out};
  // oneDNN dilation counts the gaps: ONNX dilation d is oneDNN dilation d - 1.
  dnnl::memory::dims strides{p.stride_h, p.stride_w}, dil{p.dil_h - 1, p.dil_w - 1}, pl{p.pad_t, p.pad_l},
      pr{p.pad_b, p.pad_r};
  // Let oneDNN choose blocked src/dst layouts when channels are wide enough to profit;
  // the reorders at the edges cost less than the plain-layout fallback (measured: docs/performance.md).
  // Channels-last tensors are taken as they are: the compile pass chose NHWC because oneDNN's
  // best kernels for these shapes read it.
  // A first layer (1-3 input channels) keeps its plain input but may still get a blocked
  // output: oneDNN's gemm-based fallback for plain layouts applies post-ops slowly
  // (measured: MNIST conv1 with ReLU 4.8 ms vs 1.0 ms without).
  const bool src_blocked = !channels_last(c) && p.c_in >= 8 && p.c_out >= 8;
  const bool dst_blocked = !channels_last(c) && p.c_out >= 8;
  dnnl::memory::desc src_md(src, compute, src_blocked ? tag::any : plain_tag);
  dnnl::memory::desc dst_md(dst, dt::f32, dst_blocked ? tag::any : plain_tag);
  dnnl::memory::desc wei_md(wei, compute, tag::any);
  dnnl::memory::desc bias_md(bias, dt::f32, tag::a);
  auto d = dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                                           src_md, wei_md, bias_md, dst_md, strides, dil, pl, pr);
  dnnl::post_ops ops;
  if (is_fused(c)) {
    if (c.has(3)) ops.append_sum(1.f);
    const std::string act = c.node.attr_string("activation", "");
    if (act == "Relu") ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
    if (act == "Swish") ops.append_eltwise(1.f, dnnl::algorithm::eltwise_swish, 1.f, 0.f);  // x * sigmoid(1 * x)
    // oneDNN 2.x's hardswish is x * min(max(x + 3, 0), 6) / 6: ONNX's alpha 1/6, beta 0.5.
    if (act == "HardSwish") ops.append_eltwise(1.f, dnnl::algorithm::eltwise_hardswish, 0.f, 0.f);
    if (act == "Clip")
      ops.append_eltwise(1.f, dnnl::algorithm::eltwise_clip, c.node.attr_float("clip_min", -INFINITY),
                         c.node.attr_float("clip_max", INFINITY));
  }
  dnnl::primitive_attr attr;
  attr.set_post_ops(ops);
  fresh->pd = dnnl::convolution_forward::primitive_desc(d, attr, cpu_engine());
  if (probe) return fresh;
  fresh->prim = dnnl::convolution_forward(fresh->pd);
  auto& eng = cpu_engine();
  auto& s = thread_stream();
  dnnl::memory w_plain(dnnl::memory::desc(wei, dt::f32, p.groups == 1 ? tag::oihw : tag::goihw), eng,
                       const_cast<void*>(w.raw()));
  fresh->weights = dnnl::memory(fresh->pd.weights_desc(), eng);
  dnnl::reorder(w_plain, fresh->weights).execute(s, w_plain, fresh->weights);
  fresh->weight_src = w;
  dnnl::memory::desc plain_src(src, dt::f32, plain_tag), plain_dst(dst, dt::f32, plain_tag);
  fresh->src_reorder = fresh->pd.src_desc() != plain_src;
  fresh->dst_reorder = fresh->pd.dst_desc() != plain_dst;
  if (fresh->src_reorder) {
    fresh->src_blocked = dnnl::memory(fresh->pd.src_desc(), eng);
    fresh->to_blocked = dnnl::reorder(dnnl::reorder::primitive_desc(eng, plain_src, eng, fresh->pd.src_desc()));
  }
  if (fresh->dst_reorder) {
    fresh->dst_blocked = dnnl::memory(fresh->pd.dst_desc(), eng);
    fresh->from_blocked = dnnl::reorder(dnnl::reorder::primitive_desc(eng, fresh->pd.dst_desc(), eng, plain_dst));
    fresh->residual_to_blocked = dnnl::reorder(dnnl::reorder::primitive_desc(eng, plain_dst, eng, fresh->pd.dst_desc()));
  }
  s.wait();
  return fresh;
}

ConvState& prepare(OpContext& c, dt compute) {
  auto& slot = *c.state;
  auto* st = static_cast<ConvState*>(slot.get());
  if (st && st->x_shape == c.in(0).shape() && st->weight_src.raw() == c.in(1).raw()) return *st;
  std::shared_ptr<ConvState> fresh = build_state(c, compute, /*probe=*/false);
  st = fresh.get();
  slot = std::move(fresh);
  return *st;
}

template <dt Compute>
std::vector<Tensor> conv_run(OpContext& c) {
  ConvState& st = prepare(c, Compute);
  const auto& p = st.p;
  const Tensor& x = c.in(0);
  Tensor y = c.output(0, DType::f32, st.out_shape);
  auto& eng = cpu_engine();
  auto& s = thread_stream();
  const tag plain_tag = channels_last(c) ? tag::nhwc : tag::nchw;
  dnnl::memory src(dnnl::memory::desc({p.n, p.c_in, p.h, p.w}, dt::f32, plain_tag), eng, const_cast<void*>(x.raw()));
  dnnl::memory dst(dnnl::memory::desc({p.n, p.c_out, p.oh, p.ow}, dt::f32, plain_tag), eng, y.raw());
  Tensor zero_bias;
  const void* bias_ptr;
  if (c.has(2)) bias_ptr = c.in(2).raw();
  else {
    zero_bias = Tensor::zeros(DType::f32, {p.c_out});
    bias_ptr = zero_bias.raw();
  }
  dnnl::memory bias(dnnl::memory::desc({p.c_out}, dt::f32, tag::a), eng, const_cast<void*>(bias_ptr));
  dnnl::memory src_use = src, dst_use = dst;
  if (st.src_reorder) {
    st.to_blocked.execute(s, src, st.src_blocked);
    src_use = st.src_blocked;
  }
  if (st.dst_reorder) dst_use = st.dst_blocked;
  if (c.has(3)) {
    // The sum post-op adds what the destination already holds: put the residual there.
    dnnl::memory res(dnnl::memory::desc({p.n, p.c_out, p.oh, p.ow}, dt::f32, plain_tag), eng, const_cast<void*>(c.in(3).raw()));
    if (st.dst_reorder) st.residual_to_blocked.execute(s, res, st.dst_blocked);
    else std::memcpy(y.raw(), c.in(3).raw(), y.nbytes());
  }
  st.prim.execute(s, {{DNNL_ARG_SRC, src_use}, {DNNL_ARG_WEIGHTS, st.weights}, {DNNL_ARG_BIAS, bias},
                      {DNNL_ARG_DST, dst_use}});
  if (st.dst_reorder) st.from_blocked.execute(s, st.dst_blocked, dst);
  s.wait();
  return {y};
}

}  // namespace

ECO_REGISTER_KERNEL("", "Conv", KernelImpl{"f32-conv2d-dnnl", conv_supports<dt::f32>, conv_run<dt::f32>});
ECO_REGISTER_KERNEL(kEcoDomain, "FusedConv",
                    KernelImpl{"f32-conv2d-postops-dnnl", conv_supports<dt::f32>, conv_run<dt::f32>});
// oneDNN 2.x runs bf16 without AVX512-BF16 only by emulation, slower than f32: not offered there.
ECO_REGISTER_KERNEL("", "Conv",
                    KernelImpl{"bf16-conv2d-dnnl", conv_supports<dt::bf16>, conv_run<dt::bf16>, CpuFeature::avx512_bf16});
ECO_REGISTER_KERNEL(kEcoDomain, "FusedConv",
                    KernelImpl{"bf16-conv2d-postops-dnnl", conv_supports<dt::bf16>, conv_run<dt::bf16>,
                               CpuFeature::avx512_bf16});

}  // namespace ecoinfer::kernels::onednn
