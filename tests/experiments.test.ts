/**
 * The experiments (`boundlab experiment`): each runs at a small size through
 * the CLI and through the function API, writes a page with one plot per
 * metric and every formula rendered, reports every method and metric with
 * finite numbers per seed, and judges its claims over the seeds (the exit
 * status follows the verdicts); bad input, out-of-range sizes, steps and seeds
 * included, is a usage error (exit 2) naming the option and its range; the
 * two-moons family's float64 oracle agrees with its TensorFlow.js loss; and on
 * two moons the methods do what their rules promise, ASkewSGD's two schedules
 * included (tests/experiments-claims.test.ts tests the claims both ways).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseHTML } from 'linkedom';
import { initEngine } from '../src/engine/backend.ts';
import { askewsgdLogistic } from '../src/experiments/askewsgdLogistic.ts';
import { EXPERIMENTS, experimentById } from '../src/experiments/index.ts';
import { runExperiment } from '../src/report/standalone.ts';
import { quantisedMethods } from '../src/experiments/methods.ts';
import { bestBinary, compareMethods, METRICS, type MethodRun } from '../src/experiments/quantisedTraining.ts';
import { MOONS_DEFAULTS, moonsProblem } from '../src/experiments/twoMoonsExperiment.ts';
import { moonsData, moonsLogit, moonsSignLosses, MOONS_DIM, MOONS_HIDDEN, twoMoons } from '../src/experiments/twoMoons.ts';
import { makeRng } from '../src/numeric/rng.ts';
import { mainHere } from './fixtures/main-here.ts';

const root = mkdtempSync(join(tmpdir(), 'boundlab-experiments-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SETTINGS = { lr: 1, batchSize: 1, lambdaRate: 0, alpha: 1, eps0: 1, epsEnd: 1, steps: 1, paperAskew: { eps0: 1, hold: 0, decay: 1, alpha: 1 }, adaste: { lr: 1, multiplier: 1 } };
const METHOD_IDS = quantisedMethods(SETTINGS).map((m) => m.id);
const METRIC_IDS = METRICS.map((m) => m.id);

/** The command in-process (mainHere): exit code, stdout, stderr. */
const cli = (...args: string[]) => mainHere(args);

/** One figure per metric (or per named figure), in order, each with exactly one plot SVG (Plot's own class; the legend's swatches have none); every formula rendered. */
function checkPage(html: string, figureIds: readonly string[] = METRIC_IDS): void {
  const { document } = parseHTML(html);
  const figures = [...document.querySelectorAll('figure.plot[id^="figure-"]')];
  expect(figures.map((f) => f.getAttribute('id'))).toEqual(figureIds.map((m) => `figure-${m}`));
  for (const f of figures) expect([...f.querySelectorAll('svg')].filter((svg) => /^plot-/.test(svg.getAttribute('class') ?? '')).length).toBe(1);
  expect(html).toContain('class="katex"');
  expect(html).not.toContain('katex-error');
  expect(html).not.toMatch(/<script/i);
}

interface MethodJson { id: string; steps: number[]; series: Record<string, number[]>; final: Record<string, number>; per_seed: Record<string, number>[] }

/**
 * Every method, every metric, finite, per seed too; every method but AdaSTE
 * (whose iterate is its latent θ0 = ±10) starts from the same point (equal values at t = 0).
 */
function checkData(methods: MethodJson[], steps: number, seeds: number): void {
  expect(methods.map((m) => m.id)).toEqual(METHOD_IDS);
  for (const m of methods) {
    expect(m.per_seed).toHaveLength(seeds);
    for (const f of m.per_seed) expect(Object.values(f).every(Number.isFinite), m.id).toBe(true);
    expect(m.steps[0]).toBe(0);
    expect(m.steps[m.steps.length - 1]).toBe(steps);
    for (const q of METRIC_IDS) {
      expect(m.series[q]).toHaveLength(m.steps.length);
      expect(m.series[q].every(Number.isFinite), `${m.id} ${q}`).toBe(true);
    }
    expect(Object.values(m.final).every(Number.isFinite), m.id).toBe(true);
    if (m.id !== 'adaste') for (const q of METRIC_IDS) expect(m.series[q][0]).toBe(methods[0].series[q][0]);
  }
}

interface ClaimJson { id: string; verdict: string; draws: number[]; interval: { lo: number; hi: number } | null }

/** Claims judged over the seeds: one draw per seed, a verdict each, and the exit status says whether one is refuted. */
function checkClaims(claims: { claims: ClaimJson[] }, seeds: number, status: number | null): void {
  expect(claims.claims.length).toBeGreaterThan(0);
  for (const c of claims.claims) {
    expect(c.draws, c.id).toHaveLength(seeds);
    expect(['holds', 'refuted', 'inconclusive']).toContain(c.verdict);
  }
  expect(status).toBe(claims.claims.some((c) => c.verdict === 'refuted') ? 1 : 0);
}

describe('boundlab experiment', () => {
  it('runs two-moons through the CLI: --json data with claims over seeds, the page, exit 0 or 1 by the claims', async () => {
    const out = join(root, 'cli');
    const r = await cli('experiment', 'two-moons', '--steps', '12', '--seed', '3', '--seeds', '2', '--json', '--out', out);
    expect(r.err).not.toMatch(/Error/);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ experiment: 'two-moons', seed: 3, seeds: 2, out: join(out, 'two-moons.html') });
    expect(j.settings.steps).toBe(12);
    checkData(j.methods, 12, 2);
    checkClaims(j.claims, 2, r.code);
    const html = readFileSync(j.out, 'utf8');
    checkPage(html);
    expect(html).toContain('id="claims"');
    expect(html).toContain('Remaining differences from the paper');
  });

  it('prints the comparison table, the claims and the page it wrote', async () => {
    const r = await cli('experiment', 'askewsgd-logistic', '--steps', '6', '--seeds', '2', '--out', join(root, 'text'));
    expect([0, 1]).toContain(r.code);
    expect(r.out).toMatch(/^claims \(Student t interval over 2 seeds/m);
    expect(r.out).toMatch(/^- (HOLDS|REFUTED|INCONCLUSIVE): ASkewSGD ends at least as good as AdaSTE/m);
    expect(r.out).toMatch(/^method +loss \(real\) +loss \(sign\)/m);
    for (const label of ['full precision (SGD)', 'BinaryConnect, stochastic', 'STE, swishsign', 'ProxQuant', 'ASkewSGD, the paper\'s ε schedule', 'ASkewSGD, annealed, decreasing steps', 'AdaSTE']) expect(r.out).toContain(label);
    expect(r.out).toContain(`wrote ${join(root, 'text', 'askewsgd-logistic.html')}`);
  });

  it('refuses bad input with exit 2 and a message that names it', async () => {
    const unknown = await cli('experiment', 'two-moon');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown experiment 'two-moon' \(did you mean: two-moons/);
    for (const steps of ['0', 'abc', '-3']) {
      const r = await cli('experiment', 'two-moons', '--steps', steps);
      expect(r.code, steps).toBe(2);
      expect(r.err, steps).toMatch(/--steps/);
    }
    expect((await cli('experiment')).err).toMatch(/name one experiment \(askewsgd-logistic, two-moons, binaryconnect-unbiased, proxquant-toy, gpfq, low-rank, low-rank-gpfq, network-gpfq\)/);
    const small = await cli('experiment', 'gpfq', '--steps', '63');
    expect(small.code).toBe(2);
    expect(small.err).toMatch(/--steps must be in \[64, 65536\] for gpfq, got 63/);
    expect((await cli('experiment', 'two-moons', '--stesp', '3')).err).toMatch(/unknown option --stesp \(did you mean: steps/);
    const big = await cli('experiment', 'two-moons', '--steps', '20001');
    expect(big.code).toBe(2);
    expect(big.err).toMatch(/--steps must be in \[1, 20000\] for two-moons, got 20001/);
    for (const seeds of ['1', '33']) {
      const r = await cli('experiment', 'askewsgd-logistic', '--seeds', seeds);
      expect(r.code, seeds).toBe(2);
      expect(r.err, seeds).toMatch(/--seeds must be in \[2, 32\] for askewsgd-logistic/);
    }
    expect((await cli('experiment', 'gpfq', '--seeds', '4')).err).toMatch(/gpfq takes no --seeds/);
    const seed = await cli('experiment', 'two-moons', '--seed', '2147483648');
    expect(seed.code).toBe(2);
    expect(seed.err).toMatch(/--seed must be in \[0, 2147483647\]/);
    expect((await cli('experiment', 'low-rank', '--paper')).err).toMatch(/unknown option --paper/);
  });

  it('lists every experiment with its defaults in --help', async () => {
    const r = await cli('experiment', '--help');
    expect(r.code).toBe(0);
    for (const e of EXPERIMENTS) expect(r.out).toContain(`${e.id.padEnd(18)} ${e.summary}`);
    expect(r.out).toMatch(/defaults: --steps 3000 \(1…30000\); --seeds 4 \(2…32\);.*batch 100/);
  });

  it('runs through the function API and writes the page', async () => {
    const { result, file } = await runExperiment(askewsgdLogistic, { steps: 8, seed: 1, seeds: 2, out: join(root, 'api') });
    expect(file).toBe(join(root, 'api', 'askewsgd-logistic.html'));
    checkData(result.data.methods as MethodJson[], 8, 2);
    checkPage(readFileSync(file, 'utf8'));
    expect(result.table.rows.map((r) => r.method)).toEqual((result.data.methods as { label: string }[]).map((m) => m.label));
  });
});

describe('compression experiments (src/compression, plotted)', () => {
  it('gpfq: GPFQ below rounding at every width and decaying faster, on a log-log page', async () => {
    const { result, file } = await runExperiment(experimentById('gpfq')!, { steps: 1024, out: join(root, 'gpfq') });
    const d = result.data as { n0s: number[]; gpfq: number[]; rounding: number[]; slope: { gpfq: number; rounding: number } };
    expect(d.n0s).toEqual([16, 64, 256, 1024]);
    for (const v of [...d.gpfq, ...d.rounding, d.slope.gpfq, d.slope.rounding]) expect(Number.isFinite(v)).toBe(true);
    d.n0s.forEach((_, i) => expect(d.gpfq[i]).toBeLessThan(d.rounding[i]));
    expect(d.slope.gpfq).toBeLessThan(d.slope.rounding);
    const html = readFileSync(file, 'utf8');
    checkPage(html, ['error']);
    expect(html).toContain('none (no optimiser was run)');
  });

  it('low-rank-gpfq: every rank and bits tabulated, exact at full rank, claims judged over draws', async () => {
    const { result, file } = await runExperiment(experimentById('low-rank-gpfq')!, { steps: 32, seeds: 2, out: join(root, 'low-rank-gpfq') });
    const d = result.data as { ranks: number[]; bits: number[]; means: { rank: number; bits: number; low_rank: number; gpfq: number; rounding: number }[] };
    expect(d.means).toHaveLength(d.ranks.length * d.bits.length);
    for (const m of d.means) for (const v of [m.low_rank, m.gpfq, m.rounding]) expect(Number.isFinite(v)).toBe(true);
    // At rank min(rows, cols) the SVD factorisation is exact (up to rounding), so only quantisation is left.
    expect(d.means.filter((m) => m.rank === 32).every((m) => m.low_rank < 1e-20)).toBe(true);
    // The unquantised factors' error falls with the rank (Eckart–Young's tail on Gaussian inputs).
    const lr = d.ranks.map((r) => d.means.find((m) => m.rank === r)!.low_rank);
    for (let i = 1; i < lr.length; i++) expect(lr[i]).toBeLessThan(lr[i - 1]);
    expect(result.claims!.claims.map((c) => c.draws.length)).toEqual(d.bits.map(() => 2));
    checkPage(readFileSync(file, 'utf8'), ['error']);
  });

  it('network-gpfq: a trained network quantised layer by layer, accuracy before and after, claims over networks', async () => {
    const { result, file } = await runExperiment(experimentById('network-gpfq')!, { steps: 60, seeds: 2, out: join(root, 'network-gpfq') });
    const d = result.data as { bits: number[]; means: Record<string, number>[] };
    expect(d.means.map((m) => m.bits)).toEqual(d.bits);
    for (const m of d.means) for (const v of Object.values(m)) expect(Number.isFinite(v)).toBe(true);
    expect(result.claims!.claims.map((c) => c.draws.length)).toEqual(d.bits.map(() => 2));
    checkPage(readFileSync(file, 'utf8'), ['accuracy']);
  });

  it('binaryconnect-unbiased and proxquant-toy: pages with their claims, every formula rendered', async () => {
    const a = await runExperiment(experimentById('binaryconnect-unbiased')!, { steps: 500, out: join(root, 'unbiased') });
    expect(a.result.claims!.claims).toHaveLength(9);
    checkPage(readFileSync(a.file, 'utf8'), ['mean']);
    const b = await runExperiment(experimentById('proxquant-toy')!, { steps: 50, seeds: 2, out: join(root, 'toy') });
    expect(b.result.claims!.claims).toHaveLength(4);
    const html = readFileSync(b.file, 'utf8');
    checkPage(html, ['path']);
    expect(html).toContain('id="closing"');
  });

  it('low-rank: every rank tabulated, the error falling with the rank as the tail does', async () => {
    const { result, file } = await runExperiment(experimentById('low-rank')!, { steps: 6, seed: 2, out: join(root, 'low-rank') });
    const d = result.data as { rows: number; cols: number; ranks: number[]; frobenius: number[]; tail_frobenius: number[] };
    expect([d.rows, d.cols]).toEqual([14, 6]);
    expect(d.ranks).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(result.table.rows).toHaveLength(7);
    for (let r = 1; r < d.ranks.length; r++) {
      expect(d.tail_frobenius[r]).toBeLessThanOrEqual(d.tail_frobenius[r - 1]);
      expect(d.frobenius[r]).toBeLessThan(d.frobenius[r - 1]);
    }
    checkPage(readFileSync(file, 'utf8'), ['frobenius', 'spectral']);
  });
});

describe('two-moons family', () => {
  const params = { ...moonsData({ seed: 11, n: 40, noise: 0.1 }), x0: Array.from({ length: MOONS_DIM }, (_, j) => Math.sin(3 * j + 1)) };
  const inst = twoMoons.instantiate(params);
  beforeAll(() => initEngine());

  it('has its float64 loss equal to the TensorFlow.js losses within float32 rounding', () => {
    const rng = makeRng(5);
    const points = Array.from({ length: 4 }, () => Array.from({ length: MOONS_DIM }, () => rng.uniform(-2, 2)));
    const loss = twoMoons.tfLoss([inst, inst, inst, inst]);
    const mini = twoMoons.tfMinibatchLoss!([inst, inst, inst, inst]);
    const every = tf.tensor2d(Array.from({ length: 4 }, () => Array.from({ length: params.X.length }, (_, i) => i)), undefined, 'int32');
    const x = tf.tensor2d(points);
    const [full, batch] = [loss(x), mini(x, every)].map((t) => Array.from(t.dataSync()));
    tf.dispose([x, every]);
    loss.dispose();
    mini.dispose();
    const eps32 = 2 ** -24, n = params.X.length, H = MOONS_HIDDEN;
    points.forEach((th, k) => {
      const f = inst.value(th);
      // Each logit carries a few roundings of its terms' magnitudes (softplus′ ≤ 1 passes them on); the sum of n terms adds n·eps·f.
      const scale = params.X.reduce((a, xi) => a + Math.abs(th[4 * H])
        + Array.from({ length: H }, (_, j) => Math.abs(th[3 * H + j]) * (Math.abs(xi[0] * th[j]) + Math.abs(xi[1] * th[H + j]) + Math.abs(th[2 * H + j])))
          .reduce((s, v) => s + v, 0), 0) / n;
      const tol = 8 * eps32 * (scale + f) + n * eps32 * f;
      expect(Math.abs(full[k] - f), `point ${k}`).toBeLessThanOrEqual(tol);
      expect(Math.abs(batch[k] - f), `point ${k}`).toBeLessThanOrEqual(tol);
    });
  });

  it('gives the loss of every sign vector bit for bit as the oracle, and bestBinary the same best with it or without', () => {
    for (const seed of [11, 12, 13]) {
      const p = { ...moonsData({ seed, n: 24, noise: 0.2 }), x0: params.x0 };
      const one = twoMoons.instantiate(p);
      const all = moonsSignLosses(p);
      expect(all).toHaveLength(2 ** MOONS_DIM);
      for (let code = 0; code < 2 ** MOONS_DIM; code++) {
        const w = Array.from({ length: MOONS_DIM }, (_, j) => ((code >> j) & 1 ? -1 : 1));
        if (!Object.is(all[code], one.value(w))) expect([seed, code, all[code]]).toEqual([seed, code, one.value(w)]);
      }
      const problem = { family: twoMoons, instance: one, train: p, test: p, score: moonsLogit };
      expect(bestBinary({ ...problem, signLosses: () => moonsSignLosses(p) })).toEqual(bestBinary(problem));
    }
  });

  it('has a gradient equal to central differences (truncation estimated by halving h)', () => {
    const rng = makeRng(6);
    for (let k = 0; k < 4; k++) {
      const th = Array.from({ length: MOONS_DIM }, () => rng.uniform(-2, 2));
      const g = inst.grad(th);
      const f = inst.value(th);
      const fd = (j: number, h: number) => {
        const p = [...th], m = [...th];
        p[j] += h; m[j] -= h;
        return (inst.value(p) - inst.value(m)) / (2 * h);
      };
      const h = 1e-4;
      for (let j = 0; j < MOONS_DIM; j++) {
        const a = fd(j, h), b = fd(j, h / 2);
        // b's truncation error is a quarter of a's, so |a − b| ≈ ¾ of a's; rounding is eps·|f|/h per difference.
        const tol = 2 * Math.abs(a - b) + 8 * Number.EPSILON * Math.max(1, Math.abs(f)) / h;
        expect(Math.abs(g[j] - b), `θ ${k}, coordinate ${j}`).toBeLessThanOrEqual(tol);
      }
    }
  });

  it('predicts with the network it trains: g_θ(x) by hand', () => {
    // W1 = [[1, 0, −1], [0, 1, 1]], b1 = (0, −1, 0.5), W2 = (2, −1, 1), b2 = −0.25 at x = (1, 2):
    // pre = (1, 1, 1.5), relu the same, g = 2 − 1 + 1.5 − 0.25.
    expect(moonsLogit([1, 0, -1, 0, 1, 1, 0, -1, 0.5, 2, -1, 1, -0.25], [1, 2])).toBe(2.25);
  });
});

describe('quantised training on two moons (seeds 0 and 1, 200 training points, the paper\'s schedules)', () => {
  const D = MOONS_DEFAULTS;
  const T = D.steps;
  const problems = [0, 1].map((seed) => moonsProblem(seed, 200, 200));
  let runs: Record<string, MethodRun>;
  beforeAll(async () => {
    const epoch = 200 / D.batchSize;
    const methods = quantisedMethods({
      lr: D.lr, batchSize: D.batchSize, lambdaRate: 2 / (D.lr * T), alpha: D.alpha, eps0: D.eps0, epsEnd: D.epsEnd, steps: T,
      paperAskew: { eps0: 1, hold: D.holdEpochs * epoch, decay: D.epochDecay ** (1 / epoch), alpha: D.alpha }, adaste: { lr: D.lr / 100, multiplier: 200 },
    }).filter((m) => ['sgd', 'bc-det', 'proxquant', 'askew-paper', 'askew-const', 'askew-warm', 'adaste'].includes(m.id));
    runs = Object.fromEntries((await compareMethods(problems, methods, { steps: T, every: T, seed: 0 })).map((r) => [r.id, r]));
  });
  const maxAbs = (w: readonly number[]) => Math.max(...w.map(Math.abs));
  const seeds = [0, 1];

  it('leaves full-precision weights off {±1} and outside [−1, 1]', () => {
    for (const s of seeds) {
      expect(runs.sgd.perSeed[s].max_distance).toBeGreaterThan(0);
      expect(maxAbs(runs.sgd.weights[s])).toBeGreaterThan(1);
    }
  });

  it('keeps BinaryConnect\'s and ASkewSGD\'s real weights in [−1, 1] (their clip and projection)', () => {
    for (const s of seeds) for (const id of ['bc-det', 'askew-paper', 'askew-const', 'askew-warm']) expect(maxAbs(runs[id].weights[s]), `${id} seed ${s}`).toBeLessThanOrEqual(1);
  });

  // The prox threshold γλ_t = 2t/T passes 1 at t = T/2: from there the prox puts every |θ_j| ≤ 2 on 1 and the clip the rest.
  it('ends ProxQuant exactly in {±1}', () => {
    for (const s of seeds) {
      expect(runs.proxquant.perSeed[s].max_distance).toBe(0);
      expect(runs.proxquant.perSeed[s].loss).toBe(runs.proxquant.perSeed[s].quantised_loss);
    }
  });

  it('pulls annealed ASkewSGD\'s real weights closer to ±1 than BinaryConnect and SGD leave theirs', () => {
    for (const s of seeds) {
      const d = runs['askew-warm'].perSeed[s].distance;
      expect(d).toBeLessThan(runs['bc-det'].perSeed[s].distance);
      expect(d).toBeLessThan(runs.sgd.perSeed[s].distance);
    }
  });

  // The explanation on the two-moons page: annealed from ε0 = 1, ε < 1 from the first step and the
  // signs of x0 stay; the paper's schedule (ε = 1 held, then ≥ 0.74) is nearly projected SGD.
  it('keeps x0\'s signs when annealed from ε0 = 1, and changes them with the paper\'s schedule', () => {
    for (const s of seeds) {
      expect(runs['askew-const'].perSeed[s].sign_changes, `seed ${s}`).toBeLessThan(runs['askew-paper'].perSeed[s].sign_changes);
      expect(runs['askew-paper'].perSeed[s].quantised_loss, `seed ${s}`).toBeLessThan(runs['askew-const'].perSeed[s].quantised_loss);
    }
  });

  it('runs AdaSTE from its latent start ±10 to a binary network that beats the start\'s signs', () => {
    for (const s of seeds) {
      expect(runs.adaste.perSeed[s].quantised_loss, `seed ${s}`).toBeLessThan(problems[s].instance.value(problems[s].instance.x0.map((v) => (v >= 0 ? 1 : -1))));
    }
  });
});
