#include "data/center_crop.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"

namespace ecoinfer {

namespace {
// Python's floor division for the (possibly negative) offsets.
int floor_div2(int v) { return v >= 0 ? v / 2 : -((-v + 1) / 2); }
}  // namespace

Image center_crop(const Image& in, int crop_h, int crop_w) {
  ECO_CHECK(crop_h > 0 && crop_w > 0, "cannot crop to {}x{}", crop_w, crop_h);
  if (in.height == crop_h && in.width == crop_w) return in;
  // Window in source coordinates; parts outside the image read as zero. When padding is
  // needed, HF pads by ceil(diff / 2) before the top/left and shifts the window by it,
  // which lands the window at -ceil(diff/2) + floor((padded - crop)/2) in source terms.
  int top = floor_div2(in.height - crop_h), left = floor_div2(in.width - crop_w);
  if (crop_h > in.height) top = -((crop_h - in.height + 1) / 2);
  if (crop_w > in.width) left = -((crop_w - in.width + 1) / 2);
  Image out;
  out.width = crop_w;
  out.height = crop_h;
  out.channels = in.channels;
  const int ch = in.channels;
  out.pixels.assign(static_cast<size_t>(crop_w) * crop_h * ch, 0);
  const int x0 = std::max(0, left), x1 = std::min(in.width, left + crop_w);
  for (int y = 0; y < crop_h; ++y) {
    const int sy = top + y;
    if (sy < 0 || sy >= in.height || x1 <= x0) continue;
    std::memcpy(out.pixels.data() + (static_cast<size_t>(y) * crop_w + (x0 - left)) * ch,
                in.pixels.data() + (static_cast<size_t>(sy) * in.width + x0) * ch, static_cast<size_t>(x1 - x0) * ch);
  }
  return out;
}

}  // namespace ecoinfer
