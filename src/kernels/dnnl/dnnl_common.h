#pragma once
// Shared oneDNN plumbing for the kernels in this folder: one CPU engine, a stream per
// thread, plain-layout memory descriptors.
#include <oneapi/dnnl/dnnl.hpp>

#include "core/tensor.h"

namespace ecoinfer::kernels::onednn {

using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

dnnl::engine& cpu_engine();
dnnl::stream& thread_stream();

inline dnnl::memory::dims to_dims(const Shape& s) { return dnnl::memory::dims(s.begin(), s.end()); }

// A memory object over a tensor's storage in its plain row-major layout.
dnnl::memory plain_memory(const Tensor& t, const dnnl::memory::dims& dims, dnnl::memory::format_tag tag);

}  // namespace ecoinfer::kernels::onednn
