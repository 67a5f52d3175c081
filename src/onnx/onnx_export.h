#pragma once
// Graph -> ONNX ModelProto, the inverse of onnx_import: what `ecoinfer optimize` writes.
// Initializers are stored as raw data; ops of the com.ecoinfer domain (dynamic-int8's
// MatMulDynamicInt8) get their own opset_import entry; internal attributes (names starting
// with '_', e.g. the importer's _opset) are not written.
#include <filesystem>
#include <string>

#include "graph/graph.h"

namespace ecoinfer {

std::string save_onnx_bytes(const Graph& g);
void save_onnx(const Graph& g, const std::filesystem::path& file);

}  // namespace ecoinfer
