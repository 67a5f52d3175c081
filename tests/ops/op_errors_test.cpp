// Bad inputs to the reference kernels and shape rules throw ecoinfer::Error naming the node,
// never crash. Also checks outputs the harness cannot compare (float16/bfloat16).
#include <gtest/gtest.h>

#include "ops/case_util.h"
#include "ops/op_util.h"

namespace ecoinfer::test {
namespace {

std::vector<Tensor> run_ref(Node n, const std::vector<Tensor>& inputs, int outputs = 1) {
  const OpSchema* s = find_op("", n.op_type);
  EXPECT_NE(s, nullptr) << n.op_type;
  std::vector<const Tensor*> ptrs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    n.inputs.push_back(inputs[i].defined() ? "in" + std::to_string(i) : "");
    ptrs.push_back(inputs[i].defined() ? &inputs[i] : nullptr);
  }
  for (int o = 0; o < outputs; ++o) n.outputs.push_back("out" + std::to_string(o));
  OpContext ctx{n, ptrs, 1, nullptr};
  return s->reference(ctx);
}

// Runs the kernel expecting an Error whose message names the node and contains `needle`.
void expect_error(const std::string& op, std::map<std::string, Attribute> attrs, const std::vector<Tensor>& inputs,
                  const std::string& needle, int outputs = 1) {
  Node n = make_node(op, std::move(attrs));
  n.name = "bad_" + op;
  try {
    run_ref(n, inputs, outputs);
    ADD_FAILURE() << op << ": expected an Error containing '" << needle << "'";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("'bad_" + op + "'"), std::string::npos) << msg;
    EXPECT_NE(msg.find(needle), std::string::npos) << msg;
  }
}

Tensor m23() { return f32({2, 3}, {1, 2, 3, 4, 5, 6}); }

TEST(OpErrors, GatherIndexOutOfRange) {
  expect_error("Gather", {}, {m23(), i64({1}, {2})}, "index 2 is out of range");
  expect_error("Gather", {}, {m23(), i64({1}, {-3})}, "out of range");
  expect_error("Gather", {}, {m23(), f32({1}, {0})}, "indices must be int64 or int32");
  expect_error("Gather", {{"axis", attr_i(2)}}, {m23(), i64({1}, {0})}, "axis 2 is out of range");
}

TEST(OpErrors, ReshapeBadShapes) {
  expect_error("Reshape", {}, {m23(), i64({2}, {-1, -1})}, "more than one -1");
  expect_error("Reshape", {}, {m23(), i64({2}, {4, 2})}, "cannot reshape");
  expect_error("Reshape", {}, {m23(), i64({2}, {-2, 3})}, "invalid dimension");
  expect_error("Reshape", {}, {m23(), i64({3}, {1, 1, 0})}, "copies dimension 2");
  expect_error("Reshape", {}, {m23(), f32({1}, {6})}, "must be an integer tensor");
}

TEST(OpErrors, AxesAndShapes) {
  expect_error("Transpose", {{"perm", attr_ints({0, 0})}}, {m23()}, "repeated");
  expect_error("Squeeze", {}, {m23(), i64({1}, {0})}, "cannot squeeze axis 0");
  expect_error("Unsqueeze", {}, {m23(), i64({1}, {3})}, "out of range");
  expect_error("Concat", {{"axis", attr_i(0)}}, {m23(), f32({2, 2}, {1, 2, 3, 4})}, "incompatible");
  expect_error("Concat", {{"axis", attr_i(0)}}, {m23(), i64({1, 3}, {1, 2, 3})}, "input 1 is int64");
  expect_error("Split", {}, {m23(), i64({2}, {1, 2})}, "add up to 3", 2);
  expect_error("Split", {{"axis", attr_i(1)}}, {m23()}, "cannot be split evenly", 2);
  expect_error("Slice", {}, {m23(), i64({1}, {0}), i64({1}, {1}), i64({1}, {0}), i64({1}, {0})}, "step along axis 0 is 0");
  expect_error("Slice", {}, {m23(), i64({2}, {0, 0}), i64({2}, {1, 1}), i64({2}, {1, -1})}, "repeated");
  expect_error("Expand", {}, {m23(), i64({1}, {2})}, "cannot be broadcast");
  expect_error("Tile", {}, {m23(), i64({1}, {2})}, "repeats has 1 values");
  expect_error("Pad", {}, {m23(), i64({2}, {1, 1})}, "pads has 2 values, expected 4");
  expect_error("Pad", {{"mode", attr_s("reflect")}}, {m23(), i64({4}, {0, 3, 0, 0})}, "reflect padding");
  expect_error("Pad", {{"mode", attr_s("edge")}}, {f32({0}, {}), i64({2}, {1, 0})}, "cannot pad an empty axis");
  expect_error("Pad", {}, {m23(), i64({4}, {0, -4, 0, 0})}, "below zero");
  expect_error("Where", {}, {f32({1}, {1}), m23(), m23()}, "condition must be bool");
  expect_error("Add", {}, {m23(), f32({2}, {1, 2})}, "cannot be broadcast");
  expect_error("ReduceSum", {}, {m23(), i64({1}, {2})}, "out of range");
  expect_error("ArgMax", {}, {f32({0, 2}, {})}, "empty axis");
  expect_error("TopK", {}, {m23(), i64({1}, {4})}, "exceeds axis");
  expect_error("Softmax", {{"axis", attr_i(2)}}, {m23()}, "out of range");
}

TEST(OpErrors, TypesAndValues) {
  expect_error("Sqrt", {}, {i64({1}, {4})}, "must be float32");
  expect_error("Not", {}, {f32({1}, {1})}, "must be bool");
  expect_error("Equal", {}, {m23(), i64({1}, {1})}, "input types differ");
  expect_error("Less", {}, {b8({1}, {1}), b8({1}, {0})}, "not supported");
  expect_error("Range", {}, {i64({}, {0}), i64({}, {5}), i64({}, {0})}, "delta is 0");
  expect_error("Range", {}, {f32({}, {0}), f32({}, {1e30f}), f32({}, {1e-30f})}, "too many elements");
  expect_error("Cast", {{"to", attr_i(8)}}, {m23()}, "unsupported ONNX element type");
  expect_error("Clip", {}, {m23(), i64({}, {0})}, "min must be one float32");
  expect_error("Dropout", {}, {m23(), f32({}, {0.5f}), b8({}, {1})}, "training mode");
  expect_error("Gelu", {{"approximate", attr_s("fast")}}, {m23()}, "approximate");
  expect_error("Constant", {}, {}, "needs one of");
  expect_error("ConstantOfShape", {}, {i64({1}, {-1})}, "negative dimension");
}

// Shape rules need constant values for shape-like inputs and say so.
TEST(OpErrors, ShapeRuleNeedsConstants) {
  const OpSchema* s = find_op("", "Reshape");
  ASSERT_NE(s, nullptr);
  Node n = make_node("Reshape");
  n.name = "r";
  n.inputs = {"x", "shape"};
  n.outputs = {"y"};
  std::vector<TensorMeta> in{TensorMeta{DType::f32, {2, 3}, nullptr}, TensorMeta{DType::i64, {2}, nullptr}};
  try {
    s->infer(n, in);
    ADD_FAILURE() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not constant"), std::string::npos) << e.what();
  }
  const OpSchema* r = find_op("", "Range");
  ASSERT_NE(r, nullptr);
  Node rn = make_node("Range");
  rn.inputs = {"a", "b", "c"};
  rn.outputs = {"y"};
  std::vector<TensorMeta> scalars(3, TensorMeta{DType::i64, {}, nullptr});
  EXPECT_THROW(r->infer(rn, scalars), Error);
}

TEST(OpErrors, CastToHalfTypesRoundTrips) {
  Tensor x = f32({5}, {1.f, -2.f, 0.1f, 65504.f, 1e6f});
  auto h = run_ref(make_node("Cast", {{"to", attr_i(10)}}), {x});  // float16
  ASSERT_EQ(h[0].dtype(), DType::f16);
  const auto* hb = static_cast<const uint16_t*>(h[0].raw());
  EXPECT_EQ(hb[0], 0x3C00);
  EXPECT_EQ(hb[1], 0xC000);
  EXPECT_EQ(hb[2], 0x2E66);  // 0.1 rounds to 0.0999755859375
  EXPECT_EQ(hb[3], 0x7BFF);  // largest finite half
  EXPECT_EQ(hb[4], 0x7C00);  // overflow -> inf
  auto back = run_ref(make_node("Cast", {{"to", attr_i(1)}}), {h[0]});
  EXPECT_FLOAT_EQ(back[0].data<float>()[2], 0.0999755859375f);
  auto b = run_ref(make_node("Cast", {{"to", attr_i(16)}}), {f32({2}, {1.f, -3.f})});  // bfloat16
  ASSERT_EQ(b[0].dtype(), DType::bf16);
  EXPECT_EQ(static_cast<const uint16_t*>(b[0].raw())[1], 0xC040);
  auto i16 = run_ref(make_node("Cast", {{"to", attr_i(5)}}), {f32({2}, {-7.9f, 40000.f})});  // int16 saturates
  ASSERT_EQ(i16[0].dtype(), DType::i16);
  EXPECT_EQ(i16[0].data<int16_t>()[0], -7);
  EXPECT_EQ(i16[0].data<int16_t>()[1], 32767);
}

}  // namespace
}  // namespace ecoinfer::test
