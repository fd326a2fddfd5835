/* global module, __dirname -- a CommonJS config file that jest loads */
/**
 * The package's own tests, runnable from this folder (`npm test`) and as a
 * project of the repository's root `npm test`. SWC compiles the TypeScript;
 * type checking is `tsc --noEmit`.
 */
module.exports = {
  displayName: 'embedded-mongo',
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
  },
  testTimeout: 20000,
};
