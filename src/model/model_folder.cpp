#include "model/model_folder.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <set>
#include <nlohmann/json.hpp>

#include "data/config_json.h"
#include "model/model_source.h"
#include "onnx/onnx_import.h"

namespace ecoinfer {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The largest image side (and channel count) a model input may declare: the preprocessing's
// own limit for sizes in preprocessor_config.json.
constexpr int64_t kMaxImageSide = 65536;

std::vector<std::string> parse_id2label(const json& j, const fs::path& file);

// id2label's keys must be plain decimal indices ("1abc" and "-1" are not), each index from
// 0 to count - 1 exactly once.
std::vector<std::string> read_labels(const fs::path& file) {
  return parse_id2label(read_config_json(file), file);
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

std::vector<std::string> parse_labels_text(std::string_view text, const fs::path& origin) {
  return parse_id2label(parse_config_json(text, origin), origin);
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
