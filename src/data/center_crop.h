#pragma once
// Hugging Face's center_crop: the window starts at floor((size - crop) / 2); an image
// smaller than the crop is first centred on a zero canvas (extra padding row/column on
// the top/left when the difference is odd), so the result is always crop_h x crop_w.
#include "data/image.h"

namespace ecoinfer {

Image center_crop(const Image& in, int crop_h, int crop_w);

}  // namespace ecoinfer
