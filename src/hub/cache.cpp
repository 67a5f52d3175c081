#include "hub/cache.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "core/error.h"

namespace ecoinfer::hub {

namespace fs = std::filesystem;

namespace {

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

uint64_t size_or_zero(const fs::path& p) {
  std::error_code ec;
  const auto s = fs::file_size(p, ec);
  return ec ? 0 : s;
}

// Files below `dir` as '/'-separated paths relative to it (symbolic links not followed
// into folders).
std::vector<std::string> relative_entries(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code ec2;
    if (it->is_directory(ec2) && !it->is_symlink(ec2)) continue;
    out.push_back(it->path().lexically_relative(dir).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

CachedRepo scan_repo(const fs::path& dir, std::string id) {
  CachedRepo repo;
  repo.id = std::move(id);
  repo.dir = dir;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir / "blobs", ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    repo.bytes += size_or_zero(it->path());
    if (name.size() > 11 && name.substr(name.size() - 11) == ".incomplete") repo.incomplete.push_back(name);
    else ++repo.blobs;
  }
  std::sort(repo.incomplete.begin(), repo.incomplete.end());
  std::map<std::string, std::vector<std::string>> refs_by_commit;
  for (const std::string& r : relative_entries(dir / "refs")) {
    if (auto c = read_ref(dir, r)) refs_by_commit[*c].push_back(r);
  }
  for (auto it = fs::directory_iterator(dir / "snapshots", ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    CachedRevision rev;
    rev.commit = it->path().filename().string();
    std::set<std::string> blobs;
    for (const std::string& f : relative_entries(it->path())) {
      CachedFile cf;
      cf.path = f;
      const fs::path p = it->path() / f;
      std::error_code ec2;
      if (fs::is_symlink(p, ec2)) cf.blob = fs::read_symlink(p, ec2).filename().string();
      cf.bytes = size_or_zero(p);
      if (cf.blob.empty() || blobs.insert(cf.blob).second) rev.bytes += cf.bytes;
      rev.files.push_back(std::move(cf));
    }
    if (auto r = refs_by_commit.find(rev.commit); r != refs_by_commit.end()) {
      rev.refs = r->second;
      refs_by_commit.erase(r);
    }
    repo.revisions.push_back(std::move(rev));
  }
  std::sort(repo.revisions.begin(), repo.revisions.end(), [](auto& a, auto& b) { return a.commit < b.commit; });
  for (auto& [commit, names] : refs_by_commit)
    for (auto& n : names) repo.dangling_refs.push_back(n + " -> " + commit);
  return repo;
}

std::string cached_revisions_list(const CachedRepo& repo) {
  std::string s;
  for (const auto& rev : repo.revisions) {
    s += s.empty() ? "" : ", ";
    s += rev.commit.substr(0, 12);
    for (const auto& r : rev.refs) s += " " + r;
  }
  return s.empty() ? "none" : s;
}

}  // namespace

fs::path repo_cache_dir(const fs::path& cache, std::string_view id) { return cache / repo_folder_name(id); }

fs::path blob_lock_path(const fs::path& cache, std::string_view id, const std::string& etag) {
  return cache / ".locks" / repo_folder_name(id) / (etag + ".lock");
}

std::optional<std::string> read_ref(const fs::path& repo_dir, const std::string& revision) {
  if (!is_safe_relative_path(revision)) return std::nullopt;
  std::ifstream in(repo_dir / "refs" / revision);
  if (!in) return std::nullopt;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  text = trim(std::move(text));
  if (!is_commit_id(text)) return std::nullopt;
  return text;
}

void write_ref(const fs::path& repo_dir, const std::string& revision, const std::string& commit) {
  ECO_CHECK(is_safe_relative_path(revision) && is_commit_id(commit), "refusing to record revision '{}' -> '{}'", revision,
            commit);
  if (read_ref(repo_dir, revision) == commit) return;
  const fs::path ref = repo_dir / "refs" / revision;
  std::error_code ec;
  fs::create_directories(ref.parent_path(), ec);
  ECO_CHECK(!ec, "{}: cannot create: {}", ref.parent_path().string(), ec.message());
  const fs::path tmp = ref.parent_path() / fmt::format(".{}.tmp-{}", ref.filename().string(), ::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << commit;
    ECO_CHECK(out.good(), "{}: cannot write", tmp.string());
  }
  fs::rename(tmp, ref, ec);
  ECO_CHECK(!ec, "{}: cannot write: {}", ref.string(), ec.message());
}

void link_blob(const fs::path& blob, const fs::path& pointer) {
  std::error_code ec;
  fs::create_directories(pointer.parent_path(), ec);
  ECO_CHECK(!ec, "{}: cannot create: {}", pointer.parent_path().string(), ec.message());
  const fs::path abs_blob = fs::absolute(blob).lexically_normal();
  const fs::path abs_pointer = fs::absolute(pointer).lexically_normal();
  const fs::path target = abs_blob.lexically_relative(abs_pointer.parent_path());
  if (fs::is_symlink(pointer, ec) && fs::read_symlink(pointer, ec) == target) return;
  // A stale link (an older blob, a dangling link) is replaced, as huggingface_hub does.
  if (fs::exists(fs::symlink_status(pointer, ec))) fs::remove(pointer, ec);
  fs::create_symlink(target, pointer, ec);
  if (ec == std::errc::file_exists && fs::equivalent(pointer, blob, ec)) return;  // made by a concurrent process
  ECO_CHECK(!ec, "{}: cannot create the link to {}: {}", pointer.string(), target.string(), ec.message());
}

std::vector<std::string> snapshot_files(const fs::path& snapshot_dir) {
  std::vector<std::string> out;
  for (std::string& f : relative_entries(snapshot_dir)) {
    std::error_code ec;
    if (fs::is_regular_file(snapshot_dir / f, ec)) out.push_back(std::move(f));
  }
  return out;
}

std::vector<CachedRepo> scan_cache(const fs::path& cache) {
  std::vector<CachedRepo> repos;
  std::error_code ec;
  for (auto it = fs::directory_iterator(cache, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code ec2;
    if (!it->is_directory(ec2)) continue;
    const std::string id = repo_id_from_folder(it->path().filename().string());
    if (!id.empty()) repos.push_back(scan_repo(it->path(), id));
  }
  std::sort(repos.begin(), repos.end(), [](auto& a, auto& b) { return a.id < b.id; });
  return repos;
}

Removal remove_from_cache(const fs::path& cache, const RepoRef& ref) {
  const fs::path dir = repo_cache_dir(cache, ref.id);
  std::error_code ec;
  ECO_CHECK(fs::is_directory(dir, ec), "'{}' is not in the cache ({} does not exist; `ecoinfer cache list` shows what is)",
            ref.id, dir.string());
  const CachedRepo repo = scan_repo(dir, ref.id);
  Removal out;
  std::string commit;
  if (ref.revision_given) {
    commit = is_commit_id(ref.revision) ? ref.revision : read_ref(dir, ref.revision).value_or("");
    const bool cached = std::any_of(repo.revisions.begin(), repo.revisions.end(), [&](auto& r) { return r.commit == commit; });
    ECO_CHECK(cached, "revision '{}' of '{}' is not in the cache (cached: {})", ref.revision, ref.id,
              cached_revisions_list(repo));
  }
  if (!ref.revision_given || repo.revisions.size() == 1) {
    // The whole repository, or its only snapshot: the folder goes, with partial downloads
    // and the blob locks, as if it had never been fetched.
    out.whole_repo = true;
    out.bytes = repo.bytes;
    out.blobs = repo.blobs;
    for (auto& r : repo.revisions) {
      out.commits.push_back(r.commit);
      out.refs.insert(out.refs.end(), r.refs.begin(), r.refs.end());
    }
    fs::remove_all(dir, ec);
    ECO_CHECK(!ec, "{}: cannot remove: {}", dir.string(), ec.message());
    fs::remove_all(cache / ".locks" / repo_folder_name(ref.id), ec);
    return out;
  }
  // Blobs the other snapshots still use stay.
  std::set<std::string> kept;
  const CachedRevision* rev = nullptr;
  for (auto& r : repo.revisions) {
    if (r.commit == commit) rev = &r;
    else
      for (auto& f : r.files) kept.insert(f.blob);
  }
  fs::remove_all(dir / "snapshots" / commit, ec);
  ECO_CHECK(!ec, "{}: cannot remove: {}", (dir / "snapshots" / commit).string(), ec.message());
  out.commits.push_back(commit);
  for (const std::string& r : rev->refs) {
    fs::remove(dir / "refs" / r, ec);
    out.refs.push_back(r);
  }
  std::set<std::string> gone;
  for (auto& f : rev->files) {
    if (f.blob.empty() || kept.count(f.blob) || !gone.insert(f.blob).second) continue;
    const fs::path b = dir / "blobs" / f.blob;
    const uint64_t n = size_or_zero(b);
    if (fs::remove(b, ec)) {
      out.bytes += n;
      ++out.blobs;
    }
  }
  return out;
}

}  // namespace ecoinfer::hub
