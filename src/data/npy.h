#pragma once
// NumPy .npy files (format versions 1-3), C order, little-endian. Reading converts
// float64 and integer arrays to float32 only when asked; writing is float32.
#include <filesystem>

#include "core/tensor.h"

namespace ecoinfer {

Tensor read_npy(const std::filesystem::path& file);
void write_npy(const std::filesystem::path& file, const Tensor& t);

}  // namespace ecoinfer
