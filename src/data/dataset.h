#pragma once
// Labelled image datasets: a folder of class subfolders (JPEG/PNG), or a folder holding
// MNIST idx files. Loading an item is thread-safe.
#include <filesystem>
#include <memory>
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
  // Class names in label order.
  const std::vector<std::string>& class_names() const { return class_names_; }
  // How labels were matched to the model ("id2label", "sorted folder order", "idx").
  const std::string& label_source() const { return label_source_; }

 protected:
  std::vector<std::string> class_names_;
  std::string label_source_;
};

// Opens `dir`. For class folders, folder names are matched to `model_labels` (id2label)
// when every folder name is a label, else labels follow sorted folder order.
std::unique_ptr<Dataset> open_dataset(const std::filesystem::path& dir, const std::vector<std::string>& model_labels);

}  // namespace ecoinfer
