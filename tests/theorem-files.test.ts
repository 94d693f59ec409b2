/**
 * Theorem files: the six catalogue theorems rewritten in theorems/ give the
 * built-in entries' verdicts and margins; planted violations of a file are
 * caught; a diverging method is never `holds`; bad files are exit 2 with
 * file:line, what is wrong and the fix, and no stack trace.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { quadratic, type QuadraticParams } from '../src/classes/index.ts';
import { RESOLVED_FRACTION } from '../src/engine/precision.ts';
import { theoremById } from '../src/theorems/index.ts';
import { loadTheoremFile, loadTheoremText } from '../src/theoremFiles/load.ts';
import { plantedStatements, verifyTheorem } from '../src/verify/verify.ts';
import { RunCache } from '../src/runs/cache.ts';
import { mainHere } from './fixtures/main-here.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** In this process (mainHere), from the repository's folder. */
const run = (...args: string[]) => mainHere(args, { cwd: ROOT });

const REWRITTEN = ['gd-convex', 'gd-pl', 'heavy-ball-quadratic', 'nesterov-strongly-convex', 'sgd-strongly-convex-fixed', 'gd-regularized', 'nesterov-convex'];

describe('the catalogue rewritten as theorem files', () => {
  for (const id of REWRITTEN) {
    it(`${id}: the file and the built-in entry agree`, async () => {
      const file = loadTheoremFile(join(ROOT, 'theorems', `${id}.md`)).theorem;
      const builtin = theoremById(id)!;
      expect(file.kind).toBe(builtin.kind);
      expect([...file.classes].sort()).toEqual([...builtin.classes].sort());
      expect(file.statement.replace(/\s+/g, '')).toBe(builtin.statement.replace(/\s+/g, ''));
      // a schedule in the bound (FISTA's λ_t) becomes the catalogue's bound sequence
      for (const [name, q] of Object.entries(builtin.sequences ?? {})) {
        expect(file.sequences?.[name]).toMatchObject({ start: q.start, at: q.at });
        expect(file.sequences![name].next.replace(/\s+/g, '')).toBe(q.next.replace(/\s+/g, ''));
      }
      for (const seed of [0, 1]) {
        const opts = builtin.kind === 'expectation' ? { instances: 2, steps: 30, seeds: 30, seed } : { instances: 6, steps: 30, seed };
        const [a, b] = [await verifyTheorem(builtin, opts), await verifyTheorem(file, opts)];
        expect(b.verdict).toBe(a.verdict);
        expect(b.instances).toBe(a.instances);
        expect(b.checks).toBe(a.checks);
        expect(b.families).toEqual(a.families);
        // Two float32 runs of one exact method are each within the tolerance of the exact
        // iterate, and a resolved check has a tolerance of at most RESOLVED_FRACTION of its
        // bound: their relative margins can differ by at most twice that (0 where the
        // compiled program rounds exactly as the built-in one, as for gradient descent).
        expect(Math.abs(b.worst_margin! - a.worst_margin!)).toBeLessThanOrEqual(2 * RESOLVED_FRACTION);
      }
    });
  }

  it('gradient descent compiled rounds as tf.train.sgd does: identical margins', async () => {
    const file = loadTheoremFile(join(ROOT, 'theorems/gd-pl.md')).theorem;
    const opts = { instances: 6, steps: 30, seed: 3 };
    expect((await verifyTheorem(file, opts)).worst_margin).toBe((await verifyTheorem(theoremById('gd-pl')!, opts)).worst_margin);
  });

  it('the files’ planted violations are caught', async () => {
    for (const id of ['gd-pl', 'nesterov-strongly-convex']) {
      const th = loadTheoremFile(join(ROOT, 'theorems', `${id}.md`)).theorem;
      const faster = plantedStatements(th).find((p) => p.name === 'faster')!;
      const r = await verifyTheorem(th, { instances: 6, steps: 40, seed: 0, statement: faster.statement, from: 1 });
      expect(r.verdict).toBe('violated');
    }
  });
});

const FILE_HEAD = `---
title: test
given:
  - f: R^d -> R, convex, L-smooth
  - 0 < gamma <= 3 / L
method:
  "x(0)": x0
  "x(k+1)": x(k) - gamma * grad(f, x(k))
`;

describe('loading a file again', () => {
  it('gives the same theorem while the file is unchanged, and the edited one after it is rewritten', () => {
    const dir = mkdtempSync(join(tmpdir(), 'boundlab-reload-'));
    const path = join(dir, 'edited.md');
    try {
      writeFileSync(path, `${FILE_HEAD}bound: f_t - fstar <= R^2 / (2 * gamma * t)\nfrom: 1\nfamilies: [quadratic]\n---\n`);
      const first = loadTheoremFile(path);
      expect(loadTheoremFile(path)).toBe(first);
      writeFileSync(path, `${FILE_HEAD}bound: f_t - fstar <= R^2 / (4 * gamma * t)\nfrom: 1\nfamilies: [quadratic]\n---\n`);
      const second = loadTheoremFile(path);
      expect(second).not.toBe(first);
      expect(second.theorem.statement).toContain('4 * gamma');
      expect(first.theorem.statement).toContain('2 * gamma');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a method that diverges', () => {
  it('is violated (beyond 2/L gradient descent blows up), never holds', async () => {
    const tf = loadTheoremText(`${FILE_HEAD}bound: f_t - fstar <= R^2 / (2 * gamma * t)\nfrom: 1\nfamilies: [quadratic]\n---\n`, 'diverge.md');
    // gamma is sampled in (0, 3/L], at its upper end often: those runs diverge
    const sampled = await verifyTheorem(tf.theorem, { instances: 8, steps: 60, seed: 0 });
    expect(sampled.verdict).toBe('violated');
    expect(sampled.counterexample!.parameters.gamma).toBeGreaterThan(2 / (sampled.counterexample!.params as { eigenvalues?: number[] }).eigenvalues!.reduce((a, b) => Math.max(a, b)));
  });
});

describe('a method that overflows', () => {
  // x ← x·(2 + γL·f(x)²) grows doubly exponentially: the float32 run overflows first, the
  // engine goes on in float64 from there, and that overflows too, while the bound is finite.
  const text = `---
title: overflow
given:
  - f: R^d -> R, convex, L-smooth
  - 0 < gamma <= 1 / L
method:
  "x(0)": x0
  "x(k+1)": x(k) * (2 + gamma * L * f(x(k))^2)
bound: f_t - fstar <= 1e300 * (Delta0 + 1)
families: [quadratic]
---
`;
  it.each([0, 1])('is a divergence at the step where it overflowed, never holds (seed %i)', async (seed) => {
    const th = loadTheoremText(text, 'overflow.md').theorem;
    const r = await verifyTheorem(th, { instances: 4, steps: 100, seed });
    expect(r.verdict).toBe('violated');
    const c = r.counterexample!;
    expect(c.divergence).toBe(true);
    // That step, recomputed in float64 on the witness from its float32 start: the first step
    // whose iterate or value is not finite (the float32 run only overflows earlier).
    const inst = quadratic.instantiate(c.params as QuadraticParams);
    const { gamma } = c.parameters as { gamma: number };
    let x = Float64Array.from(Float32Array.from(inst.x0));
    let t = 0;
    while (x.every(Number.isFinite) && Number.isFinite(inst.value(x)) && t < 100) {
      const scale = 2 + gamma * inst.cert.L! * inst.value(x) ** 2;
      x = x.map((v) => v * scale);
      t++;
    }
    expect(c.step).toBe(t);
  });
});

describe('bad theorem files: exit 2, file:line, the fix, no stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'boundlab-theorem-'));
  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  it.each([
    ['unknown-function.md', FILE_HEAD.replace('grad(f, x(k))', 'gradf(x(k))') + 'bound: f_t - fstar <= R^2\n---\n', /unknown-function\.md:8: .*unknown function 'gradf' \(did you mean: grad, .*the method language has grad, /],
    ['before-defined.md', FILE_HEAD.replace('"x(k+1)": x(k)', '"x(k+1)": y(k+1)') + '  "y(0)": x0\n  "y(k+1)": x(k+1)\nbound: f_t - fstar <= R^2\n---\n', /before-defined\.md:8: .*y\(k\+1\) before it is defined.*; move "y\(k\+1\)" above "x\(k\+1\)" or use y\(k\)/],
    ['unknown-symbol.md', FILE_HEAD + 'bound: f_t - fstar <= R^2 / (2 * gama * t)\n---\n', /unknown-symbol\.md:9: the bound uses the unknown symbol 'gama' \(did you mean: gamma\?\)/],
    ['type.md', FILE_HEAD.replace('x(k) - gamma * grad(f, x(k))', 'x(k) - gamma * norm(grad(f, x(k)))') + 'bound: f_t - fstar <= R^2\n---\n', /type\.md:8: .*subtracts a scalar from a vector; both sides of \+ and - must be vectors, or both scalars/],
    ['no-method.md', '---\ntitle: t\ngiven:\n  - f: R^d -> R, convex\nbound: f_t - fstar <= 1\n---\n', /no-method\.md:\d+: the front matter has no `method:`/],
    ['no-witness.md', FILE_HEAD + 'bound: f_t - fstar <= R^2\nfamilies: []\n---\n', /no-witness\.md:10: `families: \[\]` leaves no witness to run on; list families, or add witnesses under `witnesses:`/],
    ['class-name.md', FILE_HEAD.replace('L-smooth', 'beta-smooth') + 'bound: f_t <= 1\n---\n', /class-name\.md:4: the constant of beta-smooth is named L.*; write L-smooth/],
  ])('%s', async (name, text, message) => {
    const r = await run('verify', write(name, text), '--instances', '2', '--steps', '5');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.err.split('\n').filter(Boolean).length).toBe(1);
  });

  it('a parameter outside its domain names the constraint’s line', async () => {
    const p = write('domain.md', `${FILE_HEAD}bound: f_t - fstar <= R^2 / (2 * gamma * t)\nfrom: 1\n---\n`);
    const r = await run('verify', p, '--set', 'gamma=-1', '--instances', '2', '--steps', '5');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/domain\.md:5: parameter outside the theorem's domain: 0 < gamma <= 3 \/ L fails/);
  });
});

describe('our users’ statements in theorems/', () => {
  for (const name of ['homework-strongly-convex-exp', 'homework-from-zero', 'regularised-shifted-optimum', 'askewsgd-binary-target']) {
    it(`${name}: holds on two seeds, and its planted violation is caught`, async () => {
      const th = loadTheoremFile(join(ROOT, 'theorems', `${name}.md`)).theorem;
      // The plant is checked on the runs of seed 0's holds check (replayed).
      const runs = new RunCache();
      for (const seed of [0, 1]) expect((await verifyTheorem(th, { instances: 8, steps: 100, seed, runs })).verdict).toBe('holds');
      const faster = plantedStatements(th).find((p) => p.name === 'faster')!;
      expect((await verifyTheorem(th, { instances: 8, steps: 100, seed: 0, statement: faster.statement, from: 1, runs })).verdict).toBe('violated');
      expect(runs.replayed).toBeGreaterThan(0);
    });
  }
});

describe('ASkewSGD toward a binary minimiser: what the statement assumes is needed', () => {
  it('with a minimiser inside (0, 1) the skewed direction pushes past it toward 1, and the contraction is refuted', async () => {
    const file = readFileSync(join(ROOT, 'theorems/askewsgd-binary-target.md'), 'utf8');
    const witnesses = /^witnesses:\n(?:  .*\n)+/m;
    expect(file).toMatch(witnesses);
    // f(x) = ½(x − 0.5)², x0 = 0.1, ε = 0.01: the constraint fails at 0.1 and K ≈ 2.45 beats −g = 0.4
    const off = file.replace(witnesses, 'witnesses:\n  - family: quadratic\n    params: { dim: 1, eigenvalues: [1], rotationSeed: null, xstar: [0.5], x0: [0.1], fstar: 0 }\n    set: { gamma: 0.1, alpha: 1, eps0: 0.01, delta: 1 }\n');
    const r = await verifyTheorem(loadTheoremText(off, 'askew-off-target.md').theorem, { instances: 1, steps: 30, seed: 0 });
    expect(r.verdict).toBe('violated');
    // and on the same witness with the binary minimiser 1 it holds
    const on = off.replace('xstar: [0.5]', 'xstar: [1]');
    expect((await verifyTheorem(loadTheoremText(on, 'askew-on-target.md').theorem, { instances: 1, steps: 30, seed: 0 })).verdict).toBe('holds');
  });
});
