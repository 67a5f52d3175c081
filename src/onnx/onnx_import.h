#pragma once
#include <filesystem>
#include <string>

#include "graph/graph.h"

namespace ecoinfer {

// Loads an ONNX model file into a verified Graph. External tensor data is resolved
// relative to the model's folder. Errors name the file and the node or field at fault.
// `data_root`: external data must resolve (through symbolic links) inside this folder;
// empty: the model file's own folder. A Hub snapshot passes its repository's cache folder,
// whose blobs/ the snapshot's links point into.
Graph load_onnx(const std::filesystem::path& file, const std::filesystem::path& data_root = {});

// Same from bytes already in memory (the fuzz target's entry point). `origin` names the
// source in messages; `base_dir` resolves external data (empty: external data is an error).
Graph load_onnx_bytes(const void* data, size_t size, const std::string& origin, const std::filesystem::path& base_dir,
                      const std::filesystem::path& data_root = {});

// Reads one serialized TensorProto (ONNX's test data: test_data_set_0/input_0.pb). Errors
// name the file; the size checks are the importer's (a corrupt file cannot allocate more
// than it holds).
Tensor load_onnx_tensor(const std::filesystem::path& file);
// The same from the serialized bytes; `origin` names them in messages.
Tensor load_onnx_tensor_bytes(const std::string& bytes, const std::string& origin);

}  // namespace ecoinfer
