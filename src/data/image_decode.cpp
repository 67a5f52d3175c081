#include <png.h>
#include <turbojpeg.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <memory>

#include "core/error.h"
#include "data/checked_file.h"
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

// One TurboJPEG handle per thread: creating one costs about as much as decoding a
// 32x32 image.
tjhandle jpeg_handle(bool reset = false) {
  struct Handle {
    tjhandle h = nullptr;
    ~Handle() {
      if (h) tjDestroy(h);
    }
  };
  thread_local Handle handle;
  if (reset && handle.h) {
    tjDestroy(handle.h);
    handle.h = nullptr;
  }
  if (!handle.h) handle.h = tjInitDecompress();
  return handle.h;
}

// Pillow's CMYK -> RGB: each of R, G, B is (255 - K) scaled by (255 - C/M/Y) / 255, with
// Pillow's rounded division by 255.
uint8_t cmyk_channel(int c, int k) {
  const int nk = 255 - k;
  const int t = c * nk + 128;
  return static_cast<uint8_t>(nk - ((t + (t >> 8)) >> 8));
}

Image decode_jpeg(const uint8_t* data, size_t size, int channels, const std::string& name) {
  tjhandle tj = jpeg_handle();
  ECO_CHECK(tj != nullptr, "{}: cannot initialise the JPEG decoder", name);
  int w = 0, h = 0, subsamp = 0, colorspace = 0;
  if (tjDecompressHeader3(tj, data, static_cast<unsigned long>(size), &w, &h, &subsamp, &colorspace) != 0) {
    const std::string msg = tjGetErrorStr2(tj);
    jpeg_handle(/*reset=*/true);  // a failed call can leave the handle unusable
    fail("{}: corrupt JPEG header: {}", name, msg);
  }
  check_size(w, h, name);
  const bool cmyk = colorspace == TJCS_CMYK || colorspace == TJCS_YCCK;
  Image img;
  img.width = w;
  img.height = h;
  // Grayscale files decode to L directly (as Pillow does); colour files to RGB.
  img.channels = colorspace == TJCS_GRAY ? 1 : 3;
  const int pf = cmyk ? TJPF_CMYK : img.channels == 1 ? TJPF_GRAY : TJPF_RGB;
  std::vector<uint8_t> buf(static_cast<size_t>(w) * h * tjPixelSize[pf]);
  // Default flags: accurate integer IDCT and fancy upsampling, as Pillow's libjpeg decode.
  if (tjDecompress2(tj, data, static_cast<unsigned long>(size), buf.data(), w, 0, h, pf, 0) != 0) {
    // A warning (for instance "extraneous bytes before marker") still yields the image, as
    // with Pillow; a truncated file or a fatal error does not.
    const std::string msg = tjGetErrorStr2(tj);
    const bool fatal = tjGetErrorCode(tj) != TJERR_WARNING || msg.find("Premature end") != std::string::npos;
    if (fatal) {
      jpeg_handle(/*reset=*/true);
      fail("{}: corrupt or truncated JPEG: {}", name, msg);
    }
  }
  if (cmyk) {
    // libjpeg hands back the stored values; CMYK JPEGs (Adobe) store them inverted, which
    // Pillow undoes ("CMYK;I") before its CMYK -> RGB conversion.
    img.pixels.resize(static_cast<size_t>(w) * h * 3);
    for (size_t i = 0, n = static_cast<size_t>(w) * h; i < n; ++i) {
      const uint8_t* q = &buf[4 * i];
      const int k = 255 - q[3];
      for (int c = 0; c < 3; ++c) img.pixels[3 * i + c] = cmyk_channel(255 - q[c], k);
    }
  } else {
    img.pixels = std::move(buf);
  }
  return to_channels(std::move(img), channels);
}

// libpng reports errors through longjmp: everything that must survive one lives on the
// heap or before the setjmp, and the C++ exception is thrown only after libpng is done.
struct PngSource {
  const uint8_t* data;
  size_t size;
  size_t pos;
  char message[256];
};

void png_read_bytes(png_structp png, png_bytep out, size_t n) {
  auto* src = static_cast<PngSource*>(png_get_io_ptr(png));
  if (src->size - src->pos < n) png_error(png, "truncated (the data ends early)");
  std::memcpy(out, src->data + src->pos, n);
  src->pos += n;
}

void png_on_error(png_structp png, png_const_charp msg) {
  auto* src = static_cast<PngSource*>(png_get_error_ptr(png));
  std::snprintf(src->message, sizeof src->message, "%s", msg ? msg : "unknown error");
  png_longjmp(png, 1);
}

void png_on_warning(png_structp, png_const_charp) {}

// Decodes as Pillow's PNG plugin + convert("RGB"/"L") does: no gamma correction (Pillow
// ignores gAMA/iCCP), 16-bit colour and gray+alpha keep the high byte, 16-bit gray (Pillow
// mode "I") is clipped to 255, 1/2/4-bit gray is scaled to 0-255, palettes are looked up,
// and alpha or tRNS transparency is dropped without compositing.
Image decode_png(const uint8_t* data, size_t size, int channels, const std::string& name) {
  PngSource src{data, size, 0, ""};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, png_on_error, png_on_warning);
  ECO_CHECK(png != nullptr, "{}: cannot initialise the PNG decoder", name);
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    fail("{}: cannot initialise the PNG decoder", name);
  }
  struct State {
    std::vector<uint8_t> pixels;
    std::vector<png_bytep> rows;
    int64_t width = 0, height = 0;
    int out_channels = 0, bytes_per_sample = 1;
    bool gray16 = false, too_big = false;
  };
  auto st = std::make_unique<State>();
  State* s = st.get();
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    fail("{}: corrupt PNG: {}", name, src.message);
  }
  png_set_crc_action(png, PNG_CRC_DEFAULT, PNG_CRC_ERROR_QUIT);  // bad CRCs are errors, as in Pillow
  png_set_read_fn(png, &src, png_read_bytes);
  png_read_info(png, info);
  s->width = png_get_image_width(png, info);
  s->height = png_get_image_height(png, info);
  if (s->width * s->height > kMaxImagePixels) {
    s->too_big = true;
  } else {
    const int color = png_get_color_type(png, info), depth = png_get_bit_depth(png, info);
    s->gray16 = color == PNG_COLOR_TYPE_GRAY && depth == 16;
    if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (depth == 16 && !s->gray16) png_set_strip_16(png);
    if (s->gray16) png_set_swap(png);  // little-endian 16-bit samples
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    s->out_channels = png_get_channels(png, info);
    s->bytes_per_sample = png_get_bit_depth(png, info) == 16 ? 2 : 1;
    const size_t row_bytes = png_get_rowbytes(png, info);
    s->pixels.resize(row_bytes * static_cast<size_t>(s->height));
    s->rows.resize(static_cast<size_t>(s->height));
    for (int64_t y = 0; y < s->height; ++y) s->rows[y] = s->pixels.data() + row_bytes * y;
    png_read_image(png, s->rows.data());
    png_read_end(png, nullptr);
  }
  png_destroy_read_struct(&png, &info, nullptr);
  check_size(s->width, s->height, name);
  Image img;
  img.width = static_cast<int>(s->width);
  img.height = static_cast<int>(s->height);
  const int in_c = s->out_channels;
  img.channels = in_c <= 2 ? 1 : 3;  // G, GA -> L; RGB, RGBA -> RGB
  const size_t px = static_cast<size_t>(img.width) * img.height;
  img.pixels.resize(px * img.channels);
  if (s->gray16) {
    const uint8_t* p = s->pixels.data();
    for (size_t i = 0; i < px; ++i) {
      const int v = p[2 * i * in_c] | (p[2 * i * in_c + 1] << 8);
      img.pixels[i] = static_cast<uint8_t>(v > 255 ? 255 : v);
    }
  } else {
    for (size_t i = 0; i < px; ++i)
      for (int c = 0; c < img.channels; ++c) img.pixels[i * img.channels + c] = s->pixels[i * in_c + c];
  }
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
  // Type and size first, then the magic bytes: a large file that is no image is refused
  // before it is read whole.
  CheckedFile f(file, kMaxImageFileBytes, "image file");
  uint8_t head[8];
  const size_t n = f.read_some(head, sizeof head);
  ECO_CHECK(n > 0, "{}: the file is empty", file.string());
  const bool jpeg = n >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF;
  const bool png = n >= 8 && std::memcmp(head, "\x89PNG\r\n\x1a\n", 8) == 0;
  ECO_CHECK(jpeg || png, "{}: not a JPEG or PNG image", file.string());
  std::vector<uint8_t> bytes(static_cast<size_t>(f.size()));
  std::copy(head, head + n, bytes.begin());
  bytes.resize(n + f.read_some(bytes.data() + n, bytes.size() - n));
  return decode_image(bytes.data(), bytes.size(), channels, file.string());
}

}  // namespace ecoinfer
