#include "tactics/tactic.h"

#include <chrono>
#include <map>

namespace ecoinfer {

namespace {
std::map<std::string, TacticInfo>& table() {
  static std::map<std::string, TacticInfo> t;
  return t;
}
}  // namespace

TacticRegistrar::TacticRegistrar(TacticInfo info) {
  std::string name = info.name;
  table()[name] = std::move(info);
}

const TacticInfo* find_tactic(const std::string& name) {
  auto it = table().find(name);
  return it == table().end() ? nullptr : &it->second;
}

std::vector<const TacticInfo*> all_tactics() {
  std::vector<const TacticInfo*> v;
  for (auto& [k, t] : table()) v.push_back(&t);
  return v;
}

namespace {
// The registered tactic of a "name[:arg]" spec, and its argument; unknown names are an Error.
std::pair<const TacticInfo*, std::string> resolve_spec(const std::string& spec) {
  const auto colon = spec.find(':');
  const std::string name = spec.substr(0, colon);
  const TacticInfo* t = find_tactic(name);
  if (!t) {
    std::string known = "none";
    for (auto* k : all_tactics()) known += ", " + k->name;
    fail("unknown tactic '{}' (known: {})", spec, known);
  }
  return {t, colon == std::string::npos ? "" : spec.substr(colon + 1)};
}
}  // namespace

void check_tactic_spec(const std::string& spec) {
  if (spec == "none") return;
  const auto [t, arg] = resolve_spec(spec);
  if (t->check_arg) t->check_arg(arg);
}

TacticContext apply_tactics(ModelBundle& model, const std::vector<std::string>& specs) {
  TacticContext ctx;
  for (const std::string& spec : specs) {
    if (spec == "none") continue;
    const auto [t, arg] = resolve_spec(spec);
    const auto t0 = std::chrono::steady_clock::now();
    nlohmann::json summary = t->apply(model, ctx, arg);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ctx.results.push_back(TacticResult{spec, secs, std::move(summary)});
  }
  return ctx;
}

nlohmann::json apply_compile_unless_applied(ModelBundle& model, TacticContext& ctx, const std::string& tactic) {
  for (const TacticResult& r : ctx.results)
    if (r.spec == "compile" || r.spec.starts_with("compile:")) return "already applied";
  const TacticInfo* compile = find_tactic("compile");
  ECO_CHECK(compile, "tactic '{}' needs the compile tactic, which is not registered", tactic);
  return compile->apply(model, ctx, "");
}

}  // namespace ecoinfer
