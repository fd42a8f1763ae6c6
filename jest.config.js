// ESM throughout: Nest 12, @atproto/* and Fedify 2 are ESM-only (see PLATFORM-NOTES).
const transform = {
  '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
};
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform,
};
// Tests that start servers close, at the end of their file, whatever a timed-out hook started too late for its afterAll.
const withServices = {
  ...common,
  setupFilesAfterEnv: ['<rootDir>/test/support/close-leftovers.ts'],
  testTimeout: 30_000,
};

// `roots` keeps each project's file crawl to its own folders (crawling node_modules cost the unit loop most of its time).
export default {
  reporters: ['default', '<rootDir>/scripts/jest-exit-watchdog.js'],
  // A worker that has run many hubs (each loading Fedify, the PDS, dev-env) keeps what ESM modules it imported;
  // recycling it past this much memory keeps a long run from reaching the heap limit.
  workerIdleMemoryLimit: '1200MB',
  projects: [
    // No PostgreSQL, no Redis, no servers: `npm run test:unit`, seconds.
    { ...common, displayName: 'unit', roots: ['<rootDir>/src', '<rootDir>/libs'], testMatch: ['**/*.spec.ts'] },
    // Real PostgreSQL and Redis, no Herald: a library's conformance test, services with real repositories.
    {
      ...withServices,
      displayName: 'integration',
      roots: ['<rootDir>/src', '<rootDir>/libs', '<rootDir>/test'],
      testMatch: ['**/*.integration-spec.ts'],
    },
    // Real Heralds over loopback, fediverse peers, dev-env's Bluesky network, Chromium.
    { ...withServices, displayName: 'e2e', roots: ['<rootDir>/test'], testMatch: ['**/*.e2e-spec.ts'] },
  ],
};
