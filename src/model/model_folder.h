#pragma once
// A model as users bring it: a Hugging Face-style folder (model.onnx or onnx/model.onnx,
// config.json with id2label, preprocessor_config.json) or a bare .onnx file whose
// preprocessing comes from command-line flags.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graph/graph.h"
#include "data/preprocessor_config.h"

namespace ecoinfer {

// Overrides for a bare .onnx file (or to replace a folder's settings).
struct PreprocessingFlags {
  std::optional<std::vector<float>> mean, std;
  std::optional<double> rescale;
  std::optional<bool> grayscale;
  // Not preprocessing: which ONNX file of a folder or Hub repository to load (--onnx-file);
  // empty: model.onnx, else onnx/model.onnx (model/model_source.h).
  std::string onnx_file;
};

struct ModelBundle {
  std::filesystem::path path;       // what the user named
  std::filesystem::path onnx_path;
  Graph graph;
  std::vector<std::string> labels;  // id2label in index order; empty when unknown
  Preprocessing pre;
  size_t model_bytes = 0;           // size of the ONNX file plus external data
};

// What the caller feeds the model. `images`: decoded images, so the graph's first input and
// the preprocessing (channels, size, mean/std lengths) are checked against each other.
// `tensors`: tensors as given (`ecoinfer infer`, parity checks): no image checks, and
// preprocessor_config.json is not read (a 1-channel or non-image input is fine).
enum class ModelFeed { images, tensors };

ModelBundle load_model(const std::filesystem::path& path, const PreprocessingFlags& flags = {},
                       ModelFeed feed = ModelFeed::images);

// The concrete shape graph input `i` takes for `batch` images: the first dimension takes
// `batch`; dynamic channels, height and width of a 4-D first input take the preprocessing's
// (the model's own, or preprocessor_config.json's fixed output size). nullopt when another
// dimension is dynamic: the caller must ask for it (never silently 1).
std::optional<Shape> concrete_input_shape(const ModelBundle& m, size_t i, int64_t batch);

// config.json's id2label in index order (empty when absent). Keys must be the decimal
// indices 0 .. count-1, each once; errors name `origin` and the key.
std::vector<std::string> parse_labels_text(std::string_view text, const std::filesystem::path& origin);

// Pairs (first index, later index) of labels with the same name: a dataset that matches
// class folders to labels by name cannot tell those classes apart.
std::vector<std::pair<size_t, size_t>> duplicate_labels(const std::vector<std::string>& labels);

}  // namespace ecoinfer
