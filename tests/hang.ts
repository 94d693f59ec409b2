/**
 * The only time limit in the tests: long enough that nothing but a hang reaches
 * it, on a loaded 2-core machine. No test depends on how fast work runs; a
 * child process gets it as its `timeout` because spawnSync blocks vitest's own.
 */
export const HANG_MS = 20 * 60_000;
