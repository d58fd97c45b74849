// Lets a plain `node -r ./tools/ts-register.cjs script.ts` run the packages' TypeScript
// sources, with `@aio/*` mapped to packages/*/src — for tests that need a real Node process
// (real signals, Ctrl-C, exit codes), which jest's sandbox cannot give.
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const ts = require('typescript');

const packages = path.join(__dirname, '..', 'packages');
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveAio(request, parent, ...rest) {
  const match = /^@aio\/([a-z-]+)$/.exec(request);
  if (match) return path.join(packages, match[1], 'src', 'index.ts');
  if (request.startsWith('.') && parent?.filename?.endsWith('.ts')) {
    const base = path.resolve(path.dirname(parent.filename), request);
    for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')])
      if (fs.existsSync(candidate)) return candidate;
  }
  return resolve.call(this, request, parent, ...rest);
};

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
    fileName: filename,
  });
  module._compile(outputText, filename);
};
