#pragma once
// HTTP for the Hub, over libcurl: requests and resumable downloads with timeouts, retries
// with exponential backoff on connection errors, timeouts, 429 and 5xx, and the token sent
// to the Hub's own host only (never to a CDN a large file redirects to).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "hub/hub_config.h"

namespace ecoinfer::hub {

struct HttpResponse {
  long status = 0;
  std::string url;                                            // the URL asked for
  std::vector<std::pair<std::string, std::string>> headers;   // names in lowercase, in order
  std::string body;                                           // capped (see HttpClient)
  std::optional<std::string> header(std::string_view name) const;  // the last value of a header
};

// No answer from the server even after the retries: connection refused or dropped, name
// not resolved, timeout. Callers may fall back to the cache.
class Unreachable : public Error {
 public:
  using Error::Error;
};

// The disk filled while writing a download (ENOSPC, EDQUOT).
class DiskFull : public Error {
 public:
  using Error::Error;
};

class HttpClient {
 public:
  explicit HttpClient(const HubConfig& cfg);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // GET or HEAD, redirects not followed, the whole request within the metadata timeout.
  // Connection errors, timeouts, 429 and 5xx are retried up to `retries` times (-1: the
  // configured number); the last answer is returned whatever its status; Unreachable when
  // there was none. Bodies over 16 MiB are an error (API answers are kilobytes).
  HttpResponse request(std::string_view method, const std::string& url, int retries = -1);

  // GETs `url` into `file`, appending from the file's current size with a Range request
  // (a partial file of an earlier attempt or process resumes), following redirects.
  // Dropped connections, stalls, 429 and 5xx resume after a backoff. Returns the final
  // answer: 200 or 206 when `file` is complete (its size is `expected_size` when given),
  // else the refusing status with the start of its body. `label` names the file in the
  // progress bar and in messages.
  HttpResponse download(const std::string& url, const std::filesystem::path& file,
                        std::optional<uint64_t> expected_size, const std::string& label);

  // Whether the token goes with a request to `url`: same scheme, host and port as the endpoint.
  bool sends_token_to(const std::string& url) const;

  // `text` with every occurrence of the token replaced by "***", for any text that came
  // from a server and may end up in a message.
  std::string redact(std::string text) const;

  const HubConfig& config() const { return cfg_; }

 private:
  HubConfig cfg_;
  void* curl_ = nullptr;  // CURL*, reused so that connections are kept alive

  void sleep_before_retry(int attempt, const HttpResponse* answer, const std::string& what, const std::string& why);
};

// The origin (scheme://host:port, lowercase, default port filled in) of an http(s) URL;
// empty when it cannot be parsed.
std::string url_origin(const std::string& url);

// Percent-encodes a path for a URL: every byte except unreserved characters and, when
// `keep_slash`, '/'.
std::string url_quote(std::string_view s, bool keep_slash);

}  // namespace ecoinfer::hub
