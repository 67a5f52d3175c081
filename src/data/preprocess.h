#pragma once
// Hugging Face image-processor semantics on decoded 8-bit images: resize (Pillow-exact),
// center crop, then rescale and normalise into the model's C x H x W float input.
#include <cstdint>
#include <string>
#include <utility>

#include "data/image.h"
#include "data/preprocessor_config.h"

namespace ecoinfer {

// The (height, width) the resize step produces for an image of in_h x in_w, following
// transformers' rules: exact {height, width}; shortest edge scaled with the aspect ratio
// kept (long edge truncated); {shortest_edge, longest_edge} with the long edge capped;
// ConvNeXt's crop_pct (shortest edge / crop_pct below 384, a square warp at 384 and up).
std::pair<int, int> resize_output_size(const Preprocessing& pre, int in_h, int in_w);

// Resize and center crop as configured (the geometric steps, on 8-bit pixels).
Image apply_geometry(const Image& img, const Preprocessing& pre);

// Rescale then normalise per channel (C x H x W floats at `out`). When the model's size is
// known (pre.height > 0) the image must be at that size.
void image_to_tensor(const Image& img, const Preprocessing& pre, float* out, const std::string& name);

// apply_geometry then image_to_tensor.
void preprocess_image(const Image& img, const Preprocessing& pre, float* out, const std::string& name);

// Identifies everything that decides the 8-bit output of decode + apply_geometry
// (channels, resize, crop); used to key cached images.
uint64_t geometry_hash(const Preprocessing& pre);

}  // namespace ecoinfer
