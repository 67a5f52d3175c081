#include "hub/http_client.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>

#include "hub/transfer_progress.h"

namespace ecoinfer::hub {

namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxBody = 16u << 20;     // API answers are kilobytes
constexpr size_t kMaxErrorBody = 4096;     // kept from a refused download, for its message
constexpr const char* kUserAgent = "ecoinfer/0.1.0 (huggingface_hub-compatible; libcurl)";

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return std::string(s);
}

// Retried: the server did not answer, or answered "later". A host name that does not
// resolve is not retried (no network, or a typo): waiting would not change it.
bool retryable_curl_error(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

bool retryable_status(long status) { return status == 429 || status == 500 || status == 502 || status == 503 || status == 504; }

// One transfer's state, shared with libcurl's callbacks.
struct Transfer {
  HttpResponse* answer = nullptr;
  // Download only.
  int fd = -1;
  uint64_t offset = 0;           // bytes in the file when this attempt started
  uint64_t written = 0;          // bytes written by this attempt
  bool body_started = false;
  bool range_mismatch = false;   // a 206 that does not start where the file ends
  int write_errno = 0;
  CURL* curl = nullptr;
  TransferProgress* progress = nullptr;
};

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    t->answer->headers.clear();  // a new response (after a redirect or a 100 Continue)
  } else if (const size_t colon = line.find(':'); colon != std::string_view::npos) {
    t->answer->headers.emplace_back(lower(std::string(line.substr(0, colon))), trim(line.substr(colon + 1)));
  }
  return size * n;
}

size_t on_body_to_memory(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  if (t->answer->body.size() + size * n > kMaxBody) return 0;  // aborts with CURLE_WRITE_ERROR
  t->answer->body.append(data, size * n);
  return size * n;
}

// "bytes START-END/TOTAL" -> START.
std::optional<uint64_t> content_range_start(const std::optional<std::string>& v) {
  if (!v || v->rfind("bytes ", 0) != 0) return std::nullopt;
  try {
    return std::stoull(v->substr(6));
  } catch (...) {
    return std::nullopt;
  }
}

size_t on_body_to_file(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t len = size * n;
  if (!t->body_started) {
    t->body_started = true;
    long status = 0;
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
    t->answer->status = status;
    if (status == 200 && t->offset > 0) {
      // The server ignored the Range header and sends the whole file: start over.
      if (ftruncate(t->fd, 0) != 0) {
        t->write_errno = errno;
        return 0;
      }
      t->offset = 0;
    } else if (status == 206 && content_range_start(t->answer->header("content-range")) != t->offset) {
      t->range_mismatch = true;
      return 0;
    }
  }
  if (t->answer->status != 200 && t->answer->status != 206) {
    // A refusal's body is kept (capped) for the message, never written to the file.
    const size_t keep = std::min(len, kMaxErrorBody - std::min(kMaxErrorBody, t->answer->body.size()));
    t->answer->body.append(data, keep);
    return len;
  }
  size_t done = 0;
  while (done < len) {
    const ssize_t w = ::write(t->fd, data + done, len - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      t->write_errno = errno;
      return 0;
    }
    done += static_cast<size_t>(w);
  }
  t->written += len;
  if (t->progress) t->progress->update(t->offset + t->written);
  return len;
}

std::string describe_curl_error(CURLcode rc, const char* errbuf) {
  return errbuf[0] ? std::string(errbuf) : std::string(curl_easy_strerror(rc));
}

uint64_t file_size_or_zero(const fs::path& p) {
  std::error_code ec;
  const auto s = fs::file_size(p, ec);
  return ec ? 0 : s;
}

// RAII for curl_slist.
struct HeaderList {
  curl_slist* list = nullptr;
  void add(const std::string& h) { list = curl_slist_append(list, h.c_str()); }
  ~HeaderList() { curl_slist_free_all(list); }
};

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  const std::string key = lower(std::string(name));
  for (auto it = headers.rbegin(); it != headers.rend(); ++it)
    if (it->first == key) return it->second;
  return std::nullopt;
}

std::string url_origin(const std::string& url) {
  CURLU* u = curl_url();
  std::string origin;
  if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    char *scheme = nullptr, *host = nullptr, *port = nullptr;
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK && curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
      origin = lower(std::string(scheme) + "://" + host + ":" + port);
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
  }
  curl_url_cleanup(u);
  return origin;
}

std::string url_quote(std::string_view s, bool keep_slash) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    const bool unreserved = std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/');
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

HttpClient::HttpClient(const HubConfig& cfg) : cfg_(cfg) {
  global_init();
  curl_ = curl_easy_init();
  ECO_CHECK(curl_ != nullptr, "cannot initialise libcurl");
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

bool HttpClient::sends_token_to(const std::string& url) const {
  const std::string o = url_origin(url);
  return !cfg_.token.empty() && !o.empty() && o == url_origin(cfg_.endpoint);
}

std::string HttpClient::redact(std::string text) const {
  if (cfg_.token.empty()) return text;
  for (size_t at = text.find(cfg_.token); at != std::string::npos; at = text.find(cfg_.token, at + 3))
    text.replace(at, cfg_.token.size(), "***");
  return text;
}

void HttpClient::sleep_before_retry(int attempt, const HttpResponse* answer, const std::string& what, const std::string& why) {
  double wait = std::min(cfg_.retry_wait_max_s, cfg_.retry_wait_s * std::pow(2.0, attempt));
  // Retry-After in seconds (the Hub's 429 and 503 may carry it), within reason.
  if (answer)
    if (auto ra = answer->header("retry-after")) {
      try {
        wait = std::clamp(std::stod(*ra), wait, std::max(wait, 60.0));
      } catch (...) {
      }
    }
  std::fprintf(stderr, "ecoinfer: %s: %s; retrying in %.1f s (attempt %d of %d)\n", what.c_str(), redact(why).c_str(), wait,
               attempt + 2, cfg_.max_retries + 1);
  std::this_thread::sleep_for(std::chrono::duration<double>(wait));
}

HttpResponse HttpClient::request(std::string_view method, const std::string& url, int retries) {
  if (retries < 0) retries = cfg_.max_retries;
  CURL* h = static_cast<CURL*>(curl_);
  for (int attempt = 0;; ++attempt) {
    HttpResponse r;
    r.url = url;
    Transfer t;
    t.answer = &r;
    char errbuf[CURL_ERROR_SIZE] = {};
    HeaderList headers;
    headers.add("Accept-Encoding: identity");  // sizes in headers are the real file sizes
    if (sends_token_to(url)) headers.add("Authorization: Bearer " + cfg_.token);
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, kUserAgent);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.list);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(cfg_.metadata_timeout_s * 1000));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(cfg_.metadata_timeout_s * 1000));
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body_to_memory);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
    if (method == "HEAD") curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    const CURLcode rc = curl_easy_perform(h);
    if (rc == CURLE_OK) {
      curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
      if (!retryable_status(r.status) || attempt >= retries) return r;
      sleep_before_retry(attempt, &r, std::string(method) + " " + url, fmt::format("HTTP {}", r.status));
      continue;
    }
    ECO_CHECK(rc != CURLE_WRITE_ERROR, "{} {}: the answer is larger than {} bytes", method, url, kMaxBody);
    const std::string why = describe_curl_error(rc, errbuf);
    if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY)
      throw Unreachable(fmt::format("cannot reach {}: {}", url, redact(why)));
    if (!retryable_curl_error(rc)) fail("{} {}: {}", method, url, redact(why));
    if (attempt >= retries)
      throw Unreachable(fmt::format("cannot reach {}: {} ({} attempt{})", url, redact(why), attempt + 1, attempt ? "s" : ""));
    sleep_before_retry(attempt, nullptr, std::string(method) + " " + url, why);
  }
}

HttpResponse HttpClient::download(const std::string& url, const fs::path& file, std::optional<uint64_t> expected_size,
                                  const std::string& label) {
  CURL* h = static_cast<CURL*>(curl_);
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  ECO_CHECK(fd >= 0, "{}: cannot open for writing: {}", file.string(), std::strerror(errno));
  struct CloseFd {
    int fd;
    ~CloseFd() { ::close(fd); }
  } closer{fd};
  TransferProgress progress("downloading " + label, expected_size, cfg_.progress);
  const long stall_s = std::max(1L, static_cast<long>(std::ceil(cfg_.download_timeout_s)));
  for (int attempt = 0;; ++attempt) {
    HttpResponse r;
    r.url = url;
    Transfer t;
    t.answer = &r;
    t.fd = fd;
    t.curl = h;
    t.progress = &progress;
    t.offset = file_size_or_zero(file);
    if (expected_size && t.offset > *expected_size) {
      // Longer than the file can be: not a prefix of it. Start over.
      ECO_CHECK(ftruncate(fd, 0) == 0, "{}: cannot truncate: {}", file.string(), std::strerror(errno));
      t.offset = 0;
    }
    if (expected_size && t.offset == *expected_size) {
      r.status = 200;  // complete already (an earlier attempt or process got every byte)
      return r;
    }
    char errbuf[CURL_ERROR_SIZE] = {};
    HeaderList headers;
    if (sends_token_to(url)) headers.add("Authorization: Bearer " + cfg_.token);
    if (t.offset > 0) headers.add(fmt::format("Range: bytes={}-", t.offset));
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, kUserAgent);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.list);
    // libcurl drops a custom Authorization header when a redirect leaves the host and port.
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, stall_s);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);  // fewer than 1 byte/s ...
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, stall_s);  // ... for this long ends the attempt
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body_to_file);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
    progress.update(t.offset);
    const CURLcode rc = curl_easy_perform(h);
    if (!t.body_started) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
    if (t.write_errno == ENOSPC || t.write_errno == EDQUOT)
      throw DiskFull(fmt::format("disk full while writing {} ({}); free some space or set HF_HUB_CACHE to a larger "
                                 "disk (the {} downloaded so far are kept and the download resumes from there)",
                                 file.string(), std::strerror(t.write_errno), human_bytes(file_size_or_zero(file))));
    ECO_CHECK(t.write_errno == 0, "{}: cannot write: {}", file.string(), std::strerror(t.write_errno));
    std::string why;
    if (t.range_mismatch) {
      // The answer does not continue the partial file: drop it and download it whole.
      ECO_CHECK(ftruncate(fd, 0) == 0, "{}: cannot truncate: {}", file.string(), std::strerror(errno));
      why = "the server answered the Range request with another range";
    } else if (rc == CURLE_OK && r.status == 416 && t.offset > 0) {
      ECO_CHECK(ftruncate(fd, 0) == 0, "{}: cannot truncate: {}", file.string(), std::strerror(errno));
      why = "the server refused to resume (HTTP 416)";
    } else if (rc == CURLE_OK && (r.status == 200 || r.status == 206)) {
      const uint64_t have = file_size_or_zero(file);
      if (!expected_size || have == *expected_size) {
        ECO_CHECK(::fsync(fd) == 0 || errno == EINVAL, "{}: cannot flush to disk: {}", file.string(), std::strerror(errno));
        progress.finish();
        return r;
      }
      why = fmt::format("the transfer ended at {} of {} bytes", have, *expected_size);
    } else if (rc == CURLE_OK && !retryable_status(r.status)) {
      progress.finish();
      return r;  // a refusal (401, 403, 404, ...): the caller says what it means
    } else if (rc == CURLE_OK) {
      why = fmt::format("HTTP {}", r.status);
    } else if (retryable_curl_error(rc)) {
      why = describe_curl_error(rc, errbuf);
    } else {
      fail("downloading {} from {}: {}", label, url, redact(describe_curl_error(rc, errbuf)));
    }
    if (attempt >= cfg_.max_retries) {
      progress.finish();
      throw Unreachable(fmt::format("downloading {} from {} failed {} times, last: {} ({} of the file are kept in {}; "
                                    "the next try resumes from there)",
                                    label, url, attempt + 1, redact(why), human_bytes(file_size_or_zero(file)), file.string()));
    }
    progress.finish();
    sleep_before_retry(attempt, &r, "downloading " + label, why);
  }
}

}  // namespace ecoinfer::hub
