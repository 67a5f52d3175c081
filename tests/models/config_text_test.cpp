// config.json and preprocessor_config.json parsed from text, as the fuzz target
// fuzz_model_config drives them: bad text ends in ecoinfer::Error naming the file and the key,
// never in another exception. Every file of the fuzz corpus (fuzz/corpus_model_config, which
// holds each crash the fuzzer found) is replayed here, so a fixed finding stays fixed in the
// ordinary test suite too.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/error.h"
#include "model/model_folder.h"
#include "test_paths.h"

namespace ecoinfer::test {
namespace {

namespace fs = std::filesystem;

std::string parse_error(const std::string& text) {
  try {
    parse_preprocessor_config_text(text, "p/preprocessor_config.json", Preprocessing{});
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

// Found by the 30-minute run of fuzz_model_config (2026-12-02, 1.4 M executions): a
// non-string image_processor_type beside a legacy integer size threw nlohmann's type_error.
TEST(ConfigText, ProcessorTypeMustBeAString) {
  const std::string e = parse_error(R"({"do_resize": true, "size": 224, "image_processor_type": true})");
  EXPECT_NE(e.find("p/preprocessor_config.json: 'image_processor_type' must be a string"), std::string::npos) << e;
  const std::string f = parse_error(R"({"do_resize": true, "size": 224, "feature_extractor_type": 7})");
  EXPECT_NE(f.find("'feature_extractor_type' must be a string"), std::string::npos) << f;
  // A string still chooses how the legacy integer is read: ConvNeXt's as the shortest edge.
  const Preprocessing convnext =
      parse_preprocessor_config_text(R"({"do_resize": true, "size": 224, "image_processor_type": "ConvNextImageProcessor"})",
                                     "p/preprocessor_config.json", Preprocessing{});
  EXPECT_EQ(convnext.size_mode, Preprocessing::Size::shortest_edge);
  EXPECT_EQ(convnext.shortest_edge, 224);
  const Preprocessing vit = parse_preprocessor_config_text(R"({"do_resize": true, "size": 224})", "p/preprocessor_config.json",
                                                           Preprocessing{});
  EXPECT_NE(vit.size_mode, Preprocessing::Size::shortest_edge);
}

TEST(ConfigText, EveryFuzzCorpusFileEndsInAResultOrAnEcoinferError) {
  int files = 0;
  for (const auto& e : fs::directory_iterator(source_dir() / "fuzz/corpus_model_config")) {
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    SCOPED_TRACE(e.path().filename().string());
    ++files;
    try {
      duplicate_labels(parse_labels_text(text, "c/config.json"));
    } catch (const Error&) {
    }
    for (int side : {0, 224}) {
      try {
        Preprocessing base;
        base.height = base.width = side;
        fixed_output_size(parse_preprocessor_config_text(text, "c/preprocessor_config.json", base));
      } catch (const Error&) {
      }
    }
  }
  EXPECT_GE(files, 20);
}

}  // namespace
}  // namespace ecoinfer::test
