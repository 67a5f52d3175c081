#pragma once
// NumPy .npy files (format versions 1-3), C order, little-endian, of every element type the
// engine has: float32/64, float16 ('<f2'), bfloat16 (ml_dtypes: 'bfloat16', or '<V2' from
// plain np.save), int64/32/16/8, uint8, bool. Written as they are, never converted.
#include <filesystem>

#include "core/tensor.h"

namespace ecoinfer {

Tensor read_npy(const std::filesystem::path& file);
void write_npy(const std::filesystem::path& file, const Tensor& t);

}  // namespace ecoinfer
