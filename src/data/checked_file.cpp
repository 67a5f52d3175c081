#include "data/checked_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"

namespace ecoinfer {

namespace {

const char* file_kind(mode_t m) {
  if (S_ISDIR(m)) return "a directory";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISFIFO(m)) return "a FIFO (named pipe)";
  if (S_ISSOCK(m)) return "a socket";
  return "not a regular file";
}

}  // namespace

std::string byte_size_str(uint64_t bytes) {
  static const char* units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return fmt::format("{} bytes", bytes);
  double v = static_cast<double>(bytes) / 1024;
  int u = 0;
  while (v >= 1024 && u < 5) v /= 1024, ++u;
  return v < 10 && v != static_cast<double>(static_cast<uint64_t>(v)) ? fmt::format("{:.1f} {}", v, units[u])
                                                                        : fmt::format("{:.0f} {}", v, units[u]);
}

CheckedFile::CheckedFile(const std::filesystem::path& file, uint64_t max_bytes, const char* what) : name_(file.string()) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
  fd_ = ::open(name_.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd_ < 0) fail("{}: cannot open the {}: {}", name_, what, std::strerror(errno));
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    const int e = errno;
    ::close(fd_);
    fail("{}: cannot read the {}: {}", name_, what, std::strerror(e));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd_);
    fail("{}: is {}, not a{} {}", name_, file_kind(st.st_mode), std::strchr("aeiou", what[0]) ? "n" : "", what);
  }
  size_ = static_cast<uint64_t>(st.st_size);
  if (size_ > max_bytes) {
    ::close(fd_);
    fail("{}: the {} is {} ({} bytes), over the {} limit for one {}", name_, what, byte_size_str(size_), size_,
         byte_size_str(max_bytes), what);
  }
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
}

CheckedFile::~CheckedFile() {
  if (fd_ >= 0) ::close(fd_);
}

size_t CheckedFile::read_some(void* buf, size_t n) {
  // Never past the size checked at open: a file that grows meanwhile cannot push past the limit.
  n = static_cast<size_t>(std::min<uint64_t>(n, size_ - pos_));
  auto* p = static_cast<char*>(buf);
  size_t got = 0;
  while (got < n) {
    const ssize_t r = ::read(fd_, p + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) fail("{}: read error: {}", name_, std::strerror(errno));
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  pos_ += got;
  return got;
}

void CheckedFile::read_exact(void* buf, size_t n) {
  const size_t got = read_some(buf, n);
  ECO_CHECK(got == n, "{}: the file ends early ({} of {} bytes read; was it changed while being read?)", name_,
            pos_, pos_ - got + n);
}

std::vector<uint8_t> CheckedFile::read_rest() {
  std::vector<uint8_t> out(static_cast<size_t>(size_ - pos_));
  out.resize(read_some(out.data(), out.size()));
  return out;
}

std::vector<uint8_t> read_file_checked(const std::filesystem::path& file, uint64_t max_bytes, const char* what) {
  CheckedFile f(file, max_bytes, what);
  return f.read_rest();
}

}  // namespace ecoinfer
