#pragma once
// Decoded 8-bit images, interleaved HWC, and the decoders (libjpeg-turbo, libpng).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ecoinfer {

struct Image {
  int width = 0, height = 0, channels = 0;  // channels: 1 (L) or 3 (RGB)
  std::vector<uint8_t> pixels;
};

// Images larger than this many pixels are refused before decoding (decompression-bomb
// guard; Pillow warns at 89.5 Mpx and refuses at twice that): 178,956,970 px.
constexpr int64_t kMaxImagePixels = 2 * 89478485;

// Decodes JPEG or PNG (sniffed from the bytes) to `channels` (1 or 3) the way Pillow's
// Image.open(...).convert("RGB" | "L") does. `name` is used in error messages.
Image decode_image(const uint8_t* data, size_t size, int channels, const std::string& name);
Image read_image(const std::filesystem::path& file, int channels);

}  // namespace ecoinfer
