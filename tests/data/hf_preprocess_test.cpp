// ecoinfer's resize/crop against Hugging Face image-processor semantics computed with
// Pillow + NumPy by tools/hf_preprocess_reference.py, on the 100 imagenet-samples photos
// (varied sizes and aspect ratios). The fixtures hold the uint8 arrays before rescale and
// normalisation: a CRC-32 per image and style, and full arrays for one image per style.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdlib>
#include <fstream>

#include "data/npy.h"
#include "data/preprocess.h"
#include "test_paths.h"

namespace ecoinfer::test {
namespace {

namespace fs = std::filesystem;

fs::path fixture_dir() { return source_dir() / "tests/fixtures/hf_preprocess"; }

Preprocessing config_for(const nlohmann::json& cfg, const std::string& style) {
  const fs::path p = fs::temp_directory_path() / ("ecoinfer_hf_" + std::to_string(::getpid()) + "_" + style + ".json");
  {
    std::ofstream out(p);
    out << cfg.dump();
  }
  Preprocessing base;
  base.do_rescale = base.do_normalize = false;
  Preprocessing pre = parse_preprocessor_config(p, base);
  fs::remove(p);
  return pre;
}

class HfPreprocess : public ::testing::TestWithParam<std::string> {};

TEST_P(HfPreprocess, MatchesPillowReference) {
  const fs::path images = shared_dir() / "data/imagenet-samples";
  if (!fs::exists(images)) GTEST_SKIP() << "no " << images;
  const auto ref = read_json_file(fixture_dir() / "checksums.json");
  const std::string style = GetParam();
  const auto& st = ref["styles"][style];
  const Preprocessing pre = config_for(st["config"], style);
  const auto& names = ref["images"];
  ASSERT_EQ(names.size(), 100u);
  std::optional<Tensor> full;
  if (fs::exists(fixture_dir() / (style + ".npy"))) full = read_npy(fixture_dir() / (style + ".npy"));
  int exact = 0, max_diff = 0;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string name = names[i].get<std::string>();
    Image out = apply_geometry(read_image(images / name, 3), pre);
    const auto& e = st["images"][i];
    ASSERT_EQ(out.height, e["shape"][0].get<int>()) << name;
    ASSERT_EQ(out.width, e["shape"][1].get<int>()) << name;
    const uint32_t crc = static_cast<uint32_t>(crc32(0, out.pixels.data(), static_cast<uInt>(out.pixels.size())));
    if (crc == e["crc32"].get<uint32_t>()) ++exact;
    else ADD_FAILURE() << style << ": " << name << " differs from Pillow's result";
    if (full && static_cast<int64_t>(i) < full->dim(0)) {
      const uint8_t* r = full->data<uint8_t>() + i * out.pixels.size();
      ASSERT_EQ(full->numel() / full->dim(0), static_cast<int64_t>(out.pixels.size()));
      for (size_t k = 0; k < out.pixels.size(); ++k) max_diff = std::max(max_diff, std::abs(int(out.pixels[k]) - int(r[k])));
    }
  }
  EXPECT_EQ(max_diff, 0);
  std::printf("%s: %d/%zu images bit-identical to Pillow + NumPy (max abs diff on full arrays %d/255)\n", style.c_str(),
              exact, names.size(), max_diff);
}

INSTANTIATE_TEST_SUITE_P(Styles, HfPreprocess,
                         ::testing::Values("vit", "convnext", "resnet", "resnet_bicubic", "nearest", "lanczos_capped",
                                           "box_shortest", "hamming_crop_pad", "convnext_384"));

}  // namespace
}  // namespace ecoinfer::test
