#include "data/preprocess.h"

#include "core/error.h"

namespace ecoinfer {

void image_to_tensor(const Image& img, const Preprocessing& pre, float* out, const std::string& name) {
  ECO_CHECK(img.channels == pre.channels, "{}: image has {} channel(s), the model takes {}", name, img.channels,
            pre.channels);
  ECO_CHECK(pre.height <= 0 || (img.height == pre.height && img.width == pre.width),
            "{}: image is {}x{} (WxH), the model takes {}x{}; resize it first", name, img.width, img.height, pre.width,
            pre.height);
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

}  // namespace ecoinfer
