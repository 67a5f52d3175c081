#pragma once
#include "data/image.h"
#include "model/model_folder.h"

namespace ecoinfer {

// Writes the model's input for one image (C x H x W floats at `out`): rescale then
// normalise per channel, as Hugging Face image processors do. The image must already be
// at the model's size (resizing is a separate transform).
void image_to_tensor(const Image& img, const Preprocessing& pre, float* out, const std::string& name);

}  // namespace ecoinfer
