#!/usr/bin/env node
// Checks the @aio import graph: every `@aio/*` import in a package's src/ must be a declared
// dependency of that package, and the declared graph must have no cycle (DESIGN.md).
import fs from 'node:fs';
import path from 'node:path';

const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'packages');
const importPattern = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](@aio\/[a-z-]+)['"]/g;
const problems = [];
const graph = new Map();

function sourceFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.[cm]?ts$/.test(entry.name) ? [full] : [];
  });
}

for (const name of fs.readdirSync(root)) {
  const manifest = path.join(root, name, 'package.json');
  if (!fs.existsSync(manifest)) continue;
  const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  const declared = Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith('@aio/'));
  graph.set(pkg.name, declared);
  for (const file of sourceFiles(path.join(root, name, 'src'))) {
    // Comments may show imports (doc examples): only code counts.
    const code = fs
      .readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const [, imported] of code.matchAll(importPattern)) {
      if (imported === pkg.name) problems.push(`${file}: imports its own package ${imported}`);
      else if (!declared.includes(imported))
        problems.push(`${file}: imports ${imported}, not a dependency of ${pkg.name}`);
    }
  }
}

const state = new Map();
function visit(node, trail) {
  if (state.get(node) === 'done') return;
  if (state.get(node) === 'active') {
    problems.push(`dependency cycle: ${[...trail.slice(trail.indexOf(node)), node].join(' -> ')}`);
    return;
  }
  state.set(node, 'active');
  for (const dep of graph.get(node) ?? []) {
    if (!graph.has(dep)) problems.push(`${node} depends on unknown package ${dep}`);
    else visit(dep, [...trail, node]);
  }
  state.set(node, 'done');
}
for (const node of graph.keys()) visit(node, []);

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`@aio import graph: ${graph.size} packages, no cycle, no undeclared import`);
