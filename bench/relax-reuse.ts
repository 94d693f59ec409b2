/**
 * The searches of tests/relaxations.test.ts and tests/relax.test.ts with the
 * search's instance cache (src/search/instances.ts) off and on: every result
 * compared field by field (numbers with Object.is, so −0 and NaN count; only
 * `seconds` left out), and the CPU each way. Off builds every witness afresh,
 * as the searches did before the cache; each search runs both ways, which
 * one first alternating. No assertions: a script, not a test.
 *   npx tsx bench/relax-reuse.ts
 * A change of the code itself (not a cache) is compared across two checkouts:
 * `--write FILE` keeps every result (cache on) with its numbers exact, and
 * `--against FILE`, run after the change, compares every field with them.
 *   npx tsx bench/relax-reuse.ts --write /tmp/before.json   (before)
 *   npx tsx bench/relax-reuse.ts --against /tmp/before.json (after)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { initEngine } from '../src/engine/backend.ts';
import { theoremById } from '../src/theorems/index.ts';
import type { Family } from '../src/classes/types.ts';
import { relax, replayRelaxation } from '../src/search/relax.ts';
import { tightness } from '../src/search/tightness.ts';
import { Instances } from '../src/search/instances.ts';
import { describeEntry, readRelaxations } from '../src/search/regressions.ts';

const th = (id: string) => theoremById(id)!;
const replayOf = async (id: string, relaxation: { drop: string[] }, c: unknown) => (c ? replayRelaxation(th(id), relaxation, JSON.parse(JSON.stringify(c))) : null);

/** Every search the two test files run, by name (the tests' own options). */
const searches: [string, () => Promise<unknown>][] = [
  ...readRelaxations().map((e) => [describeEntry(e), async () => {
    const r = await relax(th(e.theorem), { drop: e.drop, add: e.add, seed: e.seed });
    return { r, replay: e.counterexample ? await replayRelaxation(th(e.theorem), e, e.counterexample) : null };
  }] as [string, () => Promise<unknown>]),
  ['relax gd-convex-any-step seed 3', async () => {
    const r = await relax(th('gd-convex-any-step'), { drop: ['gamma < 2 / L'], seed: 3, instances: 12, rounds: 6 });
    return { r, replay: await replayOf('gd-convex-any-step', { drop: ['gamma < 2 / L'] }, r.counterexample) };
  }],
  ['relax cocoercivity seed 5', () => relax(th('cocoercivity'), { drop: ['convex'], seed: 5, instances: 8, rounds: 4 })],
  ['relax cocoercivity (CLI)', () => relax(th('cocoercivity'), { drop: ['convex'], instances: 8, rounds: 4 })],
  ['relax gd-sufficient-decrease (CLI)', () => relax(th('gd-sufficient-decrease'), { drop: ['gamma <= 2/L'], instances: 6, rounds: 3 })],
  ['relax sgd-interpolation seeds 100', async () => {
    const r = await relax(th('sgd-interpolation'), { drop: ['interpolation'], seed: 4, seeds: 100 });
    return { r, replay: await replayOf('sgd-interpolation', { drop: ['interpolation'] }, r.counterexample) };
  }],
  ...[10, 30, 100].map((N) => [`tightness gd-convex-tight N=${N}`, () => tightness(th('gd-convex-tight'), { set: { h: 1 }, steps: N, rounds: 10, pep: false })] as [string, () => Promise<unknown>]),
  ['tightness gd-convex-tight random', () => tightness(th('gd-convex-tight'), { set: { h: 1 }, steps: 10, tight: false })],
  ...['2/(mu+L)', '1/L'].map((gamma) => [`tightness gd-contraction-tight ${gamma}`, () => tightness(th('gd-contraction-tight'), { set: { gamma }, steps: 20, tight: false })] as [string, () => Promise<unknown>]),
  ['tightness heavy-ball seeded', () => tightness(th('heavy-ball-quadratic'), { steps: 20 })],
  ['tightness heavy-ball random', () => tightness(th('heavy-ball-quadratic'), { steps: 20, tight: false })],
  ['tightness gd-convex', () => tightness(th('gd-convex'), { steps: 20, rounds: 10 })],
  ['tightness gd-pl', () => tightness(th('gd-pl'), { set: { gamma: '1/L' }, steps: 20, rounds: 10 })],
  ['tightness gd-convex-tight CLI', () => tightness(th('gd-convex-tight'), { set: { h: 1 }, steps: 10, rounds: 5 })],
];

/** Paths where a and b differ (numbers by Object.is), and how many leaves were compared. */
function diff(a: unknown, b: unknown, path: string, out: string[]): number {
  if (typeof a === 'number' && typeof b === 'number') { if (!Object.is(a, b)) out.push(`${path}: ${a} vs ${b}`); return 1; }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    if (Array.isArray(a) !== Array.isArray(b)) { out.push(`${path}: array vs object`); return 1; }
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => k !== 'seconds');
    return keys.reduce((n, k) => n + diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out), 0);
  }
  if (a !== b) out.push(`${path}: ${String(a)} vs ${String(b)}`);
  return 1;
}

const cached = Instances.prototype.of;
/** Off: every call builds anew from a copy of the params, as toWitness did. */
const fresh = function (this: Instances, family: Family, params: Record<string, unknown>) { return family.instantiate(structuredClone(params)); };

/** Every number kept exactly through JSON (−0, NaN, ±∞ as text). */
const exact = (v: unknown) => JSON.parse(JSON.stringify(v, (_, x) => (typeof x === 'number' && (!Number.isFinite(x) || Object.is(x, -0)) ? `#${Object.is(x, -0) ? '-0' : x}` : x)));

await initEngine();
const flag = (name: string) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : undefined; };
const write = flag('--write');
const against = flag('--against');
if (write || against) {
  const before = against ? JSON.parse(readFileSync(against, 'utf8')) as Record<string, unknown> : {};
  const now: Record<string, unknown> = {};
  let leaves = 0, differing = 0, cpu = 0;
  for (const [name, run] of searches) {
    const t0 = process.cpuUsage();
    now[name] = exact(await run());
    const c = process.cpuUsage(t0);
    cpu += (c.user + c.system) / 1e6;
    if (!against) continue;
    const out: string[] = [];
    const n = diff(before[name], now[name], '', out);
    leaves += n;
    differing += out.length;
    console.log(`${name.slice(0, 70).padEnd(70)} ${String(n).padStart(5)} fields ${out.length ? `${out.length} DIFFER` : 'identical'}  CPU ${((c.user + c.system) / 1e6).toFixed(2)} s`);
    for (const line of out.slice(0, 5)) console.log(`    ${line}`);
  }
  if (write) writeFileSync(write, JSON.stringify(now));
  console.log(against ? `${searches.length} searches, ${leaves} fields compared with ${against}, ${differing} differ; CPU (main thread) ${cpu.toFixed(1)} s` : `wrote ${write}; CPU (main thread) ${cpu.toFixed(1)} s`);
  process.exit(0);
}
await relax(th('cocoercivity'), { drop: ['convex'], instances: 2, rounds: 1 }); // warm-up: compile paths, start the engine
const cpu = { off: 0, on: 0 };
let leaves = 0;
let differing = 0;
for (const [index, [name, run]] of searches.entries()) {
  const results: Record<'off' | 'on', unknown> = { off: undefined, on: undefined };
  const seconds: Record<'off' | 'on', number> = { off: 0, on: 0 };
  // Alternately off first and on first, so that neither is always the warmer run.
  for (const mode of index % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
    Instances.prototype.of = mode === 'on' ? cached : fresh;
    const t0 = process.cpuUsage();
    results[mode] = await run();
    const c = process.cpuUsage(t0);
    seconds[mode] = (c.user + c.system) / 1e6;
    cpu[mode] += seconds[mode];
  }
  const out: string[] = [];
  const n = diff(results.off, results.on, '', out);
  leaves += n;
  differing += out.length;
  console.log(`${name.slice(0, 70).padEnd(70)} ${String(n).padStart(5)} fields ${out.length ? `${out.length} DIFFER` : 'identical'}  CPU ${seconds.off.toFixed(2)} -> ${seconds.on.toFixed(2)} s`);
  for (const line of out.slice(0, 5)) console.log(`    ${line}`);
}
Instances.prototype.of = cached;
console.log(`${searches.length} searches, ${leaves} fields compared, ${differing} differ; CPU (main thread) cache off ${cpu.off.toFixed(1)} s, on ${cpu.on.toFixed(1)} s`);
