#pragma once
// SHA-256 of files (OpenSSL's libcrypto): the id of a large-file (LFS) blob on the Hub.
#include <filesystem>
#include <string>
#include <string_view>

namespace ecoinfer::hub {

// Lowercase hexadecimal digest of the file's bytes.
std::string sha256_file(const std::filesystem::path& file);
std::string sha256_bytes(std::string_view bytes);

// 64 lowercase hexadecimal digits: how the Hub names an LFS blob (its sha256).
bool is_sha256_hex(std::string_view s);

}  // namespace ecoinfer::hub
