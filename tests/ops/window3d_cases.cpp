// Cases for 3-D convolution and pooling ([N, C, D, H, W], window_nd.cpp), which the Conv,
// MaxPool and AveragePool references hand over to for rank-5 inputs. Hand-computed.
#include "ops/case_util.h"

namespace ecoinfer::test {
namespace {

using V = std::vector<OpCase>;
// [1, 1, 2, 2, 2] holding 1..8.
Tensor cube() { return f32({1, 1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}); }

ECO_OP_CASES("Conv", [] {
  return V{mk("3-D, one window", "Conv", {}, {cube(), f32({1, 1, 2, 2, 2}, {1, 1, 1, 1, 1, 1, 1, 1})}, {f32({1, 1, 1, 1, 1}, {36})}),
           // Kernel 1 with 2 output channels and bias: a per-channel affine map.
           mk("3-D, 1x1x1 kernel, bias", "Conv", {}, {cube(), f32({2, 1, 1, 1, 1}, {1, -1}), f32({2}, {0, 10})},
              {f32({1, 2, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 8, 7, 6, 5, 4, 3, 2})}),
           // Stride 2 with pads 1: each output window holds exactly one input element.
           mk("3-D, pads and strides", "Conv", {{"pads", attr_ints({1, 1, 1, 1, 1, 1})}, {"strides", attr_ints({2, 2, 2})}},
              {cube(), f32({1, 1, 2, 2, 2}, {2, 2, 2, 2, 2, 2, 2, 2})}, {f32({1, 1, 2, 2, 2}, {2, 4, 6, 8, 10, 12, 14, 16})}),
           mk("3-D, groups", "Conv", {{"group", attr_i(2)}}, {f32({1, 2, 1, 1, 1}, {3, 4}), f32({2, 1, 1, 1, 1}, {2, 5})},
              {f32({1, 2, 1, 1, 1}, {6, 20})})};
});

ECO_OP_CASES("MaxPool", [] {
  return V{mk("3-D", "MaxPool", {{"kernel_shape", attr_ints({2, 2, 2})}}, {cube()}, {f32({1, 1, 1, 1, 1}, {8})}),
           mk("3-D, NaN wins", "MaxPool", {{"kernel_shape", attr_ints({1, 1, 2})}},
              {f32({1, 1, 1, 1, 2}, {1, kNaN})}, {f32({1, 1, 1, 1, 1}, {kNaN})})};
});

ECO_OP_CASES("AveragePool", [] {
  const std::map<std::string, Attribute> padded = {{"kernel_shape", attr_ints({2, 2, 2})},
                                                   {"strides", attr_ints({2, 2, 2})},
                                                   {"pads", attr_ints({1, 1, 1, 1, 1, 1})}};
  auto with_include = padded;
  with_include["count_include_pad"] = attr_i(1);
  return V{mk("3-D", "AveragePool", {{"kernel_shape", attr_ints({2, 2, 2})}}, {cube()}, {f32({1, 1, 1, 1, 1}, {4.5f})}),
           mk("3-D, padding excluded", "AveragePool", padded, {cube()}, {cube()}),
           mk("3-D, padding counted", "AveragePool", with_include, {cube()},
              {f32({1, 1, 2, 2, 2}, {1.f / 8, 2.f / 8, 3.f / 8, 4.f / 8, 5.f / 8, 6.f / 8, 7.f / 8, 1})})};
});

}  // namespace
}  // namespace ecoinfer::test
