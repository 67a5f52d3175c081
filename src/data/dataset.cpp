#include "data/dataset.h"

#include <algorithm>
#include <map>
#include <utility>

#include "core/error.h"
#include "data/dataset_index.h"

namespace ecoinfer {

namespace fs = std::filesystem;

namespace {

bool is_image_file(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png";
}

int wnid_index(const std::string& wnid) {
  const auto& t = imagenet_wnids();
  auto it = std::lower_bound(t.begin(), t.end(), wnid);
  return it != t.end() && *it == wnid ? static_cast<int>(it - t.begin()) : -1;
}

// Items whose label could not be mapped: an error naming them, or counted and left out.
struct Unmapped {
  std::vector<std::string> what;  // "'label' (file)"
  void add(const std::string& label, const std::string& item) { what.push_back("'" + label + "' (" + item + ")"); }
  void settle(const std::string& where, bool skip, size_t& skipped) const {
    if (what.empty()) return;
    if (skip) {
      skipped = what.size();
      return;
    }
    std::string list;
    for (size_t i = 0; i < what.size() && i < 5; ++i) list += (i ? ", " : "") + what[i];
    if (what.size() > 5) list += fmt::format(", and {} more", what.size() - 5);
    fail("{}: cannot map the label of {} image(s) to the model's classes: {}; pass --skip-unlabeled to leave them "
         "out",
         where, what.size(), list);
  }
};

// One folder entry; `error` is set when its type cannot be read (a symlink loop, a dangling
// symlink, no permission), in which case `type` is none.
struct Entry {
  std::string name;
  fs::file_type type = fs::file_type::none;
  std::string error;
};

// The folder's entries sorted by name, symlinks followed. The std::filesystem calls that
// throw on a symlink loop are avoided: every error comes back through an error_code.
std::vector<Entry> list_folder(const fs::path& dir) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  ECO_CHECK(!ec, "{}: cannot list the folder: {}", dir.string(), ec.message());
  std::vector<Entry> out;
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    Entry e{it->path().filename().string()};
    std::error_code sec;
    const fs::file_status st = it->status(sec);
    if (sec) e.error = sec.message();
    else e.type = st.type();
    out.push_back(std::move(e));
  }
  ECO_CHECK(!ec, "{}: cannot list the folder: {}", dir.string(), ec.message());
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
  return out;
}

// Images on disk with their labels: class folders, flat wnid folders and list files.
class FileDataset : public Dataset {
 public:
  size_t size() const override { return items_.size(); }
  int label(size_t i) const override { return items_[i].label; }
  std::string item_name(size_t i) const override { return items_[i].path.string(); }
  Image load(size_t i, int channels) const override { return read_image(items_[i].path, channels); }
  std::optional<fs::path> item_file(size_t i) const override { return items_[i].path; }

  static std::unique_ptr<Dataset> class_folders(const fs::path& dir, const DatasetOptions& o,
                                                const std::vector<std::string>& folders,
                                                std::vector<std::string> notes) {
    auto d = std::make_unique<FileDataset>();
    d->notes_ = std::move(notes);
    std::map<std::string, int> by_label;
    for (size_t i = 0; i < o.model_labels.size(); ++i) by_label.emplace(o.model_labels[i], static_cast<int>(i));
    const bool wnids = std::all_of(folders.begin(), folders.end(), [](auto& f) { return leading_wnid(f) == f; });
    const bool any_label = std::any_of(folders.begin(), folders.end(), [&](auto& f) { return by_label.count(f) > 0; });
    enum { kWnid, kId2label, kSorted } mode = wnids ? kWnid : any_label ? kId2label : kSorted;
    if (mode == kSorted && !o.model_labels.empty()) refuse_folder_order(dir, o, folders, *d);
    if (mode == kWnid) {
      d->class_names_ = imagenet_wnids();
      d->label_source_ = "ImageNet wnid (sorted 1000-class index)";
    } else if (mode == kId2label) {
      d->class_names_ = o.model_labels;
      d->label_source_ = "id2label";
    } else {
      d->class_names_ = folders;
      d->label_source_ = "sorted folder order";
    }
    Unmapped unmapped;
    for (size_t fi = 0; fi < folders.size(); ++fi) {
      int label = static_cast<int>(fi);
      if (mode == kWnid) label = wnid_index(folders[fi]);
      if (mode == kId2label) label = by_label.count(folders[fi]) ? by_label[folders[fi]] : -1;
      // Images, and entries that cannot be examined: those stay items so that loading them
      // fails with the reason (or is skipped and counted with --skip-bad-images).
      for (const Entry& e : list_folder(dir / folders[fi])) {
        if (e.error.empty() && (e.type == fs::file_type::directory || !is_image_file(e.name))) continue;
        const fs::path p = dir / folders[fi] / e.name;
        if (label < 0) unmapped.add(folders[fi], p.string());
        else d->items_.push_back({p, label});
      }
    }
    unmapped.settle(dir.string(), o.skip_unlabeled, d->skipped_unlabeled_);
    ECO_CHECK(!d->items_.empty(), "{}: the class folders hold no JPEG or PNG images", dir.string());
    return d;
  }

  static std::unique_ptr<Dataset> flat_wnid(const fs::path& dir, const DatasetOptions& o,
                                            const std::vector<std::string>& files, std::vector<std::string> notes) {
    auto d = std::make_unique<FileDataset>();
    d->notes_ = std::move(notes);
    d->class_names_ = imagenet_wnids();
    d->label_source_ = "ImageNet wnid in file name (sorted 1000-class index)";
    Unmapped unmapped;
    for (auto& f : files) {
      const int label = wnid_index(leading_wnid(f));
      if (label < 0) unmapped.add(leading_wnid(f).empty() ? f : leading_wnid(f), (dir / f).string());
      else d->items_.push_back({dir / f, label});
    }
    unmapped.settle(dir.string(), o.skip_unlabeled, d->skipped_unlabeled_);
    ECO_CHECK(!d->items_.empty(), "{}: no image has a mappable label", dir.string());
    return d;
  }

  static std::unique_ptr<Dataset> list_file(const fs::path& file, const DatasetOptions& o) {
    const std::vector<uint8_t> bytes = read_file_checked(file, kMaxListFileBytes, "list file");
    const std::vector<ListLine> lines =
        parse_list_text(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), file.string());
    auto d = std::make_unique<FileDataset>();
    std::map<std::string, int> by_label;
    for (size_t i = 0; i < o.model_labels.size(); ++i) by_label.emplace(o.model_labels[i], static_cast<int>(i));
    d->class_names_ = o.model_labels;
    d->label_source_ = "list file";
    const fs::path base = file.parent_path();
    Unmapped unmapped;
    for (const ListLine& l : lines) {
      const fs::path p = fs::path(l.path).is_absolute() ? fs::path(l.path) : base / l.path;
      const std::string& lab = l.label;
      int label = -1;
      if (lab.size() < 9 && std::all_of(lab.begin(), lab.end(), [](unsigned char c) { return std::isdigit(c); }))
        label = std::stoi(lab);
      else if (by_label.count(lab)) label = by_label[lab];
      else if (leading_wnid(lab) == lab) label = wnid_index(lab);
      if (label < 0) unmapped.add(printable(lab, 60), printable(p.string()));
      else d->items_.push_back({p, label});
    }
    unmapped.settle(file.string(), o.skip_unlabeled, d->skipped_unlabeled_);
    ECO_CHECK(!d->items_.empty(), "{}: the list names no images", file.string());
    return d;
  }

 private:
  // No folder name is an id2label label: sorted folder order would score every image
  // against an unrelated class, so it is used only on request, and said.
  static void refuse_folder_order(const fs::path& dir, const DatasetOptions& o, const std::vector<std::string>& folders,
                                  FileDataset& d) {
    auto lower = [](std::string s) {
      for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return s;
    };
    std::map<std::string, std::string> by_lower;
    for (auto& l : o.model_labels) by_lower.emplace(lower(l), l);
    std::string hint;
    for (auto& f : folders)
      if (auto it = by_lower.find(lower(f)); it != by_lower.end() && hint.empty())
        hint = fmt::format(" (labels are matched exactly, with case: folder '{}' differs from label '{}')", f,
                           it->second);
    auto sample = [](const std::vector<std::string>& v) {
      std::string s;
      for (size_t i = 0; i < v.size() && i < 4; ++i) s += (i ? ", " : "") + printable(v[i], 40);
      return v.size() > 4 ? s + fmt::format(", … ({} in all)", v.size()) : s;
    };
    if (!o.labels_by_folder_order)
      fail("{}: no class-folder name is one of the model's id2label labels{} (folders: {}; labels: {}); rename the "
           "folders after the labels, or pass --labels-by-folder-order to number the sorted folders 0, 1, 2, …",
           dir.string(), hint, sample(folders), sample(o.model_labels));
    d.notes_.push_back(fmt::format(
        "{}: no class-folder name is an id2label label; labels follow sorted folder order (--labels-by-folder-order): "
        "{} -> 0{}",
        dir.string(), printable(folders[0], 40), folders.size() > 1 ? fmt::format(", {} -> 1{}", printable(folders[1], 40), folders.size() > 2 ? ", …" : "")
                           : ""));
  }

  struct Item {
    fs::path path;
    int label;
  };
  std::vector<Item> items_;
};

bool has_entry(const std::vector<Entry>& entries, const std::string& name) {
  return std::any_of(entries.begin(), entries.end(), [&](const Entry& e) { return e.name == name; });
}

// MNIST ships as "t10k-images-idx3-ubyte" and as "t10k-images.idx3-ubyte", either gzipped.
std::string find_idx(const std::vector<Entry>& entries, const std::string& stem) {
  std::string dotted = stem;
  dotted.replace(dotted.find("-idx"), 4, ".idx");
  for (const std::string& name : {stem, dotted})
    for (const char* suffix : {"", ".gz"})
      if (has_entry(entries, name + suffix)) return name + suffix;
  return {};
}

bool is_cifar100_name(const fs::path& f) {
  const std::string n = f.filename().string();
  return n == "test.bin" || n == "train.bin";
}

std::unique_ptr<Dataset> open_mnist(const fs::path& images, const fs::path& labels) {
  return mnist_from_bytes(read_file_checked(images, kMaxDatasetFileBytes, "dataset file"), images.string(),
                          read_file_checked(labels, kMaxDatasetFileBytes, "dataset file"), labels.string());
}

std::unique_ptr<Dataset> open_cifar(const std::vector<fs::path>& files, bool cifar100) {
  std::vector<std::vector<uint8_t>> blobs;
  std::vector<std::string> names;
  for (auto& f : files) {
    blobs.push_back(read_file_checked(f, kMaxDatasetFileBytes, "dataset file"));
    names.push_back(f.string());
  }
  // Class names from the meta file next to the batches, when present.
  std::vector<std::string> classes;
  const fs::path meta = files[0].parent_path() / (cifar100 ? "fine_label_names.txt" : "batches.meta.txt");
  std::error_code ec;
  if (fs::exists(meta, ec)) {
    const std::vector<uint8_t> text = read_file_checked(meta, kMaxTextFileBytes, "class-name file");
    std::string line;
    for (uint8_t c : text) {
      if (c != '\n') line += static_cast<char>(c);
      else if (!line.empty()) classes.push_back(std::exchange(line, {}));
    }
    if (!line.empty()) classes.push_back(line);
  }
  return cifar_from_bytes(std::move(blobs), names, cifar100, std::move(classes));
}

const char* type_name(fs::file_type t) {
  switch (t) {
    case fs::file_type::directory: return "a directory";
    case fs::file_type::character: return "a character device";
    case fs::file_type::block: return "a block device";
    case fs::file_type::fifo: return "a FIFO (named pipe)";
    case fs::file_type::socket: return "a socket";
    default: return "not a regular file";
  }
}

}  // namespace

std::string leading_wnid(const std::string& name) {
  if (name.size() < 9 || name[0] != 'n') return "";
  for (int i = 1; i < 9; ++i)
    if (!std::isdigit(static_cast<unsigned char>(name[i]))) return "";
  if (name.size() > 9 && (std::isalnum(static_cast<unsigned char>(name[9])))) return "";
  return name.substr(0, 9);
}

std::unique_ptr<Dataset> open_dataset(const fs::path& path, const DatasetOptions& o) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  ECO_CHECK(st.type() != fs::file_type::not_found, "{}: dataset folder does not exist", path.string());
  ECO_CHECK(!ec, "{}: cannot read the dataset: {}", path.string(), ec.message());
  if (st.type() == fs::file_type::regular) {
    if (path.extension() == ".bin") return open_cifar({path}, is_cifar100_name(path));
    if (path.extension() == ".onnx")
      fail("{}: is an ONNX model, not a dataset; the model goes first: ecoinfer eval MODEL --data DATASET",
           path.string());
    return FileDataset::list_file(path, o);
  }
  ECO_CHECK(st.type() == fs::file_type::directory,
            "{}: is {}; the dataset must be a folder, a list file or a CIFAR .bin file", path.string(),
            type_name(st.type()));
  const fs::path& dir = path;
  std::vector<Entry> entries = list_folder(dir);
  // Entries that cannot be examined would make the layout (and the labels) a guess.
  std::vector<std::string> notes;
  size_t bad = 0;
  for (const Entry& e : entries) {
    if (e.error.empty()) continue;
    ECO_CHECK(o.skip_bad_images, "{}: cannot tell what it is: {}; pass --skip-bad-images to skip it",
              (dir / e.name).string(), e.error);
    if (++bad <= 3) notes.push_back(fmt::format("skipped {}: {}", (dir / e.name).string(), e.error));
  }
  if (bad > 3) notes.push_back(fmt::format("skipped {} more unreadable entries in {}", bad - 3, dir.string()));
  std::erase_if(entries, [](const Entry& e) { return !e.error.empty(); });

  std::string images = find_idx(entries, "t10k-images-idx3-ubyte"), labels = find_idx(entries, "t10k-labels-idx1-ubyte");
  if (images.empty()) images = find_idx(entries, "train-images-idx3-ubyte"), labels = find_idx(entries, "train-labels-idx1-ubyte");
  if (!images.empty()) {
    ECO_CHECK(!labels.empty(), "{}: found {} but no matching labels file", dir.string(), images);
    return open_mnist(dir / images, dir / labels);
  }
  if (has_entry(entries, "test_batch.bin")) return open_cifar({dir / "test_batch.bin"}, false);
  if (has_entry(entries, "test.bin")) return open_cifar({dir / "test.bin"}, true);
  std::vector<std::string> folders, files;
  std::vector<fs::path> batches;
  for (const Entry& e : entries) {
    if (e.type == fs::file_type::directory) folders.push_back(e.name);
    else if (is_image_file(e.name)) files.push_back(e.name);  // a non-regular one fails when loaded, named
    else if (e.name.rfind("data_batch_", 0) == 0 && fs::path(e.name).extension() == ".bin") batches.push_back(dir / e.name);
  }
  if (!batches.empty()) return open_cifar(batches, false);
  if (has_entry(entries, "train.bin")) return open_cifar({dir / "train.bin"}, true);
  if (!files.empty() && folders.empty()) {
    ECO_CHECK(std::any_of(files.begin(), files.end(), [](auto& f) { return !leading_wnid(f).empty(); }),
              "{}: a flat folder of images needs file names that start with an ImageNet wnid (n01440764_…); "
              "otherwise put the images in one subfolder per class",
              dir.string());
    return FileDataset::flat_wnid(dir, o, files, std::move(notes));
  }
  ECO_CHECK(!folders.empty(),
            "{}: no images found (expected class subfolders of JPEG/PNG images, images named by wnid, MNIST idx files "
            "or CIFAR .bin batches)",
            dir.string());
  return FileDataset::class_folders(dir, o, folders, std::move(notes));
}

std::unique_ptr<Dataset> open_dataset(const fs::path& path, const std::vector<std::string>& model_labels) {
  DatasetOptions o;
  o.model_labels = model_labels;
  return open_dataset(path, o);
}

}  // namespace ecoinfer
