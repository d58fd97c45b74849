// Shared jest settings: each package's jest.config.cjs spreads this and adds its displayName.
// Tests import sibling packages from source (no build needed) and are transpiled without
// type-checking; `pnpm typecheck` does the type-checking.
const path = require('node:path');

/** @param {string} packageDir @returns {import('jest').Config} */
module.exports = function baseConfig(packageDir) {
  return {
    rootDir: packageDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    moduleNameMapper: {
      '^@aio/([a-z-]+)$': path.join(__dirname, 'packages/$1/src/index.ts'),
    },
    transform: {
      '^.+\\.ts$': [
        'ts-jest',
        {
          tsconfig: {
            target: 'ES2022',
            module: 'commonjs',
            esModuleInterop: true,
            isolatedModules: true,
            lib: ['ES2023', 'ESNext.Disposable'],
          },
          diagnostics: false,
        },
      ],
    },
    testTimeout: 20000,
  };
};
