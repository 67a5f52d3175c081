#include "hub/repo_ref.h"

#include <algorithm>

#include "core/error.h"

namespace ecoinfer::hub {

namespace {

constexpr size_t kMaxNameLength = 96;  // huggingface_hub's limit for each part of an id

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// One part of an id (the organisation or the name). Empty when valid, else the reason.
std::string name_problem(std::string_view part) {
  if (part.empty()) return "an empty name";
  if (part.size() > kMaxNameLength) return "a name longer than 96 characters";
  for (char c : part)
    if (!is_word_char(c) && c != '-' && c != '.') return "a character other than letters, digits, '-', '_' and '.'";
  if (!is_word_char(part.front()) || !is_word_char(part.back()))
    return "a name that starts or ends with '-' or '.'";
  if (part.find("--") != std::string_view::npos || part.find("..") != std::string_view::npos)
    return "'--' or '..' inside a name";
  return {};
}

// Empty when `id` (`org/name`) is valid, else the reason.
std::string id_problem(std::string_view id) {
  const size_t slash = id.find('/');
  if (slash == std::string_view::npos) return "no '/' between organisation and name";
  if (id.find('/', slash + 1) != std::string_view::npos) return "more than one '/'";
  if (auto p = name_problem(id.substr(0, slash)); !p.empty()) return p;
  if (auto p = name_problem(id.substr(slash + 1)); !p.empty()) return p;
  if (id.size() >= 4 && id.substr(id.size() - 4) == ".git") return "a name ending in '.git'";
  return {};
}

}  // namespace

bool is_safe_relative_path(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.size() > 4096) return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return std::none_of(path.begin(), path.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f || c == '\\';
  });
}

bool is_repo_id(std::string_view text) {
  const size_t at = text.find('@');
  const std::string_view id = text.substr(0, at);
  if (!id_problem(id).empty()) return false;
  return at == std::string_view::npos || is_safe_relative_path(text.substr(at + 1));
}

RepoRef parse_repo_ref(std::string_view text) {
  RepoRef r;
  const size_t at = text.find('@');
  r.id = std::string(text.substr(0, at));
  if (auto p = id_problem(r.id); !p.empty())
    fail("'{}' is not a Hugging Face Hub model id ({}); write org/name or org/name@revision", text, p);
  if (at != std::string_view::npos) {
    r.revision = std::string(text.substr(at + 1));
    r.revision_given = true;
    ECO_CHECK(is_safe_relative_path(r.revision),
              "'{}': the revision after '@' must be a branch, tag or commit id (no empty, '.' or '..' parts, no "
              "control characters)",
              text);
  }
  return r;
}

bool is_commit_id(std::string_view s) {
  return s.size() == 40 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string repo_folder_name(std::string_view id) {
  std::string out = "models";
  size_t start = 0;
  while (true) {
    const size_t slash = id.find('/', start);
    out += "--";
    out += id.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (slash == std::string_view::npos) return out;
    start = slash + 1;
  }
}

std::string repo_id_from_folder(std::string_view folder) {
  constexpr std::string_view prefix = "models--";
  if (folder.substr(0, prefix.size()) != prefix) return {};
  std::string id;
  std::string_view rest = folder.substr(prefix.size());
  // Names never hold "--", so every "--" is a '/'.
  while (true) {
    const size_t sep = rest.find("--");
    if (!id.empty()) id += '/';
    id += rest.substr(0, sep);
    if (sep == std::string_view::npos) break;
    rest = rest.substr(sep + 2);
  }
  // Legacy ids without an organisation (`models--gpt2`) are listed too.
  if (id.find('/') == std::string::npos) return name_problem(id).empty() ? id : std::string();
  return id_problem(id).empty() ? id : std::string();
}

}  // namespace ecoinfer::hub
