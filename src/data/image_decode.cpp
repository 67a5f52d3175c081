#include <png.h>
#include <turbojpeg.h>

#include <cstring>
#include <fstream>
#include <memory>

#include "core/error.h"
#include "data/image.h"

namespace ecoinfer {

namespace {

// Pillow's RGB -> L conversion (ITU-R 601-2 luma, fixed point with rounding).
uint8_t luma(uint8_t r, uint8_t g, uint8_t b) {
  return static_cast<uint8_t>((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
}

Image to_channels(Image img, int channels) {
  if (img.channels == channels) return img;
  Image out;
  out.width = img.width;
  out.height = img.height;
  out.channels = channels;
  const size_t px = static_cast<size_t>(img.width) * img.height;
  out.pixels.resize(px * channels);
  if (channels == 3 && img.channels == 1) {
    for (size_t i = 0; i < px; ++i) out.pixels[3 * i] = out.pixels[3 * i + 1] = out.pixels[3 * i + 2] = img.pixels[i];
  } else if (channels == 1 && img.channels == 3) {
    for (size_t i = 0; i < px; ++i) out.pixels[i] = luma(img.pixels[3 * i], img.pixels[3 * i + 1], img.pixels[3 * i + 2]);
  }
  return out;
}

void check_size(int64_t w, int64_t h, const std::string& name) {
  ECO_CHECK(w > 0 && h > 0, "{}: image has no pixels ({}x{})", name, w, h);
  ECO_CHECK(w * h <= kMaxImagePixels, "{}: image is {}x{} = {} pixels, over the {} pixel limit (decompression-bomb guard)",
            name, w, h, w * h, kMaxImagePixels);
}

Image decode_jpeg(const uint8_t* data, size_t size, int channels, const std::string& name) {
  std::unique_ptr<void, int (*)(tjhandle)> tj(tjInitDecompress(), tjDestroy);
  ECO_CHECK(tj != nullptr, "{}: cannot initialise the JPEG decoder", name);
  int w = 0, h = 0, subsamp = 0, colorspace = 0;
  if (tjDecompressHeader3(tj.get(), data, static_cast<unsigned long>(size), &w, &h, &subsamp, &colorspace) != 0)
    fail("{}: corrupt JPEG header: {}", name, tjGetErrorStr2(tj.get()));
  check_size(w, h, name);
  Image img;
  img.width = w;
  img.height = h;
  // Grayscale files decode to L directly (as Pillow does); colour files to RGB.
  img.channels = colorspace == TJCS_GRAY ? 1 : 3;
  img.pixels.resize(static_cast<size_t>(w) * h * img.channels);
  // Default flags: accurate integer IDCT and fancy upsampling, as Pillow's libjpeg decode.
  if (tjDecompress2(tj.get(), data, static_cast<unsigned long>(size), img.pixels.data(), w, 0, h,
                    img.channels == 1 ? TJPF_GRAY : TJPF_RGB, 0) != 0) {
    // A warning (for instance "extraneous bytes before marker") still yields the image, as
    // with Pillow; a truncated file or a fatal error does not.
    const std::string msg = tjGetErrorStr2(tj.get());
    if (tjGetErrorCode(tj.get()) != TJERR_WARNING || msg.find("Premature end") != std::string::npos)
      fail("{}: corrupt or truncated JPEG: {}", name, msg);
  }
  return to_channels(std::move(img), channels);
}

Image decode_png(const uint8_t* data, size_t size, int channels, const std::string& name) {
  png_image pi;
  std::memset(&pi, 0, sizeof pi);
  pi.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&pi, data, size)) fail("{}: corrupt PNG: {}", name, pi.message);
  struct Guard {
    png_image* p;
    ~Guard() { png_image_free(p); }
  } guard{&pi};
  check_size(pi.width, pi.height, name);
  // Read with alpha and drop it, as Pillow's convert("RGB") does (no compositing).
  const bool gray = (pi.format & PNG_FORMAT_FLAG_COLOR) == 0;
  pi.format = gray ? PNG_FORMAT_GA : PNG_FORMAT_RGBA;
  std::vector<uint8_t> buf(PNG_IMAGE_SIZE(pi));
  if (!png_image_finish_read(&pi, nullptr, buf.data(), 0, nullptr)) fail("{}: corrupt PNG: {}", name, pi.message);
  Image img;
  img.width = static_cast<int>(pi.width);
  img.height = static_cast<int>(pi.height);
  img.channels = gray ? 1 : 3;
  const size_t px = static_cast<size_t>(img.width) * img.height;
  const int src_c = gray ? 2 : 4;
  img.pixels.resize(px * img.channels);
  for (size_t i = 0; i < px; ++i)
    for (int c = 0; c < img.channels; ++c) img.pixels[i * img.channels + c] = buf[i * src_c + c];
  return to_channels(std::move(img), channels);
}

}  // namespace

Image decode_image(const uint8_t* data, size_t size, int channels, const std::string& name) {
  ECO_CHECK(channels == 1 || channels == 3, "{}: cannot decode to {} channels", name, channels);
  ECO_CHECK(size > 0, "{}: the file is empty", name);
  if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return decode_jpeg(data, size, channels, name);
  if (size >= 8 && std::memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0) return decode_png(data, size, channels, name);
  fail("{}: not a JPEG or PNG image", name);
}

Image read_image(const std::filesystem::path& file, int channels) {
  std::ifstream in(file, std::ios::binary);
  ECO_CHECK(in.good(), "{}: cannot open", file.string());
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return decode_image(bytes.data(), bytes.size(), channels, file.string());
}

}  // namespace ecoinfer
