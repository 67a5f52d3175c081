#pragma once
// On-disk cache of preprocessed images: the 8-bit pixels after decode, resize and crop
// (rescale/normalise are cheap and run on every load). One file per image, named by a
// hash of the source file's path, size and modification time and of the preprocessing
// that made the pixels (geometry_hash), so a changed file or config misses the cache.
// Safe for concurrent readers and writers (writes go to a temporary file, then rename).
#include <cstdint>
#include <filesystem>

#include "data/image.h"

namespace ecoinfer {

class ImageCache {
 public:
  ImageCache(std::filesystem::path dir, uint64_t config_hash);
  // True and fills `out` when `source` is cached for this config.
  bool get(const std::filesystem::path& source, Image& out) const;
  void put(const std::filesystem::path& source, const Image& img) const;
  const std::filesystem::path& dir() const { return dir_; }

 private:
  // 0 when the source cannot be stat'ed.
  uint64_t key(const std::filesystem::path& source) const;
  std::filesystem::path entry(uint64_t key) const;
  std::filesystem::path dir_;
  uint64_t config_hash_;
};

}  // namespace ecoinfer
