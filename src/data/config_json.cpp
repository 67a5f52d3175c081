#include "data/config_json.h"

#include <fstream>
#include <string>

#include "core/error.h"

namespace ecoinfer {

namespace fs = std::filesystem;

nlohmann::json read_config_json(const fs::path& file) {
  std::error_code ec;
  const fs::file_status st = fs::status(file, ec);
  ECO_CHECK(!ec && fs::is_regular_file(st), "{}: not a regular file", file.string());
  const uintmax_t size = fs::file_size(file, ec);
  ECO_CHECK(!ec, "{}: cannot read the file size: {}", file.string(), ec.message());
  ECO_CHECK(size <= kMaxConfigBytes, "{}: {} bytes is too large for a configuration file (at most {})", file.string(),
            size, kMaxConfigBytes);
  std::ifstream in(file, std::ios::binary);
  ECO_CHECK(in.good(), "{}: cannot open", file.string());
  std::string text(static_cast<size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<size_t>(in.gcount()));
  return parse_config_json(text, file);
}

nlohmann::json parse_config_json(std::string_view text, const fs::path& file) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    fail("{}: invalid JSON: {}", file.string(), e.what());
  }
}

}  // namespace ecoinfer
