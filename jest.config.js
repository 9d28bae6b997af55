// Two projects: `unit` (*.spec.ts beside the code, no services) and `integration`
// (test/**/*.e2e-spec.ts, real Postgres and Redis found or started by test/global-setup.cjs,
// each file under a Redis key prefix of its own: test/own-key-prefix.cjs).
// Nest 12 ships ES modules, so its .js files go through @swc/jest into CommonJS.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  moduleNameMapper: {
    ...pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
    // The fronts' alias for the backend's pure files they share (apps/web/vite.config.mts).
    '^@libs/common/(.*)$': '<rootDir>/libs/common/src/$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
    '^.+\\.m?js$': ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|file-type|strtok3|token-types|@tokenizer|uint8array-extras|@borewit|content-disposition|cookie|set-cookie-parser|toad-cache|msgpackr|libphonenumber-js|@standard-schema|lru-cache|otplib|@otplib|@scure|@noble)/)',
  ],
};

module.exports = {
  // Global only: jest ignores testTimeout inside a project.
  testTimeout: 60_000,
  // Two files at a time (jest's own default is one on a 2-core machine): most of an integration
  // file's time is spent waiting on the apps it starts, Postgres and Redis. Each worker has a
  // database of its own (test/global-setup.cjs) and each file a Redis key prefix of its own.
  maxWorkers: 2,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      setupFiles: [...shared.setupFiles, '<rootDir>/test/own-key-prefix.cjs'],
      globalSetup: '<rootDir>/test/global-setup.cjs',
      globalTeardown: '<rootDir>/test/global-teardown.cjs',
    },
  ],
};
