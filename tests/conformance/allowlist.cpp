#include "conformance/allowlist.h"

#include <fnmatch.h>

#include <fstream>
#include <regex>
#include <sstream>

namespace ecoinfer::conformance {

bool glob_match(const std::string& pattern, const std::string& id) {
  return fnmatch(pattern.c_str(), id.c_str(), 0) == 0;
}

namespace {

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

double parse_number(const std::string& text, const std::string& where) {
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  ECO_CHECK(used == text.size() && v >= 0 && std::isfinite(v), "{}: '{}' is not a non-negative number", where, text);
  return v;
}

}  // namespace

Allowlist parse_allowlist(const std::string& text, const std::string& origin) {
  Allowlist a;
  std::istringstream in(text);
  std::string raw;
  int line_no = 0;
  const std::regex header(R"(\[(out-of-scope|backlog|tolerance)([^\]]*)\]\s*(.*))");
  while (std::getline(in, raw)) {
    ++line_no;
    const std::string where = fmt::format("{}:{}", origin, line_no);
    const std::string line = trim(raw.substr(0, raw.find('#')));
    if (line.empty()) continue;
    std::smatch m;
    if (line[0] == '[') {
      ECO_CHECK(std::regex_match(line, m, header), "{}: a header is [out-of-scope], [backlog] or "
                "[tolerance rtol=R atol=A], followed by the reason", where);
      AllowGroup g;
      g.line = line_no;
      g.reason = trim(m[3].str());
      ECO_CHECK(!g.reason.empty(), "{}: the group must say why (text after the header)", where);
      const std::string kind = m[1].str(), params = trim(m[2].str());
      if (kind == "tolerance") {
        g.kind = AllowGroup::Kind::tolerance;
        std::istringstream ps(params);
        std::string kv;
        bool rtol = false, atol = false;
        while (ps >> kv) {
          if (kv.rfind("rtol=", 0) == 0) g.tol.rtol = parse_number(kv.substr(5), where), rtol = true;
          else if (kv.rfind("atol=", 0) == 0) g.tol.atol = parse_number(kv.substr(5), where), atol = true;
          else fail("{}: unknown tolerance parameter '{}' (rtol=, atol=)", where, kv);
        }
        ECO_CHECK(rtol && atol, "{}: a tolerance group states both rtol= and atol=", where);
      } else {
        ECO_CHECK(params.empty(), "{}: [{}] takes no parameters", where, kind);
        g.kind = kind == "out-of-scope" ? AllowGroup::Kind::out_of_scope : AllowGroup::Kind::backlog;
      }
      a.groups.push_back(std::move(g));
      continue;
    }
    ECO_CHECK(!a.groups.empty(), "{}: pattern '{}' before any [group] header", where, line);
    ECO_CHECK(line.find_first_of(" \t") == std::string::npos, "{}: one pattern per line ('{}')", where, line);
    a.groups.back().patterns.push_back(line);
  }
  for (const AllowGroup& g : a.groups)
    ECO_CHECK(!g.patterns.empty(), "{}:{}: the group lists no cases", origin, g.line);
  return a;
}

Allowlist read_allowlist(const std::filesystem::path& file) {
  std::ifstream in(file);
  ECO_CHECK(in.good(), "{}: cannot open the allowlist", file.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_allowlist(ss.str(), file.string());
}

const AllowGroup* Allowlist::exception_for(const std::string& id) const {
  for (const AllowGroup& g : groups) {
    if (g.kind == AllowGroup::Kind::tolerance) continue;
    for (const std::string& p : g.patterns)
      if (glob_match(p, id)) return &g;
  }
  return nullptr;
}

Tolerance Allowlist::tolerance_for(const std::string& id) const {
  for (const AllowGroup& g : groups) {
    if (g.kind != AllowGroup::Kind::tolerance) continue;
    for (const std::string& p : g.patterns)
      if (glob_match(p, id)) return g.tol;
  }
  return Tolerance{};
}

}  // namespace ecoinfer::conformance
