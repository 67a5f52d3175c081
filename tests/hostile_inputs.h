#pragma once
// Hostile inputs made at test time (issue 11): gzip data and gzip bombs through zlib.
#include <zlib.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace ecoinfer::test {

inline std::vector<uint8_t> gzip_bytes(const std::vector<uint8_t>& data) {
  z_stream zs{};
  if (deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  std::vector<uint8_t> out(deflateBound(&zs, data.size()));
  zs.next_in = const_cast<Bytef*>(data.data());
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate");
  return out;
}

// `members` gzip members of 1 MiB of zeros each (about 1 KiB compressed apiece): a bomb of
// `members` MiB that costs next to nothing to make.
inline std::vector<uint8_t> zero_members(int members) {
  const std::vector<uint8_t> one = gzip_bytes(std::vector<uint8_t>(1 << 20));
  std::vector<uint8_t> out;
  out.reserve(one.size() * static_cast<size_t>(members));
  for (int i = 0; i < members; ++i) out.insert(out.end(), one.begin(), one.end());
  return out;
}

}  // namespace ecoinfer::test
