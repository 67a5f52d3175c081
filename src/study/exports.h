#pragma once
// Files regenerated from the store (never the other way round): `runs.csv`, the run table
// as experiment-runner users know it (`__run_id`, `__done`, factors, measurements), and
// `emissions.csv` with CodeCarbon's v2 columns plus the source of every energy figure.
#include <filesystem>

#include "study/store.h"

namespace ecoinfer::study {

// Writes both files into `folder` (atomically: a temporary file renamed into place).
void write_exports(Store& store, const std::filesystem::path& folder);

// Writes `text` beside `file` and renames it over, so that a reader never sees half a file;
// errors name the file (a full disk among them).
void write_file_atomically(const std::filesystem::path& file, const std::string& text);

}  // namespace ecoinfer::study
