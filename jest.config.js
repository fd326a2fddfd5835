/** Jest runs the TypeScript sources through SWC; type checking is `npm run typecheck`. */
module.exports = {
  testEnvironment: 'node',
  // The workspace packages' tests run here too, so `npm test` covers them.
  roots: ['<rootDir>/test', '<rootDir>/packages/embedded-mongo/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
  },
  // A dynamic import() of our own source names the .js file, as Node's ESM resolution asks; jest finds the .ts.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 20000,
  // A Redis for the suite: REDIS_URL when it answers, else a throwaway redis-server.
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
};
