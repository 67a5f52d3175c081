// Hostile input on the data and CLI side (issue 11): every case runs the real CLI as a child
// process on inputs made here (gzip bombs through zlib, sparse files, symlink loops, FIFOs,
// NaN models) and checks for a clean error naming the file and the problem, or a correct
// result with what was done said, never a crash, a hang or a huge allocation: the child's
// peak RSS (wait4's ru_maxrss) is checked for the memory cases.
#include <fcntl.h>
#include <onnx/onnx_pb.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <gtest/gtest.h>
#include <regex>

#include "hostile_inputs.h"
#include "test_paths.h"

extern char** environ;

namespace ecoinfer::test {
namespace {

namespace fs = std::filesystem;

constexpr long kMaxRssKib = 512 * 1024;  // the bound for findings 4 and 5

struct ChildRun {
  int status = -1;  // exit status, or 128 + signal
  std::string out;  // stdout and stderr
  long max_rss_kib = 0;
  double seconds = 0;
};

// Runs the CLI with `args` (no shell), stdout+stderr to a file, under a 120 s alarm.
ChildRun run_cli(const std::vector<std::string>& args, const fs::path& scratch) {
  const fs::path out_file = scratch / "cli_output.txt";
  std::vector<std::string> argv_s{"timeout", "-s", "KILL", "120", cli_path().string()};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  ChildRun r;
  const auto t0 = std::chrono::steady_clock::now();
  pid_t pid = -1;
  EXPECT_EQ(posix_spawnp(&pid, "timeout", &fa, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&fa);
  int st = 0;
  rusage ru{};
  // timeout(1) waits for the CLI, and a process's rusage as wait4 reports it covers the
  // children it reaped: ru_maxrss is the larger of timeout's (tiny) and the CLI's peak.
  EXPECT_EQ(::wait4(pid, &st, 0, &ru), pid);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.max_rss_kib = std::max(ru.ru_maxrss, 0L);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  std::ifstream in(out_file, std::ios::binary);
  r.out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return r;
}

std::string be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}
std::string str(const std::vector<uint8_t>& v) { return std::string(v.begin(), v.end()); }
std::vector<uint8_t> bytes(const std::string& s) { return std::vector<uint8_t>(s.begin(), s.end()); }

void write_file(const fs::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary);
  out.write(s.data(), static_cast<std::streamsize>(s.size()));
}

// Output a terminal can show: no control bytes but newline, no invalid UTF-8 (the ellipsis
// and arrows we print are valid UTF-8).
bool printable_output(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n' || (c >= 0x20 && c < 0x7f)) continue;
    if (c >= 0xc2 && c <= 0xf4) {  // a valid multi-byte sequence
      const int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      bool ok = i + len <= s.size();
      for (int k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xc0) == 0x80;
      if (!ok) return false;
      i += len - 1;
      continue;
    }
    return false;
  }
  return true;
}

class HostileData : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ecoinfer_hostile_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  ChildRun cli(const std::vector<std::string>& args) { return run_cli(args, dir_); }
  static std::string demo_model() { return (source_dir() / "demo/resnet20_cifar10").string(); }
  static fs::path demo_image(const std::string& cls, int i = 0) {
    char name[16];
    std::snprintf(name, sizeof name, "%04d.jpg", i);
    return source_dir() / "demo/cifar10-1000" / cls / name;
  }
  // A class-folder dataset: one good demo image per class named.
  fs::path class_folders(const std::vector<std::string>& classes, const std::string& name = "ds") {
    for (auto& c : classes) {
      fs::create_directories(dir_ / name / c);
      fs::copy_file(demo_image("cat"), dir_ / name / c / "0_good.jpg");
    }
    return dir_ / name;
  }
  // An MNIST folder whose image file is `images` (gzipped name) with `n` labels.
  fs::path mnist_folder(const std::string& images, uint32_t n) {
    fs::create_directories(dir_ / "mnist");
    write_file(dir_ / "mnist/t10k-images-idx3-ubyte.gz", images);
    write_file(dir_ / "mnist/t10k-labels-idx1-ubyte.gz",
               str(gzip_bytes(bytes(be32(0x801) + be32(n) + std::string(n, '\1')))));
    return dir_ / "mnist";
  }
  fs::path dir_;
};

void expect_error(const ChildRun& r, const std::string& a, const std::string& b = "") {
  EXPECT_NE(r.status, 0) << r.out;
  EXPECT_LT(r.status, 128) << "crashed: " << r.out;
  EXPECT_NE(r.out.find(a), std::string::npos) << r.out;
  if (!b.empty()) EXPECT_NE(r.out.find(b), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("internal error"), std::string::npos) << r.out;
  EXPECT_TRUE(printable_output(r.out)) << r.out;
}

// --- crashes and resource exhaustion (3, 4, 5) -------------------------------------------

TEST_F(HostileData, TruncatedMnistGzip) {  // finding 3
  std::vector<uint8_t> z = gzip_bytes(bytes(be32(0x803) + be32(40) + be32(28) + be32(28) + std::string(40 * 784, '\7')));
  z.resize(z.size() / 2);
  const fs::path ds = mnist_folder(str(z), 40);
  expect_error(cli({"eval", demo_model(), "--data", ds.string()}), "t10k-images-idx3-ubyte.gz: truncated gzip data");
}

TEST_F(HostileData, GzipBombMnistStaysSmallAndFast) {  // finding 4
  // 4 GiB of zeros in 4096 gzip members of 1 MiB (about 4 MiB on disk) behind a header that
  // declares 10000 images of 28x28 (7.8 MB).
  const std::string bomb =
      str(gzip_bytes(bytes(be32(0x803) + be32(10000) + be32(28) + be32(28)))) + str(zero_members(4096));
  const fs::path ds = mnist_folder(bomb, 10000);
  ChildRun r = cli({"eval", demo_model(), "--data", ds.string()});
  expect_error(r, "t10k-images-idx3-ubyte.gz: holds more than 7840016 bytes (decompressed)");
  EXPECT_LT(r.max_rss_kib, kMaxRssKib);
  EXPECT_LT(r.seconds, 30);
  // The same zeros behind a header declaring 2^32-1 images: refused from the header alone.
  write_file(ds / "t10k-images-idx3-ubyte.gz",
             str(gzip_bytes(bytes(be32(0x803) + be32(0xffffffffu) + be32(28) + be32(28)))) + bomb.substr(0, 1 << 22));
  r = cli({"eval", demo_model(), "--data", ds.string()});
  expect_error(r, "t10k-images-idx3-ubyte.gz: the header declares", "over the 256 MiB limit");
  EXPECT_LT(r.max_rss_kib, kMaxRssKib);
}

TEST_F(HostileData, DevZeroInListAndHugeJunkJpeg) {  // finding 5
  write_file(dir_ / "list.txt", demo_image("cat").string() + "\tcat\n/dev/zero\tcat\n");
  ChildRun r = cli({"eval", demo_model(), "--data", (dir_ / "list.txt").string()});
  expect_error(r, "/dev/zero: is a character device, not an image file");
  EXPECT_LT(r.max_rss_kib, kMaxRssKib);
  r = cli({"eval", demo_model(), "--data", (dir_ / "list.txt").string(), "--skip-bad-images", "--json"});
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("\"skipped_images\": 1"), std::string::npos) << r.out;
  EXPECT_LT(r.max_rss_kib, kMaxRssKib);

  // A 1.5 GB sparse file named .jpg in a class folder.
  const fs::path ds = class_folders({"cat", "dog"});
  {
    std::ofstream(ds / "cat/1_huge.jpg") << "\xff\xd8\xff";
  }
  fs::resize_file(ds / "cat/1_huge.jpg", 1500000000);
  r = cli({"eval", demo_model(), "--data", ds.string()});
  expect_error(r, (ds / "cat/1_huge.jpg").string() + ": the image file is 1.4 GiB (1500000000 bytes), over the 256 MiB "
                                                     "limit");
  EXPECT_LT(r.max_rss_kib, kMaxRssKib);
  r = cli({"eval", demo_model(), "--data", ds.string(), "--skip-bad-images", "--json"});
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("\"skipped_images\": 1"), std::string::npos) << r.out;
  EXPECT_LT(r.max_rss_kib, kMaxRssKib);
  // A FIFO named .jpg: refused at once, not waited on.
  fs::remove(ds / "cat/1_huge.jpg");
  ASSERT_EQ(::mkfifo((ds / "cat/2_fifo.jpg").c_str(), 0600), 0);
  r = cli({"eval", demo_model(), "--data", ds.string()});
  expect_error(r, "2_fifo.jpg: is a FIFO (named pipe), not an image file");
  EXPECT_LT(r.seconds, 60);
}

TEST_F(HostileData, SymlinkLoops) {  // finding 25
  const fs::path ds = class_folders({"cat", "dog"});
  fs::create_symlink("loop.jpg", ds / "cat/loop.jpg");
  ChildRun r = cli({"eval", demo_model(), "--data", ds.string()});
  expect_error(r, (ds / "cat/loop.jpg").string(), "Too many levels of symbolic links");
  r = cli({"eval", demo_model(), "--data", ds.string(), "--skip-bad-images", "--json"});
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("\"skipped_images\": 1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"images\": 2"), std::string::npos) << r.out;
  // A loop among the class folders themselves: the layout cannot be told without it.
  fs::remove(ds / "cat/loop.jpg");
  fs::create_symlink("bird", ds / "bird");
  r = cli({"eval", demo_model(), "--data", ds.string()});
  expect_error(r, (ds / "bird").string() + ": cannot tell what it is: Too many levels of symbolic links",
               "--skip-bad-images");
  r = cli({"eval", demo_model(), "--data", ds.string(), "--skip-bad-images"});
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("note: skipped " + (ds / "bird").string()), std::string::npos) << r.out;
}

// --- NaN, infinities and numbers on the command line (6, 11, 15, 29) ---------------------

TEST_F(HostileData, BenchRefusesNonFiniteDurations) {  // finding 6
  for (const char* flag : {"--seconds", "--warmup"})
    for (const char* v : {"nan", "inf", "-inf", "NaN"}) {
      ChildRun r = cli({"bench", demo_model(), flag, v, "--threads", "1"});
      expect_error(r, std::string(flag) + ": " + v + " is not a finite number");
      EXPECT_LT(r.seconds, 30) << flag << " " << v;
    }
}

TEST_F(HostileData, PreprocessingFlagsRejectWhatTheConfigRejects) {  // finding 11
  const fs::path ds = class_folders({"cat"});
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--std", "0"}, "--std: must not be 0"},
      {{"--std", "nan"}, "--std: nan is not a finite number"},
      {{"--std", "0.2,0,0.2"}, "--std: must not be 0"},
      {{"--mean", "inf"}, "--mean: inf is not a finite number"},
      {{"--mean", "0.5,nan,0.5"}, "--mean: nan is not a finite number"},
      {{"--scale", "0"}, "--scale: 0 must be greater than 0"},
      {{"--scale", "-1"}, "--scale: -1 must be greater than 0"},
      {{"--scale", "nan"}, "--scale: nan is not a finite number"},
  };
  for (auto& [flags, message] : cases) {
    std::vector<std::string> args{"eval", demo_model(), "--data", ds.string()};
    args.insert(args.end(), flags.begin(), flags.end());
    expect_error(cli(args), message);
  }
  // A valid --scale is applied: 0.5/255 halves every pixel, so the accuracy changes.
  ChildRun plain = cli({"eval", demo_model(), "--data", (source_dir() / "demo/cifar10-1000").string(), "--limit", "50", "--json"});
  ChildRun scaled = cli({"eval", demo_model(), "--data", (source_dir() / "demo/cifar10-1000").string(), "--limit", "50",
                    "--json", "--scale", "0.0019607843"});
  ASSERT_EQ(plain.status, 0) << plain.out;
  ASSERT_EQ(scaled.status, 0) << scaled.out;
  EXPECT_NE(nlohmann::json::parse(plain.out)["top1"], nlohmann::json::parse(scaled.out)["top1"]);
}

TEST_F(HostileData, MeterRefusesNonFiniteFactorsBeforeRunning) {  // finding 15
  for (const char* flag : {"--ram-w-per-gb", "--carbon-intensity", "--cpu-tdp", "--cpu-idle-fraction"}) {
    ChildRun r = cli({"meter", flag, "nan", "--csv", (dir_ / "e.csv").string(), "--", "touch", (dir_ / "ran").string()});
    expect_error(r, std::string(flag) + ": nan is not a finite number");
    EXPECT_FALSE(fs::exists(dir_ / "ran")) << flag;
    EXPECT_FALSE(fs::exists(dir_ / "e.csv")) << flag;
  }
}

TEST_F(HostileData, NumberErrorsAreShortAndSayWhatIsWrong) {  // finding 29
  const fs::path ds = class_folders({"cat"});
  expect_error(cli({"eval", demo_model(), "--data", ds.string(), "--batch", "abc"}), "--batch: 'abc' is not a whole number");
  expect_error(cli({"eval", demo_model(), "--data", ds.string(), "--batch", "0"}), "--batch: 0 is below the minimum, 1");
  expect_error(cli({"eval", demo_model(), "--data", ds.string(), "--limit", "1.5"}), "--limit: '1.5' is not a whole number");
  expect_error(cli({"eval", demo_model(), "--data", ds.string(), "--threads", "99999999999999999999"}),
               "--threads: 99999999999999999999 is out of range");
  for (auto args : std::vector<std::vector<std::string>>{{"meter", "--ram-w-per-gb", "-1", "--", "true"},
                                                         {"meter", "--cpu-tdp", "0", "--", "true"},
                                                         {"bench", demo_model(), "--seconds", "1e9"}}) {
    ChildRun r = cli(args);
    EXPECT_NE(r.status, 0) << r.out;
    EXPECT_FALSE(std::regex_search(r.out, std::regex("[0-9]{25}"))) << r.out;  // no 309-digit DBL_MAX
  }
  expect_error(cli({"bench", demo_model(), "--seconds", "1e9"}), "--seconds: 1e9 is above the maximum, 86400");
}

// --- silent wrong answers (10, 14, 16) ----------------------------------------------------

// A bare .onnx taking [N,3,32,32] whose logits are all NaN (Flatten -> MatMul by NaN weights).
void write_nan_model(const fs::path& file) {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(17);
  auto* g = m.mutable_graph();
  g->set_name("nan");
  auto* in = g->add_input();
  in->set_name("x");
  auto* tt = in->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  tt->mutable_shape()->add_dim()->set_dim_param("batch");
  for (int d : {3, 32, 32}) tt->mutable_shape()->add_dim()->set_dim_value(d);
  g->add_output()->set_name("logits");
  auto* w = g->add_initializer();
  w->set_name("w");
  w->set_data_type(onnx::TensorProto::FLOAT);
  w->add_dims(3072);
  w->add_dims(10);
  for (int i = 0; i < 3072 * 10; ++i) w->add_float_data(std::nanf(""));
  auto* f = g->add_node();
  f->set_op_type("Flatten");
  f->add_input("x");
  f->add_output("flat");
  auto* mm = g->add_node();
  mm->set_op_type("MatMul");
  mm->add_input("flat");
  mm->add_input("w");
  mm->add_output("logits");
  write_file(file, m.SerializeAsString());
}

TEST_F(HostileData, NaNLogitsScoreAsWrongAndAreCounted) {  // finding 10
  write_nan_model(dir_ / "nan.onnx");
  std::string list;
  for (int i = 0; i < 4; ++i) list += demo_image("airplane", i).string() + "\t0\n";  // class 0: what NaN used to win
  write_file(dir_ / "list.txt", list);
  ChildRun r = cli({"eval", (dir_ / "nan.onnx").string(), "--data", (dir_ / "list.txt").string(), "--json", "--threads", "1"});
  ASSERT_EQ(r.status, 0) << r.out;
  const std::string json = r.out.substr(r.out.find('{'), r.out.rfind('}') - r.out.find('{') + 1);
  auto j = nlohmann::json::parse(json);
  EXPECT_EQ(j["top1"].get<double>(), 0.0);
  EXPECT_EQ(j["top5"].get<double>(), 0.0);
  EXPECT_EQ(j["nan_rows"].get<int>(), 4);
  EXPECT_NE(r.out.find("warning: 4 of 4 image(s) gave NaN logits"), std::string::npos) << r.out;
}

TEST_F(HostileData, NoFolderMatchesId2labelIsRefusedUnlessAsked) {  // finding 14
  const fs::path ds = class_folders({"Cat", "Dog"});
  ChildRun r = cli({"eval", demo_model(), "--data", ds.string()});
  expect_error(r, "no class-folder name is one of the model's id2label labels", "--labels-by-folder-order");
  EXPECT_NE(r.out.find("folder 'Cat' differs from label 'cat'"), std::string::npos) << r.out;
  r = cli({"eval", demo_model(), "--data", ds.string(), "--labels-by-folder-order", "--json"});
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("labels follow sorted folder order (--labels-by-folder-order): Cat -> 0, Dog -> 1"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\"labels\": \"sorted folder order\""), std::string::npos) << r.out;
}

TEST_F(HostileData, LimitTakesEveryClass) {  // finding 16
  ChildRun r = cli({"eval", demo_model(), "--data", (source_dir() / "demo/cifar10-1000").string(), "--limit", "30",
               "--json"});
  ASSERT_EQ(r.status, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["images"].get<int>(), 30);
  EXPECT_EQ(j["subset"].get<std::string>(), "30 of 1000 images: the first 3 of each of 10 classes");
  // A ResNet-20 (91% on CIFAR-10) is neither perfect nor at chance on 3 images per class;
  // the first 30 images (all airplanes) gave 0.97 before.
  EXPECT_GT(j["top1"].get<double>(), 0.6);
  r = cli({"eval", demo_model(), "--data", (source_dir() / "demo/cifar10-1000").string(), "--limit", "30"});
  EXPECT_NE(r.out.find("subset    30 of 1000 images: the first 3 of each of 10 classes"), std::string::npos) << r.out;
}

// --- unclear messages (23, 26, 27, 28, 30, 31) --------------------------------------------

TEST_F(HostileData, GrayscaleOnAnRgbModelSaysSo) {  // finding 23
  const fs::path ds = class_folders({"cat"});
  expect_error(cli({"eval", demo_model(), "--data", ds.string(), "--grayscale"}),
               "--grayscale, but the model's input 'pixel_values' takes 3 channels (RGB)");
}

TEST_F(HostileData, DataThatIsNoDataset) {  // finding 26
  fs::create_directories(dir_ / "a_folder");
  write_file(dir_ / "list.txt", (dir_ / "a_folder").string() + "\tcat\n");
  expect_error(cli({"eval", demo_model(), "--data", (dir_ / "list.txt").string()}),
               (dir_ / "a_folder").string() + ": is a directory, not an image file");
  expect_error(cli({"eval", demo_model(), "--data", demo_model() + "/model.onnx"}), "model.onnx: is an ONNX model, not a dataset");
  expect_error(cli({"eval", demo_model(), "--data", demo_image("cat").string()}), "0000.jpg: is a JPEG image, not a list file");
  fs::copy_file(demo_model() + "/model.onnx", dir_ / "weights.bin.txt");
  expect_error(cli({"eval", demo_model(), "--data", (dir_ / "weights.bin.txt").string()}), "is binary data, not a list file");
  expect_error(cli({"eval", demo_model(), "--data", "/dev/null"}), "/dev/null: is a character device");
}

TEST_F(HostileData, CacheOnAnExistingFile) {  // finding 27
  const fs::path ds = class_folders({"cat"});
  write_file(dir_ / "cache_file", "x");
  ChildRun r = cli({"eval", demo_model(), "--data", ds.string(), "--cache", (dir_ / "cache_file").string()});
  expect_error(r, "cache_file: --cache must name a folder; this path exists and is not one");
  EXPECT_EQ(r.out.find("Success"), std::string::npos) << r.out;
}

TEST_F(HostileData, UnknownCommandsListTheCommands) {  // finding 28
  ChildRun r = cli({"evaluate"});
  expect_error(r, "unknown command 'evaluate' (did you mean 'eval'?)", "commands:");
  for (const char* c : {"inspect", "eval", "infer", "bench", "meter", "preprocess", "optimize"})
    EXPECT_NE(r.out.find(std::string("\n  ") + c + " "), std::string::npos) << c << "\n" << r.out;
  expect_error(cli({"--frobnicate"}), "unknown option '--frobnicate'", "commands:");
  expect_error(cli({}), "no command given", "commands:");
  r = cli({"help"});
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("eval"), std::string::npos) << r.out;
  r = cli({"help", "bench"});
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("--seconds"), std::string::npos) << r.out;
}

TEST_F(HostileData, MeterReportsTheSignalAndChecksOutputsFirst) {  // finding 30
  ChildRun r = cli({"meter", "--", "sh", "-c", "kill -KILL $$"});
  EXPECT_EQ(r.status, 128 + 9) << r.out;
  EXPECT_NE(r.out.find("(killed by signal 9 (SIGKILL))"), std::string::npos) << r.out;
  r = cli({"meter", "--json", "--no-series", "--", "sh", "-c", "kill -TERM $$"});
  EXPECT_NE(r.out.find("\"signal_name\": \"SIGTERM\""), std::string::npos) << r.out;
  // Output paths that cannot be written are found before the command runs.
  r = cli({"meter", "-o", (dir_ / "no/such/dir/report.txt").string(), "--", "touch", (dir_ / "ran").string()});
  expect_error(r, "cannot write the report to", "nothing was run");
  EXPECT_FALSE(fs::exists(dir_ / "ran"));
  fs::create_directories(dir_ / "a_dir");
  r = cli({"meter", "--csv", (dir_ / "a_dir").string(), "--", "touch", (dir_ / "ran").string()});
  expect_error(r, "a_dir: exists and is not a regular file", "nothing was run");
  EXPECT_FALSE(fs::exists(dir_ / "ran"));
  write_file(dir_ / "other.csv", "a,b,c\n1,2,3\n");
  r = cli({"meter", "--csv", (dir_ / "other.csv").string(), "--", "touch", (dir_ / "ran").string()});
  expect_error(r, "not CodeCarbon's version 2 header", "nothing was run");
  EXPECT_FALSE(fs::exists(dir_ / "ran"));
  r = cli({"meter", "--csv", (dir_ / "new.csv").string(), "-o", (dir_ / "r.txt").string(), "--", "true"});
  EXPECT_EQ(r.status, 0) << r.out;
  std::ifstream csv(dir_ / "new.csv");
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header.rfind("timestamp,project_name,run_id", 0), 0u) << header;
  EXPECT_GT(fs::file_size(dir_ / "r.txt"), 0u);
}

TEST_F(HostileData, HelpShowsDefaultsAndPreprocessNeedsTheModelFirst) {  // finding 31
  ChildRun r = cli({"eval", "--help"});
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("--batch [^\n]*=32[ \n]"))) << r.out;
  r = cli({"bench", "--help"});
  EXPECT_TRUE(std::regex_search(r.out, std::regex("--seconds [^\n]*=3[ \n]"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("--warmup [^\n]*=0\\.5[ \n]"))) << r.out;
  expect_error(cli({"preprocess", demo_image("cat").string(), demo_image("dog").string(), "--out",
                    (dir_ / "x.npy").string()}),
               "0000.jpg is an image, but the first argument must be the model");
}

}  // namespace
}  // namespace ecoinfer::test
