#include "kernels/dnnl/dnnl_common.h"

namespace ecoinfer::kernels::onednn {

dnnl::engine& cpu_engine() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

dnnl::stream& thread_stream() {
  thread_local dnnl::stream s(cpu_engine());
  return s;
}

dnnl::memory plain_memory(const Tensor& t, const dnnl::memory::dims& dims, dnnl::memory::format_tag tag) {
  dnnl::memory::desc md(dims, dnnl::memory::data_type::f32, tag);
  return dnnl::memory(md, cpu_engine(), const_cast<void*>(t.raw()));
}

}  // namespace ecoinfer::kernels::onednn
