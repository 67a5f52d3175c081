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
#include "runtime/executor.h"

namespace ecoinfer {

// What the model expects of an image, from preprocessor_config.json (Hugging Face keys).
// The transforms run in Hugging Face's order: convert to RGB (or L), resize, center crop,
// rescale, normalize.
struct Preprocessing {
  int channels = 3;          // 3: RGB, 1: grayscale
  int height = 0, width = 0; // the model's input size
  bool do_resize = false;
  // `size`: exact {height, width}; {shortest_edge[, longest_edge]} keeps the aspect
  // ratio; none: resize to the model's input size.
  enum class Size { none, exact, shortest_edge } size_mode = Size::none;
  int size_height = 0, size_width = 0;
  int shortest_edge = 0, longest_edge = 0;  // longest_edge 0: no limit
  double crop_pct = 0;       // > 0: ConvNeXt-style resize to shortest_edge / crop_pct, then crop
  int resample = 2;          // PIL codes: 0 nearest, 1 lanczos, 2 bilinear, 3 bicubic, 4 box, 5 hamming
  bool do_center_crop = false;
  int crop_height = 0, crop_width = 0;
  bool do_rescale = true;
  double rescale_factor = 1.0 / 255.0;
  bool do_normalize = true;
  std::vector<float> mean{0.5f, 0.5f, 0.5f};
  std::vector<float> std{0.5f, 0.5f, 0.5f};
  std::string source;        // the preprocessor_config.json it came from, if any
  // The model's height and width are dynamic; height/width were taken from the resize/crop
  // settings of preprocessor_config.json.
  bool size_from_config = false;
};

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
  ExecutorKind executor = ExecutorKind::eager;  // tactics may switch it (compile -> planned)
  // Pruning state within one tactic list: per weight initializer, 1 for entries not pruned
  // yet, so that repeated pruning compounds as PyTorch's PruningContainer does.
  std::map<std::string, std::vector<uint8_t>> prune_keep;
};

// What the caller feeds the model. `images`: decoded images, so the graph's first input and
// the preprocessing (channels, size, mean/std lengths) are checked against each other.
// `tensors`: tensors as given (`ecoinfer infer`, parity checks): no image checks, and
// preprocessor_config.json is not read (a 1-channel or non-image input is fine).
enum class ModelFeed { images, tensors };

ModelBundle load_model(const std::filesystem::path& path, const PreprocessingFlags& flags = {},
                       ModelFeed feed = ModelFeed::images);

// Parses preprocessor_config.json; errors name the file and the key. Unknown keys are
// ignored with a note on stderr (once per file).
Preprocessing parse_preprocessor_config(const std::filesystem::path& file, Preprocessing base);

// The concrete shape graph input `i` takes for `batch` images: the first dimension takes
// `batch`; dynamic channels, height and width of a 4-D first input take the preprocessing's
// (the model's own, or preprocessor_config.json's fixed output size). nullopt when another
// dimension is dynamic: the caller must ask for it (never silently 1).
std::optional<Shape> concrete_input_shape(const ModelBundle& m, size_t i, int64_t batch);

// The same from the file's text (`origin` names it in messages): the fuzz target's entry.
Preprocessing parse_preprocessor_config_text(std::string_view text, const std::filesystem::path& origin,
                                             Preprocessing base);

// config.json's id2label in index order (empty when absent). Keys must be the decimal
// indices 0 .. count-1, each once; errors name `origin` and the key.
std::vector<std::string> parse_labels_text(std::string_view text, const std::filesystem::path& origin);

// Pairs (first index, later index) of labels with the same name: a dataset that matches
// class folders to labels by name cannot tell those classes apart.
std::vector<std::pair<size_t, size_t>> duplicate_labels(const std::vector<std::string>& labels);

// The output size (height, width) of the resize/crop steps when it does not depend on the
// input image, else nullopt (shortest-edge resize without a crop, or no resize at all).
std::optional<std::pair<int, int>> fixed_output_size(const Preprocessing& p);

}  // namespace ecoinfer
