#include "hub/hub_config.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>

#include "core/error.h"

namespace ecoinfer::hub {

namespace fs = std::filesystem;

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// `~` and `~/...` as Python's os.path.expanduser reads them (HOME).
fs::path expand_user(const std::string& p) {
  if (p == "~" || p.rfind("~/", 0) == 0) {
    const std::string home = env("HOME");
    if (!home.empty()) return fs::path(home) / p.substr(std::min<size_t>(2, p.size()));
  }
  return p;
}

std::string trim(std::string s) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

double seconds_from_env(const char* name, double fallback) {
  const std::string v = env(name);
  if (v.empty()) return fallback;
  double s = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), s);
  ECO_CHECK(ec == std::errc() && end == v.data() + v.size() && s > 0 && s <= 86400,
            "{}='{}' must be a number of seconds in (0, 86400]", name, v);
  return s;
}

// The token file holds one line; its absence is normal (no login).
std::string read_token_file(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return {};
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return trim(line);
}

}  // namespace

bool env_flag_is_true(const char* value) {
  if (!value) return false;
  std::string v = trim(value);
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return v == "1" || v == "ON" || v == "YES" || v == "TRUE";
}

HubConfig config_from_environment() {
  HubConfig c;
  if (std::string e = trim(env("HF_ENDPOINT")); !e.empty()) {
    ECO_CHECK(e.rfind("http://", 0) == 0 || e.rfind("https://", 0) == 0,
              "HF_ENDPOINT='{}' must start with http:// or https://", e);
    while (!e.empty() && e.back() == '/') e.pop_back();
    c.endpoint = e;
  }
  fs::path home;
  if (std::string h = env("HF_HOME"); !h.empty()) home = expand_user(h);
  else if (std::string x = env("XDG_CACHE_HOME"); !x.empty()) home = expand_user(x) / "huggingface";
  else home = expand_user("~/.cache/huggingface");
  if (std::string d = env("HF_HUB_CACHE"); !d.empty()) c.cache_dir = expand_user(d);
  else if (std::string d2 = env("HUGGINGFACE_HUB_CACHE"); !d2.empty()) c.cache_dir = expand_user(d2);
  else c.cache_dir = home / "hub";

  c.token = trim(env("HF_TOKEN"));
  if (c.token.empty()) c.token = trim(env("HUGGING_FACE_HUB_TOKEN"));
  if (c.token.empty()) {
    const std::string path = env("HF_TOKEN_PATH");
    c.token = read_token_file(path.empty() ? home / "token" : expand_user(path));
  }
  c.offline = env_flag_is_true(std::getenv("HF_HUB_OFFLINE")) || env_flag_is_true(std::getenv("TRANSFORMERS_OFFLINE"));
  c.metadata_timeout_s = seconds_from_env("HF_HUB_ETAG_TIMEOUT", c.metadata_timeout_s);
  c.download_timeout_s = seconds_from_env("HF_HUB_DOWNLOAD_TIMEOUT", c.download_timeout_s);
  c.progress = !env_flag_is_true(std::getenv("HF_HUB_DISABLE_PROGRESS_BARS"));
  return c;
}

}  // namespace ecoinfer::hub
