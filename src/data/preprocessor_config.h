#pragma once
// Hugging Face's preprocessor_config.json: what a model expects of an image.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// Parses preprocessor_config.json; errors name the file and the key. Unknown keys are
// ignored with a note on stderr (once per file).
Preprocessing parse_preprocessor_config(const std::filesystem::path& file, Preprocessing base);

// The same from the file's text (`origin` names it in messages): the fuzz target's entry.
Preprocessing parse_preprocessor_config_text(std::string_view text, const std::filesystem::path& origin,
                                             Preprocessing base);

// The output size (height, width) of the resize/crop steps when it does not depend on the
// input image, else nullopt (shortest-edge resize without a crop, or no resize at all).
std::optional<std::pair<int, int>> fixed_output_size(const Preprocessing& p);

}  // namespace ecoinfer
