#include "model/model_folder.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "onnx/onnx_import.h"

namespace ecoinfer {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json read_json(const fs::path& file) {
  std::ifstream in(file);
  ECO_CHECK(in.good(), "{}: cannot open", file.string());
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    fail("{}: invalid JSON: {}", file.string(), e.what());
  }
}

std::vector<std::string> read_labels(const fs::path& file) {
  json j = read_json(file);
  ECO_CHECK(j.is_object(), "{}: expected a JSON object", file.string());
  if (!j.contains("id2label")) return {};
  const json& m = j["id2label"];
  ECO_CHECK(m.is_object(), "{}: id2label must be an object", file.string());
  std::vector<std::string> labels(m.size());
  for (auto& [k, v] : m.items()) {
    size_t idx = 0;
    try {
      idx = std::stoul(k);
    } catch (...) {
      fail("{}: id2label key '{}' is not an index", file.string(), k);
    }
    ECO_CHECK(idx < labels.size(), "{}: id2label index {} is out of range (there are {} labels)", file.string(), idx,
              labels.size());
    ECO_CHECK(v.is_string(), "{}: id2label[{}] must be a string", file.string(), k);
    labels[idx] = v.get<std::string>();
  }
  return labels;
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

}  // namespace

Preprocessing parse_preprocessor_config(const fs::path& file, Preprocessing p) {
  json j = read_json(file);
  ECO_CHECK(j.is_object(), "{}: expected a JSON object", file.string());
  auto boolean = [&](const char* k, bool& out) {
    if (!j.contains(k)) return;
    ECO_CHECK(j[k].is_boolean(), "{}: '{}' must be true or false", file.string(), k);
    out = j[k].get<bool>();
  };
  boolean("do_resize", p.do_resize);
  boolean("do_rescale", p.do_rescale);
  boolean("do_normalize", p.do_normalize);
  if (j.contains("do_convert_rgb")) {
    bool rgb = true;
    boolean("do_convert_rgb", rgb);
    if (rgb) p.channels = 3;
  }
  if (j.contains("rescale_factor")) {
    ECO_CHECK(j["rescale_factor"].is_number() && j["rescale_factor"].get<double>() > 0,
              "{}: 'rescale_factor' must be a positive number", file.string());
    p.rescale_factor = j["rescale_factor"].get<double>();
  }
  if (j.contains("resample")) {
    ECO_CHECK(j["resample"].is_number_integer(), "{}: 'resample' must be an integer", file.string());
    p.resample = j["resample"].get<int>();
  }
  if (j.contains("image_mean")) p.mean = float_list(j["image_mean"], file, "image_mean");
  if (j.contains("image_std")) p.std = float_list(j["image_std"], file, "image_std");
  for (float s : p.std) ECO_CHECK(s != 0.f, "{}: 'image_std' must not contain 0", file.string());
  return p;
}

ModelBundle load_model(const fs::path& path, const PreprocessingFlags& flags) {
  ModelBundle m;
  m.path = path;
  std::error_code ec;
  ECO_CHECK(fs::exists(path, ec), "{}: no such model file or folder", path.string());
  fs::path dir;
  if (fs::is_directory(path, ec)) {
    dir = path;
    if (fs::exists(path / "model.onnx")) m.onnx_path = path / "model.onnx";
    else if (fs::exists(path / "onnx" / "model.onnx")) m.onnx_path = path / "onnx" / "model.onnx";
    else fail("{}: the model folder has no model.onnx (nor onnx/model.onnx)", path.string());
  } else {
    m.onnx_path = path;
  }
  m.graph = load_onnx(m.onnx_path);
  m.model_bytes = fs::file_size(m.onnx_path, ec);
  for (auto& e : fs::directory_iterator(m.onnx_path.parent_path().empty() ? fs::path(".") : m.onnx_path.parent_path(), ec)) {
    // External data files next to the model count towards its size.
    auto ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".data" || ext == ".onnx_data" || ext == ".bin")) m.model_bytes += e.file_size(ec);
  }
  ECO_CHECK(!m.graph.inputs.empty(), "{}: the model has no runtime input", m.onnx_path.string());
  const ValueInfo& in = m.graph.inputs[0];
  if (in.has_shape && in.shape.size() == 4) {
    if (in.shape[1].known()) m.pre.channels = static_cast<int>(in.shape[1].value);
    if (in.shape[2].known()) m.pre.height = static_cast<int>(in.shape[2].value);
    if (in.shape[3].known()) m.pre.width = static_cast<int>(in.shape[3].value);
  }
  const int model_channels = m.pre.channels;
  if (!dir.empty()) {
    if (fs::exists(dir / "config.json")) m.labels = read_labels(dir / "config.json");
    if (fs::exists(dir / "preprocessor_config.json")) {
      m.pre = parse_preprocessor_config(dir / "preprocessor_config.json", m.pre);
      m.pre.channels = model_channels;  // the graph decides RGB vs grayscale
    }
  }
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
  return m;
}

}  // namespace ecoinfer
