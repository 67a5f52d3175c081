#pragma once
// Where the Hub is, who we are to it, and where its files are kept: the environment
// variables huggingface_hub reads, with its defaults, so both share one cache.
#include <filesystem>
#include <string>

namespace ecoinfer::hub {

struct HubConfig {
  std::string endpoint = "https://huggingface.co";  // HF_ENDPOINT (no trailing '/')
  // HF_TOKEN (else HUGGING_FACE_HUB_TOKEN, else the file HF_TOKEN_PATH or HF_HOME/token that
  // `huggingface-cli login` writes). Sent as a Bearer header to the endpoint's own host only;
  // never printed, logged or stored.
  std::string token;
  // HF_HUB_CACHE (else HUGGINGFACE_HUB_CACHE, else HF_HOME/hub; HF_HOME defaults to
  // XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface).
  std::filesystem::path cache_dir;
  bool offline = false;             // HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE): 1, ON, YES or TRUE
  double metadata_timeout_s = 10;   // HF_HUB_ETAG_TIMEOUT: whole API and HEAD requests
  double download_timeout_s = 10;   // HF_HUB_DOWNLOAD_TIMEOUT: connecting, or no byte for this long
  int max_retries = 5;              // after a connection error, a timeout, 429 or 5xx
  double retry_wait_s = 1;          // first wait; doubles each time up to retry_wait_max_s
  double retry_wait_max_s = 8;
  bool progress = true;             // a progress bar when stderr is a terminal (HF_HUB_DISABLE_PROGRESS_BARS)
};

// The configuration from the process environment. Errors name the variable at fault.
HubConfig config_from_environment();

// huggingface_hub's reading of a boolean variable: 1, ON, YES, TRUE (any case) are true.
bool env_flag_is_true(const char* value);

}  // namespace ecoinfer::hub
