// Cases for the activations and elementwise math added for ONNX conformance (issue 17):
// PRelu (with its fast kernel), Selu, Celu, ThresholdedRelu, Shrink, Softsign, Sign, Round,
// IsNaN, IsInf, the trigonometric family and Hardmax. Expected values by hand or from the
// closed forms (libm values to 1e-6).
#include "ops/case_util.h"

namespace ecoinfer::test {
namespace {

using V = std::vector<OpCase>;

ECO_OP_CASES("PRelu", [] {
  V v{
      mk("scalar slope", "PRelu", {}, {f32({4}, {-2, -0.f, 3, kNaN}), f32({1}, {0.25f})}, {f32({4}, {-0.5f, -0.f, 3, kNaN})}),
      mk("per channel [C,1,1]", "PRelu", {}, {f32({1, 2, 1, 2}, {-1, 2, -3, 4}), f32({2, 1, 1}, {0.5f, 2})},
         {f32({1, 2, 1, 2}, {-0.5f, 2, -6, 4})}),
      mk("opset 6: 1-D slope applies per channel (axis 1)", "PRelu", {{"_opset", attr_i(6)}},
         {f32({2, 2, 1}, {-1, -1, -1, -1}), f32({2}, {0.1f, 0.2f})}, {f32({2, 2, 1}, {-0.1f, -0.2f, -0.1f, -0.2f})}),
      mk("opset 7: the same slope broadcasts numpy-style (last axis)", "PRelu", {},
         {f32({1, 2}, {-1, -1}), f32({2}, {0.1f, 0.2f})}, {f32({1, 2}, {-0.1f, -0.2f})}),
      mk("slope along the last axis", "PRelu", {}, {f32({2, 3}, {-1, -2, -3, 1, -1, 2}), f32({3}, {1, 2, 3})},
         {f32({2, 3}, {-1, -4, -9, 1, -2, 2})}),
      mk("double", "PRelu", {}, {f64({2}, {-4, 4}), f64({1}, {0.5})}, {f64({2}, {-2, 4})}),
  };
  // Large enough for the fast kernel's two-thread split (4 Mi elements) with a per-channel
  // slope whose runs do not align with the thread chunks.
  v.push_back(mk("fast kernel, 2 threads", "PRelu", {}, {random_f32({1, 3, 1201, 1201}, 7), random_f32({3, 1, 1}, 8)}, {}));
  v.push_back(mk("fast kernel, slope varying along the last axis", "PRelu", {},
                 {random_f32({5, 7, 13}, 9), random_f32({7, 13}, 10)}, {}));
  return v;
});

ECO_OP_CASES("Selu", [] {
  return V{mk("defaults (PyTorch's constants)", "Selu", {}, {f32({3}, {-1, 0, 2})},
              {f32({3}, {-1.111330737f, 0, 2.101402044f})}),
           mk("alpha 2 gamma 3", "Selu", {{"alpha", attr_f(2)}, {"gamma", attr_f(3)}}, {f32({2}, {-1, 1})},
              {f32({2}, {-3.792723353f, 3})})};
});
ECO_OP_CASES("Celu", [] {
  return V{mk("alpha 1", "Celu", {}, {f32({3}, {-1, 0, 2})}, {f32({3}, {-0.632120559f, 0, 2})}),
           mk("alpha 2", "Celu", {{"alpha", attr_f(2)}}, {f32({1}, {-2})}, {f32({1}, {-1.264241118f})})};
});
ECO_OP_CASES("ThresholdedRelu", [] {
  return V{mk("default alpha 1", "ThresholdedRelu", {}, {f32({4}, {0.5f, 1, 1.5f, kNaN})}, {f32({4}, {0, 0, 1.5f, 0})}),
           mk("alpha -1", "ThresholdedRelu", {{"alpha", attr_f(-1)}}, {f32({2}, {-2, -0.5f})}, {f32({2}, {0, -0.5f})})};
});
ECO_OP_CASES("Shrink", [] {
  return V{mk("hard (bias 0)", "Shrink", {}, {f32({5}, {-1, -0.5f, 0, 0.5f, 1})}, {f32({5}, {-1, 0, 0, 0, 1})}),
           mk("soft (bias = lambd)", "Shrink", {{"lambd", attr_f(1)}, {"bias", attr_f(1)}}, {f32({3}, {-3, 0.5f, 2})},
              {f32({3}, {-2, 0, 1})}),
           mk("int32", "Shrink", {{"lambd", attr_f(1.5f)}, {"bias", attr_f(1)}}, {i32({3}, {-3, 1, 3})}, {i32({3}, {-2, 0, 2})})};
});
ECO_OP_CASES("Softsign", [] {
  return V{mk("values", "Softsign", {}, {f32({3}, {-1, 0, 3})}, {f32({3}, {-0.5f, 0, 0.75f})})};
});
ECO_OP_CASES("Sign", [] {
  return V{mk("float incl. -0 and NaN", "Sign", {}, {f32({5}, {-2.5f, -0.f, 0, 7, kNaN})}, {f32({5}, {-1, 0, 0, 1, kNaN})}),
           mk("int64", "Sign", {}, {i64({3}, {kI64Min, 0, 9})}, {i64({3}, {-1, 0, 1})})};
});
ECO_OP_CASES("Round", [] {
  return V{mk("halves to even", "Round", {}, {f32({7}, {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 2.4f, kNaN})},
              {f32({7}, {0, 2, 2, -0.f, -2, 2, kNaN})}),
           mk("double", "Round", {}, {f64({2}, {-2.5, 3.7})}, {f64({2}, {-2, 4})})};
});
ECO_OP_CASES("IsNaN", [] {
  return V{mk("float", "IsNaN", {}, {f32({3}, {kNaN, kInf, 0})}, {b8({3}, {1, 0, 0})}),
           mk("double", "IsNaN", {}, {f64({1}, {std::nan("")})}, {b8({1}, {1})})};
});
ECO_OP_CASES("IsInf", [] {
  const Tensor x = f32({4}, {kInf, -kInf, kNaN, 1});
  return V{mk("both signs", "IsInf", {}, {x}, {b8({4}, {1, 1, 0, 0})}),
           mk("positive only", "IsInf", {{"detect_negative", attr_i(0)}}, {x}, {b8({4}, {1, 0, 0, 0})}),
           mk("negative only", "IsInf", {{"detect_positive", attr_i(0)}}, {x}, {b8({4}, {0, 1, 0, 0})})};
});

ECO_OP_CASES("Sin", [] { return V{mk("values", "Sin", {}, {f32({3}, {0, 1.5707963f, -1})}, {f32({3}, {0, 1, -0.841470985f})})}; });
ECO_OP_CASES("Cos", [] { return V{mk("values", "Cos", {}, {f32({3}, {0, 3.14159265f, 1})}, {f32({3}, {1, -1, 0.540302306f})})}; });
ECO_OP_CASES("Tan", [] { return V{mk("values", "Tan", {}, {f32({2}, {0, 0.785398163f})}, {f32({2}, {0, 1})})}; });
ECO_OP_CASES("Asin", [] { return V{mk("incl. outside [-1, 1]", "Asin", {}, {f32({3}, {1, -0.5f, 2})}, {f32({3}, {1.570796327f, -0.523598776f, kNaN})})}; });
ECO_OP_CASES("Acos", [] { return V{mk("values", "Acos", {}, {f32({3}, {1, 0, -1})}, {f32({3}, {0, 1.570796327f, 3.141592654f})})}; });
ECO_OP_CASES("Atan", [] { return V{mk("values", "Atan", {}, {f32({3}, {0, 1, -kInf})}, {f32({3}, {0, 0.785398163f, -1.570796327f})})}; });
ECO_OP_CASES("Sinh", [] { return V{mk("values", "Sinh", {}, {f32({2}, {0, 1})}, {f32({2}, {0, 1.175201194f})})}; });
ECO_OP_CASES("Cosh", [] { return V{mk("values", "Cosh", {}, {f32({2}, {0, -1})}, {f32({2}, {1, 1.543080635f})})}; });
ECO_OP_CASES("Asinh", [] { return V{mk("values", "Asinh", {}, {f32({2}, {0, 1})}, {f32({2}, {0, 0.881373587f})})}; });
ECO_OP_CASES("Acosh", [] { return V{mk("incl. below 1", "Acosh", {}, {f32({3}, {1, 2, 0.5f})}, {f32({3}, {0, 1.316957897f, kNaN})})}; });
ECO_OP_CASES("Atanh", [] { return V{mk("values", "Atanh", {}, {f32({3}, {0, 0.5f, -0.5f})}, {f32({3}, {0, 0.549306144f, -0.549306144f})})}; });

ECO_OP_CASES("Hardmax", [] {
  const Tensor x = f32({2, 3}, {1, 3, 3, -1, kNaN, 0});
  return V{mk("last axis, first maximum wins, NaN is largest", "Hardmax", {}, {x}, {f32({2, 3}, {0, 1, 0, 0, 1, 0})}),
           mk("axis 0", "Hardmax", {{"axis", attr_i(0)}}, {f32({2, 2}, {1, 5, 2, 4})}, {f32({2, 2}, {0, 1, 1, 0})}),
           mk("opset 11: 2-D view from axis 1", "Hardmax", {{"_opset", attr_i(11)}},
              {f32({1, 2, 2}, {1, 5, 2, 4})}, {f32({1, 2, 2}, {0, 1, 0, 0})})};
});

}  // namespace
}  // namespace ecoinfer::test
