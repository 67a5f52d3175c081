#pragma once
// Where a model's files are: a local folder or .onnx file, or a Hugging Face Hub id
// (`org/name[@revision]`) whose files are fetched into the Hub cache. Every command and
// the study resolve MODEL through locate_model (load_model calls it).
#include <filesystem>
#include <string>
#include <vector>

#include "hub/hub_client.h"

namespace ecoinfer {

struct ModelLocation {
  std::filesystem::path folder;  // the model folder (config.json, preprocessor_config.json); empty for a bare .onnx
  std::filesystem::path onnx;    // the ONNX file
  // External data of the ONNX file must resolve inside this folder: the ONNX file's own
  // folder, or for a Hub model the repository's cache folder (snapshot links point into
  // its blobs/).
  std::filesystem::path data_root;
  std::string hub_id;            // `org/name@commit` when the model came from the Hub
};

// A local path that exists wins (a folder `org/name` in the working directory is a folder);
// otherwise text shaped like a Hub id is fetched (or read from the cache); otherwise an
// Error says the path does not exist. A Hub id is resolved once per process (the same
// commit for every later load, no further request). `onnx_file` (`--onnx-file`) picks an ONNX file of a
// folder or repository other than model.onnx; empty: the default choice.
ModelLocation locate_model(const std::string& name, const std::string& onnx_file = {});

// Whether `name` would be fetched from the Hub: no such local path, and shaped like a Hub id.
bool names_hub_model(const std::string& name);

// The ONNX file a folder or repository's files (repository paths) offer: `requested` when
// given (it must be one of them), else model.onnx, else onnx/model.onnx, else the only
// .onnx file. `where` names the folder or repository in errors, which list the choices and
// point to --onnx-file, or to Optimum's exporter when there is no ONNX file at all.
std::string choose_onnx_file(const std::vector<std::string>& files, const std::string& requested, const std::string& where,
                             const std::string& hub_id = {});

// The files a Hub model needs besides its ONNX file: external data beside it
// (`{onnx}_data`, `{onnx}.data`, as Optimum and torch.onnx name it), config.json and
// preprocessor_config.json when the repository has them.
std::vector<std::string> hub_model_files(const std::vector<std::string>& files, const std::string& onnx_file);

struct HubModel {
  hub::Snapshot snapshot;
  std::string onnx_file;                 // repository path of the chosen ONNX file
  std::vector<hub::FetchedFile> files;   // the ONNX file first, then the others
};

// Resolves a Hub id and fetches the files a model needs (`ecoinfer pull`, locate_model).
HubModel fetch_hub_model(hub::HubClient& client, const hub::RepoRef& ref, const std::string& onnx_file);

}  // namespace ecoinfer
