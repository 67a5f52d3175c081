// Cases for unary math, activation, Clip, Pow, Cast and Softmax-family ops.
#include "ops/case_util.h"

namespace ecoinfer::test {
namespace {

using V = std::vector<OpCase>;
OpCase un(const std::string& op, Tensor x, Tensor want, const std::string& label, std::map<std::string, Attribute> attrs = {}) {
  OpCase c = mk(label, op, std::move(attrs), {std::move(x)}, {std::move(want)});
  c.expected_atol = 1e-6;
  return c;
}

ECO_OP_CASES("Sqrt", [] { return V{un("Sqrt", f32({4}, {0, 4, 2, -1}), f32({4}, {0, 2, 1.41421356f, kNaN}), "incl. negative")}; });
ECO_OP_CASES("Exp", [] { return V{un("Exp", f32({3}, {0, 1, -kInf}), f32({3}, {1, 2.71828183f, 0}), "incl. -inf")}; });
ECO_OP_CASES("Log", [] { return V{un("Log", f32({3}, {1, 2.71828183f, -1}), f32({3}, {0, 1, kNaN}), "incl. negative")}; });
ECO_OP_CASES("Reciprocal", [] { return V{un("Reciprocal", f32({3}, {2, -4, 0.5f}), f32({3}, {0.5f, -0.25f, 2}), "values")}; });
ECO_OP_CASES("Floor", [] {
  return V{un("Floor", f32({5}, {1.5f, -1.5f, -0.f, 2, kNaN}), f32({5}, {1, -2, -0.f, 2, kNaN}), "signs and NaN")};
});
ECO_OP_CASES("Ceil", [] {
  return V{un("Ceil", f32({5}, {1.5f, -1.5f, -0.f, 2, kNaN}), f32({5}, {2, -1, -0.f, 2, kNaN}), "signs and NaN")};
});
ECO_OP_CASES("Erf", [] {
  return V{un("Erf", f32({4}, {0, 1, -1, 0.5f}), f32({4}, {0, 0.842700793f, -0.842700793f, 0.520499878f}), "odd function")};
});
ECO_OP_CASES("Tanh", [] { return V{un("Tanh", f32({3}, {0, 1, -20}), f32({3}, {0, 0.761594156f, -1}), "saturates")}; });
ECO_OP_CASES("Sigmoid", [] {
  return V{un("Sigmoid", f32({4}, {0, 2, -100, 100}), f32({4}, {0.5f, 0.880797078f, 0, 1}), "stable at both ends")};
});
ECO_OP_CASES("HardSigmoid", [] {
  return V{un("HardSigmoid", f32({5}, {-3, 0, 1, 3, kNaN}), f32({5}, {0, 0.5f, 0.7f, 1, kNaN}), "defaults 0.2/0.5"),
           un("HardSigmoid", f32({1}, {1}), f32({1}, {0.5f}), "alpha 0.5 beta 0", {{"alpha", attr_f(0.5f)}, {"beta", attr_f(0)}})};
});
ECO_OP_CASES("HardSwish", [] {
  return V{un("HardSwish", f32({5}, {-4, -1, 0, 1, 4}), f32({5}, {0, -1.f / 3, 0, 2.f / 3, 4}), "both clamps")};
});
ECO_OP_CASES("LeakyRelu", [] {
  return V{un("LeakyRelu", f32({3}, {-2, 0, 3}), f32({3}, {-0.02f, 0, 3}), "default alpha"),
           un("LeakyRelu", f32({1}, {-10}), f32({1}, {-1}), "alpha 0.1", {{"alpha", attr_f(0.1f)}})};
});
ECO_OP_CASES("Elu", [] {
  return V{un("Elu", f32({3}, {-1, 0, 2}), f32({3}, {-0.632120559f, 0, 2}), "default alpha"),
           un("Elu", f32({1}, {-1}), f32({1}, {-1.264241118f}), "alpha 2", {{"alpha", attr_f(2)}})};
});
ECO_OP_CASES("Gelu", [] {
  return V{un("Gelu", f32({4}, {-1, 0, 1, 2}), f32({4}, {-0.158655254f, 0, 0.841344746f, 1.954499736f}), "erf form"),
           un("Gelu", f32({3}, {-1, 1, 2}), f32({3}, {-0.158808009f, 0.841191991f, 1.954597694f}), "tanh form",
              {{"approximate", attr_s("tanh")}}),
           // Token-sized tensors (f32-gelu-dnnl, multithreaded), an odd element count.
           mk("erf form, [3,50,129] in [-6,6]", "Gelu", {}, {random_f32({3, 50, 129}, 71, -6, 6)}, {}),
           mk("tanh form, [3,50,129] in [-6,6]", "Gelu", {{"approximate", attr_s("tanh")}}, {random_f32({3, 50, 129}, 72, -6, 6)}, {})};
});
ECO_OP_CASES("Softplus", [] {
  return V{un("Softplus", f32({4}, {0, 1, -100, 100}), f32({4}, {0.693147181f, 1.313261688f, 0, 100}), "stable at both ends")};
});
ECO_OP_CASES("Neg", [] {
  return V{un("Neg", f32({2}, {1, 0}), f32({2}, {-1, -0.f}), "float"),
           un("Neg", i64({2}, {kI64Min, 5}), i64({2}, {kI64Min, -5}), "int64 wraps at INT64_MIN")};
});
ECO_OP_CASES("Abs", [] {
  return V{un("Abs", f32({4}, {-1.5f, -0.f, 2, kNaN}), f32({4}, {1.5f, 0, 2, kNaN}), "float"),
           un("Abs", i32({2}, {-3, 3}), i32({2}, {3, 3}), "int32")};
});

ECO_OP_CASES("Clip", [] {
  return V{
      un("Clip", f32({4}, {-2, 0.5f, 2, kNaN}), f32({4}, {-1, 0.5f, 1, kNaN}), "attributes (opset 6)",
         {{"min", attr_f(-1)}, {"max", attr_f(1)}, {"_opset", attr_i(6)}}),
      mk("min input only (Relu-like)", "Clip", {}, {f32({2}, {-2, 0.5f}), f32({}, {0})}, {f32({2}, {0, 0.5f})}),
      mk("max input only (ReLU6 upper)", "Clip", {}, {f32({2}, {7, 0.5f}), none(), f32({}, {6})}, {f32({2}, {6, 0.5f})}),
      mk("min > max gives max", "Clip", {}, {f32({2}, {0, 3}), f32({}, {2}), f32({}, {1})}, {f32({2}, {1, 1})}),
      mk("int64", "Clip", {}, {i64({3}, {-3, 3, 7}), i64({}, {0}), i64({}, {5})}, {i64({3}, {0, 3, 5})}),
      un("Clip", f32({2}, {-1e30f, 1e30f}), f32({2}, {-1e30f, 1e30f}), "no bounds"),
  };
});

ECO_OP_CASES("Pow", [] {
  return V{
      mk("x^2 (float exponent)", "Pow", {}, {f32({2}, {-3, 0.5f}), f32({}, {2})}, {f32({2}, {9, 0.25f})}),
      mk("x^0.5", "Pow", {}, {f32({2}, {4, 2}), f32({1}, {0.5f})}, {f32({2}, {2, 1.41421356f})}),
      mk("int64 exponent", "Pow", {}, {f32({2}, {2, 3}), i64({}, {3})}, {f32({2}, {8, 27})}),
      mk("broadcast exponents, negative base", "Pow", {}, {f32({2, 1}, {-2, 4}), f32({2}, {3, -0.5f})},
         {f32({2, 2}, {-8, kNaN, 64, 0.5f})}),
      mk("int64 base and exponent", "Pow", {}, {i64({2}, {2, -3}), i64({2}, {3, 2})}, {i64({2}, {8, 9})}),
  };
});

// Cast `to` uses ONNX TensorProto codes: 1 float, 2 uint8, 6 int32, 7 int64, 9 bool, 11 double.
ECO_OP_CASES("Cast", [] {
  return V{
      un("Cast", f32({4}, {1.7f, -1.7f, 300, kNaN}), i32({4}, {1, -1, 300, 0}), "float -> int32 truncates, NaN -> 0",
         {{"to", attr_i(6)}}),
      un("Cast", f32({3}, {1.7f, -1.7f, 300}), u8({3}, {1, 0, 255}), "float -> uint8 saturates", {{"to", attr_i(2)}}),
      un("Cast", f32({4}, {0, -0.f, 2, kNaN}), b8({4}, {0, 0, 1, 1}), "float -> bool", {{"to", attr_i(9)}}),
      un("Cast", i64({2}, {-5, 1 << 20}), f32({2}, {-5, 1 << 20}), "int64 -> float", {{"to", attr_i(1)}}),
      un("Cast", b8({2}, {1, 0}), f32({2}, {1, 0}), "bool -> float", {{"to", attr_i(1)}}),
      un("Cast", i64({2}, {4294967297LL, -1}), i32({2}, {1, -1}), "int64 -> int32 wraps", {{"to", attr_i(6)}}),
      un("Cast", i32({2}, {3, -3}), i64({2}, {3, -3}), "int32 -> int64", {{"to", attr_i(7)}}),
      un("Cast", f32({2}, {0.1f, -2}), f64({2}, {static_cast<double>(0.1f), -2}), "float -> double", {{"to", attr_i(11)}}),
      un("Cast", bits16(DType::f16, {3}, {0x3C00, 0xC000, 0x3555}), f32({3}, {1, -2, 0.333251953125f}), "float16 -> float",
         {{"to", attr_i(1)}}),
      un("Cast", bits16(DType::bf16, {2}, {0x3F80, 0xC040}), f32({2}, {1, -3}), "bfloat16 -> float", {{"to", attr_i(1)}}),
  };
});

ECO_OP_CASES("Softmax", [] {
  auto x = f32({1, 2, 2}, {1, 2, 3, 4});
  return V{
      un("Softmax", f32({2, 3}, {1, 2, 3, 0, 0, 0}),
         f32({2, 3}, {0.0900305732f, 0.244728471f, 0.665240956f, 1.f / 3, 1.f / 3, 1.f / 3}), "default axis -1"),
      un("Softmax", x, f32({1, 2, 2}, {0.0320586033f, 0.0871443187f, 0.236882818f, 0.643914260f}),
         "opset 11 flattens from axis 1", {{"_opset", attr_i(11)}}),
      un("Softmax", x, f32({1, 2, 2}, {0.268941421f, 0.731058579f, 0.268941421f, 0.731058579f}), "opset 13 along axis -1",
         {{"_opset", attr_i(13)}}),
      un("Softmax", f32({2, 2}, {1, 1000, 1, 1000}), f32({2, 2}, {0.5f, 0.5f, 0.5f, 0.5f}), "axis 0, large values",
         {{"axis", attr_i(0)}}),
  };
});
ECO_OP_CASES("LogSoftmax", [] {
  return V{
      un("LogSoftmax", f32({3}, {1, 2, 3}), f32({3}, {-2.40760596f, -1.40760596f, -0.407605964f}), "default axis"),
      un("LogSoftmax", f32({2}, {1000, 0}), f32({2}, {0, -1000}), "no overflow"),
      un("LogSoftmax", f32({1, 2}, {0, 0}), f32({1, 2}, {-0.693147181f, -0.693147181f}), "opset 11 axis 1",
         {{"_opset", attr_i(11)}}),
  };
});

}  // namespace
}  // namespace ecoinfer::test
