#include "hub/sha256.h"

#include <openssl/evp.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <vector>

#include "core/error.h"

namespace ecoinfer::hub {

namespace {

struct Digest {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
  Digest() { ECO_CHECK(ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1, "cannot initialise SHA-256"); }
  void add(const void* p, size_t n) { ECO_CHECK(EVP_DigestUpdate(ctx.get(), p, n) == 1, "SHA-256 update failed"); }
  std::string hex() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    ECO_CHECK(EVP_DigestFinal_ex(ctx.get(), md, &len) == 1, "SHA-256 final failed");
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
      out += digits[md[i] >> 4];
      out += digits[md[i] & 15];
    }
    return out;
  }
};

}  // namespace

std::string sha256_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  ECO_CHECK(in.good(), "{}: cannot open to check its sha256", file.string());
  Digest d;
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (in.gcount() > 0) d.add(buf.data(), static_cast<size_t>(in.gcount()));
  }
  ECO_CHECK(in.eof(), "{}: read error while checking its sha256", file.string());
  return d.hex();
}

std::string sha256_bytes(std::string_view bytes) {
  Digest d;
  d.add(bytes.data(), bytes.size());
  return d.hex();
}

bool is_sha256_hex(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace ecoinfer::hub
