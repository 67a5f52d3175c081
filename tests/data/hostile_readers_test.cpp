// The dataset readers on hostile bytes and files (issue 11, findings 3, 4, 5, 10, 16, 25,
// 26): bounded gunzip, type- and size-checked reads, the idx/CIFAR/list readers in memory,
// the stratified --limit subset and NaN-safe top-k. Inputs are made here, in C++.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <gtest/gtest.h>
#include <map>

#include "core/error.h"
#include "data/checked_file.h"
#include "data/dataset_index.h"
#include "data/gunzip_bounded.h"
#include "data/stratified_subset.h"
#include "runtime/evaluate.h"
#include "hostile_inputs.h"
#include "test_paths.h"

namespace ecoinfer::test {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> be32(uint32_t v) {
  return {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)};
}
std::vector<uint8_t> cat(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
std::vector<uint8_t> idx_images(uint32_t n, uint32_t rows, uint32_t cols) {
  std::vector<uint8_t> px(size_t(n) * rows * cols);
  for (size_t i = 0; i < px.size(); ++i) px[i] = static_cast<uint8_t>(i * 7);
  return cat({be32(0x803), be32(n), be32(rows), be32(cols), px});
}
std::vector<uint8_t> idx_labels(uint32_t n) {
  std::vector<uint8_t> l(n);
  for (uint32_t i = 0; i < n; ++i) l[i] = static_cast<uint8_t>(i % 10);
  return cat({be32(0x801), be32(n), l});
}
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(GunzipBounded, StopsAtTheBoundAndReportsTruncation) {
  const std::vector<uint8_t> bomb = zero_members(64);  // 64 MiB of zeros, ~64 KiB
  EXPECT_EQ(gunzip_bounded(bomb.data(), bomb.size(), 1000, "b.gz").size(), 1000u);
  EXPECT_EQ(gunzip_bounded(bomb.data(), bomb.size(), uint64_t{1} << 40, "b.gz").size(), size_t{64} << 20);  // all members
  std::vector<uint8_t> data(5000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 31 + (i >> 7));
  std::vector<uint8_t> z = gzip_bytes(data);
  EXPECT_EQ(gunzip_bounded(z.data(), z.size(), 1 << 20, "d.gz"), data);
  // Trailing bytes that are no gzip member are ignored, as gzip does.
  std::vector<uint8_t> trailing = cat({z, {'x', 'y'}});
  EXPECT_EQ(gunzip_bounded(trailing.data(), trailing.size(), 1 << 20, "d.gz"), data);
  const std::string cut = error_of([&] { gunzip_bounded(z.data(), z.size() / 2, 1 << 20, "cut.gz"); });
  EXPECT_NE(cut.find("cut.gz: truncated gzip data"), std::string::npos) << cut;
  std::vector<uint8_t> bad = z;
  bad[z.size() / 2] ^= 0xff;
  bad[z.size() / 2 + 1] ^= 0xff;
  const std::string corrupt = error_of([&] { gunzip_bounded(bad.data(), bad.size(), 1 << 20, "bad.gz"); });
  EXPECT_NE(corrupt.find("bad.gz: "), std::string::npos) << corrupt;
  EXPECT_EQ(corrupt.find("(no error)"), std::string::npos);
}

TEST(MnistReader, TruncatedGzipIsAnErrorWithAReadableMessage) {
  // Finding 3: the message used to come from zlib after gzclose had freed it.
  const std::vector<uint8_t> z = gzip_bytes(idx_images(40, 28, 28));
  const std::string e = error_of([&] {
    mnist_from_bytes({z.begin(), z.begin() + z.size() / 2}, "t10k-images-idx3-ubyte.gz", gzip_bytes(idx_labels(40)),
                     "labels.gz");
  });
  EXPECT_NE(e.find("t10k-images-idx3-ubyte.gz: truncated gzip data"), std::string::npos) << e;
  for (char c : e) EXPECT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7f)) << e;
}

TEST(MnistReader, GzipBombIsBoundedByTheHeader) {
  // Finding 4: a header declaring 10 images, then 256 MiB of zeros: only 10 images' worth
  // (plus one byte) is ever inflated.
  const std::vector<uint8_t> bomb =
      cat({gzip_bytes(cat({be32(0x803), be32(10), be32(28), be32(28)})), zero_members(256)});
  const auto t0 = std::chrono::steady_clock::now();
  const std::string e = error_of([&] { mnist_from_bytes(bomb, "bomb.gz", idx_labels(10), "labels"); });
  EXPECT_NE(e.find("bomb.gz: holds more than 7856 bytes (decompressed), the header declares 7856"), std::string::npos)
      << e;
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 5.0);
  // A header that declares more than the limit is refused before anything else is inflated.
  const std::vector<uint8_t> huge = cat({gzip_bytes(cat({be32(0x803), be32(0xffffffffu), be32(4096), be32(4096)})),
                                         zero_members(4)});
  const std::string h = error_of([&] { mnist_from_bytes(huge, "huge.gz", idx_labels(1), "labels"); });
  EXPECT_NE(h.find("huge.gz: the header declares"), std::string::npos) << h;
  EXPECT_NE(h.find("over the 256 MiB limit"), std::string::npos) << h;
  // A short file and a label count that does not match.
  std::vector<uint8_t> shortened = idx_images(3, 4, 4);
  shortened.pop_back();
  EXPECT_NE(error_of([&] { mnist_from_bytes(shortened, "s", idx_labels(3), "l"); }).find("s: holds 63 bytes"),
            std::string::npos);
  EXPECT_NE(error_of([&] { mnist_from_bytes(idx_images(3, 4, 4), "i", idx_labels(4), "l"); })
                .find("l: holds 4 labels for 3 images"),
            std::string::npos);
}

TEST(MnistReader, ValidRawAndGzipLoad) {
  for (bool gz : {false, true}) {
    auto img = idx_images(12, 5, 3);
    auto lab = idx_labels(12);
    auto d = gz ? mnist_from_bytes(gzip_bytes(img), "i.gz", gzip_bytes(lab), "l.gz")
                : mnist_from_bytes(img, "i", lab, "l");
    ASSERT_EQ(d->size(), 12u);
    EXPECT_EQ(d->label(11), 1);
    Image im = d->load(11, 1);
    EXPECT_EQ(im.width, 3);
    EXPECT_EQ(im.height, 5);
    EXPECT_EQ(im.pixels[0], img[16 + 11 * 15]);
  }
}

TEST(CifarReader, RecordsAndBounds) {
  std::vector<uint8_t> two(2 * 3073);
  two[0] = 3;
  two[3073] = 9;
  auto d = cifar_from_bytes({gzip_bytes(two)}, {"b.bin"}, false, {});
  ASSERT_EQ(d->size(), 2u);
  EXPECT_EQ(d->label(1), 9);
  two.pop_back();
  EXPECT_NE(error_of([&] { cifar_from_bytes({two}, {"b.bin"}, false, {}); }).find("not a whole number"),
            std::string::npos);
  const std::string bomb =
      error_of([&] { cifar_from_bytes({zero_members(20)}, {"z.bin"}, false, {}, uint64_t{8} << 20); });
  EXPECT_NE(bomb.find("z.bin: decompresses to more than the 8 MiB limit"), std::string::npos) << bomb;
}

TEST(ListReader, BinaryIsRefusedAndLinesAreQuotedPrintably) {
  const std::string jpeg("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", 12);
  const std::string e = error_of([&] { parse_list_text(jpeg, "x.jpg"); });
  EXPECT_NE(e.find("x.jpg: is a JPEG image, not a list file"), std::string::npos) << e;
  const std::string bad = error_of([&] { parse_list_text("ok.jpg\t1\n\x1b[31mred\xc3\x28 no tab\n", "l.txt"); });
  EXPECT_NE(bad.find("l.txt:2: expected 'path<TAB>label', got '\\x1b[31mred\\xc3( no tab'"), std::string::npos) << bad;
  auto lines = parse_list_text("# c\n\na b/c.jpg\tcat\r\nd.png\t7", "l.txt");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].path, "a b/c.jpg");
  EXPECT_EQ(lines[0].label, "cat");
  EXPECT_EQ(lines[0].line, 3);
  EXPECT_EQ(lines[1].label, "7");
}

class CheckedFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ecoinfer_checked_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(CheckedFileTest, TypeAndSizeAreCheckedBeforeReading) {
  EXPECT_NE(error_of([] { read_file_checked("/dev/zero", 1 << 20, "image file"); })
                .find("/dev/zero: is a character device, not an image file"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_file_checked(dir_, 1 << 20, "list file"); }).find("is a directory, not a list file"),
            std::string::npos);
  // A FIFO without a writer: refused at once, not waited on.
  ASSERT_EQ(::mkfifo((dir_ / "fifo").c_str(), 0600), 0);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_NE(error_of([&] { read_file_checked(dir_ / "fifo", 1 << 20, "image file"); }).find("is a FIFO"),
            std::string::npos);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 2.0);
  // A 1.5 GB sparse file: refused from its size, nothing read.
  const fs::path big = dir_ / "big.jpg";
  { std::ofstream(big) << "x"; }
  fs::resize_file(big, 1500000000);
  const std::string e = error_of([&] { read_file_checked(big, kMaxImageFileBytes, "image file"); });
  EXPECT_NE(e.find("big.jpg: the image file is 1.4 GiB (1500000000 bytes), over the 256 MiB limit"), std::string::npos)
      << e;
  // Symlink loops report the loop.
  fs::create_symlink("loop", dir_ / "loop");
  EXPECT_NE(error_of([&] { read_file_checked(dir_ / "loop", 1 << 20, "image file"); })
                .find("Too many levels of symbolic links"),
            std::string::npos);
  { std::ofstream(dir_ / "ok") << "hello"; }
  const std::vector<uint8_t> ok = read_file_checked(dir_ / "ok", 5, "file");
  EXPECT_EQ(std::string(ok.begin(), ok.end()), "hello");
  EXPECT_NE(error_of([&] { read_file_checked(dir_ / "ok", 4, "file"); }).find("over the 4 bytes limit"),
            std::string::npos);
}

TEST(ByteSize, Readable) {
  EXPECT_EQ(byte_size_str(17), "17 bytes");
  EXPECT_EQ(byte_size_str(uint64_t{256} << 20), "256 MiB");
  EXPECT_EQ(byte_size_str(1536), "1.5 KiB");
}

// A dataset of given labels, for the subset.
class LabelsOnly : public Dataset {
 public:
  explicit LabelsOnly(std::vector<int> l) : l_(std::move(l)) {}
  size_t size() const override { return l_.size(); }
  int label(size_t i) const override { return l_[i]; }
  std::string item_name(size_t i) const override { return std::to_string(i); }
  Image load(size_t, int) const override { return {}; }

 private:
  std::vector<int> l_;
};

TEST(StratifiedSubset, SameCountPerClassInDatasetOrder) {
  // Stored class by class, as class folders are: 100 of class 0, then 100 of 1, then 5 of 2.
  std::vector<int> labels;
  for (int c : {0, 1, 2})
    for (int i = 0; i < (c == 2 ? 5 : 100); ++i) labels.push_back(c);
  LabelsOnly d(labels);
  Subset s = stratified_subset(d, 30);
  ASSERT_EQ(s.items.size(), 30u);
  std::map<int, int> per;
  for (int64_t i : s.items) ++per[labels[i]];
  EXPECT_EQ(per[2], 5);  // class 2 runs out; the others share the rest
  EXPECT_EQ(per[0], 13);
  EXPECT_EQ(per[1], 12);
  EXPECT_TRUE(std::is_sorted(s.items.begin(), s.items.end()));
  EXPECT_EQ(s.items[0], 0);
  EXPECT_EQ(s.items[12], 12);   // the first 13 of class 0
  EXPECT_EQ(s.items[13], 100);  // then class 1 from its start
  EXPECT_EQ(s.description, "30 of 205 images: the first 5-13 of each of 3 classes");
  Subset t = stratified_subset(d, 30);
  EXPECT_EQ(t.items, s.items);  // deterministic
  Subset two = stratified_subset(d, 2);
  EXPECT_EQ(two.items, (std::vector<int64_t>{0, 100}));
  EXPECT_NE(two.description.find("2 of the 3 classes present"), std::string::npos) << two.description;
}

TEST(TopK, NaNNeverRanksFirst) {
  const float nan = std::nanf("");
  const float row[] = {nan, 1.f, nan, 3.f, 2.f};
  EXPECT_EQ(top_k(row, 5, 5), (std::vector<int>{3, 4, 1, 0, 2}));
  const float all_nan[] = {nan, nan, nan};
  EXPECT_EQ(top_k(all_nan, 3, 2), (std::vector<int>{0, 1}));
  const float ties[] = {2.f, 2.f, -INFINITY, INFINITY};
  EXPECT_EQ(top_k(ties, 4, 4), (std::vector<int>{3, 0, 1, 2}));
}

}  // namespace
}  // namespace ecoinfer::test
