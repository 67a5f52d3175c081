#pragma once
// huggingface_hub's cache layout, read and written the same way, so that a model fetched by
// Python is found here and the other way round:
//
//   {cache}/models--{org}--{name}/blobs/{etag}                   file contents, named by blob id
//                                 blobs/{etag}.incomplete        a download in progress (resumable)
//                                 snapshots/{commit}/{path}      relative symlinks to ../../blobs/{etag}
//                                 refs/{revision}                the commit a branch or tag pointed to
//   {cache}/.locks/models--{org}--{name}/{etag}.lock             one lock per blob
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "hub/repo_ref.h"

namespace ecoinfer::hub {

std::filesystem::path repo_cache_dir(const std::filesystem::path& cache, std::string_view id);
std::filesystem::path blob_lock_path(const std::filesystem::path& cache, std::string_view id, const std::string& etag);

// The commit refs/{revision} holds (whitespace trimmed), when the file exists and holds a
// commit id.
std::optional<std::string> read_ref(const std::filesystem::path& repo_dir, const std::string& revision);
// Writes refs/{revision} (no newline, as Python does) through a temporary file and a rename,
// unless it already holds `commit`.
void write_ref(const std::filesystem::path& repo_dir, const std::string& revision, const std::string& commit);

// Makes `pointer` a relative symbolic link to `blob` (creating its folders). A link that
// another process made at the same moment is accepted when it points to the same blob.
void link_blob(const std::filesystem::path& blob, const std::filesystem::path& pointer);

// Repository paths of the files present under a snapshot folder (links whose blob is
// missing are skipped), sorted.
std::vector<std::string> snapshot_files(const std::filesystem::path& snapshot_dir);

struct CachedFile {
  std::string path;   // in the repository, e.g. "onnx/model.onnx"
  std::string blob;   // the blob's name (etag); empty when the file is not a link to a blob
  uint64_t bytes = 0;
};

struct CachedRevision {
  std::string commit;
  std::vector<std::string> refs;  // branches and tags that point to it (from refs/)
  std::vector<CachedFile> files;
  uint64_t bytes = 0;             // its files' blobs
};

struct CachedRepo {
  std::string id;
  std::filesystem::path dir;
  uint64_t bytes = 0;                     // every blob on disk, partial downloads included
  int blobs = 0;                          // complete blobs
  std::vector<CachedRevision> revisions;  // sorted by commit
  std::vector<std::string> incomplete;    // blobs/*.incomplete: downloads that did not finish
  std::vector<std::string> dangling_refs; // refs/* whose snapshot is gone
};

// Every model repository in the cache, sorted by id. A missing cache folder is empty.
std::vector<CachedRepo> scan_cache(const std::filesystem::path& cache);

struct Removal {
  bool whole_repo = false;
  std::vector<std::string> commits;  // snapshots removed
  std::vector<std::string> refs;     // refs removed
  int blobs = 0;                     // blobs removed
  uint64_t bytes = 0;                // bytes freed
};

// Removes a repository from the cache (`org/name`), or one revision of it
// (`org/name@revision`: its snapshot, the refs that point to it, and the blobs no other
// snapshot uses). Errors say what is cached when the id or revision is not.
Removal remove_from_cache(const std::filesystem::path& cache, const RepoRef& ref);

}  // namespace ecoinfer::hub
