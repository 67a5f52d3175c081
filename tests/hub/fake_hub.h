#pragma once
// A local Hugging Face Hub for tests: two cpp-httplib servers on 127.0.0.1, the Hub itself
// (the model API and resolve endpoints, with huggingface_hub's headers and error codes)
// and a "CDN" on another port that large (LFS) files redirect to, as on huggingface.co.
// Faults are armed per file: a 5xx answer, a connection dropped halfway, corrupted bytes.
// Every request is logged (method, path, Range, whether a token came) for the tests.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace ecoinfer::test {

struct FakeFile {
  std::string content;
  bool lfs = false;                        // served through a redirect to the CDN; blob id = sha256
  std::optional<uint64_t> advertised_size; // X-Linked-Size to announce instead of the real one
};

enum class Access { open, gated, private_repo };

struct LoggedRequest {
  std::string server;   // "hub" or "cdn"
  std::string method, path, range;
  bool token = false;   // an Authorization header came
};

class FakeHub {
 public:
  // `token`: the one access token that opens gated and private repositories.
  explicit FakeHub(std::string token = "");
  ~FakeHub();
  FakeHub(const FakeHub&) = delete;
  FakeHub& operator=(const FakeHub&) = delete;

  std::string endpoint() const;  // http://127.0.0.1:PORT

  // A repository with one commit that `revision` (a branch or tag) points to. Returns the
  // commit id. Adding files to an existing id adds a commit and moves `revision` to it.
  std::string add_repo(const std::string& id, std::map<std::string, FakeFile> files, Access access = Access::open,
                       const std::string& revision = "main");

  // Faults. `path_part` is matched against request paths (e.g. a blob id or "/api/").
  void fail_next(const std::string& path_part, int status, int times);  // answer `status` instead
  void drop_next(const std::string& path_part, size_t after_bytes);     // close the connection mid-body, once
  void corrupt_next(const std::string& path_part);                       // flip a byte of the body, once
  void throttle(size_t bytes_per_second);                                // CDN bodies, from now on

  // The Hub stops answering (connections refused), as when the network is gone.
  void stop_hub();

  std::vector<LoggedRequest> requests() const;
  // Requests whose method matches and whose path contains `path_part`.
  int count(const std::string& method, const std::string& path_part) const;

 private:
  struct Repo {
    Access access = Access::open;
    std::map<std::string, std::string> refs;  // revision -> commit
    std::map<std::string, std::map<std::string, FakeFile>> commits;
  };
  struct Fault {
    std::string path_part;
    int status = 0;      // > 0: answer with it
    int times = 0;
    long drop_after = -1;
    bool corrupt = false;
  };

  std::string token_;
  mutable std::mutex mu_;
  std::map<std::string, Repo> repos_;
  std::map<std::string, FakeFile> blobs_;  // by sha256, for the CDN
  std::vector<Fault> faults_;
  std::vector<LoggedRequest> log_;
  size_t bytes_per_second_ = 0;
  std::unique_ptr<httplib::Server> hub_, cdn_;
  std::thread hub_thread_, cdn_thread_;
  int hub_port_ = 0, cdn_port_ = 0;

  void setup_hub();
  void setup_cdn();
  // Takes the first armed fault matching `path`; the fault is used up.
  std::optional<Fault> take_fault(const std::string& path);
};

// Git's id of a file: what the Hub sends as the ETag of a small (non-LFS) file, and so the
// name of its blob in the cache.
std::string git_blob_id(const std::string& content);

// The files of a Hugging Face-style model folder as a repository: model.onnx as a large
// (LFS) file, config.json and preprocessor_config.json as small ones. `onnx_prefix`
// ("onnx/") places the ONNX file as Optimum exports do.
std::map<std::string, FakeFile> model_repo_files(const std::filesystem::path& folder, const std::string& onnx_prefix = "");

// Every file, link and folder below `root`, as sorted '/'-separated relative paths, links
// marked " -> target".
std::vector<std::string> tree(const std::filesystem::path& root);

}  // namespace ecoinfer::test
