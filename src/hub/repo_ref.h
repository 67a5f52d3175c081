#pragma once
// A Hugging Face Hub model as users name it, `org/name` or `org/name@revision`, and the
// names huggingface_hub gives it in its cache (`models--org--name`).
#include <string>
#include <string_view>

namespace ecoinfer::hub {

inline constexpr std::string_view kDefaultRevision = "main";

struct RepoRef {
  std::string id;                                    // "org/name"
  std::string revision = std::string(kDefaultRevision);  // branch, tag or commit id
  bool revision_given = false;                       // written as `@revision`

  // As the user wrote it: `org/name` or `org/name@revision`.
  std::string str() const { return revision_given ? id + "@" + revision : id; }
};

// Whether `text` has the shape of a Hub model id, `org/name[@revision]`: two names of
// letters, digits, '-', '_' and '.' (as huggingface_hub validates them) and an optional
// non-empty revision. Says nothing about whether the repository exists.
bool is_repo_id(std::string_view text);

// Parses `org/name[@revision]`; an Error says what is wrong with it.
RepoRef parse_repo_ref(std::string_view text);

// A full commit id: 40 lowercase hexadecimal digits.
bool is_commit_id(std::string_view s);

// `models--org--name`: the repository's folder in the cache (huggingface_hub's
// repo_folder_name for model repositories).
std::string repo_folder_name(std::string_view id);

// The inverse: `org/name` from `models--org--name`; empty when `folder` is not the cache
// folder of a model repository.
std::string repo_id_from_folder(std::string_view folder);

// Whether a path from the Hub (a file of the repository, a revision) can be placed under
// a cache folder: relative, '/'-separated, no empty, '.' or '..' component, no control
// characters or backslashes. Checked before any such path touches the disk.
bool is_safe_relative_path(std::string_view path);

}  // namespace ecoinfer::hub
