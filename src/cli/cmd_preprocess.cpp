// ecoinfer preprocess (MODEL | --config preprocessor_config.json) IMAGE [IMAGE…] --out FILE.npy
// Writes exactly the batch the model would see (float32, NCHW) as a NumPy .npy file.
#include <cstdio>
#include <cstring>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "core/error.h"
#include "data/checked_file.h"
#include "data/npy.h"
#include "data/preprocess.h"

namespace ecoinfer::cli {

namespace {
// Whether a path names a JPEG or PNG image (by its first bytes): the model was forgotten.
bool is_image(const std::string& path) {
  try {
    CheckedFile f(path, kMaxImageFileBytes, "file");
    uint8_t b[8] = {};
    const size_t n = f.read_some(b, sizeof b);
    return (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) || (n == 8 && std::memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0);
  } catch (const Error&) {
    return false;  // a folder (a model folder), or missing: load_model says what is wrong
  }
}
}  // namespace

void add_preprocess_command(CLI::App& app) {
  struct Args {
    std::vector<std::string> inputs;
    std::string config, out;
    bool grayscale = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "preprocess", "write the model's input batch for some images (float32 NCHW .npy), as its image processor makes it");
  cmd->add_option("INPUTS", args->inputs, "MODEL IMAGE [IMAGE…], or IMAGE [IMAGE…] with --config")->required();
  cmd->add_option("--config", args->config, "a preprocessor_config.json to use instead of a model folder");
  cmd->add_option("--out", args->out, "output .npy file")->required();
  cmd->add_flag("--grayscale", args->grayscale, "with --config: produce single-channel images");
  cmd->callback([args] {
    Preprocessing pre;
    std::vector<std::string> images = args->inputs;
    if (!args->config.empty()) {
      pre = parse_preprocessor_config(args->config, pre);
      if (args->grayscale) pre.channels = 1;
      auto fix = [&](std::vector<float>& v, const char* what) {
        if (v.size() == 1) v.assign(pre.channels, v[0]);
        ECO_CHECK(static_cast<int>(v.size()) == pre.channels, "{}: '{}' has {} values for {} channel(s)", args->config,
                  what, v.size(), pre.channels);
      };
      fix(pre.mean, "image_mean");
      fix(pre.std, "image_std");
    } else {
      ECO_CHECK(images.size() >= 2, "preprocess: give a model and at least one image (or --config FILE and images)");
      ECO_CHECK(!is_image(images.front()),
                "preprocess: {} is an image, but the first argument must be the model (ecoinfer preprocess MODEL "
                "IMAGE... --out X.npy, or --config preprocessor_config.json IMAGE... --out X.npy)",
                images.front());
      pre = load_model(images.front()).pre;
      images.erase(images.begin());
    }
    ECO_CHECK(!images.empty(), "preprocess: no images given");
    Tensor batch;
    int64_t per_image = 0;
    for (size_t i = 0; i < images.size(); ++i) {
      Image img = apply_geometry(read_image(images[i], pre.channels), pre);
      if (i == 0) {
        batch = Tensor::empty(DType::f32, {static_cast<int64_t>(images.size()), pre.channels, img.height, img.width});
        per_image = int64_t(pre.channels) * img.height * img.width;
      }
      ECO_CHECK(img.height == batch.dim(2) && img.width == batch.dim(3),
                "{}: preprocesses to {}x{} (WxH) but {} gave {}x{}; one batch needs one size (set a crop or an exact "
                "size)",
                images[i], img.width, img.height, images[0], batch.dim(3), batch.dim(2));
      image_to_tensor(img, pre, batch.data<float>() + i * per_image, images[i]);
    }
    write_npy(args->out, batch);
    std::printf("wrote %s: float32 [%lld, %d, %lld, %lld]\n", args->out.c_str(), static_cast<long long>(batch.dim(0)),
                pre.channels, static_cast<long long>(batch.dim(2)), static_cast<long long>(batch.dim(3)));
  });
}

}  // namespace ecoinfer::cli
