#include "data/preprocessor_config.h"

#include <cstdio>
#include <mutex>
#include <set>

#include "core/error.h"
#include "data/config_json.h"

namespace ecoinfer {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

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
  return parse_preprocessor_json(read_config_json(file), file, std::move(p));
}

Preprocessing parse_preprocessor_config_text(std::string_view text, const fs::path& origin, Preprocessing base) {
  return parse_preprocessor_json(parse_config_json(text, origin), origin, std::move(base));
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

}  // namespace ecoinfer
