// runtime/evaluate's scoring loop: top-1/top-5 counts per batch, NaN rows, bad labels.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "runtime/evaluate.h"

namespace ecoinfer {
namespace {

Tensor logits_of(const std::vector<std::vector<float>>& rows) {
  Tensor t = Tensor::empty(DType::f32, {static_cast<int64_t>(rows.size()), static_cast<int64_t>(rows[0].size())});
  float* p = t.data<float>();
  for (const auto& r : rows)
    for (float v : r) *p++ = v;
  return t;
}

TEST(ScoreLogits, CountsTop1AndTop5AcrossBatches) {
  EvalResult r;
  // 7 classes. Row 0: label first (top-1). Row 1: label 5th (top-5 only). Row 2: label 6th (neither).
  score_logits(logits_of({{9, 1, 2, 3, 4, 5, 6}, {1, 7, 6, 5, 4, 2, 0}, {1, 7, 6, 5, 4, 2, 0}}), {0, 5, 0}, r);
  EXPECT_EQ(r.images, 3);
  EXPECT_EQ(r.correct1, 1);
  EXPECT_EQ(r.correct5, 2);
  // A second batch; only the first row of a padded batch is scored (one label).
  score_logits(logits_of({{0, 0, 0, 0, 0, 0, 1}, {5, 0, 0, 0, 0, 0, 0}}), {6}, r);
  EXPECT_EQ(r.images, 4);
  EXPECT_EQ(r.correct1, 2);
  EXPECT_EQ(r.correct5, 3);
  EXPECT_DOUBLE_EQ(r.top1, 0.5);
  EXPECT_DOUBLE_EQ(r.top5, 0.75);
}

TEST(ScoreLogits, NaNRowIsWrongAndCounted) {
  EvalResult r;
  const float nan = std::nanf("");
  score_logits(logits_of({{nan, 1, 0}, {3, 1, 0}}), {0, 0}, r);
  EXPECT_EQ(r.nan_rows, 1);
  EXPECT_EQ(r.images, 2);
  EXPECT_EQ(r.correct1, 1);
  EXPECT_EQ(r.correct5, 1);
}

TEST(ScoreLogits, RefusesLabelsTheLogitsCannotHold) {
  EvalResult r;
  EXPECT_THROW(score_logits(logits_of({{1, 2, 3}}), {3}, r), Error);
  EXPECT_THROW(score_logits(logits_of({{1, 2, 3}}), {-1}, r), Error);
  EXPECT_THROW(score_logits(logits_of({{1, 2, 3}}), {0, 1}, r), Error);  // more labels than rows
  EXPECT_EQ(r.images, 0);
}

}  // namespace
}  // namespace ecoinfer
