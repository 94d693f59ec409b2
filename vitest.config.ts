import { defineConfig } from 'vitest/config';
import { HANG_MS } from './tests/hang.ts';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // TensorFlow.js runs are CPU-bound; two workers match the two cores here.
    pool: 'forks',
    maxWorkers: 2,
    // Only a hang fails by time (tests/hang.ts): a loaded machine must never turn a slow pass into a failure.
    testTimeout: HANG_MS,
    hookTimeout: HANG_MS,
  },
});
