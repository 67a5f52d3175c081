#pragma once
// Fetches files of Hub model repositories into huggingface_hub's cache, speaking the Hub's
// HTTP protocol as huggingface_hub does:
//   GET  {endpoint}/api/models/{id}/revision/{revision}  -> the commit ("sha") and the files ("siblings")
//   HEAD {endpoint}/{id}/resolve/{commit}/{file}         -> X-Repo-Commit, ETag or X-Linked-Etag (the blob
//        id), X-Linked-Size or Content-Length, and a redirect (Location) for large files
//   GET  that location                                   -> the bytes, resumed with Range
// With HF_HUB_OFFLINE the cache alone answers; when the Hub cannot be reached, a revision
// already cached is used with a note.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "hub/hub_config.h"
#include "hub/http_client.h"
#include "hub/repo_ref.h"

namespace ecoinfer::hub {

struct Snapshot {
  RepoRef ref;
  std::string commit;
  std::vector<std::string> files;     // the repository's files at that commit (cache only: those cached)
  std::filesystem::path repo_dir;     // {cache}/models--org--name
  std::filesystem::path dir;          // repo_dir/snapshots/{commit}
  // Why only the cache was used (HF_HUB_OFFLINE, or the Hub unreachable); empty when the
  // Hub answered.
  std::string cache_only_reason;
};

struct FetchedFile {
  std::string path;              // in the repository
  std::filesystem::path local;   // snapshot_dir / path (a link into blobs/)
  uint64_t bytes = 0;
  bool downloaded = false;       // false: already in the cache
};

class HubClient {
 public:
  explicit HubClient(HubConfig cfg);

  // The commit a revision names and the files at that commit.
  Snapshot resolve(const RepoRef& ref);

  // One file of the snapshot, downloaded into the cache when missing: blob under a per-blob
  // lock, partial file resumed, sha256 checked for large-file (LFS) blobs before it is moved
  // into place, then the snapshot link and refs/{revision}.
  FetchedFile fetch(const Snapshot& s, const std::string& file);

  const HubConfig& config() const { return cfg_; }

 private:
  HubConfig cfg_;
  HttpClient http_;

  Snapshot from_cache(const RepoRef& ref, const std::string& reason) const;
  [[noreturn]] void refuse(const HttpResponse& r, const RepoRef& ref, const std::string& file) const;
};

}  // namespace ecoinfer::hub
