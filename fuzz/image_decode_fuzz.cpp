// Fuzzes the image decoders (JPEG via libjpeg-turbo, PNG via libpng) and, for images that
// decode, the Pillow-style resize and center crop. ecoinfer::Error is the expected outcome
// for bad bytes; anything else (a crash, a sanitizer report, another exception) is a bug.
#include <cstddef>
#include <cstdint>

#include "core/error.h"
#include "data/center_crop.h"
#include "data/image.h"
#include "data/resize_pillow.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const int channels = (data[0] & 1) ? 3 : 1;
  try {
    ecoinfer::Image img = ecoinfer::decode_image(data, size, channels, "fuzz.img");
    if (int64_t(img.width) * img.height > (1 << 20)) return 0;  // keep each run fast
    const auto filter = static_cast<ecoinfer::Resample>(data[0] % 6);
    ecoinfer::Image small = ecoinfer::resize_pillow(img, 1 + img.width % 37, 1 + img.height % 29, filter);
    ecoinfer::center_crop(small, 16, 9);
  } catch (const ecoinfer::Error&) {
  }
  return 0;
}
