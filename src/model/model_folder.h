#pragma once
// A model as users bring it: a Hugging Face-style folder (model.onnx or onnx/model.onnx,
// config.json with id2label, preprocessor_config.json) or a bare .onnx file whose
// preprocessing comes from command-line flags.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "runtime/executor.h"

namespace ecoinfer {

// What the model expects of an image, from preprocessor_config.json (Hugging Face keys).
struct Preprocessing {
  int channels = 3;          // 3: RGB, 1: grayscale
  int height = 0, width = 0; // the model's input size
  bool do_resize = false;
  int resample = 2;          // PIL codes: 0 nearest, 1 lanczos, 2 bilinear, 3 bicubic
  bool do_rescale = true;
  double rescale_factor = 1.0 / 255.0;
  bool do_normalize = true;
  std::vector<float> mean{0.5f, 0.5f, 0.5f};
  std::vector<float> std{0.5f, 0.5f, 0.5f};
};

// Overrides for a bare .onnx file (or to replace a folder's settings).
struct PreprocessingFlags {
  std::optional<std::vector<float>> mean, std;
  std::optional<double> rescale;
  std::optional<bool> grayscale;
};

struct ModelBundle {
  std::filesystem::path path;       // what the user named
  std::filesystem::path onnx_path;
  Graph graph;
  std::vector<std::string> labels;  // id2label in index order; empty when unknown
  Preprocessing pre;
  size_t model_bytes = 0;           // size of the ONNX file plus external data
  ExecutorKind executor = ExecutorKind::eager;  // tactics may switch it (compile -> planned)
};

ModelBundle load_model(const std::filesystem::path& path, const PreprocessingFlags& flags = {});

// Parses preprocessor_config.json; errors name the file and the key.
Preprocessing parse_preprocessor_config(const std::filesystem::path& file, Preprocessing base);

}  // namespace ecoinfer
