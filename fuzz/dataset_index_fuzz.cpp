// libFuzzer target: the dataset index readers on arbitrary bytes. The first byte picks the
// reader: 0 MNIST idx (images and labels, raw or gzip: bytes 1-4 say where the images end),
// 1 CIFAR-10 batch, 2 CIFAR-100 batch, 3 list-file text. A reader must either build a
// dataset whose every item loads, or throw ecoinfer::Error; it must never crash, read out
// of bounds or allocate beyond the (here 8 MiB) size limit.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/error.h"
#include "data/dataset_index.h"

namespace {

constexpr uint64_t kFuzzMaxBytes = uint64_t{8} << 20;

void load_some(const ecoinfer::Dataset& d) {
  // First and last items, in both channel layouts: the records' bounds are what matter.
  for (size_t i : {size_t{0}, d.size() / 2, d.size() - 1}) {
    if (i >= d.size()) continue;
    for (int c : {1, 3}) {
      ecoinfer::Image img = d.load(i, c);
      if (img.pixels.size() != size_t(img.width) * img.height * img.channels) __builtin_trap();
    }
    (void)d.label(i);
    (void)d.item_name(i);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t mode = data[0] % 4;
  const uint8_t* p = data + 1;
  const size_t n = size - 1;
  try {
    if (mode == 0) {
      if (n < 4) return 0;
      uint32_t split = 0;
      std::memcpy(&split, p, 4);
      const size_t rest = n - 4;
      split = rest ? split % (rest + 1) : 0;
      std::vector<uint8_t> images(p + 4, p + 4 + split), labels(p + 4 + split, p + n);
      load_some(*ecoinfer::mnist_from_bytes(std::move(images), "images", std::move(labels), "labels", kFuzzMaxBytes));
    } else if (mode == 1 || mode == 2) {
      std::vector<std::vector<uint8_t>> files{std::vector<uint8_t>(p, p + n)};
      load_some(*ecoinfer::cifar_from_bytes(std::move(files), {"batch.bin"}, mode == 2, {}, kFuzzMaxBytes));
    } else {
      for (const ecoinfer::ListLine& l :
           ecoinfer::parse_list_text(std::string_view(reinterpret_cast<const char*>(p), n), "list.txt"))
        if (l.path.empty() || l.label.empty() || l.line < 1) __builtin_trap();
    }
  } catch (const ecoinfer::Error&) {
  }
  return 0;
}
