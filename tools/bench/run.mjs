#!/usr/bin/env node
// Runs every workload in @aio (Node), as raw Node (the floor), in CPython's asyncio and, where it
// imports, uvloop — in one run, each implementation in a fresh child process — and prints
// medians and ratios. Ratios, not absolute times, are what count on a shared machine.
//
//   pnpm bench [--quick] [--only callsoon,tasks] [--reps 5] [--node /path/to/node] [--size N]
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { workloads } from './workloads/index.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const quick = flag('quick');
const reps = Number(option('reps', quick ? 1 : 5));
const only = option('only', null)?.split(',');
const nodeBin = option('node', process.execPath);
/** A size for every workload run (with --only: e.g. a longer bulk transfer, past the JIT's warm-up). */
const sizeOverride = option('size', null);
if (sizeOverride !== null && !(Number(sizeOverride) > 0))
  throw new RangeError(`--size must be a positive number, got ${sizeOverride}`);

/** The Pythons to compare with: CPython asyncio, and uvloop wherever it imports. */
function findPythons() {
  const found = [];
  const candidates = [...new Set(['python3', '/usr/bin/python3'])];
  const works = (bin, code) => spawnSync(bin, ['-c', code], { encoding: 'utf8' }).status === 0;
  const asyncioBin = candidates.find((bin) => works(bin, 'import asyncio'));
  if (asyncioBin) found.push({ name: 'cpython', bin: asyncioBin, loop: 'asyncio' });
  const uvloopBin = candidates.find((bin) => works(bin, 'import uvloop'));
  if (uvloopBin) found.push({ name: 'uvloop', bin: uvloopBin, loop: 'uvloop' });
  return found;
}

function runOnce(command, commandArgs) {
  const out = execFileSync(command, commandArgs, { encoding: 'utf8', cwd: here, maxBuffer: 1 << 24 });
  const line = out.trim().split('\n').pop();
  return JSON.parse(line);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const pythons = findPythons();
const nodeVersion = execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim();
console.log(
  `@aio benchmarks — node ${nodeVersion}; ${pythons.map((p) => `${p.name} (${p.bin})`).join(', ') || 'no python'}`,
);
console.log(`${reps} repetition(s) each, median shown${quick ? ' — quick sizes, a smoke test only' : ''}\n`);

const rows = [];
for (const workload of workloads) {
  if (only && !only.includes(workload.name)) continue;
  const size = sizeOverride !== null ? Number(sizeOverride) : quick ? workload.quickSize : workload.size;
  const result = { name: workload.name, unit: workload.unit, what: workload.describe(size) };
  const measure = (label, command, commandArgs) => {
    try {
      const samples = Array.from({ length: reps }, () => runOnce(command, commandArgs));
      result[label] = median(samples.map((s) => s.value));
    } catch (error) {
      result[label] = null;
      console.error(`  ${workload.name}/${label} failed: ${String(error.message).split('\n')[0]}`);
    }
  };
  for (const variant of workload.node) {
    measure(variant, nodeBin, [
      '--expose-gc',
      path.join(here, 'workloads', `${workload.name}.mjs`),
      variant,
      String(size),
    ]);
  }
  for (const py of pythons) {
    measure(py.name, py.bin, [path.join(here, 'workloads', `${workload.name}.py`), py.loop, String(size)]);
  }
  rows.push(result);
  console.log(format(result, workload));
}

function format(r, workload) {
  const show = (v) => (v === null || v === undefined ? '—' : `${v.toFixed(workload.digits ?? 3)} ${r.unit}`);
  const lowerIsBetter = workload.lowerIsBetter !== false;
  const ratio = (other) => {
    if (r.aio == null || other == null) return '—';
    return `${(lowerIsBetter ? other / r.aio : r.aio / other).toFixed(2)}×`;
  };
  const cells = [`${r.name.padEnd(9)} ${r.what}`];
  for (const label of [...workload.node, ...pythons.map((p) => p.name)])
    cells.push(`  ${label.padEnd(9)} ${show(r[label])}`);
  cells.push(
    `  @aio vs cpython: ${ratio(r.cpython)}${r.uvloop !== undefined ? `   vs uvloop: ${ratio(r.uvloop)}` : ''}`,
  );
  for (const label of workload.node.filter((name) => name !== 'aio'))
    cells.push(`  @aio vs ${label}: ${ratio(r[label])} (above 1: @aio is faster)`);
  return `${cells.join('\n')}\n`;
}
