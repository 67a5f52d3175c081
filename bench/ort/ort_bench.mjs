#!/usr/bin/env node
// ONNX Runtime side of ecoinfer's comparison benchmark (bench/compare_ort.sh).
//
// Measures exactly what `ecoinfer bench --json` measures (src/cli/cmd_bench.cpp):
//   - warm-up: runs until --warmup seconds have passed and at least 3 runs are done, not measured;
//   - timed: runs until --seconds have passed and at least 5 runs are done; each run's wall latency is
//     taken around one session.run();
//   - percentiles by linear interpolation between closest ranks (numpy's default);
//   - images_per_s = batch × runs / (wall time of the whole timed loop).
// and prints one JSON object with the same keys.
//
// Usage: node ort_bench.mjs MODEL [--batch N] [--threads N] [--seconds S] [--warmup S]
//                                 [--shape C,H,W] [--graph-opt all|extended|basic|disabled]
// MODEL is a model folder (model.onnx or onnx/model.onnx inside) or an .onnx file.

import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import ort from 'onnxruntime-node';

function usage(msg) {
  if (msg) process.stderr.write(`ort_bench: ${msg}\n`);
  process.stderr.write(
    'usage: node ort_bench.mjs MODEL [--batch N] [--threads N] [--seconds S] [--warmup S] ' +
      '[--shape C,H,W] [--graph-opt all|extended|basic|disabled]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const a = { model: null, batch: 1, threads: os.availableParallelism?.() ?? os.cpus().length, seconds: 3,
              warmup: 0.5, shape: null, graphOpt: 'all' };
  for (let i = 0; i < argv.length; ++i) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      return argv[++i];
    };
    const num = (v, lo, int) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < lo || (int && !Number.isInteger(n))) usage(`${arg}: bad value '${v}'`);
      return n;
    };
    switch (arg) {
      case '--batch': a.batch = num(value(), 1, true); break;
      case '--threads': a.threads = num(value(), 1, true); break;
      case '--seconds': a.seconds = num(value(), 0.01, false); break;
      case '--warmup': a.warmup = num(value(), 0, false); break;
      case '--shape': a.shape = value().split(',').map((d) => num(d, 1, true)); break;
      case '--graph-opt': a.graphOpt = value(); break;
      case '-h': case '--help': usage(); break;
      default:
        if (arg.startsWith('-') || a.model !== null) usage(`unexpected argument '${arg}'`);
        a.model = arg;
    }
  }
  if (a.model === null) usage('MODEL is required');
  if (!['all', 'extended', 'basic', 'disabled'].includes(a.graphOpt)) usage(`--graph-opt: bad value '${a.graphOpt}'`);
  return a;
}

function resolveOnnx(model) {
  if (!fs.existsSync(model)) throw new Error(`${model}: no such file or folder`);
  if (fs.statSync(model).isFile()) return model;
  for (const rel of ['model.onnx', path.join('onnx', 'model.onnx')]) {
    const p = path.join(model, rel);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`${model}: no model.onnx or onnx/model.onnx in this folder`);
}

// Linear interpolation between closest ranks (numpy's default), as ecoinfer's bench does.
function percentile(sorted, p) {
  const pos = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

// Seeded standard-normal values (mulberry32 + Box–Muller): the same input on every run of the script.
function normalFill(buf, seed) {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = 0; i < buf.length; i += 2) {
    const u1 = 1 - uniform(); // (0, 1]
    const u2 = uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    buf[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < buf.length) buf[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
}

// The input's shape: from the session's metadata where ORT exposes it (symbolic or unknown dims become the
// batch for dim 0 and 1 elsewhere, as in ecoinfer), else [batch, ...--shape]. --shape overrides metadata.
function inputShape(session, name, args) {
  if (args.shape) return [args.batch, ...args.shape];
  const meta = (session.inputMetadata ?? []).find((m) => m.name === name);
  if (!meta || !Array.isArray(meta.shape) || meta.shape.length === 0) {
    throw new Error(`input '${name}': the session does not report its shape; pass --shape C,H,W`);
  }
  if (meta.type !== undefined && meta.type !== 'float32') {
    throw new Error(`input '${name}' is ${meta.type}; this bench feeds float32 only`);
  }
  return meta.shape.map((d, i) => (i === 0 ? args.batch : typeof d === 'number' && d > 0 ? d : 1));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const onnxPath = resolveOnnx(args.model);
  const session = await ort.InferenceSession.create(onnxPath, {
    executionProviders: ['cpu'],
    intraOpNumThreads: args.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: args.graphOpt,
  });
  const feeds = {};
  session.inputNames.forEach((name, k) => {
    const shape = inputShape(session, name, args);
    const data = new Float32Array(shape.reduce((x, y) => x * y, 1));
    normalFill(data, k);
    feeds[name] = new ort.Tensor('float32', data, shape);
  });

  const runFor = async (seconds, minRuns, lat) => {
    const start = performance.now();
    for (let i = 0; ; ++i) {
      const t0 = performance.now();
      await session.run(feeds);
      const t1 = performance.now();
      if (lat) lat.push(t1 - t0);
      if (i + 1 >= minRuns && (t1 - start) / 1000 >= seconds) break;
    }
    return (performance.now() - start) / 1000;
  };
  await runFor(args.warmup, 3, null);
  const lat = [];
  const total = await runFor(args.seconds, 5, lat);
  const sorted = [...lat].sort((x, y) => x - y);
  const sum = lat.reduce((x, y) => x + y, 0);
  const result = {
    model: args.model,
    batch: args.batch,
    threads: args.threads,
    runs: lat.length,
    p50_ms: percentile(sorted, 50),
    p90_ms: percentile(sorted, 90),
    p99_ms: percentile(sorted, 99),
    mean_ms: sum / lat.length,
    min_ms: sorted[0],
    images_per_s: (args.batch * lat.length) / total,
    executor: 'onnxruntime',
    onnxruntime_version: ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown',
    graph_optimization_level: args.graphOpt,
    input_shape: Object.values(feeds)[0]?.dims ?? [],
  };
  await session.release();
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((err) => {
  process.stderr.write(`ort_bench: ${err?.message ?? err}\n`);
  process.exit(1);
});
