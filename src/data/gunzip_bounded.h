#pragma once
// gzip decompression with the output bounded before it is produced: a decompression bomb
// stops at the bound instead of filling memory (docs/resource-policy.md).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ecoinfer {

// Whether the bytes start with the gzip magic (1f 8b).
bool is_gzip(const uint8_t* data, size_t size);

// Decompresses gzip data (concatenated members too; trailing non-gzip bytes are ignored, as
// gzip does) and stops once max_out bytes are produced: the result holds at most max_out
// bytes, so ask for one more than expected to detect a stream that holds too much. Errors
// name `name`: corrupt data, or a stream that ends early (a truncated file).
std::vector<uint8_t> gunzip_bounded(const uint8_t* data, size_t size, uint64_t max_out, const std::string& name);

}  // namespace ecoinfer
