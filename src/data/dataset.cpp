#include "data/dataset.h"

#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "core/error.h"

namespace ecoinfer {

namespace fs = std::filesystem;

namespace {

bool is_image_file(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png";
}

int wnid_index(const std::string& wnid) {
  const auto& t = imagenet_wnids();
  auto it = std::lower_bound(t.begin(), t.end(), wnid);
  return it != t.end() && *it == wnid ? static_cast<int>(it - t.begin()) : -1;
}

// Items whose label could not be mapped: an error naming them, or counted and left out.
struct Unmapped {
  std::vector<std::string> what;  // "'label' (file)"
  void add(const std::string& label, const std::string& item) { what.push_back("'" + label + "' (" + item + ")"); }
  void settle(const std::string& where, bool skip, size_t& skipped) const {
    if (what.empty()) return;
    if (skip) {
      skipped = what.size();
      return;
    }
    std::string list;
    for (size_t i = 0; i < what.size() && i < 5; ++i) list += (i ? ", " : "") + what[i];
    if (what.size() > 5) list += fmt::format(", and {} more", what.size() - 5);
    fail("{}: cannot map the label of {} image(s) to the model's classes: {}; pass --skip-unlabeled to leave them "
         "out",
         where, what.size(), list);
  }
};

// Images on disk with their labels: class folders, flat wnid folders and list files.
class FileDataset : public Dataset {
 public:
  size_t size() const override { return items_.size(); }
  int label(size_t i) const override { return items_[i].label; }
  std::string item_name(size_t i) const override { return items_[i].path.string(); }
  Image load(size_t i, int channels) const override { return read_image(items_[i].path, channels); }
  std::optional<fs::path> item_file(size_t i) const override { return items_[i].path; }

  static std::unique_ptr<Dataset> class_folders(const fs::path& dir, const DatasetOptions& o,
                                                const std::vector<std::string>& folders) {
    auto d = std::make_unique<FileDataset>();
    std::map<std::string, int> by_label;
    for (size_t i = 0; i < o.model_labels.size(); ++i) by_label.emplace(o.model_labels[i], static_cast<int>(i));
    const bool wnids = std::all_of(folders.begin(), folders.end(), [](auto& f) { return leading_wnid(f) == f; });
    const bool any_label = std::any_of(folders.begin(), folders.end(), [&](auto& f) { return by_label.count(f) > 0; });
    enum { kWnid, kId2label, kSorted } mode = wnids ? kWnid : any_label ? kId2label : kSorted;
    if (mode == kWnid) {
      d->class_names_ = imagenet_wnids();
      d->label_source_ = "ImageNet wnid (sorted 1000-class index)";
    } else if (mode == kId2label) {
      d->class_names_ = o.model_labels;
      d->label_source_ = "id2label";
    } else {
      d->class_names_ = folders;
      d->label_source_ = "sorted folder order";
    }
    Unmapped unmapped;
    for (size_t fi = 0; fi < folders.size(); ++fi) {
      int label = static_cast<int>(fi);
      if (mode == kWnid) label = wnid_index(folders[fi]);
      if (mode == kId2label) label = by_label.count(folders[fi]) ? by_label[folders[fi]] : -1;
      std::vector<std::string> files;
      for (auto& e : fs::directory_iterator(dir / folders[fi]))
        if (e.is_regular_file() && is_image_file(e.path())) files.push_back(e.path().filename().string());
      std::sort(files.begin(), files.end());
      for (auto& f : files) {
        if (label < 0) unmapped.add(folders[fi], (dir / folders[fi] / f).string());
        else d->items_.push_back({dir / folders[fi] / f, label});
      }
    }
    unmapped.settle(dir.string(), o.skip_unlabeled, d->skipped_unlabeled_);
    ECO_CHECK(!d->items_.empty(), "{}: the class folders hold no JPEG or PNG images", dir.string());
    return d;
  }

  static std::unique_ptr<Dataset> flat_wnid(const fs::path& dir, const DatasetOptions& o,
                                            const std::vector<std::string>& files) {
    auto d = std::make_unique<FileDataset>();
    d->class_names_ = imagenet_wnids();
    d->label_source_ = "ImageNet wnid in file name (sorted 1000-class index)";
    Unmapped unmapped;
    for (auto& f : files) {
      const int label = wnid_index(leading_wnid(f));
      if (label < 0) unmapped.add(leading_wnid(f).empty() ? f : leading_wnid(f), (dir / f).string());
      else d->items_.push_back({dir / f, label});
    }
    unmapped.settle(dir.string(), o.skip_unlabeled, d->skipped_unlabeled_);
    ECO_CHECK(!d->items_.empty(), "{}: no image has a mappable label", dir.string());
    return d;
  }

  static std::unique_ptr<Dataset> list_file(const fs::path& file, const DatasetOptions& o) {
    std::ifstream in(file);
    ECO_CHECK(in.good(), "{}: cannot open", file.string());
    auto d = std::make_unique<FileDataset>();
    std::map<std::string, int> by_label;
    for (size_t i = 0; i < o.model_labels.size(); ++i) by_label.emplace(o.model_labels[i], static_cast<int>(i));
    d->class_names_ = o.model_labels;
    d->label_source_ = "list file";
    const fs::path base = file.parent_path();
    Unmapped unmapped;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line[0] == '#') continue;
      const size_t tab = line.rfind('\t');
      ECO_CHECK(tab != std::string::npos && tab > 0 && tab + 1 < line.size(),
                "{}:{}: expected 'path<TAB>label', got '{}'", file.string(), n, line);
      const fs::path p = fs::path(line.substr(0, tab)).is_absolute() ? fs::path(line.substr(0, tab))
                                                                     : base / line.substr(0, tab);
      const std::string lab = line.substr(tab + 1);
      int label = -1;
      if (!lab.empty() && std::all_of(lab.begin(), lab.end(), ::isdigit) && lab.size() < 9) label = std::stoi(lab);
      else if (by_label.count(lab)) label = by_label[lab];
      else if (leading_wnid(lab) == lab) label = wnid_index(lab);
      if (label < 0) unmapped.add(lab, p.string());
      else d->items_.push_back({p, label});
    }
    unmapped.settle(file.string(), o.skip_unlabeled, d->skipped_unlabeled_);
    ECO_CHECK(!d->items_.empty(), "{}: the list names no images", file.string());
    return d;
  }

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

// Fixed-size grayscale or planar-RGB records in memory (MNIST, CIFAR).
class MemoryDataset : public Dataset {
 public:
  size_t size() const override { return labels_.size(); }
  int label(size_t i) const override { return labels_[i]; }
  std::string item_name(size_t i) const override { return names_[source_[i]] + "[" + std::to_string(index_[i]) + "]"; }
  Image load(size_t i, int channels) const override {
    Image img;
    img.width = width_;
    img.height = height_;
    img.channels = planes_;
    const size_t px = size_t(width_) * height_;
    img.pixels.resize(px * planes_);
    const uint8_t* src = offsets_[i];
    // Planar (CIFAR: R plane, G plane, B plane) to interleaved.
    for (size_t p = 0; p < px; ++p)
      for (int c = 0; c < planes_; ++c) img.pixels[p * planes_ + c] = src[c * px + p];
    if (channels == planes_) return img;
    ECO_CHECK(channels == 3 || channels == 1, "cannot load {} channels", channels);
    Image out;
    out.width = width_;
    out.height = height_;
    out.channels = channels;
    out.pixels.resize(px * channels);
    for (size_t p = 0; p < px; ++p) {
      if (channels == 3) out.pixels[3 * p] = out.pixels[3 * p + 1] = out.pixels[3 * p + 2] = img.pixels[p];
      else
        out.pixels[p] = static_cast<uint8_t>(
            (img.pixels[3 * p] * 19595 + img.pixels[3 * p + 1] * 38470 + img.pixels[3 * p + 2] * 7471 + 0x8000) >> 16);
    }
    return out;
  }

  static std::unique_ptr<Dataset> mnist(const fs::path& images, const fs::path& labels) {
    auto d = std::make_unique<MemoryDataset>();
    d->blobs_.push_back(read_maybe_gz(images));
    const std::vector<uint8_t>& px = d->blobs_.back();
    std::vector<uint8_t> lab = read_maybe_gz(labels);
    ECO_CHECK(px.size() >= 16 && be32(px.data()) == 0x00000803, "{}: not an idx3-ubyte image file", images.string());
    ECO_CHECK(lab.size() >= 8 && be32(lab.data()) == 0x00000801, "{}: not an idx1-ubyte label file", labels.string());
    const uint32_t count = be32(px.data() + 4), rows = be32(px.data() + 8), cols = be32(px.data() + 12);
    ECO_CHECK(rows > 0 && cols > 0 && rows <= 4096 && cols <= 4096, "{}: implausible image size {}x{}", images.string(),
              rows, cols);
    ECO_CHECK(px.size() == 16 + size_t(count) * rows * cols, "{}: holds {} bytes, header says {} images of {}x{}",
              images.string(), px.size(), count, rows, cols);
    ECO_CHECK(be32(lab.data() + 4) == count && lab.size() == 8 + size_t(count), "{}: label count does not match {} images",
              labels.string(), count);
    d->width_ = static_cast<int>(cols);
    d->height_ = static_cast<int>(rows);
    d->planes_ = 1;
    d->names_.push_back(images.string());
    for (uint32_t i = 0; i < count; ++i) {
      ECO_CHECK(lab[8 + i] < 10, "{}: label {} is not a digit", labels.string(), int(lab[8 + i]));
      d->add(lab[8 + i], px.data() + 16 + size_t(i) * rows * cols, 0, i);
    }
    for (int i = 0; i < 10; ++i) d->class_names_.push_back(std::to_string(i));
    d->label_source_ = "idx";
    return d;
  }

  // CIFAR-10 records: label byte + 3072 bytes; CIFAR-100: coarse, fine + 3072 bytes.
  static std::unique_ptr<Dataset> cifar(const std::vector<fs::path>& files, bool cifar100) {
    auto d = std::make_unique<MemoryDataset>();
    const size_t head = cifar100 ? 2 : 1, rec = head + 3072;
    d->width_ = d->height_ = 32;
    d->planes_ = 3;
    for (auto& f : files) {
      d->blobs_.push_back(read_maybe_gz(f));
      const std::vector<uint8_t>& b = d->blobs_.back();
      ECO_CHECK(!b.empty() && b.size() % rec == 0, "{}: {} bytes is not a whole number of {} records of {} bytes",
                f.string(), b.size(), cifar100 ? "CIFAR-100" : "CIFAR-10", rec);
      d->names_.push_back(f.string());
      for (size_t i = 0; i < b.size() / rec; ++i) {
        const int label = b[i * rec + head - 1];
        ECO_CHECK(label < (cifar100 ? 100 : 10), "{}: record {} has label {}", f.string(), i, label);
        d->add(label, b.data() + i * rec + head, d->names_.size() - 1, i);
      }
    }
    // Class names from the meta file next to the batches, when present.
    const fs::path meta = files[0].parent_path() / (cifar100 ? "fine_label_names.txt" : "batches.meta.txt");
    std::ifstream in(meta);
    for (std::string line; in && std::getline(in, line);)
      if (!line.empty()) d->class_names_.push_back(line);
    d->label_source_ = cifar100 ? "CIFAR-100 fine label" : "CIFAR-10 label";
    return d;
  }

 private:
  void add(int label, const uint8_t* data, size_t source, size_t index) {
    labels_.push_back(label);
    offsets_.push_back(data);
    source_.push_back(source);
    index_.push_back(index);
  }
  std::vector<std::vector<uint8_t>> blobs_;  // vectors own stable heap buffers
  std::vector<std::string> names_;
  std::vector<int> labels_;
  std::vector<const uint8_t*> offsets_;
  std::vector<size_t> source_, index_;
  int width_ = 0, height_ = 0, planes_ = 1;
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

bool is_cifar100_name(const fs::path& f) {
  const std::string n = f.filename().string();
  return n == "test.bin" || n == "train.bin";
}

}  // namespace

std::string leading_wnid(const std::string& name) {
  if (name.size() < 9 || name[0] != 'n') return "";
  for (int i = 1; i < 9; ++i)
    if (!std::isdigit(static_cast<unsigned char>(name[i]))) return "";
  if (name.size() > 9 && (std::isalnum(static_cast<unsigned char>(name[9])))) return "";
  return name.substr(0, 9);
}

std::unique_ptr<Dataset> open_dataset(const fs::path& path, const DatasetOptions& o) {
  std::error_code ec;
  ECO_CHECK(fs::exists(path, ec), "{}: dataset folder does not exist", path.string());
  if (fs::is_regular_file(path, ec)) {
    if (path.extension() == ".bin") return MemoryDataset::cifar({path}, is_cifar100_name(path));
    return FileDataset::list_file(path, o);
  }
  ECO_CHECK(fs::is_directory(path, ec), "{}: the dataset must be a folder, a list file or a CIFAR .bin file",
            path.string());
  const fs::path& dir = path;
  fs::path images = find_idx(dir, "t10k-images-idx3-ubyte"), labels = find_idx(dir, "t10k-labels-idx1-ubyte");
  if (images.empty()) images = find_idx(dir, "train-images-idx3-ubyte"), labels = find_idx(dir, "train-labels-idx1-ubyte");
  if (!images.empty()) {
    ECO_CHECK(!labels.empty(), "{}: found {} but no matching labels file", dir.string(), images.filename().string());
    return MemoryDataset::mnist(images, labels);
  }
  if (fs::exists(dir / "test_batch.bin")) return MemoryDataset::cifar({dir / "test_batch.bin"}, false);
  if (fs::exists(dir / "test.bin")) return MemoryDataset::cifar({dir / "test.bin"}, true);
  std::vector<std::string> folders, files;
  std::vector<fs::path> batches;
  for (auto& e : fs::directory_iterator(dir)) {
    const std::string n = e.path().filename().string();
    if (e.is_directory()) folders.push_back(n);
    else if (e.is_regular_file() && is_image_file(e.path())) files.push_back(n);
    else if (e.is_regular_file() && n.rfind("data_batch_", 0) == 0 && e.path().extension() == ".bin")
      batches.push_back(e.path());
  }
  std::sort(folders.begin(), folders.end());
  std::sort(files.begin(), files.end());
  std::sort(batches.begin(), batches.end());
  if (!batches.empty()) return MemoryDataset::cifar(batches, false);
  if (fs::exists(dir / "train.bin")) return MemoryDataset::cifar({dir / "train.bin"}, true);
  if (!files.empty() && folders.empty()) {
    ECO_CHECK(std::any_of(files.begin(), files.end(), [](auto& f) { return !leading_wnid(f).empty(); }),
              "{}: a flat folder of images needs file names that start with an ImageNet wnid (n01440764_…); "
              "otherwise put the images in one subfolder per class",
              dir.string());
    return FileDataset::flat_wnid(dir, o, files);
  }
  ECO_CHECK(!folders.empty(),
            "{}: no images found (expected class subfolders of JPEG/PNG images, images named by wnid, MNIST idx files "
            "or CIFAR .bin batches)",
            dir.string());
  return FileDataset::class_folders(dir, o, folders);
}

std::unique_ptr<Dataset> open_dataset(const fs::path& path, const std::vector<std::string>& model_labels) {
  DatasetOptions o;
  o.model_labels = model_labels;
  return open_dataset(path, o);
}

}  // namespace ecoinfer
