#include "data/preprocess.h"

#include <cmath>

#include "core/error.h"
#include "data/center_crop.h"
#include "data/resize_pillow.h"

namespace ecoinfer {

namespace {

// transformers' get_resize_output_image_size with default_to_square=False: the short side
// becomes `size`, the long side int(size * long / short).
std::pair<int, int> shortest_edge_size(int h, int w, int size) {
  const int shrt = std::min(h, w), lng = std::max(h, w);
  const int new_long = static_cast<int>(static_cast<double>(int64_t(size) * lng) / shrt);
  return w <= h ? std::make_pair(new_long, size) : std::make_pair(size, new_long);
}

// transformers' get_size_with_aspect_ratio (size dicts with shortest_edge and longest_edge):
// when the long side would pass max_size, the short side becomes round(max_size * short /
// long) (Python's round: half to even).
std::pair<int, int> capped_size(int h, int w, int size, int max_size) {
  double raw = 0;
  bool capped = false;
  const double mn = std::min(h, w), mx = std::max(h, w);
  if (mx / mn * size > max_size) {
    raw = max_size * mn / mx;
    size = static_cast<int>(std::nearbyint(raw));
    capped = true;
  }
  if ((h <= w && h == size) || (w <= h && w == size)) return {h, w};
  if (w < h) {
    const int oh = static_cast<int>(capped ? raw * h / w : static_cast<double>(size) * h / w);
    return {oh, size};
  }
  const int ow = static_cast<int>(capped ? raw * w / h : static_cast<double>(size) * w / h);
  return {size, ow};
}

}  // namespace

std::pair<int, int> resize_output_size(const Preprocessing& pre, int in_h, int in_w) {
  switch (pre.size_mode) {
    case Preprocessing::Size::exact: return {pre.size_height, pre.size_width};
    case Preprocessing::Size::none:
      ECO_CHECK(pre.height > 0 && pre.width > 0,
                "do_resize is set but neither 'size' nor a fixed model input size says to what size");
      return {pre.height, pre.width};
    case Preprocessing::Size::shortest_edge:
      if (pre.crop_pct > 0) {
        if (pre.shortest_edge >= 384) return {pre.shortest_edge, pre.shortest_edge};
        return shortest_edge_size(in_h, in_w, static_cast<int>(pre.shortest_edge / pre.crop_pct));
      }
      if (pre.longest_edge > 0) return capped_size(in_h, in_w, pre.shortest_edge, pre.longest_edge);
      return shortest_edge_size(in_h, in_w, pre.shortest_edge);
  }
  return {in_h, in_w};
}

Image apply_geometry(const Image& img, const Preprocessing& pre) {
  Image out;
  const Image* cur = &img;
  if (pre.do_resize) {
    auto [h, w] = resize_output_size(pre, img.height, img.width);
    ECO_CHECK(h > 0 && w > 0, "resizing a {}x{} image gives {}x{}", img.width, img.height, w, h);
    out = resize_pillow(img, w, h, static_cast<Resample>(pre.resample));
    cur = &out;
    // ConvNeXt below 384: the crop to the shortest edge belongs to the resize step.
    if (pre.size_mode == Preprocessing::Size::shortest_edge && pre.crop_pct > 0 && pre.shortest_edge < 384)
      out = center_crop(out, pre.shortest_edge, pre.shortest_edge);
  }
  if (pre.do_center_crop) {
    out = center_crop(*cur, pre.crop_height, pre.crop_width);
    cur = &out;
  }
  if (cur == &img) return img;
  return out;
}

void image_to_tensor(const Image& img, const Preprocessing& pre, float* out, const std::string& name) {
  ECO_CHECK(img.channels == pre.channels, "{}: image has {} channel(s), the model takes {}", name, img.channels,
            pre.channels);
  ECO_CHECK(pre.height <= 0 || (img.height == pre.height && img.width == pre.width),
            "{}: image is {}x{} (WxH) after preprocessing, the model takes {}x{}; set do_resize/size in "
            "preprocessor_config.json",
            name, img.width, img.height, pre.width, pre.height);
  const int64_t plane = int64_t(img.width) * img.height;
  const int c_n = img.channels;
  // float arithmetic in the order of the HF/torchvision pipeline: x * scale, then (x - mean) / std.
  for (int c = 0; c < c_n; ++c) {
    const float scale = pre.do_rescale ? static_cast<float>(pre.rescale_factor) : 1.f;
    const float mean = pre.do_normalize ? pre.mean[c] : 0.f;
    const float std = pre.do_normalize ? pre.std[c] : 1.f;
    float* o = out + c * plane;
    const uint8_t* px = img.pixels.data() + c;
    for (int64_t i = 0; i < plane; ++i) o[i] = (static_cast<float>(px[i * c_n]) * scale - mean) / std;
  }
}

void preprocess_image(const Image& img, const Preprocessing& pre, float* out, const std::string& name) {
  Image g;
  try {
    g = apply_geometry(img, pre);
  } catch (const Error& e) {
    fail("{}: {}", name, e.what());
  }
  image_to_tensor(g, pre, out, name);
}

uint64_t geometry_hash(const Preprocessing& pre) {
  // FNV-1a over the fields that decide the 8-bit pixels; bump the version when the decode
  // or resize numerics change.
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](int64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= static_cast<uint64_t>(v >> (8 * i)) & 0xff;
      h *= 1099511628211ull;
    }
  };
  mix(1);  // format version
  mix(pre.channels);
  mix(pre.do_resize);
  if (pre.do_resize) {
    mix(static_cast<int>(pre.size_mode));
    mix(pre.size_height), mix(pre.size_width), mix(pre.shortest_edge), mix(pre.longest_edge);
    mix(std::llround(pre.crop_pct * 1e9));
    mix(pre.resample);
    mix(pre.height), mix(pre.width);
  }
  mix(pre.do_center_crop);
  if (pre.do_center_crop) mix(pre.crop_height), mix(pre.crop_width);
  return h;
}

}  // namespace ecoinfer
