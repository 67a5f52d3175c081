#!/usr/bin/env python3
"""Tests of bench/provenance.py: raw files are never overwritten, names say date and commit.

Run: python3 bench/provenance_test.py (standard library only; uses temporary folders and a
throw-away git repository, never bench/results/)."""
import datetime
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import provenance  # noqa: E402

DAY = datetime.datetime(2026, 11, 28, 19, 5, tzinfo=datetime.timezone.utc)


def git(repo, *args):
    subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True)


class ReserveTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def test_default_name_has_date_benchmark_and_commit(self):
        path = provenance.reserve("ort_compare", results=self.dir, now=DAY, label="b6e1600")
        self.assertEqual(path, os.path.join(self.dir, "2026-11-28-ort_compare-b6e1600.json"))
        self.assertEqual(os.path.getsize(path), 0)  # reserved, empty until the run writes it

    def test_a_dirty_checkout_is_named_dirty(self):
        path = provenance.reserve("ort_compare", results=self.dir, now=DAY, label="afe0556+dirty")
        self.assertTrue(path.endswith("2026-11-28-ort_compare-afe0556-dirty.json"), path)

    def test_a_taken_default_name_gets_the_next_counter_and_keeps_the_old_file(self):
        first = provenance.reserve("tactics_compare", results=self.dir, now=DAY, label="d3c321d")
        with open(first, "w") as f:
            f.write('{"old": true}')
        second = provenance.reserve("tactics_compare", results=self.dir, now=DAY, label="d3c321d")
        third = provenance.reserve("tactics_compare", results=self.dir, now=DAY, label="d3c321d")
        self.assertTrue(second.endswith("-d3c321d-2.json"), second)
        self.assertTrue(third.endswith("-d3c321d-3.json"), third)
        with open(first) as f:
            self.assertEqual(f.read(), '{"old": true}')

    def test_an_explicit_out_that_exists_is_refused_and_left_alone(self):
        out = os.path.join(self.dir, "mine.json")
        with open(out, "w") as f:
            f.write("keep me")
        with self.assertRaisesRegex(provenance.RefusedError, "already exists.*never overwritten"):
            provenance.reserve("ort_compare", out=out)
        with open(out) as f:
            self.assertEqual(f.read(), "keep me")

    def test_an_explicit_out_is_created_with_its_folder(self):
        out = os.path.join(self.dir, "new", "run.json")
        self.assertEqual(provenance.reserve("ort_compare", out=out), out)
        self.assertTrue(os.path.isfile(out))

    def test_a_malformed_benchmark_name_is_refused(self):
        with self.assertRaises(provenance.RefusedError):
            provenance.reserve("../escape", results=self.dir, now=DAY, label="abc")

    def test_release_removes_only_an_empty_placeholder(self):
        empty = provenance.reserve("x", results=self.dir, now=DAY, label="a")
        full = provenance.reserve("y", results=self.dir, now=DAY, label="a")
        with open(full, "w") as f:
            f.write("{}")
        provenance.release(empty)
        provenance.release(full)
        provenance.release(empty)  # already gone: not an error
        self.assertFalse(os.path.exists(empty))
        self.assertTrue(os.path.exists(full))

    def test_reserved_removes_the_placeholder_when_the_run_fails_and_keeps_a_written_file(self):
        failed, written = os.path.join(self.dir, "failed.json"), os.path.join(self.dir, "written.json")
        with self.assertRaises(RuntimeError):
            with provenance.reserved("x", failed, "prog.py") as path:
                self.assertTrue(os.path.exists(path))
                raise RuntimeError("benchmark failed")
        self.assertFalse(os.path.exists(failed))
        with provenance.reserved("x", written, "prog.py") as path:
            with open(path, "w") as f:
                f.write("{}")
        with open(written) as f:
            self.assertEqual(f.read(), "{}")

    def test_reserved_exits_naming_the_script_when_out_exists(self):
        out = os.path.join(self.dir, "taken.json")
        open(out, "w").close()
        with self.assertRaises(SystemExit) as e:
            with provenance.reserved("x", out, "compare_torchvision.py"):
                self.fail("the run must not start")
        self.assertRegex(str(e.exception.code), r"^compare_torchvision.py: .*taken.json already exists")

    def test_cli_refuses_an_existing_out_with_exit_status_1(self):
        out = os.path.join(self.dir, "taken.json")
        open(out, "w").close()
        r = subprocess.run([sys.executable, provenance.__file__, "--prog", "compare_ort.sh", "reserve", "ort_compare",
                            "--out", out], capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stderr.startswith(f"compare_ort.sh: {out} already exists"), r.stderr)


class CommitTest(unittest.TestCase):
    def test_commit_label_is_dirty_only_for_build_inputs(self):
        with tempfile.TemporaryDirectory() as repo:
            git(repo, "init", "-q")
            os.makedirs(os.path.join(repo, "src"))
            os.makedirs(os.path.join(repo, "docs"))
            for p in ("src/a.cpp", "docs/a.md"):
                with open(os.path.join(repo, p), "w") as f:
                    f.write("1\n")
            git(repo, "add", ".")
            git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init")
            short = subprocess.run(["git", "-C", repo, "rev-parse", "--short", "HEAD"], capture_output=True,
                                   text=True, check=True).stdout.strip()
            self.assertEqual(provenance.commit_label(repo), short)
            with open(os.path.join(repo, "docs/a.md"), "w") as f:
                f.write("2\n")
            self.assertEqual(provenance.commit_label(repo), short)  # docs do not change the binary
            with open(os.path.join(repo, "src/new.cpp"), "w") as f:
                f.write("x\n")
            self.assertEqual(provenance.commit_label(repo), short + "+dirty")
            self.assertEqual(provenance.commit_state(repo)[2], 1)

    def test_outside_a_repository_the_commit_is_unknown(self):
        with tempfile.TemporaryDirectory() as d:
            self.assertEqual(provenance.commit_label(d), "unknown")


class ContextTest(unittest.TestCase):
    def test_context_records_commit_date_machine_and_tools(self):
        os.environ["OMP_WAIT_POLICY"] = "passive"
        try:
            ctx = provenance.context(ecoinfer=sys.executable, tools={"node": "v20"})
        finally:
            del os.environ["OMP_WAIT_POLICY"]
        json.dumps(ctx)  # serialisable as is
        self.assertRegex(ctx["commit"], r"^([0-9a-f]{4,}(\+dirty)?|unknown)$")
        self.assertRegex(ctx["date"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        m = ctx["machine"]
        self.assertTrue(m["cpu_model"])
        self.assertEqual(m["logical_cpus"], os.cpu_count())
        self.assertGreaterEqual(m["usable_cpus"], 1)
        self.assertEqual(ctx["tools"]["node"], "v20")
        self.assertEqual(len(ctx["tools"]["ecoinfer"]["sha256"]), 64)
        self.assertEqual(ctx["env"]["OMP_WAIT_POLICY"], "passive")

    def test_a_missing_binary_is_recorded_as_not_found(self):
        self.assertEqual(provenance.ecoinfer_binary("/nonexistent/ecoinfer"),
                         {"path": "/nonexistent/ecoinfer", "found": False})


if __name__ == "__main__":
    unittest.main()
