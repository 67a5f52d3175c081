#pragma once
// Labelled image datasets. Layouts (open_dataset picks by what it finds):
//  - class folders: one subfolder of JPEG/PNG images per class; folders named by ImageNet
//    WordNet id (n01440764) map to the 1000-class index by sorted wnid, folders named by
//    label map through the model's id2label, otherwise labels follow sorted folder order;
//  - a flat folder of images whose file names start with a wnid (n01440764_tench.JPEG);
//  - MNIST idx files (t10k-/train-, optionally gzipped);
//  - CIFAR-10 / CIFAR-100 binary batches (test_batch.bin or data_batch_*.bin; test.bin or
//    train.bin with coarse + fine labels: fine labels are used), or one such .bin file;
//  - a list file: one `path<TAB>label` per line, paths relative to the list's folder,
//    label an index, an id2label name or a wnid; blank lines and '#' comments skipped.
// Images whose label cannot be mapped are an error naming them, unless skip_unlabeled.
// Class folders none of whose names is an id2label label are refused unless
// labels_by_folder_order. Folder entries whose type cannot be read (a symlink loop, no
// permission) stop the listing unless skip_bad_images; inside a class folder they become
// items whose loading fails (and so are skipped and counted with --skip-bad-images).
// Every file is read with its type and size checked first (data/checked_file.h).
// Loading an item is thread-safe.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "data/image.h"

namespace ecoinfer {

class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual size_t size() const = 0;
  virtual int label(size_t i) const = 0;
  virtual std::string item_name(size_t i) const = 0;
  virtual Image load(size_t i, int channels) const = 0;
  // The file an item is decoded from (cacheable), or nullopt for in-memory datasets.
  virtual std::optional<std::filesystem::path> item_file(size_t i) const { return std::nullopt; }
  // Class names in label order.
  const std::vector<std::string>& class_names() const { return class_names_; }
  // How labels were matched to the model ("id2label", "ImageNet wnid", "sorted folder order", …).
  const std::string& label_source() const { return label_source_; }
  // Images left out because their label could not be mapped (skip_unlabeled).
  size_t skipped_unlabeled() const { return skipped_unlabeled_; }
  // What the user should be told about how the dataset was read: entries skipped, a label
  // mapping chosen on request. One sentence each.
  const std::vector<std::string>& notes() const { return notes_; }

 protected:
  std::vector<std::string> class_names_;
  std::string label_source_;
  size_t skipped_unlabeled_ = 0;
  std::vector<std::string> notes_;
};

struct DatasetOptions {
  std::vector<std::string> model_labels;  // id2label in index order; may be empty
  bool skip_unlabeled = false;
  bool skip_bad_images = false;         // skip (and note) folder entries whose type cannot be read
  bool labels_by_folder_order = false;  // accept sorted folder order when no folder name is in id2label
};

std::unique_ptr<Dataset> open_dataset(const std::filesystem::path& path, const DatasetOptions& opts);
std::unique_ptr<Dataset> open_dataset(const std::filesystem::path& path, const std::vector<std::string>& model_labels);

// The 1000 ImageNet-1k WordNet ids in sorted order (index = class index).
const std::vector<std::string>& imagenet_wnids();

// The wnid a name starts with ("n01440764_tench.JPEG" -> "n01440764"), or "".
std::string leading_wnid(const std::string& name);

}  // namespace ecoinfer
