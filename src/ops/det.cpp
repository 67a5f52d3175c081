#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// Determinant of each square matrix in the last two axes: Gaussian elimination with partial
// pivoting in double (numpy.linalg.det's LU).
std::vector<Tensor> det_ref(OpContext& c) {
  const Tensor& x = c.in(0);
  ECO_CHECK(x.rank() >= 2 && x.dim(-1) == x.dim(-2), "{}: input {} must be [..., M, M]", c.node.describe(),
            shape_str(x.shape()));
  const int64_t m = x.dim(-1), count = m ? x.numel() / (m * m) : 0;
  Tensor y = Tensor::empty(x.dtype(), Shape(x.shape().begin(), x.shape().end() - 2));
  visit_dtype<FloatTypes>(x.dtype(), c.node, "input", [&](auto t) {
    using T = decltype(t);
    std::vector<double> a(static_cast<size_t>(m * m));
    for (int64_t b = 0; b < count; ++b) {
      for (int64_t i = 0; i < m * m; ++i) a[i] = x.data<T>()[b * m * m + i];
      double det = 1;
      for (int64_t col = 0; col < m && det != 0; ++col) {
        int64_t piv = col;
        for (int64_t r = col + 1; r < m; ++r)
          if (std::fabs(a[r * m + col]) > std::fabs(a[piv * m + col])) piv = r;
        if (a[piv * m + col] == 0) {
          det = 0;
          break;
        }
        if (piv != col) {
          for (int64_t k = 0; k < m; ++k) std::swap(a[piv * m + k], a[col * m + k]);
          det = -det;
        }
        det *= a[col * m + col];
        for (int64_t r = col + 1; r < m; ++r) {
          const double f = a[r * m + col] / a[col * m + col];
          for (int64_t k = col; k < m; ++k) a[r * m + k] -= f * a[col * m + k];
        }
      }
      y.data<T>()[b] = static_cast<T>(det);
    }
    return 0;
  });
  return {y};
}

std::vector<TensorMeta> det_infer(const Node&, const std::vector<TensorMeta>& in) {
  const Shape& s = in[0].shape;
  return one_meta(in[0].dtype, Shape(s.begin(), s.end() - std::min<size_t>(2, s.size())));
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Det", .reference = det_ref, .infer = det_infer});
}  // namespace ecoinfer::ops
