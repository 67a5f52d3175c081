#pragma once
// Image resizing that reproduces Pillow's Image.resize on 8-bit images bit for bit:
// a separable convolution (horizontal pass first, over only the rows the vertical pass
// needs), the filter's support widened by the downscale factor (antialiasing), and
// coefficients quantised to signed fixed point with rounding and clipping as Pillow
// does. NEAREST follows Pillow's affine nearest-neighbour path. Hugging Face image
// processors resize with Pillow, so this is what their pixel_values are made from.
#include "data/image.h"

namespace ecoinfer {

// PIL resample codes, as preprocessor_config.json writes them.
enum class Resample { nearest = 0, lanczos = 1, bilinear = 2, bicubic = 3, box = 4, hamming = 5 };

// Name of a PIL resample code ("bilinear"); "unknown" when out of range.
const char* resample_name(int code);

// Resizes to out_w x out_h. An image already at that size is returned unchanged (Pillow
// copies it). Works on any number of interleaved 8-bit channels.
Image resize_pillow(const Image& in, int out_w, int out_h, Resample filter);

}  // namespace ecoinfer
