// `ecoinfer preprocess` and the eval data pipeline from the command line: the batch the
// model sees, bad images stopping or skipped, config errors and notes.
#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>

#include "data/npy.h"
#include "test_paths.h"

namespace ecoinfer::test {
namespace {

namespace fs = std::filesystem;

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}
void write_bytes(const fs::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary);
  out.write(s.data(), static_cast<std::streamsize>(s.size()));
}

std::string be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}
std::string chunk(const std::string& tag, const std::string& data) {
  const std::string td = tag + data;
  return be32(static_cast<uint32_t>(data.size())) + td +
         be32(static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(td.data()), static_cast<uInt>(td.size()))));
}
// An 8-bit RGB PNG of w x h filled with one colour; `rows` limits the pixel data written
// (a header can claim a size its data does not have).
std::string make_png(uint32_t w, uint32_t h, uint32_t rows) {
  std::string raw;
  for (uint32_t y = 0; y < rows; ++y) raw += std::string(1, '\0') + std::string(size_t(w) * 3, '\x60');
  uLongf n = compressBound(static_cast<uLong>(raw.size()));
  std::string z(n, '\0');
  compress(reinterpret_cast<Bytef*>(z.data()), &n, reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()));
  z.resize(n);
  return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", be32(w) + be32(h) + std::string("\x08\x02\x00\x00\x00", 5)) +
         chunk("IDAT", z) + chunk("IEND", "");
}

class DataCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ecoinfer_data_cli_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  CommandResult cli(const std::string& args) { return run_command(cli_path().string() + " " + args); }
  static fs::path resnet20() { return shared_dir() / "models/resnet20_cifar10"; }
  fs::path dir_;
};

TEST_F(DataCli, PreprocessWritesTheModelInput) {
  // The first test image in the references' order (classes by id2label, sorted files).
  const fs::path img = shared_dir() / "data/cifar10-test/airplane/0000.jpg";
  auto r = cli("preprocess " + resnet20().string() + " " + img.string() + " --out " + (dir_ / "x.npy").string());
  ASSERT_EQ(r.status, 0) << r.out;
  Tensor x = read_npy(dir_ / "x.npy");
  ASSERT_EQ(x.shape(), (Shape{1, 3, 32, 32}));
  std::ifstream ref(resnet20() / "inputs_first64.f32", std::ios::binary);
  std::vector<float> want(3 * 32 * 32);
  ref.read(reinterpret_cast<char*>(want.data()), static_cast<std::streamsize>(want.size() * 4));
  float max_diff = 0;
  for (size_t i = 0; i < want.size(); ++i) max_diff = std::max(max_diff, std::abs(x.data<float>()[i] - want[i]));
  EXPECT_LE(max_diff, 1e-6f);
}

TEST_F(DataCli, PreprocessWithConfigMatchesTheHfReference) {
  const fs::path images = shared_dir() / "data/imagenet-samples";
  const auto ref = read_json_file(source_dir() / "tests/fixtures/hf_preprocess/checksums.json");
  nlohmann::json cfg = ref["styles"]["convnext"]["config"];
  cfg["image_mean"] = {0.485, 0.456, 0.406};
  cfg["image_std"] = {0.229, 0.224, 0.225};
  cfg["image_processor_type"] = "ConvNextImageProcessor";
  cfg["some_future_key"] = 1;
  write_bytes(dir_ / "preprocessor_config.json", cfg.dump());
  const std::string first = (images / ref["images"][0].get<std::string>()).string();
  const std::string second = (images / ref["images"][1].get<std::string>()).string();
  auto r = cli("preprocess --config " + (dir_ / "preprocessor_config.json").string() + " " + first + " " + second +
               " --out " + (dir_ / "x.npy").string());
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("note:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("some_future_key"), std::string::npos) << r.out;
  Tensor x = read_npy(dir_ / "x.npy");
  ASSERT_EQ(x.shape(), (Shape{2, 3, 224, 224}));
  Tensor u8 = read_npy(source_dir() / "tests/fixtures/hf_preprocess/convnext.npy");  // [1, 224, 224, 3]
  const float mean[3] = {0.485f, 0.456f, 0.406f}, sd[3] = {0.229f, 0.224f, 0.225f};
  double max_diff = 0;
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < 224 * 224; ++i) {
      // Hugging Face: rescale in float64 then float32, normalise in float32.
      const float v = static_cast<float>(u8.data<uint8_t>()[i * 3 + c] * (1.0 / 255.0));
      const float want = (v - mean[c]) / sd[c];
      max_diff = std::max(max_diff, double(std::abs(x.data<float>()[c * 224 * 224 + i] - want)));
    }
  EXPECT_LE(max_diff, 1e-5);
}

TEST_F(DataCli, ConfigErrorsNameFileAndKey) {
  write_bytes(dir_ / "bad.json", R"({"do_resize": true, "size": {"shortest_edge": 224, "height": 3}})");
  auto r = cli("preprocess --config " + (dir_ / "bad.json").string() + " x.jpg --out " + (dir_ / "x.npy").string());
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("bad.json"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("'size'"), std::string::npos) << r.out;
  write_bytes(dir_ / "bad2.json", R"({"do_resize": true, "size": {"height": 224, "width": 224}, "crop_pct": 0.9})");
  r = cli("preprocess --config " + (dir_ / "bad2.json").string() + " x.jpg --out " + (dir_ / "x.npy").string());
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("'crop_pct'"), std::string::npos) << r.out;
  write_bytes(dir_ / "bad3.json", R"({"resample": 9})");
  r = cli("preprocess --config " + (dir_ / "bad3.json").string() + " x.jpg --out " + (dir_ / "x.npy").string());
  EXPECT_NE(r.out.find("'resample'"), std::string::npos) << r.out;
}

TEST_F(DataCli, BadImagesStopCleanlyOrAreSkipped) {
  const fs::path cat = dir_ / "ds/cat";
  fs::create_directories(cat);
  const fs::path src = shared_dir() / "data/cifar10-test/cat";
  const std::string good = read_bytes(src / "0000.jpg");
  write_bytes(cat / "0_good.jpg", good);
  write_bytes(cat / "1_good.jpg", read_bytes(src / "0001.jpg"));
  write_bytes(cat / "2_one_pixel.png", make_png(1, 1, 1));  // valid: resized to 32x32
  write_bytes(cat / "3_truncated.jpg", good.substr(0, good.size() / 2));
  write_bytes(cat / "4_zero.jpg", "");
  std::string crc = make_png(4, 4, 4);
  crc[29] = static_cast<char>(crc[29] ^ 0xff);
  write_bytes(cat / "5_bad_crc.png", crc);
  write_bytes(cat / "6_bomb.png", make_png(20000, 20000, 0));
  write_bytes(cat / "7_text.jpg", "not an image at all");
  write_bytes(cat / "8_good.jpg", read_bytes(src / "0002.jpg"));
  const std::string base = "eval " + resnet20().string() + " --threads 1 --batch 1 --data " + (dir_ / "ds").string();
  auto r = cli(base);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("3_truncated.jpg"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("3 image(s) were evaluated before it"), std::string::npos) << r.out;
  r = cli(base + " --skip-bad-images --json");
  ASSERT_EQ(r.status, 0) << r.out;
  auto j = nlohmann::json::parse(r.out.substr(r.out.find('{')));
  EXPECT_EQ(j["images"], 4);
  EXPECT_EQ(j["skipped_images"], 5);
  for (const char* k : {"data_seconds", "data_wait_seconds", "model_seconds", "data_wait_share"})
    EXPECT_TRUE(j.contains(k)) << k;
  // Each bad file is named with its problem.
  for (const char* f : {"4_zero.jpg", "5_bad_crc.png", "6_bomb.png", "7_text.jpg"}) {
    write_bytes(dir_ / "one.list", (cat / f).string() + "\tcat\n");
    auto one = cli("eval " + resnet20().string() + " --threads 1 --data " + (dir_ / "one.list").string());
    EXPECT_EQ(one.status, 1) << one.out;
    EXPECT_NE(one.out.find(f), std::string::npos) << one.out;
  }
}

TEST_F(DataCli, CacheServesTheSecondRun) {
  const std::string base = "eval " + resnet20().string() + " --threads 1 --limit 64 --json --data " +
                           (shared_dir() / "data/cifar10-test").string() + " --cache " + (dir_ / "cache").string();
  auto a = cli(base), b = cli(base);
  ASSERT_EQ(a.status, 0) << a.out;
  ASSERT_EQ(b.status, 0) << b.out;
  auto ja = nlohmann::json::parse(a.out), jb = nlohmann::json::parse(b.out);
  EXPECT_EQ(ja["cache_misses"], 64);
  EXPECT_EQ(jb["cache_hits"], 64);
  EXPECT_EQ(ja["top1"], jb["top1"]);
}

}  // namespace
}  // namespace ecoinfer::test
