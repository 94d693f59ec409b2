/**
 * Time of the GPFQ decay experiment (gpfqDecayExperiment: m = 32, ternary
 * δ = 1, N0 = 64 … 4096) with the default eight seeds and with more, and the
 * time per N0 alone, which should grow like N0 (GPFQ is O(m·N0) per neuron,
 * and drawing X costs as much). No assertions: timings never go in tests.
 *   npx tsx bench/compression.ts
 */
import { GPFQ_DECAY_DEFAULTS, gpfqDecayExperiment, lowRankExperiment } from '../src/compression/index.ts';

const seconds = (f: () => unknown): number => {
  const t0 = performance.now();
  f();
  return (performance.now() - t0) / 1000;
};

// The first call pays for the JIT; time the second.
gpfqDecayExperiment({ n0s: [64, 256], seeds: [1] });
const base = seconds(() => gpfqDecayExperiment());
console.log(`gpfqDecayExperiment, defaults (${GPFQ_DECAY_DEFAULTS.seeds.length} seeds): ${base.toFixed(3)} s`);
for (const count of [16, 32]) {
  const s = seconds(() => gpfqDecayExperiment({ seeds: Array.from({ length: count }, (_, i) => i + 1) }));
  console.log(`gpfqDecayExperiment, ${count} seeds: ${s.toFixed(3)} s  (×${(s / base).toFixed(2)} the defaults, seeds ×${count / GPFQ_DECAY_DEFAULTS.seeds.length})`);
}
let previous = 0;
for (const n0 of GPFQ_DECAY_DEFAULTS.n0s) {
  const s = seconds(() => gpfqDecayExperiment({ n0s: [n0] }));
  console.log(`N0 = ${String(n0).padStart(5)}: ${s.toFixed(3)} s${previous ? `  (×${(s / previous).toFixed(2)} the previous N0, ×4 in size)` : ''}`);
  previous = s;
}
console.log(`lowRankExperiment, defaults (32 × 24, every rank): ${seconds(() => lowRankExperiment()).toFixed(3)} s`);
