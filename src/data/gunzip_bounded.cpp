#include "data/gunzip_bounded.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

#include "core/error.h"

namespace ecoinfer {

bool is_gzip(const uint8_t* data, size_t size) { return size >= 2 && data[0] == 0x1f && data[1] == 0x8b; }

std::vector<uint8_t> gunzip_bounded(const uint8_t* data, size_t size, uint64_t max_out, const std::string& name) {
  z_stream zs{};
  // 16 + MAX_WBITS: gzip framing only (header and CRC-32 checked by zlib).
  ECO_CHECK(inflateInit2(&zs, 16 + MAX_WBITS) == Z_OK, "{}: cannot initialise zlib", name);
  struct End {
    z_stream* z;
    ~End() { inflateEnd(z); }
  } end{&zs};
  std::vector<uint8_t> out;
  size_t in_pos = 0;
  constexpr size_t kChunk = size_t{1} << 20;
  for (;;) {
    if (out.size() >= max_out) break;
    // Grow in chunks: the memory held follows the bytes actually produced, never a size
    // the data only claims.
    const size_t want = static_cast<size_t>(std::min<uint64_t>(kChunk, max_out - out.size()));
    const size_t have = out.size();
    out.resize(have + want);
    zs.next_out = out.data() + have;
    zs.avail_out = static_cast<uInt>(want);
    const size_t in_now = std::min<size_t>(size - in_pos, UINT_MAX);
    zs.next_in = const_cast<Bytef*>(data + in_pos);
    zs.avail_in = static_cast<uInt>(in_now);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    in_pos += in_now - zs.avail_in;
    out.resize(have + (want - zs.avail_out));
    if (rc == Z_STREAM_END) {
      // Another member follows only when the gzip magic does; anything else is trailing junk.
      if (!is_gzip(data + in_pos, size - in_pos)) break;
      ECO_CHECK(inflateReset(&zs) == Z_OK, "{}: cannot reset zlib", name);
      continue;
    }
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR && zs.avail_out > 0 && in_pos >= size)
      fail("{}: truncated gzip data (the compressed stream ends early, after {} decompressed bytes)", name, out.size());
    if (rc == Z_BUF_ERROR) continue;  // no progress possible this round only because the output was full
    // The message is copied here, while the stream (which owns it) is still alive.
    const std::string msg = zs.msg ? zs.msg : rc == Z_MEM_ERROR ? "out of memory" : "error " + std::to_string(rc);
    fail("{}: corrupt gzip data: {}", name, msg);
  }
  return out;
}

}  // namespace ecoinfer
