// Every dataset layout loads with the right labels (tests/fixtures/datasets, made by
// tools/make_dataset_fixtures.py: each image's first pixel holds its expected label).
#include <gtest/gtest.h>

#include <fstream>

#include "core/error.h"
#include "data/dataset.h"
#include "test_paths.h"

namespace ecoinfer::test {
namespace {

namespace fs = std::filesystem;

fs::path fx() { return source_dir() / "tests/fixtures/datasets"; }

int first_pixel_label(const Image& img) { return img.pixels[0] + 256 * img.pixels[1]; }

void expect_labels_match_pixels(const Dataset& d) {
  for (size_t i = 0; i < d.size(); ++i) EXPECT_EQ(d.label(i), first_pixel_label(d.load(i, 3))) << d.item_name(i);
}

TEST(Datasets, ClassFoldersSortedOrId2label) {
  auto sorted = open_dataset(fx() / "classes", std::vector<std::string>{});
  EXPECT_EQ(sorted->label_source(), "sorted folder order");
  ASSERT_EQ(sorted->size(), 4u);
  expect_labels_match_pixels(*sorted);
  auto by_name = open_dataset(fx() / "classes", std::vector<std::string>{"bird", "dog", "cat"});
  EXPECT_EQ(by_name->label_source(), "id2label");
  EXPECT_EQ(by_name->label(0), 2);  // cat
  EXPECT_EQ(by_name->label(3), 1);  // dog
  // Some folders named by label, one not: an error naming it, or skipped on request.
  try {
    open_dataset(fx() / "classes", std::vector<std::string>{"cat", "horse"});
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'dog'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--skip-unlabeled"), std::string::npos) << e.what();
  }
  DatasetOptions o;
  o.model_labels = {"cat", "horse"};
  o.skip_unlabeled = true;
  auto skipped = open_dataset(fx() / "classes", o);
  EXPECT_EQ(skipped->size(), 2u);
  EXPECT_EQ(skipped->skipped_unlabeled(), 2u);
}

TEST(Datasets, ImageNetWnids) {
  const auto& w = imagenet_wnids();
  ASSERT_EQ(w.size(), 1000u);
  EXPECT_TRUE(std::is_sorted(w.begin(), w.end()));
  EXPECT_EQ(std::adjacent_find(w.begin(), w.end()), w.end());
  EXPECT_EQ(w[0], "n01440764");    // tench
  EXPECT_EQ(w[207], "n02099601");  // golden retriever
  EXPECT_EQ(w[281], "n02123045");  // tabby
  EXPECT_EQ(w[999], "n15075141");  // toilet tissue
  EXPECT_EQ(leading_wnid("n01440764_tench.JPEG"), "n01440764");
  EXPECT_EQ(leading_wnid("n014407641.png"), "");
  auto folders = open_dataset(fx() / "wnid_folders", std::vector<std::string>{});
  EXPECT_EQ(folders->label_source(), "ImageNet wnid (sorted 1000-class index)");
  expect_labels_match_pixels(*folders);
  auto flat = open_dataset(fx() / "flat", std::vector<std::string>{});
  ASSERT_EQ(flat->size(), 2u);
  expect_labels_match_pixels(*flat);
}

TEST(Datasets, ImageNetSamplesMapToThe1000ClassIndex) {
  const fs::path dir = shared_dir() / "data/imagenet-samples";
  if (!fs::exists(dir)) GTEST_SKIP();
  auto d = open_dataset(dir, std::vector<std::string>{});
  ASSERT_EQ(d->size(), 100u);
  for (size_t i = 0; i < d->size(); ++i) {
    const std::string name = fs::path(d->item_name(i)).filename().string();
    EXPECT_EQ(imagenet_wnids()[d->label(i)], name.substr(0, 9));
  }
  EXPECT_EQ(d->label(0), 0);  // n01440764_tench
}

TEST(Datasets, CifarBinaries) {
  auto c10 = open_dataset(fx() / "cifar10", std::vector<std::string>{});
  ASSERT_EQ(c10->size(), 3u);
  EXPECT_EQ(c10->class_names().size(), 10u);
  EXPECT_EQ(c10->class_names()[3], "cat");
  for (size_t i = 0; i < 3; ++i) {
    Image img = c10->load(i, 3);
    ASSERT_EQ(img.width, 32);
    EXPECT_EQ(img.pixels[0], c10->label(i));  // planar R -> interleaved
    EXPECT_EQ(img.pixels[1], 100);
    EXPECT_EQ(img.pixels[2], 200);
  }
  EXPECT_EQ(c10->label(0), 3);
  EXPECT_EQ(c10->label(2), 9);
  auto file = open_dataset(fx() / "cifar10/test_batch.bin", std::vector<std::string>{});
  EXPECT_EQ(file->size(), 3u);
  auto c100 = open_dataset(fx() / "cifar100", std::vector<std::string>{});
  ASSERT_EQ(c100->size(), 2u);
  EXPECT_EQ(c100->label(0), 72);  // fine label
  EXPECT_EQ(c100->label(1), 5);
  EXPECT_EQ(c100->load(0, 3).pixels[0], 72);
}

TEST(Datasets, MnistIdx) {
  auto m = open_dataset(fx() / "mnist", std::vector<std::string>{});
  ASSERT_EQ(m->size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    Image img = m->load(i, 1);
    EXPECT_EQ(img.width, 5);
    EXPECT_EQ(img.height, 4);
    EXPECT_EQ(img.pixels[0], m->label(i));
  }
}

TEST(Datasets, ListFile) {
  auto l = open_dataset(fx() / "list/list.txt", std::vector<std::string>{"cat", "dog"});
  ASSERT_EQ(l->size(), 3u);
  EXPECT_EQ(l->label(0), 1);
  EXPECT_EQ(l->label(1), 0);    // by id2label name
  EXPECT_EQ(l->label(2), 207);  // by wnid
  expect_labels_match_pixels(*l);
  const fs::path tmp = fs::temp_directory_path() / ("ecoinfer_list_" + std::to_string(::getpid()) + ".txt");
  {
    std::ofstream out(tmp);
    out << fx().string() << "/list/images/x.png\tunicorn\n";
  }
  try {
    open_dataset(tmp, std::vector<std::string>{"cat"});
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'unicorn'"), std::string::npos) << e.what();
  }
  fs::remove(tmp);
}

TEST(Datasets, EmptyFolderIsAClearError) {
  const fs::path tmp = fs::temp_directory_path() / ("ecoinfer_empty_" + std::to_string(::getpid()));
  fs::create_directories(tmp / "cls");
  try {
    open_dataset(tmp, std::vector<std::string>{});
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(tmp.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("no JPEG or PNG images"), std::string::npos) << e.what();
  }
  fs::remove_all(tmp);
}

}  // namespace
}  // namespace ecoinfer::test
