#include "data/image_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

#include "core/error.h"

namespace ecoinfer {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[4] = {'E', 'C', 'I', '1'};

struct Header {
  char magic[4];
  uint32_t width, height, channels;
  uint64_t key;
};

uint64_t fnv1a(uint64_t h, const void* data, size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  return h;
}

bool read_all(int fd, void* buf, size_t n) {
  auto* p = static_cast<char*>(buf);
  while (n > 0) {
    const ssize_t r = ::read(fd, p, n);
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

bool write_all(int fd, const void* buf, size_t n) {
  const auto* p = static_cast<const char*>(buf);
  while (n > 0) {
    const ssize_t r = ::write(fd, p, n);
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

}  // namespace

ImageCache::ImageCache(fs::path dir, uint64_t config_hash) : dir_(std::move(dir)), config_hash_(config_hash) {
  std::error_code ec;
  const fs::file_status st = fs::status(dir_, ec);
  ECO_CHECK(st.type() == fs::file_type::not_found || st.type() == fs::file_type::directory,
            "{}: --cache must name a folder; this path exists and is not one", dir_.string());
  fs::create_directories(dir_, ec);
  ECO_CHECK(!ec, "{}: cannot create the cache folder: {}", dir_.string(), ec.message());
  ECO_CHECK(fs::is_directory(dir_, ec), "{}: cannot create the cache folder", dir_.string());
}

uint64_t ImageCache::key(const fs::path& source) const {
  struct stat st;
  if (::stat(source.c_str(), &st) != 0) return 0;
  const std::string abs = fs::absolute(source).lexically_normal().string();
  uint64_t h = 1469598103934665603ull;
  h = fnv1a(h, abs.data(), abs.size());
  const int64_t fields[] = {static_cast<int64_t>(st.st_size), static_cast<int64_t>(st.st_mtim.tv_sec),
                            static_cast<int64_t>(st.st_mtim.tv_nsec), static_cast<int64_t>(config_hash_)};
  h = fnv1a(h, fields, sizeof fields);
  return h == 0 ? 1 : h;
}

fs::path ImageCache::entry(uint64_t key) const {
  char name[32];
  std::snprintf(name, sizeof name, "%016llx.img", static_cast<unsigned long long>(key));
  return dir_ / name;
}

bool ImageCache::get(const fs::path& source, Image& out) const {
  const uint64_t k = key(source);
  if (k == 0) return false;
  // O_NONBLOCK and the type check: a FIFO planted in the cache folder must not block.
  const int fd = ::open(entry(k).c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return false;
  struct stat st {};
  Header h;
  bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && read_all(fd, &h, sizeof h) &&
            std::memcmp(h.magic, kMagic, 4) == 0 && h.key == k && h.width > 0 && h.height > 0 &&
            (h.channels == 1 || h.channels == 3) && int64_t(h.width) * h.height <= kMaxImagePixels &&
            static_cast<uint64_t>(st.st_size) == sizeof h + uint64_t(h.width) * h.height * h.channels;
  if (ok) {
    out.width = static_cast<int>(h.width);
    out.height = static_cast<int>(h.height);
    out.channels = static_cast<int>(h.channels);
    out.pixels.resize(size_t(h.width) * h.height * h.channels);
    ok = read_all(fd, out.pixels.data(), out.pixels.size());
  }
  ::close(fd);
  return ok;
}

void ImageCache::put(const fs::path& source, const Image& img) const {
  const uint64_t k = key(source);
  if (k == 0) return;
  static std::atomic<uint64_t> counter{0};
  const fs::path final_path = entry(k);
  const fs::path tmp = final_path.string() + ".tmp" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;  // a cache that cannot be written only costs speed
  Header h{};
  std::memcpy(h.magic, kMagic, 4);
  h.width = static_cast<uint32_t>(img.width);
  h.height = static_cast<uint32_t>(img.height);
  h.channels = static_cast<uint32_t>(img.channels);
  h.key = k;
  const bool ok = write_all(fd, &h, sizeof h) && write_all(fd, img.pixels.data(), img.pixels.size());
  ::close(fd);
  std::error_code ec;
  if (ok) fs::rename(tmp, final_path, ec);
  if (!ok || ec) fs::remove(tmp, ec);
}

}  // namespace ecoinfer
