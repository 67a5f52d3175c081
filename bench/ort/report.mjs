#!/usr/bin/env node
// Table and JSON for bench/compare_ort.sh.
//
// Usage: node report.mjs RAW.jsonl CONTEXT.json OUT.json
// RAW.jsonl: one line per bench run: {"model": NAME, "path": P, "batch": B, "threads": T, "round": R,
//            "engine": "ecoinfer"|"ecoinfer-compile"|"onnxruntime", "result": <the bench's JSON object>}
// Per cell (model, batch, threads) and engine, the figures are the median over rounds of p50_ms and of
// images_per_s (one round: the run's own figures). Ratios: ecoinfer p50 / ORT p50 and
// ORT images/s / ecoinfer images/s, for the eager and the compiled (planned) executor; > 1 means
// ecoinfer is slower. The 1.5x target is judged on ecoinfer's best fp32 configuration, compile (ORT
// runs its own graph optimizations by default), and the eager ratio is reported beside it.

import fs from 'node:fs';

const TARGET = 1.5; // issue 2: within 1.5× of ONNX Runtime

const [rawPath, contextPath, outPath] = process.argv.slice(2);
if (!outPath) {
  process.stderr.write('usage: node report.mjs RAW.jsonl CONTEXT.json OUT.json\n');
  process.exit(2);
}
const runs = fs.readFileSync(rawPath, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const context = JSON.parse(fs.readFileSync(contextPath, 'utf8'));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const cells = new Map();
for (const r of runs) {
  const key = `${r.model}\u0000${r.batch}\u0000${r.threads}`;
  if (!cells.has(key)) cells.set(key, { model: r.model, path: r.path, batch: r.batch, threads: r.threads, runs: [] });
  cells.get(key).runs.push(r);
}

const summarize = (cellRuns, engine) => {
  const rs = cellRuns.filter((r) => r.engine === engine).map((r) => r.result);
  if (rs.length === 0) return null;
  return {
    p50_ms: median(rs.map((r) => r.p50_ms)),
    p90_ms: median(rs.map((r) => r.p90_ms)),
    p99_ms: median(rs.map((r) => r.p99_ms)),
    images_per_s: median(rs.map((r) => r.images_per_s)),
    rounds: rs.length,
    timed_runs: rs.map((r) => r.runs),
  };
};

const results = [];
for (const c of cells.values()) {
  const eco = summarize(c.runs, 'ecoinfer');
  const comp = summarize(c.runs, 'ecoinfer-compile');
  const ort = summarize(c.runs, 'onnxruntime');
  const p50Ratio = eco && ort ? eco.p50_ms / ort.p50_ms : null;
  const ipsRatio = eco && ort ? ort.images_per_s / eco.images_per_s : null;
  const compP50Ratio = comp && ort ? comp.p50_ms / ort.p50_ms : null;
  const compIpsRatio = comp && ort ? ort.images_per_s / comp.images_per_s : null;
  results.push({
    model: c.model,
    path: c.path,
    batch: c.batch,
    threads: c.threads,
    ecoinfer: eco,
    ecoinfer_compile: comp,
    onnxruntime: ort,
    ratio_p50: p50Ratio, // ecoinfer (eager) p50 / ORT p50
    ratio_images_per_s: ipsRatio, // ORT images/s / ecoinfer (eager) images/s
    compile_ratio_p50: compP50Ratio,
    compile_ratio_images_per_s: compIpsRatio,
    within_target: compP50Ratio !== null && compIpsRatio !== null ? Math.max(compP50Ratio, compIpsRatio) <= TARGET : null,
    raw: c.runs.map((r) => ({ round: r.round, engine: r.engine, ...r.result })),
  });
}

const doc = { ...context, target_ratio: TARGET, results };
fs.writeFileSync(outPath, JSON.stringify(doc, null, 2) + '\n');

const f = (x, d) => (x === null || x === undefined ? '-' : x.toFixed(d));
const header = ['model', 'batch', 'threads', 'eager p50 ms', 'compile p50 ms', 'ORT p50 ms', 'compile img/s', 'ORT img/s',
                'eager p50 ratio', 'compile p50 ratio', 'compile img/s ratio', '≤1.5×'];
const rows = results.map((r) => [
  r.model, String(r.batch), String(r.threads),
  f(r.ecoinfer?.p50_ms, 3), f(r.ecoinfer_compile?.p50_ms, 3), f(r.onnxruntime?.p50_ms, 3),
  f(r.ecoinfer_compile?.images_per_s, 1), f(r.onnxruntime?.images_per_s, 1),
  f(r.ratio_p50, 2), f(r.compile_ratio_p50, 2), f(r.compile_ratio_images_per_s, 2),
  r.within_target === null ? '-' : r.within_target ? 'yes' : 'no',
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cols) => cols.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
process.stdout.write(line(header) + '\n');
process.stdout.write(widths.map((w) => '-'.repeat(w)).join('  ') + '\n');
for (const row of rows) process.stdout.write(line(row) + '\n');
process.stdout.write('ratios: ecoinfer p50 / ORT p50 and ORT images/s / ecoinfer images/s; > 1 means ecoinfer is slower.\n');
process.stdout.write('≤1.5×: both compile ratios (ecoinfer\'s fp32 planned executor; ORT optimizes its graph by default).\n');
process.stdout.write(`results: ${outPath}\n`);
