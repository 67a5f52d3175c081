#include "ops/compare.h"

namespace ecoinfer::ops {

std::vector<TensorMeta> infer_variadic_broadcast(const Node& n, const std::vector<TensorMeta>& in) {
  Shape s = in.at(0).shape;
  for (size_t i = 1; i < in.size(); ++i) s = broadcast_shapes(s, in[i].shape, n);
  return one_meta(in[0].dtype, s);
}

}  // namespace ecoinfer::ops
