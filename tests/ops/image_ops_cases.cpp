// Cases for the image ops added for ONNX conformance (issue 17): Resize and Upsample (with
// their fast kernel), LRN (with its fast kernel), InstanceNormalization,
// MeanVarianceNormalization, ConvTranspose. Expectations are worked by hand in the comments;
// cubic sampling is checked against ONNX's own expected outputs by the conformance test
// (tests/conformance), here only fast kernel against reference.
#include "ops/case_util.h"

namespace ecoinfer::test {
namespace {

using V = std::vector<OpCase>;

OpCase resize(const std::string& label, std::map<std::string, Attribute> attrs, Tensor x, Tensor roi, Tensor scales,
              Tensor sizes, std::vector<Tensor> expected) {
  return mk(label, "Resize", std::move(attrs), {std::move(x), std::move(roi), std::move(scales), std::move(sizes)},
            std::move(expected));
}
Tensor row(std::vector<float> v) {
  const auto n = static_cast<int64_t>(v.size());  // before v is moved from
  return f32({1, 1, 1, n}, std::move(v));
}
Tensor scales4(float w) { return f32({4}, {1, 1, 1, w}); }

ECO_OP_CASES("Resize", [] {
  V v{
      // half_pixel: x = (o + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25; round_prefer_floor, clamped.
      resize("nearest, half_pixel, 2x", {}, row({1, 2}), none(), scales4(2), none(), {row({1, 1, 2, 2})}),
      // The same coordinates, linear with edge clamping: 1, 0.75*1 + 0.25*3, 0.25*1 + 0.75*3, 3.
      resize("linear, half_pixel, 2x", {{"mode", attr_s("linear")}}, row({1, 3}), none(), scales4(2), none(),
             {row({1, 1.5f, 2.5f, 3})}),
      // align_corners with sizes: x = o * (3 - 1) / (3 - 1).
      resize("linear, align_corners, sizes", {{"mode", attr_s("linear")}, {"coordinate_transformation_mode", attr_s("align_corners")}},
             row({1, 3, 7}), none(), none(), i64({4}, {1, 1, 1, 5}), {row({1, 2, 3, 5, 7})}),
      // asymmetric: x = o / 3 -> 0, 0.33, 0.67, 1, 1.33, 1.67; round_prefer_ceil and floor differ at .5 only.
      resize("nearest, asymmetric, round_prefer_ceil", {{"coordinate_transformation_mode", attr_s("asymmetric")},
                                                       {"nearest_mode", attr_s("round_prefer_ceil")}},
             row({1, 2}), none(), scales4(3), none(), {row({1, 1, 2, 2, 2, 2})}),
      resize("nearest, asymmetric, floor", {{"coordinate_transformation_mode", attr_s("asymmetric")}, {"nearest_mode", attr_s("floor")}},
             row({1, 2}), none(), scales4(3), none(), {row({1, 1, 1, 2, 2, 2})}),
      // pytorch_half_pixel to one output: coordinate 0.
      resize("linear, pytorch_half_pixel, to size 1", {{"mode", attr_s("linear")}, {"coordinate_transformation_mode", attr_s("pytorch_half_pixel")}},
             row({4, 8}), none(), none(), i64({4}, {1, 1, 1, 1}), {row({4})}),
      // tf_crop_and_resize, roi [-0.5, 1] on W: x = -0.5 + o * 0.75 = -0.5 (outside: 10), 0.25, 1.
      resize("linear, tf_crop_and_resize, extrapolation", {{"mode", attr_s("linear")},
                                                          {"coordinate_transformation_mode", attr_s("tf_crop_and_resize")},
                                                          {"extrapolation_value", attr_f(10)}},
             row({1, 2}), f32({8}, {0, 0, 0, -0.5f, 1, 1, 1, 1}), none(), i64({4}, {1, 1, 1, 3}), {row({10, 1.25f, 2})}),
      // Opset 10: X and scales only, asymmetric, floor.
      mk("opset 10 nearest", "Resize", {{"_opset", attr_i(10)}}, {row({1, 2}), scales4(1.5f)}, {row({1, 1, 2})}),
  };
  // Fast kernel against the reference: every mode, up and down, and a 2-thread split.
  const Tensor img = random_f32({1, 3, 9, 11}, 11);
  for (const char* mode : {"nearest", "linear", "cubic"})
    for (float s : {2.f, 0.6f}) {
      v.push_back(resize(std::string("fast kernel, ") + mode + ", scale " + std::to_string(s), {{"mode", attr_s(mode)}}, img,
                         none(), f32({4}, {1, 1, s, s}), none(), {}));
    }
  v.push_back(resize("fast kernel, cubic A=-0.5, exclude_outside, sizes", {{"mode", attr_s("cubic")}, {"cubic_coeff_a", attr_f(-0.5f)},
                                                                         {"exclude_outside", attr_i(1)}},
                     img, none(), none(), i64({4}, {1, 3, 5, 17}), {}));
  v.push_back(resize("fast kernel, linear, align_corners, 2 threads", {{"mode", attr_s("linear")},
                                                                      {"coordinate_transformation_mode", attr_s("align_corners")}},
                     random_f32({1, 16, 128, 128}, 12), none(), f32({4}, {1, 1, 2, 2}), none(), {}));
  v.push_back(resize("fast kernel, nearest, 2 threads", {}, random_f32({2, 8, 128, 128}, 13), none(), f32({4}, {1, 1, 2, 2}),
                     none(), {}));
  return v;
});

ECO_OP_CASES("Upsample", [] {
  return V{
      // floor(o / 3)
      mk("opset 9, nearest", "Upsample", {{"_opset", attr_i(9)}}, {row({1, 2}), scales4(3)}, {row({1, 1, 1, 2, 2, 2})}),
      // asymmetric: x = o / 2 = 0, 0.5, 1, 1.5 -> 1, 2, 3, 3 (edge)
      mk("opset 7, bilinear, scales attribute", "Upsample",
         {{"_opset", attr_i(7)}, {"mode", attr_s("bilinear")}, {"scales", attr_floats({1, 1, 1, 2})}}, {row({1, 3})},
         {row({1, 2, 3, 3})}),
      mk("fast kernel, linear", "Upsample", {{"_opset", attr_i(9)}, {"mode", attr_s("linear")}},
         {random_f32({2, 3, 5, 4}, 14), f32({4}, {1, 1, 2, 3})}, {}),
  };
});

ECO_OP_CASES("LRN", [] {
  V v{
      // size 3, alpha / size = 1, beta 1, bias 1: windows {0,1}, {0,1,2}, {1,2}: 1/6, 2/15, 3/14.
      mk("size 3", "LRN", {{"size", attr_i(3)}, {"alpha", attr_f(3)}, {"beta", attr_f(1)}}, {f32({1, 3, 1, 1}, {1, 2, 3})},
         {f32({1, 3, 1, 1}, {1.f / 6, 2.f / 15, 3.f / 14})}),
      // size 2: windows {c, c + 1}: 1/(1+5), 2/(1+13), 3/(1+9).
      mk("size 2 (window leans forward)", "LRN", {{"size", attr_i(2)}, {"alpha", attr_f(2)}, {"beta", attr_f(1)}},
         {f32({1, 3, 1}, {1, 2, 3})}, {f32({1, 3, 1}, {1.f / 6, 2.f / 14, 3.f / 10})}),
      mk("fast kernel, defaults (beta 0.75)", "LRN", {{"size", attr_i(5)}}, {random_f32({2, 7, 3, 5}, 15, -20, 20)}, {}),
      mk("fast kernel, beta 0.5, bias 2", "LRN", {{"size", attr_i(4)}, {"beta", attr_f(0.5f)}, {"bias", attr_f(2)}},
         {random_f32({1, 6, 4, 4}, 16, -5, 5)}, {}),
  };
  v.push_back(mk("fast kernel, 2 threads", "LRN", {{"size", attr_i(5)}, {"alpha", attr_f(1e-2f)}},
                 {random_f32({1, 64, 64, 64}, 17, -3, 3)}, {}));
  return v;
});

ECO_OP_CASES("InstanceNormalization", [] {
  // Plane 0 [1, 3]: mean 2, var 1 -> +-1/sqrt(1 + 1e-5); plane 1 [2, 2]: var 0 -> the bias.
  const float a = 1.f / std::sqrt(1.00001f);
  return V{mk("two planes", "InstanceNormalization", {}, {f32({1, 2, 2}, {1, 3, 2, 2}), f32({2}, {1, 2}), f32({2}, {0, 1})},
              {f32({1, 2, 2}, {-a, a, 1, 1})})};
});

ECO_OP_CASES("MeanVarianceNormalization", [] {
  return V{mk("default axes [0, 2, 3]", "MeanVarianceNormalization", {}, {f32({1, 1, 1, 2}, {1, 3})}, {f32({1, 1, 1, 2}, {-1, 1})}),
           mk("axes [1]", "MeanVarianceNormalization", {{"axes", attr_ints({1})}}, {f32({2, 2}, {1, 3, 5, 5})},
              {f32({2, 2}, {-1, 1, 0, 0})})};
});

ECO_OP_CASES("ConvTranspose", [] {
  const Tensor x = f32({1, 1, 2}, {1, 2});
  return V{
      // Each input scatters into the outputs its window reaches: [1, 1 + 2, 2].
      mk("1-D, stride 1", "ConvTranspose", {}, {x, f32({1, 1, 2}, {1, 1})}, {f32({1, 1, 3}, {1, 3, 2})}),
      mk("stride 2, bias", "ConvTranspose", {{"strides", attr_ints({2})}}, {x, f32({1, 1, 2}, {1, 1}), f32({1}, {0.5f})},
         {f32({1, 1, 4}, {1.5f, 1.5f, 2.5f, 2.5f})}),
      mk("pads crop the output", "ConvTranspose", {{"pads", attr_ints({1, 1})}}, {x, f32({1, 1, 2}, {1, 1})}, {f32({1, 1, 1}, {3})}),
      mk("output_shape adds a zero column", "ConvTranspose", {{"strides", attr_ints({2})}, {"output_shape", attr_ints({5})}},
         {x, f32({1, 1, 2}, {1, 1})}, {f32({1, 1, 5}, {1, 1, 2, 2, 0})}),
      // out = in * stride = 4; padding 2*1 + 3 - 4 = 1, at the end (upper) or the start (lower).
      mk("SAME_UPPER", "ConvTranspose", {{"strides", attr_ints({2})}, {"auto_pad", attr_s("SAME_UPPER")}},
         {x, f32({1, 1, 3}, {1, 1, 1})}, {f32({1, 1, 4}, {1, 1, 3, 2})}),
      mk("SAME_LOWER", "ConvTranspose", {{"strides", attr_ints({2})}, {"auto_pad", attr_s("SAME_LOWER")}},
         {x, f32({1, 1, 3}, {1, 1, 1})}, {f32({1, 1, 4}, {1, 3, 2, 2})}),
      mk("2-D, 2 groups", "ConvTranspose", {{"group", attr_i(2)}}, {f32({1, 2, 1, 1}, {1, 2}), f32({2, 1, 1, 1}, {3, 4})},
         {f32({1, 2, 1, 1}, {3, 8})}),
      // out[o] = sum_i x[i] * w[o - 2i] with dilation 2: w taps at offsets 0 and 2.
      mk("dilation 2", "ConvTranspose", {{"dilations", attr_ints({2})}}, {x, f32({1, 1, 2}, {1, 10})},
         {f32({1, 1, 4}, {1, 2, 10, 20})}),
  };
});

ECO_OP_CASES("NegativeLogLikelihoodLoss", [] {
  const Tensor logp = f32({2, 3}, {-1, -2, -3, -4, -5, -6});
  const Tensor target = i64({2}, {2, 0});
  return V{mk("mean", "NegativeLogLikelihoodLoss", {}, {logp, target}, {f32({}, {3.5f})}),
           mk("sum", "NegativeLogLikelihoodLoss", {{"reduction", attr_s("sum")}}, {logp, target}, {f32({}, {7})}),
           mk("none, weights", "NegativeLogLikelihoodLoss", {{"reduction", attr_s("none")}}, {logp, target, f32({3}, {1, 2, 3})},
              {f32({2}, {9, 4})}),
           mk("mean divides by the weights used", "NegativeLogLikelihoodLoss", {}, {logp, target, f32({3}, {1, 2, 3})},
              {f32({}, {3.25f})}),
           mk("ignore_index", "NegativeLogLikelihoodLoss", {{"ignore_index", attr_i(0)}}, {logp, target}, {f32({}, {3})}),
           mk("[N, C, d] input", "NegativeLogLikelihoodLoss", {{"reduction", attr_s("none")}},
              {f32({1, 2, 2}, {-1, -2, -3, -4}), i32({1, 2}, {1, 0})}, {f32({1, 2}, {3, 2})})};
});

ECO_OP_CASES("SoftmaxCrossEntropyLoss", [] {
  const float ln2 = 0.693147181f;
  return V{mk("uniform scores: ln 2, and log_prob", "SoftmaxCrossEntropyLoss", {}, {f32({1, 2}, {0, 0}), i64({1}, {1})},
              {f32({}, {ln2}), f32({1, 2}, {-ln2, -ln2})}),
           mk("sum over two rows", "SoftmaxCrossEntropyLoss", {{"reduction", attr_s("sum")}},
              {f32({2, 2}, {0, 0, 5, 5}), i64({2}, {0, 1})}, {f32({}, {2 * ln2})})};
});

}  // namespace
}  // namespace ecoinfer::test
