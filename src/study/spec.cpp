#include "study/spec.h"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "core/error.h"
#include "model/model_source.h"
#include "tactics/tactic.h"

namespace ecoinfer::study {

namespace fs = std::filesystem;

namespace {

// Reads one TOML table, refusing keys it was not told about. Every error names the file,
// the key (with its table) and the line.
class TableReader {
 public:
  TableReader(const toml::table& t, std::string where, std::string file) : t_(t), where_(std::move(where)), file_(std::move(file)) {}

  ~TableReader() noexcept(false) {
    if (std::uncaught_exceptions()) return;
    for (auto&& [k, v] : t_)
      if (!seen_.count(std::string(k.str())))
        fail("{}:{}: unknown key '{}'{} (known: {})", file_, k.source().begin.line, key(std::string(k.str())),
             suggestion(std::string(k.str())), known_list());
  }

  std::string key(const std::string& k) const { return where_.empty() ? k : where_ + "." + k; }
  long line(const toml::node& n) const { return static_cast<long>(n.source().begin.line); }

  const toml::node* get(const std::string& k) {
    seen_.insert(k);
    return t_.get(k);
  }

  template <typename T>
  void number(const std::string& k, T& out) {
    const toml::node* n = get(k);
    if (!n) return;
    if constexpr (std::is_integral_v<T>) {
      const auto v = n->value_exact<int64_t>();
      if (!v) fail("{}:{}: '{}' must be an integer (got {})", file_, line(*n), key(k), type_name(*n));
      out = static_cast<T>(*v);
    } else {
      const auto v = n->value<double>();  // integers are accepted as floats
      if (!v || !(n->is_integer() || n->is_floating_point()))
        fail("{}:{}: '{}' must be a number (got {})", file_, line(*n), key(k), type_name(*n));
      if (!std::isfinite(*v)) fail("{}:{}: '{}' must be a finite number", file_, line(*n), key(k));
      out = *v;
    }
  }
  template <typename T>
  void number(const std::string& k, std::optional<T>& out) {
    if (!t_.get(k)) {
      seen_.insert(k);
      return;
    }
    T v{};
    number(k, v);
    out = v;
  }
  void string(const std::string& k, std::string& out) {
    const toml::node* n = get(k);
    if (!n) return;
    const auto v = n->value_exact<std::string>();
    if (!v) fail("{}:{}: '{}' must be a string (got {})", file_, line(*n), key(k), type_name(*n));
    out = *v;
  }
  void boolean(const std::string& k, bool& out) {
    const toml::node* n = get(k);
    if (!n) return;
    const auto v = n->value_exact<bool>();
    if (!v) fail("{}:{}: '{}' must be true or false (got {})", file_, line(*n), key(k), type_name(*n));
    out = *v;
  }
  // A list of T, or a single T standing for a list of one.
  template <typename T>
  void list(const std::string& k, std::vector<T>& out) {
    const toml::node* n = get(k);
    if (!n) return;
    out.clear();
    auto one = [&](const toml::node& e) {
      if constexpr (std::is_same_v<T, std::string>) {
        const auto v = e.value_exact<std::string>();
        if (!v) fail("{}:{}: '{}' must hold strings (got {})", file_, line(e), key(k), type_name(e));
        out.push_back(*v);
      } else if constexpr (std::is_integral_v<T>) {
        const auto v = e.value_exact<int64_t>();
        if (!v) fail("{}:{}: '{}' must hold integers (got {})", file_, line(e), key(k), type_name(e));
        out.push_back(static_cast<T>(*v));
      } else {
        const auto v = e.value<double>();
        if (!v || !(e.is_integer() || e.is_floating_point()))
          fail("{}:{}: '{}' must hold numbers (got {})", file_, line(e), key(k), type_name(e));
        if (!std::isfinite(*v)) fail("{}:{}: '{}' must hold finite numbers", file_, line(e), key(k));
        out.push_back(static_cast<T>(*v));
      }
    };
    if (const toml::array* a = n->as_array()) {
      for (const toml::node& e : *a) one(e);
    } else {
      one(*n);
    }
  }
  const toml::table* table(const std::string& k) {
    const toml::node* n = get(k);
    if (!n) return nullptr;
    if (!n->is_table()) fail("{}:{}: '{}' must be a table (got {})", file_, line(*n), key(k), type_name(*n));
    return n->as_table();
  }
  // An array of tables ([[k]]).
  std::vector<const toml::table*> tables(const std::string& k) {
    std::vector<const toml::table*> v;
    const toml::node* n = get(k);
    if (!n) return v;
    const toml::array* a = n->as_array();
    if (!a || !a->is_array_of_tables())
      fail("{}:{}: '{}' must be an array of tables ([[{}]] sections)", file_, line(*n), key(k), key(k));
    for (const toml::node& e : *a) v.push_back(e.as_table());
    return v;
  }
 private:
  static std::string type_name(const toml::node& n) {
    switch (n.type()) {
      case toml::node_type::string: return "a string";
      case toml::node_type::integer: return "an integer";
      case toml::node_type::floating_point: return "a float";
      case toml::node_type::boolean: return "a boolean";
      case toml::node_type::array: return "an array";
      case toml::node_type::table: return "a table";
      default: return "a date or time";
    }
  }
  std::string known_list() const {
    std::string s;
    for (auto& k : seen_) s += (s.empty() ? "" : ", ") + k;
    return s;
  }
  std::string suggestion(const std::string& k) const {
    // Close spellings (case or '-' for '_') are the usual mistake.
    auto norm = [](std::string s) {
      for (char& c : s) c = c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return s;
    };
    for (auto& s : seen_)
      if (norm(s) == norm(k)) return fmt::format(" (did you mean '{}'?)", s);
    return "";
  }

  const toml::table& t_;
  std::string where_, file_;
  std::set<std::string> seen_;
};

std::string resolve(const std::string& path, const fs::path& base) {
  if (path.empty()) return path;
  fs::path p(path);
  if (p.is_relative() && !base.empty()) p = base / p;
  return p.lexically_normal().string();
}

nlohmann::json optional_json(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

}  // namespace

std::string model_name_from_path(const std::string& path) {
  if (names_hub_model(path)) return path.substr(path.find('/') + 1, path.find('@') - path.find('/') - 1);
  fs::path p(path);
  while (!p.empty() && p.filename().empty()) p = p.parent_path();  // trailing '/'
  return p.extension() == ".onnx" ? p.stem().string() : p.filename().string();
}

PreprocessingFlags model_flags(const ModelEntry& m) {
  PreprocessingFlags f;
  f.onnx_file = m.onnx_file;
  return f;
}

std::vector<std::string> split_chain(const std::string& chain) {
  std::vector<std::string> parts;
  if (chain == "none") return parts;
  size_t start = 0;
  while (true) {
    const size_t plus = chain.find('+', start);
    std::string part = chain.substr(start, plus == std::string::npos ? std::string::npos : plus - start);
    // Trim spaces around components ("dynamic-int8 + compile").
    part.erase(0, part.find_first_not_of(' '));
    part.erase(part.find_last_not_of(' ') + 1);
    ECO_CHECK(!part.empty(), "tactic chain '{}': empty component (write tactics joined by '+', e.g. dynamic-int8+compile)", chain);
    ECO_CHECK(part != "none", "tactic chain '{}': 'none' cannot be part of a chain", chain);
    parts.push_back(part);
    if (plus == std::string::npos) break;
    start = plus + 1;
  }
  return parts;
}

std::string normalize_chain(const std::string& chain) {
  std::string trimmed = chain;
  trimmed.erase(0, trimmed.find_first_not_of(' '));
  trimmed.erase(trimmed.find_last_not_of(' ') + 1);
  if (trimmed == "none") return "none";
  std::string out;
  for (auto& p : split_chain(trimmed)) out += (out.empty() ? "" : "+") + p;
  return out;
}

StudySpec parse_spec(const std::string& text, const fs::path& file) {
  const std::string fname = file.string();
  toml::table root;
  try {
    root = toml::parse(text, fname);
  } catch (const toml::parse_error& e) {
    fail("{}:{}:{}: not valid TOML: {}", fname, e.source().begin.line, e.source().begin.column, e.description());
  }
  const fs::path base = file.parent_path();
  StudySpec s;
  s.source_text = text;
  s.source_name = fname;
  TableReader top(root, "", fname);
  if (const toml::table* t = top.table("study")) {
    TableReader r(*t, "study", fname);
    r.string("name", s.name);
    int64_t seed = static_cast<int64_t>(s.seed);
    r.number("seed", seed);
    ECO_CHECK(seed >= 0, "{}: 'study.seed' must not be negative", fname);
    s.seed = static_cast<uint64_t>(seed);
    r.number("repetitions", s.repetitions);
    std::string out;
    r.string("output", out);
    if (!out.empty()) s.output = resolve(out, base);
    r.list("tactics", s.tactics);
    r.list("batch", s.batch);
    r.list("threads", s.threads);
  }
  for (const toml::table* t : top.tables("model")) {
    TableReader r(*t, "model", fname);
    ModelEntry m;
    r.string("name", m.name);
    r.string("path", m.path);
    r.string("data", m.data);
    r.string("onnx_file", m.onnx_file);
    ECO_CHECK(!m.path.empty(), "{}:{}: a [[model]] needs 'path' (a model folder, .onnx file or Hub id)", fname, t->source().begin.line);
    ECO_CHECK(!m.data.empty(), "{}:{}: [[model]] '{}' needs 'data' (its evaluation dataset)", fname, t->source().begin.line, m.path);
    if (m.name.empty()) m.name = model_name_from_path(m.path);
    // A Hub id stays as written unless a folder of that name sits beside the spec.
    const std::string local = resolve(m.path, base);
    std::error_code ec;
    if (fs::exists(local, ec) || !names_hub_model(m.path)) m.path = local;
    m.data = resolve(m.data, base);
    s.models.push_back(m);
  }
  for (const toml::table* t : top.tables("exclude")) {
    TableReader r(*t, "exclude", fname);
    ExcludeRule e;
    std::string model, tactic;
    r.string("model", model);
    r.string("tactic", tactic);
    if (!model.empty()) e.model = model;
    if (!tactic.empty()) e.tactic = normalize_chain(tactic);
    r.number("batch", e.batch);
    r.number("threads", e.threads);
    ECO_CHECK(e.model || e.tactic || e.batch || e.threads, "{}:{}: an [[exclude]] rule needs at least one of model, tactic, batch, threads",
              fname, t->source().begin.line);
    s.exclude.push_back(e);
  }
  if (const toml::table* t = top.table("run")) {
    TableReader r(*t, "run", fname);
    r.number("images", s.images);
    r.number("min_seconds", s.min_seconds);
    r.number("warmup_seconds", s.warmup_seconds);
    r.number("cooldown_seconds", s.cooldown_seconds);
    r.number("idle_seconds", s.idle_seconds);
    r.number("idle_every", s.idle_every);
    r.number("accuracy_images", s.accuracy_images);
    r.number("accuracy_batch", s.accuracy_batch);
    int64_t cache = static_cast<int64_t>(s.variant_cache_mb);
    r.number("variant_cache_mb", cache);
    ECO_CHECK(cache >= 0, "{}: 'run.variant_cache_mb' must not be negative", fname);
    s.variant_cache_mb = static_cast<size_t>(cache);
  }
  if (const toml::table* t = top.table("meter")) {
    TableReader r(*t, "meter", fname);
    r.number("interval_ms", s.meter.interval_ms);
    r.boolean("keep_samples", s.meter.keep_samples);
    r.string("estimate_basis", s.meter.estimate_basis);
    r.number("cpu_tdp_w", s.meter.cpu_tdp_w);
    r.number("cpu_idle_fraction", s.meter.cpu_idle_fraction);
    r.number("ram_w_per_gb", s.meter.ram_w_per_gb);
  }
  if (const toml::table* t = top.table("economics")) {
    TableReader r(*t, "economics", fname);
    Economics& e = s.economics;
    r.number("price_per_kwh", e.price_per_kwh);
    r.string("currency", e.currency);
    r.number("carbon_intensity_g_per_kwh", e.carbon_intensity_g_per_kwh);
    r.string("carbon_intensity_source", e.carbon_intensity_source);
    if (t->get("carbon_intensity_g_per_kwh") && !t->get("carbon_intensity_source")) e.carbon_intensity_source = "set in " + fname;
    r.number("pue", e.pue);
    r.number("instance_price_per_hour", e.instance_price_per_hour);
    r.list("horizons", e.horizons);
    if (const toml::table* ec = r.table("engineering_cost")) {
      for (auto&& [k, v] : *ec) {
        const auto cost = v.value<double>();
        ECO_CHECK(cost && (v.is_integer() || v.is_floating_point()) && std::isfinite(*cost) && *cost >= 0,
                  "{}:{}: 'economics.engineering_cost.{}' must be a non-negative number", fname, v.source().begin.line, k.str());
        e.engineering_cost[normalize_chain(std::string(k.str()))] = *cost;
      }
    }
  }
  if (const toml::table* t = top.table("report")) {
    TableReader r(*t, "report", fname);
    r.string("objective", s.report.objective);
    r.number("accuracy_budget_points", s.report.accuracy_budget_points);
    r.boolean("exclude_outliers", s.report.exclude_outliers);
    r.number("alpha", s.report.alpha);
  }
  normalize_tactics(s);
  return s;
}

void normalize_tactics(StudySpec& s) {
  std::vector<std::string> t{"none"};
  for (auto& c : s.tactics) {
    std::string n = normalize_chain(c);
    if (n != "none") t.push_back(n);
  }
  s.tactics = t;
}

StudySpec load_spec(const fs::path& file) {
  std::error_code ec;
  ECO_CHECK(fs::exists(file, ec), "{}: spec file not found", file.string());
  ECO_CHECK(fs::is_regular_file(file, ec), "{}: the spec must be a regular file (a TOML study spec)", file.string());
  const auto size = fs::file_size(file, ec);
  ECO_CHECK(!ec && size <= (16u << 20), "{}: a study spec larger than 16 MiB is not a spec", file.string());
  std::ifstream in(file, std::ios::binary);
  ECO_CHECK(in.good(), "{}: cannot read the spec file", file.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_spec(ss.str(), file);
}

void validate_spec(const StudySpec& s) {
  const std::string& f = s.source_name;
  ECO_CHECK(!s.models.empty(), "{}: the study has no model (add a [[model]] section with path and data, or --model/--data)", f);
  ECO_CHECK(s.repetitions >= 1, "{}: 'study.repetitions' must be at least 1 (got {})", f, s.repetitions);
  ECO_CHECK(s.repetitions <= 100000, "{}: 'study.repetitions' {} is not a plausible study", f, s.repetitions);
  ECO_CHECK(!s.batch.empty() && !s.threads.empty(), "{}: 'study.batch' and 'study.threads' need at least one value", f);
  for (int b : s.batch) ECO_CHECK(b >= 1 && b <= 65536, "{}: 'study.batch' {} must be in [1, 65536]", f, b);
  for (int t : s.threads) ECO_CHECK(t >= 1 && t <= 1024, "{}: 'study.threads' {} must be in [1, 1024]", f, t);
  ECO_CHECK(s.images >= 1 && s.images <= 1000000, "{}: 'run.images' {} must be in [1, 1000000]", f, s.images);
  auto seconds = [&](const char* key, double v, double lo, double hi) {
    ECO_CHECK(std::isfinite(v) && v >= lo && v <= hi, "{}: '{}' {} must be between {} and {} seconds", f, key, v, lo, hi);
  };
  seconds("run.min_seconds", s.min_seconds, 0.0, 86400.0);
  seconds("run.warmup_seconds", s.warmup_seconds, 0.0, 3600.0);
  seconds("run.cooldown_seconds", s.cooldown_seconds, 0.0, 3600.0);
  seconds("run.idle_seconds", s.idle_seconds, 0.0, 3600.0);
  ECO_CHECK(s.idle_every >= 0, "{}: 'run.idle_every' must not be negative", f);
  ECO_CHECK(s.accuracy_images >= 0, "{}: 'run.accuracy_images' must not be negative (0: the whole set)", f);
  ECO_CHECK(s.accuracy_batch >= 0 && s.accuracy_batch <= 65536, "{}: 'run.accuracy_batch' must be in [0, 65536] (0: the run batch)", f);
  ECO_CHECK(s.meter.interval_ms >= 1 && s.meter.interval_ms <= 60000, "{}: 'meter.interval_ms' {} must be in [1, 60000]", f,
            s.meter.interval_ms);
  // The window must be long enough for the meter: several sampler periods at least (the
  // estimate and sampled power integrate samples), and NVML's ~100 ms counter updates.
  const double resolution_s = std::max(0.1, 5 * s.meter.interval_ms / 1000.0);
  ECO_CHECK(s.min_seconds >= resolution_s,
            "{}: 'run.min_seconds' {} is below the meter's resolution ({} s: 5 sampler periods of {} ms, and NVML's energy counter "
            "updates every ~100 ms); a shorter window cannot be measured",
            f, s.min_seconds, resolution_s, s.meter.interval_ms);
  ECO_CHECK(s.meter.estimate_basis == "machine" || s.meter.estimate_basis == "process",
            "{}: 'meter.estimate_basis' must be \"machine\" or \"process\" (got \"{}\")", f, s.meter.estimate_basis);
  if (s.meter.cpu_tdp_w) ECO_CHECK(*s.meter.cpu_tdp_w > 0 && *s.meter.cpu_tdp_w < 100000, "{}: 'meter.cpu_tdp_w' must be positive", f);
  if (s.meter.cpu_idle_fraction)
    ECO_CHECK(*s.meter.cpu_idle_fraction >= 0 && *s.meter.cpu_idle_fraction <= 1, "{}: 'meter.cpu_idle_fraction' must be in [0, 1]", f);
  if (s.meter.ram_w_per_gb) ECO_CHECK(*s.meter.ram_w_per_gb >= 0 && *s.meter.ram_w_per_gb < 1000, "{}: 'meter.ram_w_per_gb' must be in [0, 1000)", f);
  std::set<std::string> names;
  for (auto& m : s.models) {
    ECO_CHECK(!m.name.empty(), "{}: a model has an empty name", f);
    ECO_CHECK(m.name.find('|') == std::string::npos, "{}: model name '{}' must not contain '|'", f, m.name);
    ECO_CHECK(names.insert(m.name).second, "{}: two models are named '{}' (set a distinct 'name' in each [[model]])", f, m.name);
  }
  std::set<std::string> chains;
  for (auto& c : s.tactics) {
    for (auto& part : split_chain(c)) {
      try {
        check_tactic_spec(part);
      } catch (const Error& e) {
        fail("{}: 'study.tactics': chain '{}': {}", f, c, e.what());
      }
    }
    ECO_CHECK(chains.insert(c).second, "{}: 'study.tactics' lists '{}' twice", f, c);
  }
  ECO_CHECK(!s.tactics.empty() && s.tactics.front() == "none", "internal: the baseline 'none' must come first");
  for (auto& e : s.exclude) {
    if (e.model) ECO_CHECK(names.count(*e.model), "{}: [[exclude]] names model '{}', which is not in the study", f, *e.model);
    if (e.tactic) ECO_CHECK(chains.count(*e.tactic), "{}: [[exclude]] names tactic '{}', which is not in 'study.tactics'", f, *e.tactic);
    ECO_CHECK(!(e.tactic && *e.tactic == "none" && !e.batch && !e.threads),
              "{}: [[exclude]] cannot leave out the baseline 'none' of a model: every tactic is compared with it", f);
  }
  const Economics& e = s.economics;
  ECO_CHECK(e.price_per_kwh >= 0, "{}: 'economics.price_per_kwh' must not be negative", f);
  ECO_CHECK(e.carbon_intensity_g_per_kwh >= 0, "{}: 'economics.carbon_intensity_g_per_kwh' must not be negative", f);
  ECO_CHECK(e.pue >= 1.0 && e.pue <= 10.0, "{}: 'economics.pue' {} must be in [1, 10] (1.0: no facility overhead)", f, e.pue);
  ECO_CHECK(e.instance_price_per_hour >= 0, "{}: 'economics.instance_price_per_hour' must not be negative", f);
  for (double h : e.horizons) ECO_CHECK(h >= 1, "{}: 'economics.horizons' values are inference counts, at least 1 (got {})", f, h);
  for (auto& [k, v] : e.engineering_cost)
    ECO_CHECK(chains.count(k), "{}: 'economics.engineering_cost' names tactic '{}', which is not in 'study.tactics'", f, k);
  ECO_CHECK(s.report.objective == "energy" || s.report.objective == "cost" || s.report.objective == "time",
            "{}: 'report.objective' must be \"energy\", \"cost\" or \"time\" (got \"{}\")", f, s.report.objective);
  ECO_CHECK(s.report.accuracy_budget_points >= 0 && s.report.accuracy_budget_points <= 100,
            "{}: 'report.accuracy_budget_points' must be in [0, 100]", f);
  ECO_CHECK(s.report.alpha > 0 && s.report.alpha < 1, "{}: 'report.alpha' must be in (0, 1)", f);
}

nlohmann::json measurement_json(const StudySpec& s) {
  nlohmann::json models = nlohmann::json::array();
  for (auto& m : s.models) {
    models.push_back({{"name", m.name}, {"path", m.path}, {"data", m.data}});
    if (!m.onnx_file.empty()) models.back()["onnx_file"] = m.onnx_file;  // absent by default: older specs hash as before
  }
  nlohmann::json excl = nlohmann::json::array();
  for (auto& e : s.exclude) {
    nlohmann::json j = nlohmann::json::object();
    if (e.model) j["model"] = *e.model;
    if (e.tactic) j["tactic"] = *e.tactic;
    if (e.batch) j["batch"] = *e.batch;
    if (e.threads) j["threads"] = *e.threads;
    excl.push_back(j);
  }
  return {{"name", s.name},
          {"seed", s.seed},
          {"repetitions", s.repetitions},
          {"models", models},
          {"tactics", s.tactics},
          {"batch", s.batch},
          {"threads", s.threads},
          {"exclude", excl},
          {"run",
           {{"images", s.images},
            {"min_seconds", s.min_seconds},
            {"warmup_seconds", s.warmup_seconds},
            {"cooldown_seconds", s.cooldown_seconds},
            {"idle_seconds", s.idle_seconds},
            {"idle_every", s.idle_every},
            {"accuracy_images", s.accuracy_images},
            {"accuracy_batch", s.accuracy_batch}}},
          {"meter",
           {{"interval_ms", s.meter.interval_ms},
            {"keep_samples", s.meter.keep_samples},
            {"estimate_basis", s.meter.estimate_basis},
            {"cpu_tdp_w", optional_json(s.meter.cpu_tdp_w)},
            {"cpu_idle_fraction", optional_json(s.meter.cpu_idle_fraction)},
            {"ram_w_per_gb", optional_json(s.meter.ram_w_per_gb)}}}};
}

nlohmann::json analysis_json(const StudySpec& s) {
  const Economics& e = s.economics;
  return {{"economics",
           {{"price_per_kwh", e.price_per_kwh},
            {"currency", e.currency},
            {"carbon_intensity_g_per_kwh", e.carbon_intensity_g_per_kwh},
            {"carbon_intensity_source", e.carbon_intensity_source},
            {"pue", e.pue},
            {"instance_price_per_hour", e.instance_price_per_hour},
            {"horizons", e.horizons},
            {"engineering_cost", e.engineering_cost}}},
          {"report",
           {{"objective", s.report.objective},
            {"accuracy_budget_points", s.report.accuracy_budget_points},
            {"exclude_outliers", s.report.exclude_outliers},
            {"alpha", s.report.alpha}}}};
}

uint64_t fnv1a64(const std::string& s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string spec_hash(const StudySpec& s) { return fmt::format("{:016x}", fnv1a64(measurement_json(s).dump())); }

std::vector<std::string> spec_diff(const nlohmann::json& before, const nlohmann::json& after) {
  std::vector<std::string> lines;
  const nlohmann::json patch = nlohmann::json::diff(before, after);
  for (auto& op : patch) {
    const std::string path = op.value("path", std::string());
    const std::string kind = op.value("op", std::string());
    nlohmann::json old_v;
    try {
      old_v = before.at(nlohmann::json::json_pointer(path));
    } catch (...) {
    }
    if (kind == "replace")
      lines.push_back(fmt::format("{}: {} -> {}", path, old_v.dump(), op["value"].dump()));
    else if (kind == "add")
      lines.push_back(fmt::format("{}: added {}", path, op["value"].dump()));
    else if (kind == "remove")
      lines.push_back(fmt::format("{}: removed (was {})", path, old_v.dump()));
  }
  return lines;
}

std::string example_spec() {
  return R"TOML(# ecoinfer study spec (TOML). `ecoinfer study plan THIS_FILE` shows the run table;
# `ecoinfer study run THIS_FILE` runs it. Relative paths are relative to this file.
# Unknown keys are errors, so a typo cannot silently fall back to a default.

[study]
name = "my-study"
seed = 1                    # the random run order; stored with the results
repetitions = 30            # runs per (model, tactic, batch, threads); 30 is customary
output = "study-out"        # results.sqlite, runs.csv, emissions.csv, report.html, study.log
# Tactic chains, applied left to right; the baseline "none" is always included.
tactics = ["compile", "dynamic-int8", "prune-local:0.5", "prune-global:0.5", "dynamic-int8+compile"]
batch = [32]                # images per inference
threads = [1]               # CPU threads of the engine

[[model]]
name = "resnet20"           # optional; default: the folder name
path = "demo/resnet20_cifar10"   # Hugging Face-style folder or .onnx
data = "demo/cifar10-1000"       # its labelled evaluation set

# A model from the Hugging Face Hub (fetched into the Hub cache, shared with huggingface_hub):
# [[model]]
# path = "org/name@main"          # Hub id, optionally @branch, @tag or @commit
# onnx_file = "onnx/model.onnx"   # optional; default model.onnx, else onnx/model.onnx
# data = "demo/cifar10-1000"

# [[model]]
# path = "../shared/models/vit_cifar10"
# data = "../shared/data/cifar10-test"

# [[exclude]]               # leave out runs matching every field given
# model = "resnet20"
# tactic = "prune-global:0.5"

[run]
images = 256                # images per run, decoded beforehand (rounded up to whole batches)
min_seconds = 2.0           # the metered window repeats the images until it lasts this long
warmup_seconds = 1.0        # before each run, not measured (at least 3 batches)
cooldown_seconds = 1.0      # pause after each run
idle_seconds = 3.0          # idle baseline window (machine at rest)
idle_every = 10             # an idle baseline before the study and every N runs (0: before only)
accuracy_images = 0         # top-1/top-5 over this many images per variant (0: the whole set)
accuracy_batch = 0          # batch for accuracy (0: the run batch; dynamic-int8 depends on it)

[meter]
interval_ms = 100           # sampler period
keep_samples = true         # store each run's power/utilization samples
estimate_basis = "machine"  # "process" on a shared machine: CPU power by this process's CPU time
# cpu_tdp_w = 65            # when no counter is readable, the estimate's CPU full-load power
# cpu_idle_fraction = 0.3
# ram_w_per_gb = 0.375

[economics]
price_per_kwh = 0.30
currency = "EUR"
carbon_intensity_g_per_kwh = 475   # g CO2e per kWh
carbon_intensity_source = "world average (CodeCarbon default)"
pue = 1.0                   # data-centre overhead; multiplies energy
instance_price_per_hour = 0.0      # > 0 adds the cloud-time view
horizons = [1e6, 1e8]       # inference counts to report ROI at
# [economics.engineering_cost]     # one-off cost of applying a tactic, in currency
# "prune-global:0.5" = 200.0

[report]
objective = "energy"        # what the recommendation minimizes: energy, cost or time
accuracy_budget_points = 1.0   # top-1 points a tactic may lose against the baseline
exclude_outliers = false    # runs beyond 1.5 IQR are flagged; true leaves them out
)TOML";
}

}  // namespace ecoinfer::study
