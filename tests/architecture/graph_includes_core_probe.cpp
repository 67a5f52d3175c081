// The control for graph_includes_runtime_probe.cpp: the same view, a layer below.
#include "core/tensor.h"

int ecoinfer_layer_probe_downward() { return static_cast<int>(ecoinfer::dtype_size(ecoinfer::DType::f32)); }
