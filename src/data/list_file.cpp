// List files: one "path<TAB>label" per line.
#include <cstring>

#include "core/error.h"
#include "data/dataset_index.h"
#include "data/gunzip_bounded.h"

namespace ecoinfer {

namespace {

// What binary data given as a list file most likely is, for the error message.
std::string describe_binary(std::string_view t) {
  auto starts = [&](const char* m, size_t n) { return t.size() >= n && std::memcmp(t.data(), m, n) == 0; };
  if (starts("\xFF\xD8\xFF", 3)) return "a JPEG image";
  if (starts("\x89PNG\r\n\x1a\n", 8)) return "a PNG image";
  if (is_gzip(reinterpret_cast<const uint8_t*>(t.data()), t.size())) return "gzip data";
  if (starts("\x93NUMPY", 6)) return "a NumPy .npy file";
  return "binary data";
}

}  // namespace

std::string printable(std::string_view s, size_t max_chars) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (out.size() >= max_chars) {
      out += fmt::format("… ({} more bytes)", s.size() - i);
      break;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\t') out += "\\t";
    else if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
    else out += fmt::format("\\x{:02x}", c);
  }
  return out;
}

std::vector<ListLine> parse_list_text(std::string_view text, const std::string& name) {
  // A NUL byte never occurs in a text list; images, models and archives nearly always hold one.
  if (text.find('\0') != std::string_view::npos || describe_binary(text) != "binary data")
    fail("{}: is {}, not a list file (text lines 'path<TAB>label'); --data takes a folder of class subfolders, MNIST "
         "idx files, CIFAR .bin batches or a list file",
         name, describe_binary(text));
  std::vector<ListLine> out;
  size_t pos = 0;
  for (int n = 1; pos < text.size(); ++n) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.rfind('\t');
    ECO_CHECK(tab != std::string_view::npos && tab > 0 && tab + 1 < line.size(),
              "{}:{}: expected 'path<TAB>label', got '{}'", name, n, printable(line));
    out.push_back({n, std::string(line.substr(0, tab)), std::string(line.substr(tab + 1))});
  }
  return out;
}

}  // namespace ecoinfer
