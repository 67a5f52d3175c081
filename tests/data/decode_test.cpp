// Decoding matches Pillow's Image.open(...).convert("RGB") on the special formats in
// tests/fixtures/decode (made by tools/make_decode_fixtures.py), and bad files fail with a
// message that names them.
#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>

#include "core/error.h"
#include "data/npy.h"
#include "data/preprocess.h"
#include "data/resize_pillow.h"
#include "test_paths.h"

namespace ecoinfer::test {
namespace {

namespace fs = std::filesystem;

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

Image decode(const std::string& bytes, const std::string& name = "mem.img") {
  return decode_image(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), 3, name);
}

// The error message of `f`, or "" when it does not throw.
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

class DecodeLikePillow : public ::testing::TestWithParam<std::string> {};

TEST_P(DecodeLikePillow, SamePixels) {
  const fs::path dir = source_dir() / "tests/fixtures/decode";
  const std::string file = GetParam();
  Image img = read_image(dir / file, 3);
  Tensor ref = read_npy(dir / (file.substr(0, file.rfind('.')) + ".rgb.npy"));
  ASSERT_EQ(ref.rank(), 3);
  ASSERT_EQ(img.height, ref.dim(0)) << file;
  ASSERT_EQ(img.width, ref.dim(1)) << file;
  ASSERT_EQ(img.channels, 3);
  int max_diff = 0;
  for (size_t i = 0; i < img.pixels.size(); ++i)
    max_diff = std::max(max_diff, std::abs(int(img.pixels[i]) - int(ref.data<uint8_t>()[i])));
  EXPECT_EQ(max_diff, 0) << file;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, DecodeLikePillow,
                         ::testing::Values("cmyk.jpg", "gray.jpg", "exif_orientation6.jpg", "gray16.png", "rgb16.png",
                                           "rgba.png", "la.png", "palette_trns.png", "palette4.png", "bilevel.png",
                                           "gamma.png"));

uint32_t be32(const std::string& s, size_t at) {
  return (uint32_t(uint8_t(s[at])) << 24) | (uint32_t(uint8_t(s[at + 1])) << 16) | (uint32_t(uint8_t(s[at + 2])) << 8) |
         uint8_t(s[at + 3]);
}
void put_be32(std::string& s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>(v >> (24 - 8 * i));
}

// A PNG whose IHDR claims w x h, with a valid CRC: enough for the size guard to act.
std::string png_header_claiming(uint32_t w, uint32_t h) {
  std::string png = read_bytes(source_dir() / "tests/fixtures/decode/gamma.png");
  put_be32(png, 16, w);
  put_be32(png, 20, h);
  put_be32(png, 29, static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(png.data() + 12), 17)));
  return png;
}

TEST(DecodeErrors, BadFilesNameTheFile) {
  const std::string jpg = read_bytes(source_dir() / "tests/fixtures/decode/gray.jpg");
  EXPECT_NE(error_of([&] { decode("", "zero.jpg"); }).find("zero.jpg: the file is empty"), std::string::npos);
  const std::string cut = error_of([&] { decode(jpg.substr(0, jpg.size() / 2), "cut.jpg"); });
  EXPECT_NE(cut.find("cut.jpg: corrupt"), std::string::npos) << cut;
  EXPECT_NE(error_of([&] { decode("hello, world", "note.txt"); }).find("note.txt: not a JPEG or PNG"), std::string::npos);
  std::string png = read_bytes(source_dir() / "tests/fixtures/decode/gamma.png");
  ASSERT_EQ(png.substr(12, 4), "IHDR");
  std::string bad_crc = png;
  bad_crc[29] = static_cast<char>(bad_crc[29] ^ 0xff);
  EXPECT_NE(error_of([&] { decode(bad_crc, "crc.png"); }).find("crc.png: corrupt PNG"), std::string::npos)
      << error_of([&] { decode(bad_crc, "crc.png"); });
  // A bad CRC on the pixel data too.
  const size_t idat = png.find("IDAT");
  ASSERT_NE(idat, std::string::npos);
  std::string bad_idat = png;
  const size_t crc_at = idat + 4 + be32(png, idat - 4);
  bad_idat[crc_at] = static_cast<char>(bad_idat[crc_at] ^ 0x55);
  EXPECT_NE(error_of([&] { decode(bad_idat, "idat.png"); }).find("idat.png: corrupt PNG"), std::string::npos);
  EXPECT_NE(error_of([&] { decode(png.substr(0, png.size() - 30), "short.png"); }).find("short.png: corrupt PNG"),
            std::string::npos);
}

TEST(DecodeErrors, DecompressionBombGuard) {
  static_assert(kMaxImagePixels == 178956970);
  const std::string e = error_of([&] { decode(png_header_claiming(20000, 20000), "bomb.png"); });
  EXPECT_NE(e.find("bomb.png: image is 20000x20000"), std::string::npos) << e;
  EXPECT_NE(e.find("decompression-bomb"), std::string::npos) << e;
  // A JPEG whose frame header claims 20,000 x 20,000.
  std::string jpg = read_bytes(source_dir() / "tests/fixtures/decode/gray.jpg");
  size_t sof = std::string::npos;
  for (size_t i = 2; i + 9 < jpg.size(); ++i)
    if (uint8_t(jpg[i]) == 0xFF && (uint8_t(jpg[i + 1]) == 0xC0 || uint8_t(jpg[i + 1]) == 0xC2)) {
      sof = i;
      break;
    }
  ASSERT_NE(sof, std::string::npos);
  for (size_t at : {sof + 5, sof + 7}) {
    jpg[at] = static_cast<char>(20000 >> 8);
    jpg[at + 1] = static_cast<char>(20000 & 0xff);
  }
  const std::string ej = error_of([&] { decode(jpg, "bomb.jpg"); });
  EXPECT_NE(ej.find("bomb.jpg: image is 20000x20000"), std::string::npos) << ej;
}

TEST(DecodeErrors, OnePixelImageResizes) {
  Image px;
  px.width = px.height = 1;
  px.channels = 3;
  px.pixels = {10, 200, 30};
  for (int r : {0, 1, 2, 3, 4, 5}) {
    Image big = resize_pillow(px, 224, 224, static_cast<Resample>(r));
    ASSERT_EQ(big.pixels.size(), 224u * 224u * 3u);
    EXPECT_EQ(big.pixels[0], 10);
    EXPECT_EQ(big.pixels[big.pixels.size() - 2], 200);
  }
}

}  // namespace
}  // namespace ecoinfer::test
