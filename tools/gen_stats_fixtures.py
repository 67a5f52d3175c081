#!/usr/bin/python3
"""Writes the scipy-parity fixtures of src/stats under tests/fixtures/stats/.

Generation only (never needed to build or test): run with Debian 12's python3-scipy
(scipy 1.10, numpy 1.24) and R, `apt-get install -y python3-scipy r-base-core`, then
    /usr/bin/python3 tools/gen_stats_fixtures.py
The data come from a seeded numpy generator, so reruns give the same files.

References:
  - descriptive: numpy mean, std(ddof=1), median, percentile (method "linear").
  - Shapiro-Wilk: scipy.stats.shapiro, which runs AS R94 in single precision, and R's
    shapiro.test, the same algorithm in double precision (stored as r_w / r_p): the
    tests hold ecoinfer to R tightly and to scipy within float32's rounding.
  - Mann-Whitney U (method "auto" and the method it chose), Welch's t,
    Kruskal-Wallis, tiecorrect, rankdata: scipy.stats.
  - Cliff's delta: its definition, P(a > b) - P(a < b), by numpy broadcasting; A12 from
    scipy's U: U_a / (n_a n_b).
  - Dunn's test: scipy has none, so the reference is the textbook formula (Dunn 1964, the
    tie-corrected variance of scikit-posthocs / R dunn.test) written here in numpy, with
    Holm's step-down adjustment written out as in statsmodels' multipletests.
  - Bootstrap: the algorithm documented in src/stats/bootstrap.h (std::mt19937_64,
    rejection of draws below 2^64 mod n) reimplemented here in pure Python.
"""
import json
import os
import subprocess
import sys

import numpy as np
import scipy
from scipy import stats
from scipy.stats._mannwhitneyu import _mwu_choose_method

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "stats")
rng = np.random.default_rng(20240601)


def floats(x):
    return [float(v) for v in x]


def num(v):
    """A finite float, or None for nan/inf (JSON has neither)."""
    v = float(v)
    return v if np.isfinite(v) else None


# ---- samples -------------------------------------------------------------------------

def normal(n, loc=10.0, scale=1.0):
    return rng.normal(loc, scale, n)


def lognormal(n, mean=1.0, sigma=0.3):
    return rng.lognormal(mean, sigma, n)  # energy-like: positive, right-skewed


def tied(n, step=0.5, loc=10.0):
    return np.round(rng.normal(loc, 1.0, n) / step) * step  # measurement-like ties


# ---- two samples: descriptive, Shapiro-Wilk, Mann-Whitney, Welch, effect sizes --------

def describe(x):
    x = np.asarray(x)
    q1, q3 = np.percentile(x, [25, 75])
    iqr = q3 - q1
    return {"n": len(x), "mean": num(np.mean(x)), "sd": num(np.std(x, ddof=1)), "median": num(np.median(x)),
            "q1": num(q1), "q3": num(q3), "iqr": num(iqr), "min": num(x.min()), "max": num(x.max()),
            "outliers": [bool(v < q1 - 1.5 * iqr or v > q3 + 1.5 * iqr) for v in x]}


def r_shapiro(x):
    """R's shapiro.test(x): (W, p) in double precision."""
    script = 'x <- scan(file("stdin"), quiet = TRUE); r <- shapiro.test(x); cat(sprintf("%.17g %.17g", r$statistic, r$p.value))'
    out = subprocess.run(["Rscript", "-e", script], input="\n".join(repr(float(v)) for v in x), capture_output=True,
                         text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def shapiro(x):
    if np.ptp(x) == 0:
        return None  # scipy warns and returns W = 1, p = 1; ecoinfer reports "undefined"
    w, p = stats.shapiro(x)
    r_w, r_p = r_shapiro(x)
    return {"w": float(w), "p": float(p), "r_w": r_w, "r_p": r_p}


def two_sample_case(name, a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    xy = np.concatenate([a, b])
    method = _mwu_choose_method(len(a), len(b), xy, "auto")
    mw = stats.mannwhitneyu(a, b, alternative="two-sided", method="auto")
    welch = None
    if np.var(a) + np.var(b) > 0:
        t = stats.ttest_ind(a, b, equal_var=False)
        va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
        df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
        welch = {"t": float(t.statistic), "df": float(df), "p": float(t.pvalue)}
    diff = a[:, None] - b[None, :]
    delta = ((diff > 0).sum() - (diff < 0).sum()) / diff.size
    return {"name": name, "a": floats(a), "b": floats(b),
            "describe_a": describe(a), "describe_b": describe(b),
            "mann_whitney": {"u": float(mw.statistic), "p": float(mw.pvalue), "method": method},
            "welch": welch, "cliffs_delta": float(delta), "a12": float(mw.statistic) / diff.size,
            "shapiro_a": shapiro(a), "shapiro_b": shapiro(b)}


def two_sample_cases():
    cases = []
    # No ties and min(n) <= 8: scipy's exact p.
    for na, nb in [(3, 3), (3, 5), (4, 8), (5, 5), (7, 9), (8, 8), (8, 9), (6, 40), (5, 200)]:
        cases.append(two_sample_case(f"exact_normal_{na}x{nb}", normal(na), normal(nb, loc=10.8)))
    # Both above 8: asymptotic.
    for na, nb in [(9, 9), (10, 12), (20, 25), (30, 30), (50, 60), (100, 100), (200, 150)]:
        cases.append(two_sample_case(f"asymptotic_lognormal_{na}x{nb}", lognormal(na), lognormal(nb, mean=1.1)))
    # Ties force asymptotic even for small samples.
    for na, nb in [(3, 4), (5, 5), (8, 8), (12, 10), (30, 30), (200, 200)]:
        cases.append(two_sample_case(f"ties_{na}x{nb}", tied(na), tied(nb, loc=10.5)))
    # Identical samples (every value tied with its copy), and a fully tied pooled sample.
    for n in [3, 10, 30]:
        x = normal(n)
        cases.append(two_sample_case(f"identical_{n}", x, x.copy()))
    cases.append(two_sample_case("all_equal_5x6", np.full(5, 7.25), np.full(6, 7.25)))
    cases.append(two_sample_case("constant_vs_constant_4x4", np.full(4, 1.0), np.full(4, 2.0)))
    # Extreme separation: every value of a below every value of b.
    for na, nb in [(3, 3), (8, 8), (8, 30), (30, 30), (200, 200)]:
        cases.append(two_sample_case(f"separated_{na}x{nb}", normal(na, loc=1.0, scale=0.1), normal(nb, loc=100.0, scale=0.1)))
    # Heavily unequal variances (where Welch differs from Student).
    cases.append(two_sample_case("unequal_variance_15x40", normal(15, scale=0.2), normal(40, loc=10.3, scale=3.0)))
    # Published check vectors (R package effsize's tests).
    control = [10, 20, 30, 40, 40, 50]
    cases.append(two_sample_case("effsize_treatment1", [10, 10, 20, 20, 20, 30, 30, 30, 40, 50], control))
    cases.append(two_sample_case("effsize_treatment2", [10, 20, 20, 20, 30, 30, 30, 40, 50, 100], control))
    return cases


# ---- Shapiro-Wilk alone, sizes 3..5000 --------------------------------------------------

def shapiro_cases():
    cases = []
    for n in [3, 4, 5, 6, 7, 8, 11, 12, 15, 20, 30, 50, 100, 200, 1000, 5000]:
        for dist, x in [("normal", normal(n)), ("uniform", rng.uniform(0, 1, n)), ("exponential", rng.exponential(1.0, n))]:
            if n == 5000 and dist != "normal":
                continue  # one case at the upper limit keeps the file small
            if n >= 1000:
                x = np.round(x, 6)  # keeps the file small; ties are fine for Shapiro-Wilk
            cases.append({"name": f"{dist}_{n}", "x": floats(x), **shapiro(x)})
    x = tied(40, step=1.0)
    cases.append({"name": "ties_40", "x": floats(x), **shapiro(x)})
    return cases


# ---- groups: Kruskal-Wallis and Dunn -----------------------------------------------------

def holm(p):
    p = np.asarray(p, float)
    order = np.argsort(p, kind="mergesort")
    m = len(p)
    adj_sorted = np.minimum(np.maximum.accumulate(p[order] * np.arange(m, 0, -1)), 1.0)
    out = np.empty(m)
    out[order] = adj_sorted
    return out


def dunn(groups):
    pooled = np.concatenate(groups)
    ranks = stats.rankdata(pooled)
    n = len(pooled)
    _, t = np.unique(pooled, return_counts=True)
    tie_term = float((t ** 3 - t).sum())
    sizes = [len(g) for g in groups]
    bounds = np.cumsum([0] + sizes)
    mean_ranks = [ranks[bounds[i]:bounds[i + 1]].mean() for i in range(len(groups))]
    pairs = []
    for i in range(len(groups)):
        for j in range(i + 1, len(groups)):
            sigma = np.sqrt((n * (n + 1) / 12 - tie_term / (12 * (n - 1))) * (1 / sizes[i] + 1 / sizes[j]))
            z = (mean_ranks[i] - mean_ranks[j]) / sigma
            pairs.append({"a": i, "b": j, "z": float(z), "p": float(2 * stats.norm.sf(abs(z)))})
    for pair, adj in zip(pairs, holm([d["p"] for d in pairs])):
        pair["p_holm"] = float(adj)
    return pairs


def groups_case(name, groups):
    groups = [np.asarray(g, float) for g in groups]
    case = {"name": name, "groups": [floats(g) for g in groups]}
    if np.ptp(np.concatenate(groups)) == 0:
        case["kruskal"] = None  # scipy raises "All numbers are identical in kruskal"
        case["dunn"] = None
        return case
    kw = stats.kruskal(*groups)
    case["kruskal"] = {"h": float(kw.statistic), "p": float(kw.pvalue)}
    case["dunn"] = dunn(groups)
    return case


def groups_cases():
    cases = []
    cases.append(groups_case("three_small_3", [normal(3), normal(3, loc=11), normal(3, loc=12)]))
    cases.append(groups_case("three_unequal", [normal(5), normal(9, loc=10.5), normal(14, loc=10.2)]))
    cases.append(groups_case("four_lognormal_30", [lognormal(30, mean=m) for m in (1.0, 1.0, 1.15, 0.9)]))
    cases.append(groups_case("six_lognormal_30", [lognormal(30, mean=1.0 + 0.05 * k) for k in range(6)]))
    cases.append(groups_case("five_ties_20", [tied(20, loc=10 + 0.3 * k) for k in range(5)]))
    cases.append(groups_case("two_groups_200", [normal(200), normal(150, loc=10.2)]))
    cases.append(groups_case("three_sizes_200", [normal(200), normal(100, loc=10.1), normal(3, loc=9.0)]))
    same = normal(10)
    cases.append(groups_case("identical_groups", [same, same.copy(), same.copy()]))
    cases.append(groups_case("separated", [normal(10, loc=1), normal(10, loc=50), normal(10, loc=100)]))
    cases.append(groups_case("all_equal", [np.full(4, 3.0), np.full(5, 3.0), np.full(3, 3.0)]))
    return cases


def tiecorrect_cases():
    out = []
    for x in ([1, 2.5, 2.5, 4], [1, 2, 3, 4], [5, 5, 5, 5], [1, 1, 2, 2, 2, 3], list(tied(50, step=1.0))):
        out.append({"x": floats(x), "ranks": floats(stats.rankdata(x)), "tiecorrect": float(stats.tiecorrect(stats.rankdata(x)))})
    return out


# ---- bootstrap: the C++ algorithm in Python ----------------------------------------------

class MT19937_64:
    """std::mt19937_64 as the C++ standard specifies it ([rand.eng.mers], [rand.predef])."""
    N, M, MASK = 312, 156, (1 << 64) - 1

    def __init__(self, seed):
        self.mt = [seed & self.MASK]
        for i in range(1, self.N):
            prev = self.mt[-1]
            self.mt.append((6364136223846793005 * (prev ^ (prev >> 62)) + i) & self.MASK)
        self.i = self.N

    def _twist(self):
        mt, N, M = self.mt, self.N, self.M
        upper, lower = 0xFFFFFFFF80000000, 0x7FFFFFFF
        for k in range(N):
            y = (mt[k] & upper) | (mt[(k + 1) % N] & lower)
            v = mt[(k + M) % N] ^ (y >> 1)
            if y & 1:
                v ^= 0xB5026F5AA96619E9
            mt[k] = v
        self.i = 0

    def __call__(self):
        if self.i >= self.N:
            self._twist()
        y = self.mt[self.i]
        self.i += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000
        y ^= (y << 37) & 0xFFF7EEE000000000
        y ^= y >> 43
        return y & self.MASK


def check_engine():
    e = MT19937_64(5489)  # the standard's check: the 10000th output of a default-constructed engine
    for _ in range(9999):
        e()
    assert e() == 9981545732273789042, "MT19937_64 does not match the C++ standard"


class ResampleIndices:
    def __init__(self, seed):
        self.engine = MT19937_64(seed)

    def next(self, n):
        reject_below = (1 << 64) % n
        while True:
            x = self.engine()
            if x >= reject_below:
                return x % n


def resample_median(x, idx):
    return float(np.median([x[idx.next(len(x))] for _ in range(len(x))]))


def bootstrap_cases():
    check_engine()
    cases = []
    for name, x, seed, resamples in [("lognormal_30", lognormal(30), 20240601, 10000),
                                     ("ties_12", tied(12), 7, 10000),
                                     ("normal_5", normal(5), 123456789, 2000)]:
        idx = ResampleIndices(seed)
        meds = np.array([resample_median(x, idx) for _ in range(resamples)])
        lo, hi = np.quantile(meds, [0.025, 0.975])
        cases.append({"kind": "median", "name": name, "x": floats(x), "seed": seed, "resamples": resamples,
                      "confidence": 0.95, "median": float(np.median(x)), "lo": float(lo), "hi": float(hi)})
    for name, base, treat, seed, resamples, conf in [("lognormal_30x30", lognormal(30), lognormal(30, mean=0.9), 20240601, 10000, 0.95),
                                                     ("ties_10x14", tied(10), tied(14, loc=9.0), 99, 10000, 0.9)]:
        idx = ResampleIndices(seed)
        changes = []
        for _ in range(resamples):
            mb = resample_median(base, idx)
            mt = resample_median(treat, idx)
            changes.append(100 * (mt - mb) / mb)
        lo, hi = np.quantile(np.array(changes), [(1 - conf) / 2, 1 - (1 - conf) / 2])
        mb, mt = np.median(base), np.median(treat)
        cases.append({"kind": "relative_change", "name": name, "baseline": floats(base), "treatment": floats(treat),
                      "seed": seed, "resamples": resamples, "confidence": conf,
                      "percent": float(100 * (mt - mb) / mb), "lo": float(lo), "hi": float(hi)})
    return cases


def write(name, payload):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump({"generator": "tools/gen_stats_fixtures.py", "scipy": scipy.__version__, "numpy": np.__version__,
                   "cases": payload}, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(path)} ({len(payload)} cases)")


def main():
    if not scipy.__version__.startswith("1.10"):
        sys.exit(f"expected scipy 1.10 (Debian 12's python3-scipy), found {scipy.__version__}")
    os.makedirs(OUT, exist_ok=True)
    write("two_sample.json", two_sample_cases())
    write("shapiro.json", shapiro_cases())
    write("groups.json", groups_cases())
    write("tiecorrect.json", tiecorrect_cases())
    write("bootstrap.json", bootstrap_cases())


if __name__ == "__main__":
    main()
