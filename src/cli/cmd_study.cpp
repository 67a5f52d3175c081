// `ecoinfer study init|plan|run|export|merge`: the experiment, from a TOML spec or flags.
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/study_args.h"
#include "core/error.h"
#include "report/write_report.h"
#include "study/exports.h"
#include "study/merge.h"
#include "study/run_table.h"
#include "study/runner.h"
#include "study/spec.h"
#include "study/store.h"
#include "study/summary.h"

namespace ecoinfer::cli {

namespace fs = std::filesystem;
using namespace ecoinfer::study;

namespace {

std::string seconds_text(double s) {
  if (s >= 3600) return fmt::format("{:.1f} h", s / 3600);
  if (s >= 60) return fmt::format("{:.1f} min", s / 60);
  return fmt::format("{:.0f} s", s);
}

}  // namespace

void add_study_command(CLI::App& app) {
  CLI::App* study = app.add_subcommand("study", "run the experiment: every tactic on every model, repeated, metered, stored");
  study->require_subcommand(1);

  // init
  {
    auto file = std::make_shared<std::string>("study.toml");
    auto force = std::make_shared<bool>(false);
    CLI::App* cmd = study->add_subcommand("init", "write a commented example spec");
    cmd->add_option("file", *file, "where to write it [study.toml]");
    cmd->add_flag("--force", *force, "overwrite an existing file");
    cmd->callback([file, force] {
      if (*file == "-") {
        std::fputs(example_spec().c_str(), stdout);
        return;
      }
      std::error_code ec;
      ECO_CHECK(*force || !fs::exists(*file, ec), "{}: already exists (use --force to overwrite, or '-' to print)", *file);
      std::ofstream out(*file);
      ECO_CHECK(out.good(), "{}: cannot write", *file);
      out << example_spec();
      ECO_CHECK(out.good(), "{}: write failed", *file);
      std::printf("wrote %s: edit the models and tactics, then `ecoinfer study plan %s` and `ecoinfer study run %s`\n", file->c_str(),
                  file->c_str(), file->c_str());
    });
  }

  // plan
  {
    auto f = std::make_shared<QuickFlags>();
    auto shards = std::make_shared<int>(1);
    auto json = std::make_shared<bool>(false);
    auto limit = std::make_shared<int>(50);
    CLI::App* cmd = study->add_subcommand("plan", "print the run table, its size and an estimated duration; runs nothing");
    add_quick_flags(cmd, *f);
    cmd->add_option("--shards", *shards, "show the shard of each run for N shards [1]")->check(CLI::Range(1, 100000));
    cmd->add_option("--show", *limit, "rows of the table to print (0: all) [50]")->check(CLI::Range(0, 100000000));
    cmd->add_flag("--json", *json, "print the whole table as JSON");
    cmd->callback([f, shards, json, limit] {
      const StudySpec s = spec_from(*f);
      check_inputs_exist(s);
      const auto runs = make_run_table(s, *shards);
      std::set<std::tuple<std::string, std::string, int>> variants;
      for (auto& r : runs) variants.insert({r.model, r.tactic, r.batch});
      // Each run: warm-up + window + cool-down; idle baselines; preparation and accuracy of
      // each variant are not known before they run.
      const double per_run = s.warmup_seconds + s.min_seconds + s.cooldown_seconds;
      const double idle = s.idle_seconds * (1 + (s.idle_every > 0 ? static_cast<double>(runs.size()) / s.idle_every : 0));
      const double est = per_run * static_cast<double>(runs.size()) + idle;
      if (*json) {
        nlohmann::json t = nlohmann::json::array();
        for (auto& r : runs)
          t.push_back({{"run_index", r.run_index}, {"run_id", r.run_id}, {"shard", r.shard}, {"model", r.model}, {"tactic", r.tactic},
                       {"batch", r.batch}, {"threads", r.threads}, {"repetition", r.repetition}});
        print_json({{"runs", runs.size()}, {"variants", variants.size()}, {"seed", s.seed}, {"spec_hash", spec_hash(s)},
                    {"estimated_seconds_at_least", est}, {"table", t}});
        return;
      }
      std::printf("study '%s' (seed %llu, spec hash %s)\n", s.name.c_str(), static_cast<unsigned long long>(s.seed), spec_hash(s).c_str());
      std::printf("%zu models x %zu tactic chains x %zu batch sizes x %zu thread counts x %d repetitions = %zu runs",
                  s.models.size(), s.tactics.size(), s.batch.size(), s.threads.size(), s.repetitions, runs.size());
      if (!s.exclude.empty()) std::printf(" (after %zu exclusion rules)", s.exclude.size());
      std::printf("\n%zu variants to prepare (metered as optimization cost) and evaluate for accuracy\n", variants.size());
      std::printf("estimated duration: at least %s (%zu runs x (%.1f s warm-up + >= %.1f s window + %.1f s cool-down) + %s idle "
                  "baselines), plus preparation and accuracy of each variant\n",
                  seconds_text(est).c_str(), runs.size(), s.warmup_seconds, s.min_seconds, s.cooldown_seconds, seconds_text(idle).c_str());
      std::printf("\n%6s  %-5s  %-20s  %-28s  %5s  %7s  %4s\n", "order", "shard", "model", "tactic", "batch", "threads", "rep");
      const size_t show = *limit == 0 ? runs.size() : std::min<size_t>(runs.size(), static_cast<size_t>(*limit));
      for (size_t i = 0; i < show; ++i) {
        auto& r = runs[i];
        std::printf("%6d  %-5d  %-20s  %-28s  %5d  %7d  %4d\n", r.run_index, r.shard, r.model.c_str(), r.tactic.c_str(), r.batch,
                    r.threads, r.repetition);
      }
      if (show < runs.size()) std::printf("... %zu more (--show 0 prints all)\n", runs.size() - show);
    });
  }

  // run
  {
    auto f = std::make_shared<QuickFlags>();
    auto shard = std::make_shared<std::string>();
    auto force = std::make_shared<bool>(false);
    auto quiet = std::make_shared<bool>(false);
    auto max_runs = std::make_shared<int>(-1);
    CLI::App* cmd = study->add_subcommand("run", "run the study (again: finishes only the runs not done)");
    add_quick_flags(cmd, *f);
    cmd->add_option("--shard", *shard, "run shard K of N into OUT/shards/K-of-N (merge with `ecoinfer study merge`)");
    cmd->add_flag("--force", *force, "continue a study whose spec has changed");
    cmd->add_flag("--quiet", *quiet, "no progress lines (the log file in the output folder keeps them)");
    cmd->add_option("--max-runs", *max_runs, "stop after N runs this time (the rest later)")->check(CLI::Range(0, 100000000));
    cmd->callback([f, shard, force, quiet, max_runs] {
      const StudySpec s = spec_from(*f);
      RunnerOptions o;
      if (!shard->empty()) std::tie(o.shard_k, o.shard_n) = parse_shard(*shard);
      o.force = *force;
      o.quiet = *quiet;
      o.max_runs = *max_runs;
      const StudyOutcome out = run_study(s, o);
      auto store = Store::open_read_only(out.store_file);
      if (!*quiet) std::fputs(summary_text(*store).c_str(), stdout);
      const fs::path folder = out.store_file.parent_path();
      std::printf("\nstore    %s (%d of %d runs done%s)\n", out.store_file.string().c_str(), out.done_before + out.done_now, out.planned,
                  out.interrupted ? "; interrupted: run the same command again to finish" : "");
      std::printf("exports  %s, %s\n", (folder / "runs.csv").string().c_str(), (folder / "emissions.csv").string().c_str());
      // The report of a whole study (a shard's runs are reported after the merge).
      if (o.shard_n == 1 && out.done_before + out.done_now > 0) {
        try {
          const report::ReportFiles rep = report::write_report(folder);
          std::printf("report   %s (also %s, %s)\n", rep.html.string().c_str(), rep.markdown.string().c_str(), rep.csv.string().c_str());
          for (auto& a : rep.answers) std::printf("  %s\n", a.c_str());
        } catch (const Error& e) {
          std::printf("report   not written: %s (the store is complete; `ecoinfer report %s` retries)\n", e.what(),
                      folder.string().c_str());
        }
      }
      if (!out.flagged.empty()) {
        std::printf("checks   %zu runs failed a check and are kept but flagged:\n", out.flagged.size());
        for (auto& l : out.flagged) std::printf("  %s\n", l.c_str());
      }
      // The conventional status of a command stopped by SIGINT; everything is stored. CLI11
      // exits with a RuntimeError's code without printing anything.
      if (out.interrupted) throw CLI::RuntimeError(130);
    });
  }

  // export
  {
    auto out = std::make_shared<std::string>();
    CLI::App* cmd = study->add_subcommand("export", "regenerate runs.csv and emissions.csv from the store");
    cmd->add_option("out", *out, "the study's output folder (or a shard's)")->required();
    cmd->callback([out] {
      auto store = Store::open(fs::path(*out) / "results.sqlite", false);
      write_exports(*store, *out);
      std::printf("wrote %s and %s\n", (fs::path(*out) / "runs.csv").string().c_str(), (fs::path(*out) / "emissions.csv").string().c_str());
    });
  }

  // merge
  {
    auto out = std::make_shared<std::string>();
    auto inputs = std::make_shared<std::vector<std::string>>();
    CLI::App* cmd = study->add_subcommand("merge", "merge the shard stores of a study into OUT/results.sqlite; refuses other specs, reports duplicates and missing runs");
    cmd->add_option("out", *out, "the study's output folder")->required();
    cmd->add_option("stores", *inputs, "shard stores to merge [every OUT/shards/*/results.sqlite]");
    cmd->callback([out, inputs] {
      std::vector<fs::path> in(inputs->begin(), inputs->end());
      const MergeOutcome m = merge_stores(*out, in);
      std::printf("merged   %d of %d planned runs into %s (%d new)\n", m.merged_runs, m.planned, m.store_file.string().c_str(), m.added_now);
      try {
        const report::ReportFiles rep = report::write_report(*out);
        std::printf("report   %s\n", rep.html.string().c_str());
      } catch (const Error& e) {
        std::printf("report   not written: %s\n", e.what());
      }
      if (!m.duplicates.empty()) {
        std::printf("duplicates (first kept): %zu\n", m.duplicates.size());
        for (auto& d : m.duplicates) std::printf("  %s\n", d.c_str());
      }
      if (!m.missing.empty()) {
        std::printf("missing: %zu runs no shard has completed (run the shards again to finish them)\n", m.missing.size());
        for (size_t i = 0; i < m.missing.size() && i < 20; ++i) std::printf("  %s\n", m.missing[i].c_str());
        if (m.missing.size() > 20) std::printf("  ... %zu more\n", m.missing.size() - 20);
      }
      for (auto& s : m.skipped) std::printf("skipped  %s\n", s.c_str());
    });
  }

  // upgrade
  {
    auto path = std::make_shared<std::string>();
    CLI::App* cmd = study->add_subcommand("upgrade", "upgrade a store written by an older ecoinfer to this one's schema, in place");
    cmd->add_option("store", *path, "results.sqlite, or the folder holding it")->required();
    cmd->callback([path] {
      fs::path file = *path;
      if (std::error_code ec; fs::is_directory(file, ec)) file /= "results.sqlite";
      const int before = Store::schema_version_of(file);
      ECO_CHECK(before > 0, "{}: not a study store", file.string());
      Store::open(file, false);  // opening for writing upgrades
      if (before == kSchemaVersion)
        std::printf("%s: already schema version %d\n", file.string().c_str(), kSchemaVersion);
      else
        std::printf("%s: upgraded from schema version %d to %d (docs/study-schema.md, Migrations)\n", file.string().c_str(), before,
                    kSchemaVersion);
    });
  }

  add_study_slurm_commands(study);
}

}  // namespace ecoinfer::cli
