// Fixed-size grayscale or planar-RGB records held in memory: MNIST idx and CIFAR batches.
#include <functional>

#include "core/error.h"
#include "data/dataset_index.h"
#include "data/gunzip_bounded.h"

namespace ecoinfer {

namespace {

uint32_t be32(const uint8_t* p) { return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3]; }

class MemoryDataset : public Dataset {
 public:
  MemoryDataset(int width, int height, int planes) : width_(width), height_(height), planes_(planes) {}
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

  void add(int label, const uint8_t* data, size_t source, size_t index) {
    labels_.push_back(label);
    offsets_.push_back(data);
    source_.push_back(source);
    index_.push_back(index);
  }
  const std::vector<uint8_t>& keep(std::vector<uint8_t> blob) { return blobs_.emplace_back(std::move(blob)); }
  size_t add_source(const std::string& name) {
    names_.push_back(name);
    return names_.size() - 1;
  }
  void set_classes(std::vector<std::string> names, std::string source) {
    class_names_ = std::move(names);
    label_source_ = std::move(source);
  }

 private:
  std::vector<std::vector<uint8_t>> blobs_;  // vectors own stable heap buffers
  std::vector<std::string> names_;
  std::vector<int> labels_;
  std::vector<const uint8_t*> offsets_;
  std::vector<size_t> source_, index_;
  int width_, height_, planes_;
};

// An idx file's bytes, gunzipped when compressed. The header (header_bytes) is read first;
// `declared` turns it into the file's full size, which must lie within max_bytes before
// the rest is decompressed, and which the data must match exactly.
std::vector<uint8_t> idx_bytes(std::vector<uint8_t> raw, const std::string& name, size_t header_bytes, uint32_t magic,
                               const char* kind, uint64_t max_bytes,
                               const std::function<uint64_t(const uint8_t* header)>& declared) {
  const bool gz = is_gzip(raw.data(), raw.size());
  const std::vector<uint8_t> head = gz ? gunzip_bounded(raw.data(), raw.size(), header_bytes, name)
                                       : std::vector<uint8_t>(raw.begin(), raw.begin() + std::min(raw.size(), header_bytes));
  ECO_CHECK(head.size() >= header_bytes && be32(head.data()) == magic, "{}: not an {} file (expected magic 0x{:08x})", name,
            kind, magic);
  const uint64_t size = declared(head.data());
  ECO_CHECK(size <= max_bytes, "{}: the header declares {} ({} bytes), over the {} limit for a dataset file", name,
            byte_size_str(size), size, byte_size_str(max_bytes));
  std::vector<uint8_t> data = gz ? gunzip_bounded(raw.data(), raw.size(), size + 1, name) : std::move(raw);
  ECO_CHECK(data.size() == size, "{}: holds {} bytes{}, the header declares {}", name,
            data.size() > size ? "more than " + std::to_string(size) : std::to_string(data.size()),
            gz ? " (decompressed)" : "", size);
  return data;
}

}  // namespace

std::unique_ptr<Dataset> mnist_from_bytes(std::vector<uint8_t> images, const std::string& images_name,
                                          std::vector<uint8_t> labels, const std::string& labels_name,
                                          uint64_t max_bytes) {
  uint32_t count = 0, rows = 0, cols = 0;
  std::vector<uint8_t> px = idx_bytes(std::move(images), images_name, 16, 0x00000803, "idx3-ubyte image", max_bytes,
                                      [&](const uint8_t* h) {
                                        count = be32(h + 4), rows = be32(h + 8), cols = be32(h + 12);
                                        ECO_CHECK(rows > 0 && cols > 0 && rows <= 4096 && cols <= 4096,
                                                  "{}: implausible image size {}x{}", images_name, rows, cols);
                                        return 16 + uint64_t(count) * rows * cols;
                                      });
  uint32_t label_count = 0;
  std::vector<uint8_t> lab = idx_bytes(std::move(labels), labels_name, 8, 0x00000801, "idx1-ubyte label", max_bytes,
                                       [&](const uint8_t* h) {
                                         label_count = be32(h + 4);
                                         ECO_CHECK(label_count == count, "{}: holds {} labels for {} images in {}",
                                                   labels_name, label_count, count, images_name);
                                         return 8 + uint64_t(label_count);
                                       });
  auto d = std::make_unique<MemoryDataset>(static_cast<int>(cols), static_cast<int>(rows), 1);
  const std::vector<uint8_t>& pixels = d->keep(std::move(px));
  d->add_source(images_name);
  for (uint32_t i = 0; i < count; ++i) {
    ECO_CHECK(lab[8 + i] < 10, "{}: label {} (item {}) is not a digit", labels_name, int(lab[8 + i]), i);
    d->add(lab[8 + i], pixels.data() + 16 + size_t(i) * rows * cols, 0, i);
  }
  std::vector<std::string> names;
  for (int i = 0; i < 10; ++i) names.push_back(std::to_string(i));
  d->set_classes(std::move(names), "idx");
  return d;
}

std::unique_ptr<Dataset> cifar_from_bytes(std::vector<std::vector<uint8_t>> files, const std::vector<std::string>& names,
                                          bool cifar100, std::vector<std::string> class_names, uint64_t max_bytes) {
  ECO_CHECK(files.size() == names.size() && !files.empty(), "CIFAR: {} batch buffers for {} names", files.size(),
            names.size());
  auto d = std::make_unique<MemoryDataset>(32, 32, 3);
  const size_t head = cifar100 ? 2 : 1, rec = head + 3072;
  const char* kind = cifar100 ? "CIFAR-100" : "CIFAR-10";
  for (size_t f = 0; f < files.size(); ++f) {
    std::vector<uint8_t> raw = std::move(files[f]);
    if (is_gzip(raw.data(), raw.size())) {
      raw = gunzip_bounded(raw.data(), raw.size(), max_bytes + 1, names[f]);
      ECO_CHECK(raw.size() <= max_bytes, "{}: decompresses to more than the {} limit for a dataset file", names[f],
                byte_size_str(max_bytes));
    }
    const std::vector<uint8_t>& b = d->keep(std::move(raw));
    ECO_CHECK(!b.empty() && b.size() % rec == 0, "{}: {} bytes is not a whole number of {} records of {} bytes",
              names[f], b.size(), kind, rec);
    const size_t source = d->add_source(names[f]);
    for (size_t i = 0; i < b.size() / rec; ++i) {
      const int label = b[i * rec + head - 1];
      ECO_CHECK(label < (cifar100 ? 100 : 10), "{}: record {} has label {}", names[f], i, label);
      d->add(label, b.data() + i * rec + head, source, i);
    }
  }
  d->set_classes(std::move(class_names), cifar100 ? "CIFAR-100 fine label" : "CIFAR-10 label");
  return d;
}

}  // namespace ecoinfer
