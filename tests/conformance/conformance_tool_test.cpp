// The conformance runner's own parts: the output comparison (ONNX's tolerance rule, NaN,
// infinities, types) and the allowlist parser.
#include <gtest/gtest.h>

#include <limits>

#include "conformance/allowlist.h"
#include "ops/case_util.h"

namespace ecoinfer::conformance {
namespace {

using test::f32;
using test::i64;
using test::kInf;
using test::kNaN;

TEST(ConformanceCompare, RelativeAndAbsoluteToleranceAsNumpyAllclose) {
  const Tolerance tol;  // rtol 1e-3, atol 1e-7
  EXPECT_EQ(compare_output(f32({2}, {1000.9f, 0}), f32({2}, {1000, 0}), tol), "");     // 0.9 <= 1e-7 + 1.0
  EXPECT_NE(compare_output(f32({2}, {1001.2f, 0}), f32({2}, {1000, 0}), tol), "");     // 1.2 > 1.0
  EXPECT_EQ(compare_output(f32({1}, {5e-8f}), f32({1}, {0}), tol), "");                // atol near zero
  EXPECT_NE(compare_output(f32({1}, {2e-7f}), f32({1}, {0}), tol), "");
  const std::string why = compare_output(f32({3}, {1, 2, 4}), f32({3}, {1, 2, 3}), tol);
  EXPECT_NE(why.find("element 2"), std::string::npos) << why;
}

TEST(ConformanceCompare, NanAndInfinitiesMatchOnlyThemselves) {
  const Tolerance tol;
  EXPECT_EQ(compare_output(f32({3}, {kNaN, kInf, -kInf}), f32({3}, {kNaN, kInf, -kInf}), tol), "");
  EXPECT_NE(compare_output(f32({1}, {kNaN}), f32({1}, {1}), tol), "");
  EXPECT_NE(compare_output(f32({1}, {1}), f32({1}, {kNaN}), tol), "");
  EXPECT_NE(compare_output(f32({1}, {kInf}), f32({1}, {-kInf}), tol), "");
  EXPECT_NE(compare_output(f32({1}, {std::numeric_limits<float>::max()}), f32({1}, {kInf}), tol), "");
}

TEST(ConformanceCompare, TypeShapeAndIntegersExact) {
  const Tolerance tol;
  EXPECT_NE(compare_output(i64({1}, {1}), f32({1}, {1}), tol).find("type"), std::string::npos);
  EXPECT_NE(compare_output(f32({1, 2}, {1, 2}), f32({2}, {1, 2}), tol).find("shape"), std::string::npos);
  EXPECT_EQ(compare_output(i64({2}, {7, -3}), i64({2}, {7, -3}), tol), "");
  // ONNX's runner would accept 1000 vs 1001 under rtol 1e-3; integers here must be exact.
  EXPECT_NE(compare_output(i64({1}, {1001}), i64({1}, {1000}), tol), "");
  EXPECT_EQ(compare_output(test::bits16(DType::f16, {1}, {0x3c00}), test::bits16(DType::f16, {1}, {0x3c00}), tol), "");
  EXPECT_NE(compare_output(test::bits16(DType::bf16, {1}, {0x3f80}), test::bits16(DType::bf16, {1}, {0x4000}), tol), "");
}

TEST(ConformanceAllowlist, GroupsKindsAndGlobs) {
  const Allowlist a = parse_allowlist(
      "# comment\n"
      "[out-of-scope] training ops: inference only\n"
      "node/test_adam*   # trailing note\n"
      "[backlog] 3-D convolution\n"
      "pytorch-converted/test_Conv3d*\n"
      "[tolerance rtol=1e-2 atol=1e-5] float32 sums\n"
      "node/test_reduce_log_sum_exp*\n",
      "list.txt");
  ASSERT_EQ(a.groups.size(), 3u);
  ASSERT_NE(a.exception_for("node/test_adam_multiple"), nullptr);
  EXPECT_EQ(a.exception_for("node/test_adam_multiple")->kind, AllowGroup::Kind::out_of_scope);
  EXPECT_EQ(a.exception_for("pytorch-converted/test_Conv3d_stride")->kind, AllowGroup::Kind::backlog);
  EXPECT_EQ(a.exception_for("node/test_add"), nullptr);
  EXPECT_EQ(a.exception_for("node/test_reduce_log_sum_exp_keepdims"), nullptr);  // tolerance is no exception
  EXPECT_DOUBLE_EQ(a.tolerance_for("node/test_reduce_log_sum_exp_keepdims").rtol, 1e-2);
  EXPECT_DOUBLE_EQ(a.tolerance_for("node/test_add").rtol, 1e-3);
}

TEST(ConformanceAllowlist, ErrorsNameFileAndLine) {
  auto error_of = [](const std::string& text) {
    try {
      parse_allowlist(text, "list.txt");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error_of("node/test_x\n").find("list.txt:1: pattern 'node/test_x' before any [group]"), std::string::npos);
  EXPECT_NE(error_of("[backlog]\nnode/a\n").find("list.txt:1: the group must say why"), std::string::npos);
  EXPECT_NE(error_of("[maybe] why\nnode/a\n").find("list.txt:1"), std::string::npos);
  EXPECT_NE(error_of("[tolerance rtol=1e-2] why\nnode/a\n").find("both rtol= and atol="), std::string::npos);
  EXPECT_NE(error_of("[backlog] why\n").find("list.txt:1: the group lists no cases"), std::string::npos);
  EXPECT_NE(error_of("[backlog] why\nnode/a node/b\n").find("list.txt:2: one pattern per line"), std::string::npos);
}

}  // namespace
}  // namespace ecoinfer::conformance
