#include "model/model_folder.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <set>
#include <nlohmann/json.hpp>

#include "model/model_source.h"
#include "onnx/onnx_import.h"

namespace ecoinfer {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Hugging Face configs are kilobytes (an ImageNet id2label ~40 KB): anything far larger, or
// not a regular file (a FIFO would block, /dev/zero never ends), is refused before reading.
constexpr uintmax_t kMaxConfigBytes = 16u << 20;
// The largest image side (and channel count) a model input may declare: the preprocessing's
// own limit for sizes in preprocessor_config.json.
constexpr int64_t kMaxImageSide = 65536;

json parse_config_json(std::string_view text, const fs::path& file);
std::vector<std::string> parse_id2label(const json& j, const fs::path& file);

json read_json(const fs::path& file) {
  std::error_code ec;
  const fs::file_status st = fs::status(file, ec);
  ECO_CHECK(!ec && fs::is_regular_file(st), "{}: not a regular file", file.string());
  const uintmax_t size = fs::file_size(file, ec);
  ECO_CHECK(!ec, "{}: cannot read the file size: {}", file.string(), ec.message());
  ECO_CHECK(size <= kMaxConfigBytes, "{}: {} bytes is too large for a configuration file (at most {})", file.string(),
            size, kMaxConfigBytes);
  std::ifstream in(file, std::ios::binary);
  ECO_CHECK(in.good(), "{}: cannot open", file.string());
  std::string text(static_cast<size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<size_t>(in.gcount()));
  return parse_config_json(text, file);
}

// id2label's keys must be plain decimal indices ("1abc" and "-1" are not), each index from
// 0 to count - 1 exactly once.
std::vector<std::string> read_labels(const fs::path& file) {
  return parse_id2label(read_json(file), file);
}

std::vector<float> float_list(const json& j, const fs::path& file, const char* key) {
  if (j.is_number()) return {j.get<float>()};
  ECO_CHECK(j.is_array() && !j.empty(), "{}: '{}' must be a number or a non-empty list", file.string(), key);
  std::vector<float> v;
  for (auto& x : j) {
    ECO_CHECK(x.is_number(), "{}: '{}' must hold numbers", file.string(), key);
    v.push_back(x.get<float>());
  }
  return v;
}

json parse_config_json(std::string_view text, const fs::path& file) {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    fail("{}: invalid JSON: {}", file.string(), e.what());
  }
}

std::vector<std::string> parse_id2label(const json& j, const fs::path& file) {
  ECO_CHECK(j.is_object(), "{}: expected a JSON object", file.string());
  if (!j.contains("id2label")) return {};
  const json& m = j["id2label"];
  ECO_CHECK(m.is_object(), "{}: id2label must be an object", file.string());
  std::vector<std::string> labels(m.size());
  std::vector<bool> seen(m.size(), false);
  for (auto& [k, v] : m.items()) {
    const bool digits = !k.empty() && k.size() <= 9 &&
                        std::all_of(k.begin(), k.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
    ECO_CHECK(digits, "{}: id2label key '{}' is not a class index (expected \"0\" to \"{}\")", file.string(), k,
              m.size() - 1);
    const size_t idx = std::stoul(k);
    ECO_CHECK(idx < labels.size(), "{}: id2label key '{}' is out of range: {} labels need keys \"0\" to \"{}\"",
              file.string(), k, labels.size(), labels.size() - 1);
    ECO_CHECK(!seen[idx], "{}: id2label gives index {} twice (keys are compared as numbers)", file.string(), idx);
    ECO_CHECK(v.is_string(), "{}: id2label[\"{}\"] must be a string", file.string(), k);
    seen[idx] = true;
    labels[idx] = v.get<std::string>();
  }
  return labels;
}

// The classes the first output gives, when its shape says so ([batch, classes]).
std::optional<int64_t> output_classes(const Graph& g) {
  if (g.outputs.empty()) return std::nullopt;
  const ValueInfo& o = g.outputs[0];
  if (!o.has_shape || o.shape.size() != 2 || !o.shape[1].known()) return std::nullopt;
  return o.shape[1].value;
}

void check_label_count(const ModelBundle& m, const fs::path& config) {
  const auto classes = output_classes(m.graph);
  if (m.labels.empty() || !classes) return;
  ECO_CHECK(static_cast<int64_t>(m.labels.size()) == *classes,
            "{}: id2label has {} labels, but the model's output '{}' {} has {} classes", config.string(),
            m.labels.size(), m.graph.outputs[0].name, m.graph.outputs[0].shape_str(), *classes);
}

}  // namespace

std::vector<std::pair<size_t, size_t>> duplicate_labels(const std::vector<std::string>& labels) {
  std::map<std::string, size_t> first;
  std::vector<std::pair<size_t, size_t>> dups;
  for (size_t i = 0; i < labels.size(); ++i) {
    auto [it, fresh] = first.emplace(labels[i], i);
    if (!fresh) dups.emplace_back(it->second, i);
  }
  return dups;
}

namespace {

// Keys this parser understands, and keys Hugging Face writes that carry no transform.
const std::set<std::string>& known_keys() {
  static const std::set<std::string> k = {
      "do_resize", "size", "resample", "do_center_crop", "crop_size", "crop_pct", "do_rescale", "rescale_factor",
      "do_normalize", "image_mean", "image_std", "do_convert_rgb", "do_flip_channel_order", "do_pad",
      "image_processor_type", "feature_extractor_type", "processor_class", "_processor_class", "default_to_square"};
  return k;
}

// Notes unknown keys once per file and process.
void note_unknown_keys(const json& j, const fs::path& file) {
  static std::mutex mu;
  static std::set<std::string> noted;
  std::vector<std::string> unknown;
  for (auto& [k, v] : j.items())
    if (!known_keys().count(k)) unknown.push_back(k);
  if (unknown.empty()) return;
  std::lock_guard lk(mu);
  if (!noted.insert(fs::absolute(file).lexically_normal().string()).second) return;
  std::string list;
  for (auto& k : unknown) list += (list.empty() ? "'" : ", '") + k + "'";
  std::fprintf(stderr, "ecoinfer: note: %s: ignoring key(s) %s (no effect on ecoinfer's preprocessing)\n",
               file.string().c_str(), list.c_str());
}

int positive_int(const json& v, const fs::path& file, const std::string& key) {
  ECO_CHECK(v.is_number_integer() && v.get<int64_t>() > 0 && v.get<int64_t>() <= 65536,
            "{}: '{}' must be a positive integer (at most 65536), got {}", file.string(), key, v.dump());
  return static_cast<int>(v.get<int64_t>());
}

// `size` or `crop_size` as {height, width}, or a bare integer for a square.
std::pair<int, int> height_width(const json& v, const fs::path& file, const std::string& key) {
  if (v.is_number()) {
    const int s = positive_int(v, file, key);
    return {s, s};
  }
  ECO_CHECK(v.is_object(), "{}: '{}' must be an object {{\"height\", \"width\"}} or an integer", file.string(), key);
  for (auto& [k, x] : v.items())
    ECO_CHECK(k == "height" || k == "width", "{}: '{}' has key '{}'; expected height and width", file.string(), key, k);
  ECO_CHECK(v.contains("height") && v.contains("width"), "{}: '{}' needs both height and width", file.string(), key);
  return {positive_int(v["height"], file, key + ".height"), positive_int(v["width"], file, key + ".width")};
}

Preprocessing parse_preprocessor_json(json j, const fs::path& file, Preprocessing p);

// The processor's class name ("ConvNextImageProcessor"; `feature_extractor_type` in older
// files), read only to tell how a legacy integer `size` is meant; "" when absent.
std::string processor_type(const json& j, const fs::path& file) {
  for (const char* k : {"image_processor_type", "feature_extractor_type"}) {
    if (!j.contains(k) || j[k].is_null()) continue;
    ECO_CHECK(j[k].is_string(), "{}: '{}' must be a string (a processor class name), got {}", file.string(), k, j[k].dump());
    return j[k].get<std::string>();
  }
  return "";
}

}  // namespace

Preprocessing parse_preprocessor_config(const fs::path& file, Preprocessing p) {
  return parse_preprocessor_json(read_json(file), file, std::move(p));
}

Preprocessing parse_preprocessor_config_text(std::string_view text, const fs::path& origin, Preprocessing base) {
  return parse_preprocessor_json(parse_config_json(text, origin), origin, std::move(base));
}

std::vector<std::string> parse_labels_text(std::string_view text, const fs::path& origin) {
  return parse_id2label(parse_config_json(text, origin), origin);
}

namespace {
Preprocessing parse_preprocessor_json(json j, const fs::path& file, Preprocessing p) {
  ECO_CHECK(j.is_object(), "{}: expected a JSON object", file.string());
  p.source = file.string();
  note_unknown_keys(j, file);
  auto boolean = [&](const char* k, bool& out) {
    if (!j.contains(k) || j[k].is_null()) return;
    ECO_CHECK(j[k].is_boolean(), "{}: '{}' must be true or false", file.string(), k);
    out = j[k].get<bool>();
  };
  boolean("do_resize", p.do_resize);
  boolean("do_rescale", p.do_rescale);
  boolean("do_normalize", p.do_normalize);
  boolean("do_center_crop", p.do_center_crop);
  if (j.contains("do_convert_rgb")) {
    bool rgb = true;
    boolean("do_convert_rgb", rgb);
    if (rgb) p.channels = 3;
  }
  for (const char* k : {"do_flip_channel_order", "do_pad"}) {
    bool on = false;
    boolean(k, on);
    ECO_CHECK(!on, "{}: '{}': true is not supported by ecoinfer's preprocessing", file.string(), k);
  }
  if (j.contains("rescale_factor")) {
    ECO_CHECK(j["rescale_factor"].is_number() && j["rescale_factor"].get<double>() > 0,
              "{}: 'rescale_factor' must be a positive number", file.string());
    p.rescale_factor = j["rescale_factor"].get<double>();
  }
  if (j.contains("resample")) {
    ECO_CHECK(j["resample"].is_number_integer() && j["resample"].get<int64_t>() >= 0 && j["resample"].get<int64_t>() <= 5,
              "{}: 'resample' must be a PIL filter code 0-5 (0 nearest, 1 lanczos, 2 bilinear, 3 bicubic, 4 box, "
              "5 hamming), got {}",
              file.string(), j["resample"].dump());
    p.resample = j["resample"].get<int>();
  }
  if (j.contains("crop_pct") && !j["crop_pct"].is_null()) {
    const json& c = j["crop_pct"];
    ECO_CHECK(c.is_number() && c.get<double>() > 0 && c.get<double>() <= 1,
              "{}: 'crop_pct' must be a number in (0, 1], got {}", file.string(), c.dump());
    p.crop_pct = c.get<double>();
  }
  if (j.contains("size") && !j["size"].is_null()) {
    const json& s = j["size"];
    if (s.is_object() && (s.contains("shortest_edge") || s.contains("longest_edge"))) {
      for (auto& [k, x] : s.items())
        ECO_CHECK(k == "shortest_edge" || k == "longest_edge",
                  "{}: 'size' mixes '{}' with shortest_edge/longest_edge; use either {{height, width}} or "
                  "{{shortest_edge[, longest_edge]}}",
                  file.string(), k);
      ECO_CHECK(s.contains("shortest_edge"), "{}: 'size' with only longest_edge is not supported", file.string());
      p.size_mode = Preprocessing::Size::shortest_edge;
      p.shortest_edge = positive_int(s["shortest_edge"], file, "size.shortest_edge");
      if (s.contains("longest_edge")) {
        p.longest_edge = positive_int(s["longest_edge"], file, "size.longest_edge");
        ECO_CHECK(p.longest_edge > p.shortest_edge,
                  "{}: 'size.longest_edge' ({}) must be greater than 'size.shortest_edge' ({})", file.string(),
                  p.longest_edge, p.shortest_edge);
      }
    } else if (s.is_number()) {
      // Legacy integer size: processors that crop (ConvNeXt's crop_pct, CLIP's center crop)
      // read it as the shortest edge, the others as a square, as Hugging Face does.
      const std::string type = processor_type(j, file);
      const bool shortest = p.crop_pct > 0 || p.do_center_crop || type.find("ConvNext") != std::string::npos ||
                            type.find("CLIP") != std::string::npos;
      const int v = positive_int(s, file, "size");
      if (shortest) {
        p.size_mode = Preprocessing::Size::shortest_edge;
        p.shortest_edge = v;
      } else {
        p.size_mode = Preprocessing::Size::exact;
        p.size_height = p.size_width = v;
      }
    } else {
      auto [h, w] = height_width(s, file, "size");
      p.size_mode = Preprocessing::Size::exact;
      p.size_height = h;
      p.size_width = w;
    }
  }
  if (p.crop_pct > 0 && p.do_resize)
    ECO_CHECK(p.size_mode == Preprocessing::Size::shortest_edge && p.longest_edge == 0,
              "{}: 'crop_pct' needs 'size' as {{\"shortest_edge\": N}} (ConvNeXt-style); it has no meaning with "
              "the 'size' given",
              file.string());
  if (j.contains("crop_size") && !j["crop_size"].is_null()) {
    auto [h, w] = height_width(j["crop_size"], file, "crop_size");
    p.crop_height = h;
    p.crop_width = w;
  }
  ECO_CHECK(!p.do_center_crop || p.crop_height > 0, "{}: 'do_center_crop' is true but 'crop_size' is missing",
            file.string());
  if (j.contains("image_mean")) p.mean = float_list(j["image_mean"], file, "image_mean");
  if (j.contains("image_std")) p.std = float_list(j["image_std"], file, "image_std");
  for (float s : p.std) ECO_CHECK(s != 0.f, "{}: 'image_std' must not contain 0", file.string());
  return p;
}
}  // namespace

std::optional<std::pair<int, int>> fixed_output_size(const Preprocessing& p) {
  if (p.do_center_crop) return std::make_pair(p.crop_height, p.crop_width);
  if (!p.do_resize) return std::nullopt;
  switch (p.size_mode) {
    case Preprocessing::Size::exact: return std::make_pair(p.size_height, p.size_width);
    case Preprocessing::Size::shortest_edge:
      if (p.crop_pct > 0) return std::make_pair(p.shortest_edge, p.shortest_edge);
      return std::nullopt;
    case Preprocessing::Size::none:
      if (p.height > 0 && p.width > 0) return std::make_pair(p.height, p.width);
      return std::nullopt;
  }
  return std::nullopt;
}

ModelBundle load_model(const fs::path& path, const PreprocessingFlags& flags, ModelFeed feed) {
  ModelBundle m;
  m.path = path;
  std::error_code ec;
  // A folder, a .onnx file, or a Hub id fetched into the Hub cache (model/model_source.h).
  const ModelLocation loc = locate_model(path.string(), flags.onnx_file);
  const fs::path dir = loc.folder;
  m.onnx_path = loc.onnx;
  m.graph = load_onnx(m.onnx_path, loc.data_root);
  m.model_bytes = fs::file_size(m.onnx_path, ec);
  for (auto& e : fs::directory_iterator(m.onnx_path.parent_path().empty() ? fs::path(".") : m.onnx_path.parent_path(), ec)) {
    // External data files next to the model count towards its size.
    auto ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".data" || ext == ".onnx_data" || ext == ".bin")) m.model_bytes += e.file_size(ec);
  }
  ECO_CHECK(!m.graph.inputs.empty(), "{}: the model has no runtime input", m.onnx_path.string());
  if (feed == ModelFeed::tensors) {
    if (!dir.empty() && fs::exists(dir / "config.json")) m.labels = read_labels(dir / "config.json");
    check_label_count(m, dir / "config.json");
    return m;
  }
  const ValueInfo& in = m.graph.inputs[0];
  if (in.has_shape && in.shape.size() == 4) {
    // An image model's channels, height and width; a size no image has is the model's fault,
    // said here rather than when the first batch fails to allocate.
    auto image_dim = [&](int d, const char* what) {
      const int64_t v = in.shape[d].value;
      ECO_CHECK(v >= 1 && v <= kMaxImageSide, "{}: input '{}' {} has {} {}; an image model takes 1 to {}",
                m.onnx_path.string(), in.name, in.shape_str(), what, v, kMaxImageSide);
      return static_cast<int>(v);
    };
    if (in.shape[1].known()) m.pre.channels = image_dim(1, "channels");
    if (in.shape[2].known()) m.pre.height = image_dim(2, "height");
    if (in.shape[3].known()) m.pre.width = image_dim(3, "width");
  }
  const int model_channels = m.pre.channels;
  if (!dir.empty()) {
    if (fs::exists(dir / "config.json")) m.labels = read_labels(dir / "config.json");
    if (fs::exists(dir / "preprocessor_config.json")) {
      m.pre = parse_preprocessor_config(dir / "preprocessor_config.json", m.pre);
      m.pre.channels = model_channels;  // the graph decides RGB vs grayscale
    }
  }
  check_label_count(m, dir / "config.json");
  if (flags.mean) m.pre.mean = *flags.mean;
  if (flags.std) m.pre.std = *flags.std;
  if (flags.rescale) m.pre.rescale_factor = *flags.rescale;
  if (flags.grayscale) m.pre.channels = *flags.grayscale ? 1 : 3;
  auto fix_len = [&](std::vector<float>& v, const char* what) {
    if (v.size() == 1 && m.pre.channels > 1) v.assign(m.pre.channels, v[0]);
    ECO_CHECK(static_cast<int>(v.size()) == m.pre.channels, "{}: {} has {} values, the model has {} channel(s)",
              path.string(), what, v.size(), m.pre.channels);
  };
  fix_len(m.pre.mean, "image_mean");
  fix_len(m.pre.std, "image_std");
  if (auto out = fixed_output_size(m.pre); out && m.pre.height > 0 && m.pre.width > 0)
    ECO_CHECK(out->first == m.pre.height && out->second == m.pre.width,
              "{}: the resize/crop settings ('{}') produce {}x{} images (HxW), but the model takes {}x{}",
              m.pre.source, m.pre.do_center_crop ? "crop_size" : "size", out->first, out->second, m.pre.height,
              m.pre.width);
  // Dynamic height and width (Hugging Face Optimum exports): the preprocessing's fixed output
  // size is what the model will see.
  if (auto out = fixed_output_size(m.pre); out && m.pre.height <= 0 && m.pre.width <= 0) {
    m.pre.height = out->first;
    m.pre.width = out->second;
    m.pre.size_from_config = true;
  }
  return m;
}

std::optional<Shape> concrete_input_shape(const ModelBundle& m, size_t i, int64_t batch) {
  const ValueInfo& v = m.graph.inputs.at(i);
  if (!v.has_shape) return std::nullopt;
  Shape s;
  for (size_t d = 0; d < v.shape.size(); ++d) {
    if (d == 0) s.push_back(batch);
    else if (v.shape[d].known()) s.push_back(v.shape[d].value);
    else if (i == 0 && v.shape.size() == 4 && d == 1 && m.pre.channels > 0) s.push_back(m.pre.channels);
    else if (i == 0 && v.shape.size() == 4 && d == 2 && m.pre.height > 0) s.push_back(m.pre.height);
    else if (i == 0 && v.shape.size() == 4 && d == 3 && m.pre.width > 0) s.push_back(m.pre.width);
    else return std::nullopt;
  }
  return s;
}

}  // namespace ecoinfer
