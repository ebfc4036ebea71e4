/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  setupFiles: ['reflect-metadata'],
  testTimeout: 30_000,
  // Integration files each own a database and a Redis prefix, so they run in parallel safely.
  maxWorkers: 2,
  // Spawned api and worker processes are stopped in afterAll; this catches any that were not.
  forceExit: false,
  detectOpenHandles: false,
};
