#pragma once
// ArgMax and ArgMin share one reference: the index of the extreme value along `axis`.
#include "ops/tensor_util.h"

namespace ecoinfer::ops {

// Index of the largest (Max) or smallest value along `axis`: the first one, or the last
// with select_last_index; a NaN counts as more extreme than any number either way, as
// numpy.argmax and numpy.argmin do.
template <bool Max>
std::vector<Tensor> arg_reduce_ref(OpContext& c);
template <bool Max>
std::vector<TensorMeta> arg_reduce_infer(const Node& n, const std::vector<TensorMeta>& in);

}  // namespace ecoinfer::ops
