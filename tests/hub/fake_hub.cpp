#include "hub/fake_hub.h"

#include <httplib.h>
#include <openssl/evp.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "hub/sha256.h"

namespace ecoinfer::test {

namespace {

std::string hex_digest(const EVP_MD* md, const std::string& bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), out, &len, md, nullptr);
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  for (unsigned int i = 0; i < len; ++i) {
    s += digits[out[i] >> 4];
    s += digits[out[i] & 15];
  }
  return s;
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

std::string git_blob_id(const std::string& content) {
  return hex_digest(EVP_sha1(), "blob " + std::to_string(content.size()) + std::string(1, '\0') + content);
}

std::map<std::string, FakeFile> model_repo_files(const std::filesystem::path& folder, const std::string& onnx_prefix) {
  std::map<std::string, FakeFile> files;
  files[onnx_prefix + "model.onnx"] = FakeFile{read_file(folder / "model.onnx"), true, std::nullopt};
  for (const char* f : {"config.json", "preprocessor_config.json"}) files[f] = FakeFile{read_file(folder / f), false, std::nullopt};
  return files;
}

std::vector<std::string> tree(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string line = it->path().lexically_relative(root).generic_string();
    if (it->is_symlink()) line += " -> " + fs::read_symlink(it->path()).generic_string();
    else if (it->is_directory()) line += "/";
    out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

FakeHub::FakeHub(std::string token) : token_(std::move(token)), hub_(std::make_unique<httplib::Server>()), cdn_(std::make_unique<httplib::Server>()) {
  setup_hub();
  setup_cdn();
  hub_port_ = hub_->bind_to_any_port("127.0.0.1");
  cdn_port_ = cdn_->bind_to_any_port("127.0.0.1");
  hub_thread_ = std::thread([this] { hub_->listen_after_bind(); });
  cdn_thread_ = std::thread([this] { cdn_->listen_after_bind(); });
  // The sockets listen from bind on; this only waits for the accept loops to start.
  while (!hub_->is_running() || !cdn_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakeHub::~FakeHub() {
  stop_hub();
  cdn_->stop();
  if (cdn_thread_.joinable()) cdn_thread_.join();
}

void FakeHub::stop_hub() {
  hub_->stop();
  if (hub_thread_.joinable()) hub_thread_.join();
}

std::string FakeHub::endpoint() const { return "http://127.0.0.1:" + std::to_string(hub_port_); }

std::string FakeHub::add_repo(const std::string& id, std::map<std::string, FakeFile> files, Access access,
                              const std::string& revision) {
  std::lock_guard lk(mu_);
  Repo& r = repos_[id];
  r.access = access;
  const std::string commit = hex_digest(EVP_sha1(), id + "@" + revision + "#" + std::to_string(r.commits.size()));
  for (auto& [path, f] : files)
    if (f.lfs) blobs_[hub::sha256_bytes(f.content)] = f;
  r.commits[commit] = std::move(files);
  r.refs[revision] = commit;
  return commit;
}

void FakeHub::fail_next(const std::string& path_part, int status, int times) {
  std::lock_guard lk(mu_);
  faults_.push_back({path_part, status, times, -1, false});
}

void FakeHub::drop_next(const std::string& path_part, size_t after_bytes) {
  std::lock_guard lk(mu_);
  faults_.push_back({path_part, 0, 1, static_cast<long>(after_bytes), false});
}

void FakeHub::corrupt_next(const std::string& path_part) {
  std::lock_guard lk(mu_);
  faults_.push_back({path_part, 0, 1, -1, true});
}

void FakeHub::throttle(size_t bytes_per_second) {
  std::lock_guard lk(mu_);
  bytes_per_second_ = bytes_per_second;
}

std::optional<FakeHub::Fault> FakeHub::take_fault(const std::string& path) {
  std::lock_guard lk(mu_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (path.find(it->path_part) == std::string::npos) continue;
    Fault f = *it;
    if (--it->times <= 0) faults_.erase(it);
    return f;
  }
  return std::nullopt;
}

std::vector<LoggedRequest> FakeHub::requests() const {
  std::lock_guard lk(mu_);
  return log_;
}

int FakeHub::count(const std::string& method, const std::string& path_part) const {
  std::lock_guard lk(mu_);
  int n = 0;
  for (const auto& r : log_) n += r.method == method && r.path.find(path_part) != std::string::npos;
  return n;
}

void FakeHub::setup_hub() {
  hub_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard lk(mu_);
      log_.push_back({"hub", req.method, req.path, req.get_header_value("Range"), req.has_header("Authorization")});
    }
    if (auto f = take_fault(req.path); f && f->status > 0) {
      res.status = f->status;
      res.set_content("fault injected by the test", "text/plain");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Who may see a repository: 401 without a token, 403 with another one, as the Hub
  // answers for gated files and private repositories.
  auto denied = [this](const Repo& r, const std::string& id, const httplib::Request& req, httplib::Response& res, bool file) {
    const bool has_token = req.has_header("Authorization");
    const bool good = !token_.empty() && req.get_header_value("Authorization") == "Bearer " + token_;
    if (r.access == Access::open || good || (r.access == Access::gated && !file)) return false;
    res.status = has_token ? 403 : 401;
    if (r.access == Access::gated) {
      res.set_header("X-Error-Code", "GatedRepo");
      res.set_header("X-Error-Message", "Access to model " + id + " is restricted. You must have access to it.");
    } else {
      res.set_header("X-Error-Code", "RepoNotFound");
      res.set_header("X-Error-Message", "Repository not found");
    }
    return true;
  };
  auto find_commit = [](const Repo& r, const std::string& rev) -> std::optional<std::string> {
    if (auto it = r.refs.find(rev); it != r.refs.end()) return it->second;
    if (r.commits.count(rev)) return rev;
    return std::nullopt;
  };
  auto not_found = [](httplib::Response& res, const std::string& code, const std::string& msg) {
    res.status = 404;
    res.set_header("X-Error-Code", code);
    res.set_header("X-Error-Message", msg);
  };
  hub_->Get(R"(/api/models/([^/]+/[^/]+)/revision/(.+))", [=, this](const httplib::Request& req, httplib::Response& res) {
    const std::string id = req.matches[1], rev = req.matches[2];
    std::lock_guard lk(mu_);
    auto it = repos_.find(id);
    if (it == repos_.end()) return not_found(res, "RepoNotFound", "Repository not found");
    if (denied(it->second, id, req, res, false)) return;
    const auto commit = find_commit(it->second, rev);
    if (!commit) return not_found(res, "RevisionNotFound", "Invalid rev id: " + rev);
    nlohmann::json siblings = nlohmann::json::array();
    for (auto& [path, f] : it->second.commits.at(*commit)) siblings.push_back({{"rfilename", path}});
    nlohmann::json j = {{"id", id},
                        {"sha", *commit},
                        {"private", it->second.access == Access::private_repo},
                        {"gated", it->second.access == Access::gated ? nlohmann::json("manual") : nlohmann::json(false)},
                        {"siblings", siblings}};
    res.set_content(j.dump(), "application/json");
  });
  // GET and HEAD (cpp-httplib answers HEAD with the GET handler, without the body).
  hub_->Get(R"(/([^/]+/[^/]+)/resolve/([^/]+)/(.+))", [=, this](const httplib::Request& req, httplib::Response& res) {
    const std::string id = req.matches[1], rev = req.matches[2], path = req.matches[3];
    std::lock_guard lk(mu_);
    auto it = repos_.find(id);
    if (it == repos_.end()) return not_found(res, "RepoNotFound", "Repository not found");
    if (denied(it->second, id, req, res, true)) return;
    const auto commit = find_commit(it->second, rev);
    if (!commit) return not_found(res, "RevisionNotFound", "Invalid rev id: " + rev);
    res.set_header("X-Repo-Commit", *commit);
    const auto& files = it->second.commits.at(*commit);
    auto f = files.find(path);
    if (f == files.end()) return not_found(res, "EntryNotFound", path + " does not exist on \"" + rev + "\"");
    if (f->second.lfs) {
      const std::string sha = hub::sha256_bytes(f->second.content);
      res.status = 302;
      res.set_header("Location", "http://127.0.0.1:" + std::to_string(cdn_port_) + "/blobs/" + sha + "?signature=test");
      res.set_header("ETag", quoted(git_blob_id("version https://git-lfs.github.com/spec/v1\noid sha256:" + sha + "\n")));
      res.set_header("X-Linked-Etag", quoted(sha));
      res.set_header("X-Linked-Size", std::to_string(f->second.advertised_size.value_or(f->second.content.size())));
      return;
    }
    res.set_header("ETag", quoted(git_blob_id(f->second.content)));
    res.set_content(f->second.content, "application/octet-stream");
  });
}

void FakeHub::setup_cdn() {
  cdn_->Get(R"(/blobs/([0-9a-f]{64}))", [this](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard lk(mu_);
      log_.push_back({"cdn", req.method, req.path, req.get_header_value("Range"), req.has_header("Authorization")});
    }
    const std::optional<Fault> fault = take_fault(req.path);
    if (fault && fault->status > 0) {
      res.status = fault->status;
      return;
    }
    auto content = std::make_shared<std::string>();
    size_t bps = 0;
    {
      std::lock_guard lk(mu_);
      auto it = blobs_.find(req.matches[1]);
      if (it == blobs_.end()) {
        res.status = 404;
        return;
      }
      *content = it->second.content;
      bps = bytes_per_second_;
    }
    if (fault && fault->corrupt) (*content)[content->size() / 2] ^= 0x5a;
    const long drop = fault ? fault->drop_after : -1;
    res.set_content_provider(content->size(), "application/octet-stream",
                             [content, drop, bps](size_t off, size_t len, httplib::DataSink& sink) {
                               size_t n = std::min<size_t>(len, 32 * 1024);
                               if (drop >= 0 && off + n > static_cast<size_t>(drop)) {
                                 if (off < static_cast<size_t>(drop)) sink.write(content->data() + off, drop - off);
                                 return false;  // cpp-httplib closes the connection mid-body
                               }
                               if (bps) std::this_thread::sleep_for(std::chrono::microseconds(n * 1000000 / bps));
                               sink.write(content->data() + off, n);
                               return true;
                             });
  });
}

}  // namespace ecoinfer::test
