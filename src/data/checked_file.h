#pragma once
// Reading untrusted files with their type and size checked first (docs/resource-policy.md):
// only regular files are read (a directory, /dev/zero, a FIFO or a socket is refused before
// any byte is read, and a FIFO does not block the open), and a file larger than the limit
// for its kind is refused from its size alone. Errors name the file and the problem.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ecoinfer {

// Per-kind size limits. Each is far above what the format needs in practice and low enough
// that reading a file of that size (twice, for a gzip file and its contents) stays well
// under half a GiB of memory.
constexpr uint64_t kMaxImageFileBytes = uint64_t{256} << 20;    // one JPEG/PNG
constexpr uint64_t kMaxDatasetFileBytes = uint64_t{256} << 20;  // an idx or CIFAR file, before and after gunzip
constexpr uint64_t kMaxListFileBytes = uint64_t{128} << 20;     // a path<TAB>label list
constexpr uint64_t kMaxTextFileBytes = uint64_t{1} << 20;       // small side files (CIFAR class names)
constexpr uint64_t kMaxNpyFileBytes = uint64_t{16} << 30;       // a .npy tensor: the tensor size limit

// "1.5 GiB", "300 MiB", "12 KiB", "17 bytes".
std::string byte_size_str(uint64_t bytes);

// An open regular file of at most `max_bytes`; `what` names its kind in errors ("image file").
class CheckedFile {
 public:
  CheckedFile(const std::filesystem::path& file, uint64_t max_bytes, const char* what);
  ~CheckedFile();
  CheckedFile(const CheckedFile&) = delete;
  CheckedFile& operator=(const CheckedFile&) = delete;

  uint64_t size() const { return size_; }
  // Reads up to n bytes from the current position; returns how many (fewer only at the end).
  size_t read_some(void* buf, size_t n);
  // Reads exactly n bytes; an error naming the file when it ends early.
  void read_exact(void* buf, size_t n);
  // The rest of the file (at most size() bytes in all).
  std::vector<uint8_t> read_rest();

 private:
  std::string name_;
  int fd_ = -1;
  uint64_t size_ = 0, pos_ = 0;
};

// The whole file, type and size checked.
std::vector<uint8_t> read_file_checked(const std::filesystem::path& file, uint64_t max_bytes, const char* what);

}  // namespace ecoinfer
