#pragma once
// Reading the small JSON files of a Hugging Face model folder (config.json,
// preprocessor_config.json) with the checks every such file gets.
#include <filesystem>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ecoinfer {

// Hugging Face configs are kilobytes (an ImageNet id2label ~40 KB): anything far larger, or
// not a regular file (a FIFO would block, /dev/zero never ends), is refused before reading.
inline constexpr uintmax_t kMaxConfigBytes = 16u << 20;

// Reads and parses `file`; errors name it.
nlohmann::json read_config_json(const std::filesystem::path& file);
// Parses `text`; a syntax error names `file`.
nlohmann::json parse_config_json(std::string_view text, const std::filesystem::path& file);

}  // namespace ecoinfer
