/** The lazy-training law's defaults (a module of its own so the catalogue and --help load without TensorFlow.js). */
export const LAZY_DEFAULTS = { widths: [4, 16, 64, 256, 1024, 4096], seeds: 12, n: 16, d: 12, decay: 6, fitFrom: 16, holdsFrom: 1024 };
