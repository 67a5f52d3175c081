#!/usr/bin/env python3
"""Raw-file names and run records for the benchmark scripts (standard library only).

Raw files are never overwritten (project rule). The default name says when the run was and
what it measured: bench/results/DATE-BENCHMARK-COMMIT.json (DATE in UTC; COMMIT the checkout's
short hash, "-dirty" when src/ or CMakeLists.txt has uncommitted changes), then -2, -3, ... when
that name is taken. An explicit path that exists is refused. The name is reserved when the run
starts by creating the file exclusively (O_EXCL), so two runs cannot pick the same one; the
script fills its own empty placeholder at the end and removes it if the run fails.

Command line, for the shell scripts (python scripts import the functions); --prog NAME before
the command prefixes error messages with the calling script's name:
  provenance.py reserve BENCHMARK [--out PATH]   create the output file empty, print its path
  provenance.py context [--ecoinfer BIN] [--tool NAME=VERSION ...]
                                                 print the run record (JSON): commit, date,
                                                 machine, tool versions, performance env
  provenance.py release PATH                     remove PATH if it is still empty (a failed run)
"""
import argparse
import contextlib
import datetime
import errno
import hashlib
import json
import os
import platform
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(REPO, "bench", "results")
# What the ecoinfer binary is built from: a change here makes the checkout's commit an
# incomplete description of what ran.
BUILD_INPUTS = ["src", "CMakeLists.txt"]
# Environment that changes the figures (OpenMP waiting, oneDNN, allocator, OpenBLAS).
PERF_ENV = re.compile(r"^(OMP_|GOMP_|KMP_|DNNL_|ONEDNN_|OPENBLAS_|GLIBC_TUNABLES$|MALLOC_)")


class RefusedError(Exception):
    """The output path cannot be used (it exists, or its name is malformed)."""


def _run(cmd, cwd=None):
    """stdout of cmd, stripped, or None when it cannot run or fails."""
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return r.stdout.strip() if r.returncode == 0 else None


def commit_state(repo=REPO):
    """(short hash or "unknown", full hash or None, number of uncommitted build-input paths)."""
    short = _run(["git", "-C", repo, "rev-parse", "--short", "HEAD"]) or "unknown"
    full = _run(["git", "-C", repo, "rev-parse", "HEAD"])
    status = _run(["git", "-C", repo, "status", "--porcelain", "--untracked-files=all", "--", *BUILD_INPUTS])
    changed = len(status.splitlines()) if status else 0
    return short, full, changed


def commit_label(repo=REPO):
    """The commit as records give it: "abc1234" or "abc1234+dirty"."""
    short, _, changed = commit_state(repo)
    return short + ("+dirty" if changed else "")


def _create_exclusive(path):
    """Creates path empty; False if it exists. link(2)/O_EXCL never replace a file."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        return True
    except FileExistsError:
        return False


def reserve(benchmark, out=None, results=RESULTS, now=None, label=None):
    """Creates the output file empty and returns its path.

    out: an explicit path, refused if it exists. Otherwise results/DATE-BENCHMARK-COMMIT.json,
    or the first free -N suffix."""
    if out is not None:
        parent = os.path.dirname(os.path.abspath(out))
        os.makedirs(parent, exist_ok=True)
        if not _create_exclusive(out):
            raise RefusedError(f"{out} already exists; raw benchmark files are never overwritten: "
                               "give a new --out, or leave it out for a dated name in bench/results/")
        return out
    if not re.fullmatch(r"[A-Za-z0-9_]+", benchmark):
        raise RefusedError(f"benchmark name '{benchmark}' must be letters, digits and _")
    now = now or datetime.datetime.now(datetime.timezone.utc)
    label = (label or commit_label()).replace("+", "-")
    os.makedirs(results, exist_ok=True)
    stem = os.path.join(results, f"{now:%Y-%m-%d}-{benchmark}-{label}")
    for n in range(1, 10000):
        path = stem + (".json" if n == 1 else f"-{n}.json")
        if _create_exclusive(path):
            return path
    raise RefusedError(f"{stem}-*.json: 9999 files of that name exist")


def release(path):
    """Removes a reserved output that is still empty (the run failed before writing it)."""
    try:
        if os.path.getsize(path) == 0:
            os.remove(path)
    except OSError as e:
        if e.errno != errno.ENOENT:
            raise


@contextlib.contextmanager
def reserved(benchmark, out, prog):
    """with reserved(...) as path: the run writes path; a refused --out exits with prog's message
    before the run, and a run that fails leaves no empty file behind."""
    try:
        path = reserve(benchmark, out)
    except (RefusedError, OSError) as e:
        sys.exit(f"{prog}: {e}")
    try:
        yield path
    finally:
        release(path)


def _cpuinfo():
    """Model name, family, model number and ISA extensions that matter to the kernels."""
    info, flags, cores, sockets = {}, set(), set(), set()
    phys = None
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                key, value = key.strip(), value.strip()
                if key in ("model name", "cpu family", "model", "vendor_id") and key not in info:
                    info[key] = value
                elif key == "flags" and not flags:
                    flags = set(value.split())
                elif key == "physical id":
                    phys = value
                    sockets.add(value)
                elif key == "core id":
                    cores.add((phys, value))
    except OSError:
        pass
    isa = sorted(f for f in flags if f in ("avx2", "fma", "f16c") or f.startswith(("avx512", "amx", "avx_vnni")))
    return {
        "cpu_model": info.get("model name", platform.processor() or "unknown"),
        "vendor": info.get("vendor_id"),
        "cpu_family": int(info["cpu family"]) if info.get("cpu family", "").isdigit() else None,
        "cpu_model_number": int(info["model"]) if info.get("model", "").isdigit() else None,
        "physical_cores": len(cores) or None,
        "sockets": len(sockets) or None,
        "isa": isa,
        "hypervisor": "hypervisor" in flags,
    }


def _memory_gib():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 2**20, 2)
    except (OSError, ValueError, IndexError):
        pass
    return None


def _os_name():
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return platform.system()


def machine():
    """CPU model, cores, ISA, memory, kernel and OS of this machine."""
    m = _cpuinfo()
    m["logical_cpus"] = os.cpu_count()
    m["usable_cpus"] = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    m["memory_gib"] = _memory_gib()
    m["kernel"] = platform.release()
    m["os"] = _os_name()
    return m


def ecoinfer_binary(path):
    """What the binary is: version, build time, compiler, the oneDNN it loads, its sha256."""
    if not path or not os.path.exists(path):
        return {"path": path, "found": False}
    d = {"path": os.path.abspath(path), "version": _run([path, "--version"])}
    d["modified_utc"] = datetime.datetime.fromtimestamp(os.path.getmtime(path), datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    comment = _run(["readelf", "-p", ".comment", path]) or ""
    d["compiler"] = sorted({m.group(1).strip() for m in re.finditer(r"\]\s+(.*)", comment)}) or None
    libs = _run(["ldd", path]) or ""
    for line in libs.splitlines():
        m = re.search(r"(libdnnl\S*)\s+=>\s+(\S+)", line)
        if m:
            real = os.path.realpath(m.group(2))
            d["onednn_library"] = real
            owner = _run(["dpkg-query", "-S", real]) or _run(["dpkg-query", "-S", m.group(2)])
            if owner:
                pkg = owner.split(":")[0]
                d["onednn_package"] = f"{pkg} {_run(['dpkg-query', '-W', '-f', '${Version}', pkg]) or '?'}"
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    d["sha256"] = h.hexdigest()
    return d


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


def context(ecoinfer=None, tools=None, repo=REPO):
    """The run record every raw file carries (JSON-ready dict)."""
    short, full, changed = commit_state(repo)
    return {
        "commit": short + ("+dirty" if changed else ""),
        "commit_full": full,
        "uncommitted_build_inputs": changed,
        "commit_note": "checkout HEAD when the run started; +dirty: uncommitted changes under "
                       + " or ".join(BUILD_INPUTS) + " (the binary may include them)",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(),
        "tools": {"python": platform.python_version(), **(tools or {}),
                  **({"ecoinfer": ecoinfer_binary(ecoinfer)} if ecoinfer else {})},
        "env": {k: v for k, v in sorted(os.environ.items()) if PERF_ENV.match(k)},
        "loadavg": loadavg(),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(prog="provenance.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--prog", default="provenance.py", help="name that prefixes error messages")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("reserve")
    r.add_argument("benchmark")
    r.add_argument("--out")
    c = sub.add_parser("context")
    c.add_argument("--ecoinfer")
    c.add_argument("--tool", action="append", default=[], metavar="NAME=VERSION")
    rel = sub.add_parser("release")
    rel.add_argument("path")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "reserve":
            print(reserve(args.benchmark, args.out or None))
        elif args.cmd == "release":
            release(args.path)
        else:
            tools = {}
            for t in args.tool:
                name, sep, version = t.partition("=")
                if not sep or not name:
                    raise RefusedError(f"--tool wants NAME=VERSION, got '{t}'")
                tools[name] = version
            print(json.dumps(context(args.ecoinfer, tools), indent=2))
    except (RefusedError, OSError) as e:
        print(f"{args.prog}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
