#include <algorithm>
#include <numeric>

#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

struct Box {
  double y1, x1, y2, x2;
  double area() const { return std::max(0.0, y2 - y1) * std::max(0.0, x2 - x1); }
};

// Corners [y1, x1, y2, x2] in either order (center_point_box 0), or [x_center, y_center,
// width, height] (center_point_box 1, TensorFlow's and PyTorch's other format).
Box read_box(const float* p, bool center) {
  if (center) return {p[1] - p[3] / 2, p[0] - p[2] / 2, p[1] + p[3] / 2, p[0] + p[2] / 2};
  return {std::min(p[0], p[2]), std::min(p[1], p[3]), std::max(p[0], p[2]), std::max(p[1], p[3])};
}

double iou(const Box& a, const Box& b) {
  const double h = std::min(a.y2, b.y2) - std::max(a.y1, b.y1), w = std::min(a.x2, b.x2) - std::max(a.x1, b.x1);
  if (h <= 0 || w <= 0) return 0;
  const double inter = h * w, uni = a.area() + b.area() - inter;
  return uni > 0 ? inter / uni : 0;
}

double optional_scalar(const OpContext& c, size_t i, double dflt) {
  if (!c.has(i) || c.in(i).numel() == 0) return dflt;
  return dtype_is_float(c.in(i).dtype()) ? c.in(i).to_f32_vector()[0] : static_cast<double>(c.in(i).to_i64_vector()[0]);
}

// Per batch and class: boxes scoring above score_threshold, by descending score (ties in
// box order), each kept unless its IoU with a kept box exceeds iou_threshold, at most
// max_output_boxes_per_class of them. Output rows [batch, class, box] in that order.
std::vector<Tensor> nms_ref(OpContext& c) {
  const Tensor& boxes = require_f32(c, 0);
  const Tensor& scores = require_f32(c, 1);
  ECO_CHECK(boxes.rank() == 3 && boxes.dim(2) == 4 && scores.rank() == 3 && scores.dim(0) == boxes.dim(0) &&
                scores.dim(2) == boxes.dim(1),
            "{}: boxes {} must be [B, N, 4] and scores {} [B, C, N]", c.node.describe(), shape_str(boxes.shape()),
            shape_str(scores.shape()));
  const double max_out = optional_scalar(c, 2, 0), iou_threshold = optional_scalar(c, 3, 0);
  const bool has_score_threshold = c.has(4) && c.in(4).numel() > 0;
  const double score_threshold = optional_scalar(c, 4, 0);
  const bool center = c.node.attr_int("center_point_box", 0) != 0;
  const int64_t nb = boxes.dim(0), nbox = boxes.dim(1), ncls = scores.dim(1);
  std::vector<int64_t> rows;
  for (int64_t b = 0; b < nb; ++b)
    for (int64_t k = 0; k < ncls; ++k) {
      const float* sc = scores.data<float>() + (b * ncls + k) * nbox;
      std::vector<int64_t> cand;
      for (int64_t i = 0; i < nbox; ++i)
        if (!has_score_threshold || sc[i] > score_threshold) cand.push_back(i);
      std::stable_sort(cand.begin(), cand.end(), [&](int64_t a, int64_t d) { return sc[a] > sc[d]; });
      std::vector<Box> kept;
      for (int64_t i : cand) {
        if (static_cast<double>(kept.size()) >= max_out) break;
        const Box box = read_box(boxes.data<float>() + (b * nbox + i) * 4, center);
        bool keep = true;
        for (const Box& o : kept) keep = keep && iou(box, o) <= iou_threshold;
        if (!keep) continue;
        kept.push_back(box);
        rows.insert(rows.end(), {b, k, i});
      }
    }
  const int64_t n = static_cast<int64_t>(rows.size()) / 3;
  return {Tensor::from<int64_t>({n, 3}, std::span<const int64_t>(rows.data(), rows.size()))};
}

}  // namespace
// No shape rule: the number of selected boxes depends on the values.
ECO_REGISTER_OP(OpSchema{.op_type = "NonMaxSuppression", .min_inputs = 2, .max_inputs = 5, .reference = nms_ref});
}  // namespace ecoinfer::ops
