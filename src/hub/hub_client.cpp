#include "hub/hub_client.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "hub/cache.h"
#include "hub/file_lock.h"
#include "hub/sha256.h"
#include "hub/transfer_progress.h"

namespace ecoinfer::hub {

namespace fs = std::filesystem;

namespace {

// The ETag header as a file name: W/ and quotes removed (huggingface_hub's _normalize_etag).
std::string normalize_etag(std::string e) {
  if (e.rfind("W/", 0) == 0) e = e.substr(2);
  e.erase(std::remove(e.begin(), e.end(), '"'), e.end());
  return e;
}

// A blob id becomes a file name under blobs/: it must be one harmless path component.
bool is_safe_blob_name(const std::string& e) {
  return !e.empty() && e.size() <= 128 && e[0] != '.' &&
         std::all_of(e.begin(), e.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'; });
}

std::optional<uint64_t> parse_size(const std::optional<std::string>& v) {
  if (!v || v->empty() || !std::all_of(v->begin(), v->end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  try {
    return std::stoull(*v);
  } catch (...) {
    return std::nullopt;
  }
}

uint64_t size_or_zero(const fs::path& p) {
  std::error_code ec;
  const auto s = fs::file_size(p, ec);
  return ec ? 0 : s;
}

// Refuses a download the disk cannot hold, before a byte is fetched.
void check_free_space(const fs::path& dir, uint64_t need, const std::string& what) {
  struct statvfs st {};
  if (::statvfs(dir.c_str(), &st) != 0) return;  // unknown: the write itself will tell
  const uint64_t avail = static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
  if (avail < need)
    throw DiskFull(fmt::format("not enough disk space for {}: it needs {} more, {} has {} free; free some space or set "
                               "HF_HUB_CACHE to a larger disk",
                               what, human_bytes(need), dir.string(), human_bytes(avail)));
}

}  // namespace

HubClient::HubClient(HubConfig cfg) : cfg_(std::move(cfg)), http_(cfg_) {}

Snapshot HubClient::from_cache(const RepoRef& ref, const std::string& reason) const {
  Snapshot s;
  s.ref = ref;
  s.repo_dir = repo_cache_dir(cfg_.cache_dir, ref.id);
  s.cache_only_reason = reason;
  std::error_code ec;
  ECO_CHECK(fs::is_directory(s.repo_dir, ec), "{}: '{}' is not in the cache ({} does not exist); fetch it once with network access: ecoinfer pull {}",
            reason, ref.id, s.repo_dir.string(), ref.str());
  if (is_commit_id(ref.revision)) {
    s.commit = ref.revision;
  } else {
    const auto c = read_ref(s.repo_dir, ref.revision);
    ECO_CHECK(c.has_value(), "{}: revision '{}' of '{}' is not in the cache ({} is missing); fetch it once with network access: ecoinfer pull {}",
              reason, ref.revision, ref.id, (s.repo_dir / "refs" / ref.revision).string(), ref.str());
    s.commit = *c;
  }
  s.dir = s.repo_dir / "snapshots" / s.commit;
  ECO_CHECK(fs::is_directory(s.dir, ec), "{}: snapshot {} of '{}' is not in the cache ({} is missing); fetch it once with network access: ecoinfer pull {}",
            reason, s.commit, ref.id, s.dir.string(), ref.str());
  s.files = snapshot_files(s.dir);
  return s;
}

Snapshot HubClient::resolve(const RepoRef& ref) {
  if (cfg_.offline) return from_cache(ref, "HF_HUB_OFFLINE is set");
  const std::string url = cfg_.endpoint + "/api/models/" + ref.id + "/revision/" + url_quote(ref.revision, false);
  // With the revision cached, a Hub that does not answer at once is not waited for.
  const fs::path repo_dir = repo_cache_dir(cfg_.cache_dir, ref.id);
  const std::optional<std::string> cached =
      is_commit_id(ref.revision) ? std::optional<std::string>(ref.revision) : read_ref(repo_dir, ref.revision);
  std::error_code ec;
  const bool have_cache = cached && fs::is_directory(repo_dir / "snapshots" / *cached, ec);
  auto fall_back = [&](const std::string& why) {
    const std::string reason = fmt::format("the Hub at {} could not be reached ({})", cfg_.endpoint, why);
    if (!have_cache)
      throw Unreachable(fmt::format("{} and '{}' is not in the cache {}; check the network and HF_ENDPOINT", reason, ref.str(),
                                    cfg_.cache_dir.string()));
    std::fprintf(stderr, "ecoinfer: note: %s; using the cached snapshot %s of %s\n", http_.redact(reason).c_str(),
                 cached->c_str(), ref.str().c_str());
    return from_cache(ref, reason);
  };
  HttpResponse r;
  try {
    r = http_.request("GET", url, have_cache ? 0 : -1);
  } catch (const Unreachable& e) {
    return fall_back(e.what());
  }
  if (r.status == 429 || r.status >= 500) return fall_back(fmt::format("HTTP {} from {}", r.status, url));
  if (r.status != 200) refuse(r, ref, "");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(r.body);
  } catch (const nlohmann::json::exception& e) {
    fail("{}: the answer is not JSON ({}); is HF_ENDPOINT ({}) a Hugging Face Hub?", url, e.what(), cfg_.endpoint);
  }
  ECO_CHECK(j.is_object() && j.contains("sha") && j["sha"].is_string() && is_commit_id(j["sha"].get<std::string>()),
            "{}: the answer has no commit id ('sha'); is HF_ENDPOINT ({}) a Hugging Face Hub?", url, cfg_.endpoint);
  Snapshot s;
  s.ref = ref;
  s.commit = j["sha"].get<std::string>();
  s.repo_dir = repo_dir;
  s.dir = repo_dir / "snapshots" / s.commit;
  if (j.contains("siblings") && j["siblings"].is_array())
    for (const auto& f : j["siblings"])
      if (f.is_object() && f.contains("rfilename") && f["rfilename"].is_string()) {
        const std::string name = f["rfilename"].get<std::string>();
        // A name that could leave the snapshot folder is never fetched (nor listed).
        if (is_safe_relative_path(name)) s.files.push_back(name);
      }
  std::sort(s.files.begin(), s.files.end());
  return s;
}

void HubClient::refuse(const HttpResponse& r, const RepoRef& ref, const std::string& file) const {
  const std::string code = r.header("x-error-code").value_or("");
  std::string server = http_.redact(r.header("x-error-message").value_or(""));
  if (server.size() > 300) server = server.substr(0, 300) + "...";
  const std::string said = server.empty() ? "" : fmt::format(", \"{}\"", server);
  const bool token = http_.sends_token_to(cfg_.endpoint);
  const std::string tokens_page = cfg_.endpoint + "/settings/tokens";
  if (code == "RevisionNotFound")
    fail("revision '{}' does not exist in '{}' (HTTP {}{}); name a branch, tag or commit id of the repository: {}@REVISION",
         ref.revision, ref.id, r.status, said, ref.id);
  if (code == "GatedRepo") {
    if (!token)
      fail("'{}' is a gated model (HTTP {}{}): accept its conditions on {}/{} with your account, then set HF_TOKEN to an "
           "access token of that account ({})",
           ref.id, r.status, said, cfg_.endpoint, ref.id, tokens_page);
    fail("'{}' is a gated model and the token in HF_TOKEN does not give access to it (HTTP {}{}): accept its conditions on "
         "{}/{} with the token's account, or use a token with read access ({})",
         ref.id, r.status, said, cfg_.endpoint, ref.id, tokens_page);
  }
  if (r.status == 401 || r.status == 403) {
    if (!token)
      fail("'{}' was not found at {}, or it is private or gated (HTTP {}{}): check the id; for a private or gated model "
           "set HF_TOKEN to an access token with read access ({})",
           ref.id, cfg_.endpoint, r.status, said, tokens_page);
    fail("'{}' was not found at {}, or the token in HF_TOKEN cannot read it (HTTP {}{}): check the id and the token's "
         "access ({})",
         ref.id, cfg_.endpoint, r.status, said, tokens_page);
  }
  if (r.status == 404 && (code == "EntryNotFound" || (!file.empty() && code != "RepoNotFound")))
    fail("'{}' has no file '{}' at revision {} (HTTP 404{})", ref.id, file, ref.revision, said);
  if (r.status == 404)
    fail("repository '{}' was not found at {} (HTTP 404{}): check the id, as on the model's page ({}/{}); a private "
         "repository also needs HF_TOKEN",
         ref.id, cfg_.endpoint, said, cfg_.endpoint, ref.id);
  fail("{}{}: HTTP {} from {}{}", ref.str(), file.empty() ? "" : " " + file, r.status, r.url, said);
}

FetchedFile HubClient::fetch(const Snapshot& s, const std::string& file) {
  ECO_CHECK(is_safe_relative_path(file), "'{}': not a file path inside a repository", file);
  FetchedFile out;
  out.path = file;
  out.local = s.dir / file;
  std::error_code ec;
  if (fs::is_regular_file(out.local, ec)) {  // snapshots are immutable: present means done
    out.bytes = size_or_zero(out.local);
    return out;
  }
  ECO_CHECK(s.cache_only_reason.empty(), "{}: {} of '{}' (commit {}) is not in the cache ({} is missing); fetch it once with network access: ecoinfer pull {}",
            s.cache_only_reason, file, s.ref.id, s.commit, out.local.string(), s.ref.str());
  // HEAD for the blob id, size and location; relative redirects (a renamed repository)
  // are followed here, absolute ones point at the CDN that serves large files.
  std::string url = cfg_.endpoint + "/" + s.ref.id + "/resolve/" + s.commit + "/" + url_quote(file, true);
  std::string location;
  HttpResponse head;
  for (int hops = 0;; ++hops) {
    head = http_.request("HEAD", url);
    if (head.status < 300 || head.status >= 400) break;
    location = head.header("location").value_or("");
    ECO_CHECK(!location.empty(), "HEAD {}: HTTP {} without a Location", url, head.status);
    if (location[0] != '/') break;
    ECO_CHECK(hops < 10, "HEAD {}: too many redirects", url);
    const std::string origin_end = url.substr(0, url.find('/', url.find("://") + 3));
    url = origin_end + location;
    location.clear();
  }
  if (head.status >= 400) refuse(head, s.ref, file);
  const std::string download_url = location.empty() ? url : location;
  const std::string etag = normalize_etag(head.header("x-linked-etag").value_or(head.header("etag").value_or("")));
  ECO_CHECK(is_safe_blob_name(etag), "HEAD {}: no usable blob id (ETag or X-Linked-Etag: '{}'); is HF_ENDPOINT ({}) a Hugging Face Hub?",
            url, http_.redact(etag), cfg_.endpoint);
  const auto size = parse_size(head.header("x-linked-size").has_value() ? head.header("x-linked-size") : head.header("content-length"));
  ECO_CHECK(size.has_value(), "HEAD {}: no file size (X-Linked-Size or Content-Length)", url);
  if (auto c = head.header("x-repo-commit"))
    ECO_CHECK(*c == s.commit, "HEAD {}: the Hub answered for commit {} instead of {}", url, http_.redact(*c), s.commit);

  const fs::path blobs = s.repo_dir / "blobs";
  const fs::path blob = blobs / etag;
  fs::create_directories(blobs, ec);
  ECO_CHECK(!ec, "{}: cannot create: {}", blobs.string(), ec.message());
  const std::string what = fmt::format("{} of {}", file, s.ref.id);
  {
    // One process downloads a blob at a time; the others wait, then find it in place.
    FileLock lock(blob_lock_path(cfg_.cache_dir, s.ref.id, etag), what);
    if (!fs::exists(blob, ec)) {
      const fs::path partial = blobs / (etag + ".incomplete");
      const uint64_t have = size_or_zero(partial);
      check_free_space(blobs, *size > have ? *size - have : 0, what);
      HttpResponse got = http_.download(download_url, partial, *size, file);
      if (got.status != 200 && got.status != 206) {
        // The Hub's refusals carry its error codes; a CDN's (an expired signed URL) do not.
        if (url_origin(download_url) == url_origin(cfg_.endpoint)) refuse(got, s.ref, file);
        fail("{}: HTTP {} from {}", what, got.status, download_url.substr(0, download_url.find('?')));
      }
      if (is_sha256_hex(etag)) {
        const std::string digest = sha256_file(partial);
        if (digest != etag) {
          fs::remove(partial, ec);
          fail("{}: the downloaded bytes have sha256 {}, but the Hub names the file {}; the download was discarded and "
               "nothing was added to the cache. Try again; if it persists, something between here and {} alters the file",
               what, digest, etag, download_url.substr(0, download_url.find('?')));
        }
      }
      fs::rename(partial, blob, ec);
      ECO_CHECK(!ec, "{}: cannot move into place: {}", blob.string(), ec.message());
      out.downloaded = true;
    }
    link_blob(blob, out.local);
  }
  if (s.ref.revision != s.commit) write_ref(s.repo_dir, s.ref.revision, s.commit);
  out.bytes = size_or_zero(out.local);
  return out;
}

}  // namespace ecoinfer::hub
