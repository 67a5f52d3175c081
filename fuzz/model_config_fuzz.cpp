// Fuzzes the model folder's JSON parsers: config.json's id2label and
// preprocessor_config.json (every Hugging Face key ecoinfer reads), then the output size the
// parsed resize/crop settings give. ecoinfer::Error is the expected outcome for bad text;
// anything else (a crash, a sanitizer report, another exception) is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "model/model_folder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto labels = ecoinfer::parse_labels_text(text, "fuzz/config.json");
    ecoinfer::duplicate_labels(labels);
  } catch (const ecoinfer::Error&) {
  }
  // Both starting points load_model uses: a model with a fixed input size and one whose
  // height and width are dynamic.
  for (int side : {0, 224}) {
    try {
      ecoinfer::Preprocessing base;
      base.height = base.width = side;
      const ecoinfer::Preprocessing p = ecoinfer::parse_preprocessor_config_text(text, "fuzz/preprocessor_config.json", base);
      ecoinfer::fixed_output_size(p);
    } catch (const ecoinfer::Error&) {
    }
  }
  return 0;
}
