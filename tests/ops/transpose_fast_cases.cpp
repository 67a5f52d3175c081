// Transpose shapes that exercise both paths of the fast kernel: trailing runs copied whole
// (attention head split) and a strided innermost gather (K^T, Swin's 6-D window partition).
#include "ops/op_cases.h"

namespace ecoinfer::test {
namespace {

ECO_OP_CASES("Transpose", [] {
  auto t = [](const std::string& label, Shape s, std::vector<int64_t> perm, uint32_t seed) {
    return OpCase{label, make_node("Transpose", {{"perm", attr_ints(std::move(perm))}}), {random_f32(std::move(s), seed)}};
  };
  return std::vector<OpCase>{
      t("heads [2,17,4,8] -> [2,4,17,8]", {2, 17, 4, 8}, {0, 2, 1, 3}, 1),
      t("keys [2,4,17,8] -> [2,4,8,17]", {2, 4, 17, 8}, {0, 1, 3, 2}, 2),
      t("window partition 6-D", {2, 3, 4, 3, 4, 5}, {0, 1, 3, 2, 4, 5}, 3),
      t("full reverse 3-D", {3, 5, 7}, {2, 1, 0}, 4),
      t("identity perm", {3, 4}, {0, 1}, 5),
      // Batched 2-D transposes (the tiled path): exact copies, tails that are not multiples of
      // the 32 x 32 tile, and one large enough for the multi-threaded path.
      t("NCHW -> NHWC, 3 channels", {2, 3, 37, 41}, {0, 2, 3, 1}, 6),
      t("NHWC -> NCHW", {2, 7, 9, 40}, {0, 3, 1, 2}, 7),
      t("2-D [33,65]", {33, 65}, {1, 0}, 8),
      t("NCHW -> NHWC, 1.3 M elements", {2, 16, 200, 201}, {0, 2, 3, 1}, 9),
      OpCase{"int64 strided", make_node("Transpose", {{"perm", attr_ints({1, 0})}}), {i64({2, 3}, {1, 2, 3, 4, 5, 6})},
             {i64({3, 2}, {1, 4, 2, 5, 3, 6})}},
  };
});

}  // namespace
}  // namespace ecoinfer::test
