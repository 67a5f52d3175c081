#include "data/dataset.h"

#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <map>

#include "core/error.h"

namespace ecoinfer {

namespace fs = std::filesystem;

namespace {

bool is_image_file(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png";
}

class ImageFolderDataset : public Dataset {
 public:
  ImageFolderDataset(const fs::path& dir, const std::vector<std::string>& model_labels) {
    std::vector<std::string> folders;
    for (auto& e : fs::directory_iterator(dir))
      if (e.is_directory()) folders.push_back(e.path().filename().string());
    std::sort(folders.begin(), folders.end());
    ECO_CHECK(!folders.empty(), "{}: no class subfolders (expected one folder of images per class, or MNIST idx files)",
              dir.string());
    std::map<std::string, int> by_label;
    for (size_t i = 0; i < model_labels.size(); ++i) by_label.emplace(model_labels[i], static_cast<int>(i));
    const bool use_id2label =
        !model_labels.empty() && std::all_of(folders.begin(), folders.end(), [&](auto& f) { return by_label.count(f); });
    if (use_id2label) {
      class_names_ = model_labels;
      label_source_ = "id2label";
    } else {
      class_names_ = folders;
      label_source_ = "sorted folder order";
    }
    for (size_t fi = 0; fi < folders.size(); ++fi) {
      const int label = use_id2label ? by_label[folders[fi]] : static_cast<int>(fi);
      std::vector<std::string> files;
      for (auto& e : fs::directory_iterator(dir / folders[fi]))
        if (e.is_regular_file() && is_image_file(e.path())) files.push_back(e.path().filename().string());
      std::sort(files.begin(), files.end());
      for (auto& f : files) items_.push_back({dir / folders[fi] / f, label});
    }
    ECO_CHECK(!items_.empty(), "{}: the class folders hold no JPEG or PNG images", dir.string());
  }
  size_t size() const override { return items_.size(); }
  int label(size_t i) const override { return items_[i].label; }
  std::string item_name(size_t i) const override { return items_[i].path.string(); }
  Image load(size_t i, int channels) const override { return read_image(items_[i].path, channels); }

 private:
  struct Item {
    fs::path path;
    int label;
  };
  std::vector<Item> items_;
};

// Reads a whole file, gunzipping when it is gzip-compressed.
std::vector<uint8_t> read_maybe_gz(const fs::path& p) {
  gzFile f = gzopen(p.string().c_str(), "rb");
  ECO_CHECK(f != nullptr, "{}: cannot open", p.string());
  std::vector<uint8_t> out;
  uint8_t buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.insert(out.end(), buf, buf + n);
  int err = 0;
  const char* msg = gzerror(f, &err);
  gzclose(f);
  ECO_CHECK(n >= 0 && err == Z_OK, "{}: read error: {}", p.string(), msg ? msg : "?");
  return out;
}

uint32_t be32(const uint8_t* p) { return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3]; }

class MnistDataset : public Dataset {
 public:
  MnistDataset(const fs::path& images, const fs::path& labels) : images_path_(images) {
    pixels_ = read_maybe_gz(images);
    std::vector<uint8_t> lab = read_maybe_gz(labels);
    ECO_CHECK(pixels_.size() >= 16 && be32(pixels_.data()) == 0x00000803, "{}: not an idx3-ubyte image file", images.string());
    ECO_CHECK(lab.size() >= 8 && be32(lab.data()) == 0x00000801, "{}: not an idx1-ubyte label file", labels.string());
    count_ = be32(pixels_.data() + 4);
    rows_ = be32(pixels_.data() + 8);
    cols_ = be32(pixels_.data() + 12);
    ECO_CHECK(rows_ > 0 && cols_ > 0 && rows_ <= 4096 && cols_ <= 4096, "{}: implausible image size {}x{}", images.string(),
              rows_, cols_);
    ECO_CHECK(pixels_.size() == 16 + size_t(count_) * rows_ * cols_, "{}: holds {} bytes, header says {} images of {}x{}",
              images.string(), pixels_.size(), count_, rows_, cols_);
    ECO_CHECK(be32(lab.data() + 4) == count_ && lab.size() == 8 + size_t(count_), "{}: label count does not match {} images",
              labels.string(), count_);
    labels_.assign(lab.begin() + 8, lab.end());
    for (uint8_t l : labels_) ECO_CHECK(l < 10, "{}: label {} is not a digit", labels.string(), int(l));
    for (int i = 0; i < 10; ++i) class_names_.push_back(std::to_string(i));
    label_source_ = "idx";
  }
  size_t size() const override { return count_; }
  int label(size_t i) const override { return labels_[i]; }
  std::string item_name(size_t i) const override { return images_path_.string() + "[" + std::to_string(i) + "]"; }
  Image load(size_t i, int channels) const override {
    Image img;
    img.width = static_cast<int>(cols_);
    img.height = static_cast<int>(rows_);
    img.channels = channels;
    const uint8_t* src = pixels_.data() + 16 + i * rows_ * cols_;
    const size_t px = size_t(rows_) * cols_;
    img.pixels.resize(px * channels);
    for (size_t p = 0; p < px; ++p)
      for (int c = 0; c < channels; ++c) img.pixels[p * channels + c] = src[p];
    return img;
  }

 private:
  fs::path images_path_;
  std::vector<uint8_t> pixels_, labels_;
  uint32_t count_ = 0, rows_ = 0, cols_ = 0;
};

// MNIST ships as "t10k-images-idx3-ubyte" and as "t10k-images.idx3-ubyte", either gzipped.
fs::path find_idx(const fs::path& dir, const std::string& stem) {
  std::string dotted = stem;
  dotted.replace(dotted.find("-idx"), 4, ".idx");
  for (const std::string& name : {stem, dotted})
    for (const char* suffix : {"", ".gz"})
      if (fs::exists(dir / (name + suffix))) return dir / (name + suffix);
  return {};
}

}  // namespace

std::unique_ptr<Dataset> open_dataset(const fs::path& dir, const std::vector<std::string>& model_labels) {
  std::error_code ec;
  ECO_CHECK(fs::exists(dir, ec), "{}: dataset folder does not exist", dir.string());
  ECO_CHECK(fs::is_directory(dir, ec), "{}: the dataset must be a folder", dir.string());
  fs::path images = find_idx(dir, "t10k-images-idx3-ubyte"), labels = find_idx(dir, "t10k-labels-idx1-ubyte");
  if (images.empty()) images = find_idx(dir, "train-images-idx3-ubyte"), labels = find_idx(dir, "train-labels-idx1-ubyte");
  if (!images.empty()) {
    ECO_CHECK(!labels.empty(), "{}: found {} but no matching labels file", dir.string(), images.filename().string());
    return std::make_unique<MnistDataset>(images, labels);
  }
  return std::make_unique<ImageFolderDataset>(dir, model_labels);
}

}  // namespace ecoinfer
