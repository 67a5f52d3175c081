// data/batch_loader: batches come out in order, hold exactly what preprocessing one image at a
// time gives, skip or stop on bad images as asked, and a loader dropped early does not hang.
#include "data/batch_loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "core/error.h"
#include "data/preprocess.h"

namespace ecoinfer {
namespace {

// n synthetic images of varying size (so the resize does real work); items in `bad` fail to load.
class SyntheticDataset : public Dataset {
 public:
  SyntheticDataset(size_t n, std::set<size_t> bad) : n_(n), bad_(std::move(bad)) { label_source_ = "test"; }
  size_t size() const override { return n_; }
  int label(size_t i) const override { return static_cast<int>(i % 7); }
  std::string item_name(size_t i) const override { return "img" + std::to_string(i); }
  Image load(size_t i, int channels) const override {
    if (bad_.count(i)) fail("img{}: not an image", i);
    Image img;
    img.width = 20 + static_cast<int>(i % 5);
    img.height = 16 + static_cast<int>(i % 3);
    img.channels = channels;
    img.pixels.resize(static_cast<size_t>(img.width) * img.height * channels);
    for (size_t k = 0; k < img.pixels.size(); ++k) img.pixels[k] = static_cast<uint8_t>((k * 31 + i * 17) % 251);
    return img;
  }

 private:
  size_t n_;
  std::set<size_t> bad_;
};

Preprocessing test_pre() {
  Preprocessing pre;
  pre.height = 8;
  pre.width = 10;
  pre.do_resize = true;
  pre.mean = {0.4f, 0.5f, 0.6f};
  pre.std = {0.2f, 0.25f, 0.3f};
  return pre;
}

std::vector<float> one_image(const Dataset& d, const Preprocessing& pre, size_t i) {
  std::vector<float> v(static_cast<size_t>(pre.channels) * pre.height * pre.width);
  image_to_tensor(apply_geometry(d.load(i, pre.channels), pre), pre, v.data(), d.item_name(i));
  return v;
}

std::vector<int64_t> iota_order(size_t n) {
  std::vector<int64_t> o(n);
  for (size_t i = 0; i < n; ++i) o[i] = static_cast<int64_t>(i);
  return o;
}

TEST(BatchLoader, BatchesInOrderEqualOneImageAtATime) {
  const SyntheticDataset d(23, {});
  const Preprocessing pre = test_pre();
  for (int workers : {1, 3}) {
    // A subset in a scrambled order: the loader follows `order`, not the dataset's.
    std::vector<int64_t> order{5, 0, 22, 7, 3, 11, 19, 2, 8, 13, 1};
    BatchLoader loader(d, pre, order, BatchLoaderOptions{4, workers, {}, false});
    EXPECT_EQ(loader.num_batches(), 3);
    LoadedBatch b;
    size_t k = 0;
    int batches = 0;
    while (loader.next(b)) {
      ++batches;
      ASSERT_TRUE(b.error.empty()) << b.error;
      const int64_t n = b.input.dim(0);
      EXPECT_EQ(n, batches < 3 ? 4 : 3);
      ASSERT_EQ(b.labels.size(), static_cast<size_t>(n));
      for (int64_t r = 0; r < n; ++r, ++k) {
        const auto item = static_cast<size_t>(order[k]);
        EXPECT_EQ(b.items[r], order[k]);
        EXPECT_EQ(b.labels[r], d.label(item));
        const std::vector<float> want = one_image(d, pre, item);
        // Bitwise: the same functions on the same pixels.
        EXPECT_EQ(std::memcmp(b.input.data<float>() + r * static_cast<int64_t>(want.size()), want.data(),
                              want.size() * sizeof(float)),
                  0)
            << "item " << item << " with " << workers << " worker(s)";
      }
    }
    EXPECT_EQ(k, order.size());
    EXPECT_EQ(batches, 3);
    EXPECT_FALSE(loader.next(b));  // and stays finished
    const BatchLoaderStats st = loader.stats();
    EXPECT_EQ(st.skipped_images, 0);
    EXPECT_GT(st.busy_seconds, 0);
  }
}

TEST(BatchLoader, BadImagesSkippedAndCountedWhenAsked) {
  const SyntheticDataset d(10, {1, 2, 3, 4, 9});
  BatchLoader loader(d, test_pre(), iota_order(10), BatchLoaderOptions{5, 2, {}, true});
  LoadedBatch b;
  std::vector<int64_t> seen;
  std::vector<int64_t> rows;
  while (loader.next(b)) {
    ASSERT_TRUE(b.error.empty()) << b.error;
    rows.push_back(b.input.dim(0));
    seen.insert(seen.end(), b.items.begin(), b.items.end());
  }
  EXPECT_EQ(rows, (std::vector<int64_t>{1, 4}));  // the first batch keeps only image 0
  EXPECT_EQ(seen, (std::vector<int64_t>{0, 5, 6, 7, 8}));
  const BatchLoaderStats st = loader.stats();
  EXPECT_EQ(st.skipped_images, 5);
  ASSERT_EQ(st.skipped_examples.size(), 5u);
  // Two workers: the examples arrive in whichever order the batches finished.
  for (int bad : {1, 2, 3, 4, 9}) {
    const std::string want = "img" + std::to_string(bad) + ": not an image";
    EXPECT_TRUE(std::any_of(st.skipped_examples.begin(), st.skipped_examples.end(),
                            [&](const std::string& e) { return e.find(want) != std::string::npos; }))
        << want;
  }
}

TEST(BatchLoader, BadImageStopsWithItsErrorOtherwise) {
  const SyntheticDataset d(10, {6});
  BatchLoader loader(d, test_pre(), iota_order(10), BatchLoaderOptions{4, 2, {}, false});
  LoadedBatch b;
  ASSERT_TRUE(loader.next(b));
  EXPECT_TRUE(b.error.empty());
  ASSERT_TRUE(loader.next(b));
  EXPECT_NE(b.error.find("img6: not an image"), std::string::npos) << b.error;
}

TEST(BatchLoader, DroppedEarlyDoesNotHang) {
  const SyntheticDataset d(200, {});
  for (int workers : {1, 4}) {
    BatchLoader loader(d, test_pre(), iota_order(200), BatchLoaderOptions{2, workers, {}, false});
    LoadedBatch b;
    ASSERT_TRUE(loader.next(b));
  }  // the destructor stops workers blocked on the bounded queue
}

TEST(BatchLoader, RefusesWhatItCannotBatch) {
  const SyntheticDataset d(3, {});
  Preprocessing dynamic = test_pre();
  dynamic.height = 0;
  EXPECT_THROW(BatchLoader(d, dynamic, iota_order(3), BatchLoaderOptions{}), Error);
  EXPECT_THROW(BatchLoader(d, test_pre(), iota_order(3), BatchLoaderOptions{0, 1, {}, false}), Error);
  EXPECT_THROW(BatchLoader(d, test_pre(), iota_order(3), BatchLoaderOptions{2, 0, {}, false}), Error);
}

}  // namespace
}  // namespace ecoinfer
