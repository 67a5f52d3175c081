#pragma once
// The dataset index readers on bytes in memory: MNIST idx (raw or gzip), CIFAR binary
// batches (raw or gzip) and path<TAB>label list files. open_dataset reads the files (type
// and size checked, data/checked_file.h) and calls these; the fuzz target calls them
// directly (fuzz/dataset_index_fuzz.cpp). Every size a header declares is checked against
// `max_bytes` before anything is decompressed or allocated for it.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "data/checked_file.h"
#include "data/dataset.h"

namespace ecoinfer {

// MNIST: an idx3-ubyte image file and its idx1-ubyte label file (either gzipped). The
// decompressed size is bounded by what the header declares and by max_bytes.
std::unique_ptr<Dataset> mnist_from_bytes(std::vector<uint8_t> images, const std::string& images_name,
                                          std::vector<uint8_t> labels, const std::string& labels_name,
                                          uint64_t max_bytes = kMaxDatasetFileBytes);

// CIFAR-10 (label byte + 3072 pixel bytes) or CIFAR-100 (coarse, fine + 3072) records, one
// byte buffer per batch file (either gzipped); class_names may be empty.
std::unique_ptr<Dataset> cifar_from_bytes(std::vector<std::vector<uint8_t>> files,
                                          const std::vector<std::string>& names, bool cifar100,
                                          std::vector<std::string> class_names,
                                          uint64_t max_bytes = kMaxDatasetFileBytes);

// One line of a list file.
struct ListLine {
  int line = 0;
  std::string path, label;
};
// Parses list-file text ("path<TAB>label" lines; blank lines and '#' comments skipped).
// Binary data (an image, a model, a gzip file given as a list) is refused as a whole; a bad
// line is quoted with control and non-ASCII bytes escaped.
std::vector<ListLine> parse_list_text(std::string_view text, const std::string& name);

// `s` with bytes outside printable ASCII as \xNN, cut after max_chars (for quoting input).
std::string printable(std::string_view s, size_t max_chars = 120);

}  // namespace ecoinfer
