#pragma once
// An exclusive lock on a file with flock(2), the lock Python's filelock takes on Linux, so
// ecoinfer and huggingface_hub downloading the same blob at once wait for each other.
#include <filesystem>
#include <string>

namespace ecoinfer::hub {

class FileLock {
 public:
  // Blocks until the lock is held; says once on stderr that it waits when another process
  // holds it. `what` names the guarded thing in that note. The lock file is created (with
  // its folders) and never deleted: deleting it would let a waiter lock a stale inode.
  FileLock(const std::filesystem::path& path, const std::string& what);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace ecoinfer::hub
