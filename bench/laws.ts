/**
 * Time of every law check with its defaults (what `boundlab law ID` runs),
 * the median of three runs after a warm-up, against the 60 s target; and the
 * check with twice the seeds, as a ratio. No assertions: timings never go
 * in tests. Ids as arguments run only those.
 *   npx tsx bench/laws.ts [ID ...]
 */
import { initEngine } from '../src/engine/backend.ts';
import { LAWS } from '../src/laws/catalogue.ts';
import type { Law, LawOptions } from '../src/laws/types.ts';

const TARGET_SECONDS = 60;

async function seconds(law: Law, opts: LawOptions = {}): Promise<number> {
  const t0 = performance.now();
  await law.run(opts);
  return (performance.now() - t0) / 1000;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`backend: ${await initEngine()}`);
const only = process.argv.slice(2);
for (const law of LAWS.filter((l) => !only.length || only.includes(l.id))) {
  await law.run({ sizes: law.sizes.defaults.slice(0, 3), seeds: Math.max(2, law.seeds.min) }); // warm-up: JIT, wasm kernels
  const times = [await seconds(law), await seconds(law), await seconds(law)];
  const m = median(times);
  console.log(`${law.id.padEnd(18)} defaults (--${law.sizes.option} ${law.sizes.defaults.join(',')} --seeds ${law.seeds.default}): median ${m.toFixed(2)} s of ${times.map((t) => t.toFixed(2)).join(', ')}  (${(m / TARGET_SECONDS * 100).toFixed(0)} % of ${TARGET_SECONDS} s)`);
  const doubled = await seconds(law, { seeds: 2 * law.seeds.default });
  console.log(`${' '.repeat(18)} with --seeds ${2 * law.seeds.default}: ${doubled.toFixed(2)} s (×${(doubled / m).toFixed(2)} the defaults)`);
}
