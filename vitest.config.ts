import { defineConfig } from 'vitest/config';
import { HANG_MS } from './tests/hang.ts';

/** Files that need a fresh process: start.test.ts asserts that TensorFlow.js is not loaded yet. */
const FRESH = ['tests/start.test.ts'];

export default defineConfig({
  test: {
    // dist/ built once if stale, so spawned CLIs run compiled code (tests/build-once.ts).
    globalSetup: ['tests/build-once.ts'],
    // TensorFlow.js runs are CPU-bound; two workers match the two cores here.
    pool: 'forks',
    maxWorkers: 2,
    // Only a hang fails by time (tests/hang.ts): a loaded machine must never turn a slow pass into a failure.
    testTimeout: HANG_MS,
    hookTimeout: HANG_MS,
    projects: [
      // Each worker imports TensorFlow.js, mathjs and the sources once and runs its files in turn, rather than
      // once per file (a quarter to a half of a small file's CPU). Tests share no state but caches keyed by their input.
      { extends: true, test: { name: 'shared', include: ['tests/**/*.test.ts'], exclude: FRESH, isolate: false } },
      { extends: true, test: { name: 'fresh', include: FRESH, isolate: true } },
    ],
  },
});
