/**
 * The extension API as a script uses it: docs/api.md's example run as it
 * stands, and errors raised in a script's own code shown as one line, exit 1.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Inside the checkout, so that `boundlab/api` resolves as it does in a project that depends on boundlab.
const dir = mkdtempSync(join(ROOT, '.tmp-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const script = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  const r = spawnSync(process.execPath, [p], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, BOUNDLAB_DEBUG: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

function docExample(): string {
  const doc = readFileSync(join(ROOT, 'docs/api.md'), 'utf8');
  const m = /```js\n([\s\S]*?)\n```\n/.exec(doc.slice(doc.indexOf('## A complete example')));
  if (!m) throw new Error('docs/api.md has no ```js block under "A complete example"');
  return m[1] + '\n';
}

describe('boundlab/api', () => {
  it('runs docs/api.md’s example verbatim: a family, an optimiser, a theorem; it holds and its plant is caught', () => {
    const r = script('example.mjs', docExample());
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^half-gd-convex: holds on \d+ instances, worst margin 0\.\d+$/m);
    expect(r.out).toMatch(/^planted faster rate: violated$/m);
  });

  const HEAD = "import { tf, fc, registerOptimizer, registerTheorem, verifyTheorem, registerFamily } from 'boundlab/api';\n";
  const THEOREM = `const th = registerTheorem({ id: 't', title: 't', source: 's', kind: 'run', classes: ['convex', 'L-smooth'], constraints: ['0 < gamma <= 1 / L'],
  algorithm: { optimizer: 'bad', hyper: { lr: 'gamma' } }, statement: 'f_t - fstar <= R^2 / (gamma * t)', from: 1, families: ['quadratic'], planted: { faster: { t: '2 * t' } } });
await verifyTheorem(th, { instances: 2, steps: 5 });\n`;

  it.each([
    ['an update that throws', `registerOptimizer({ id: 'bad', hyper: ['lr'], update: () => { throw new Error('my bug'); }, reference: ({ x }) => x });\n${THEOREM}`,
      /^boundlab: optimizer 'bad': update threw: my bug$/],
    ['a TensorFlow.js error inside an update', `registerOptimizer({ id: 'bad', hyper: ['lr'], update: ({ x }) => ({ x: tf.matMul(x, tf.ones([7, 7])) }), reference: ({ x }) => x });\n${THEOREM}`,
      /^boundlab: optimizer 'bad': update threw: .*(inner|shape|match)/i],
    ['a family whose TensorFlow.js loss disagrees with its oracle', `await registerFamily({ id: 'wrong', title: 'w', description: 'w', classes: ['convex'],
  arbitrary: () => fc.constant({ x0: [1] }),
  instantiate: (p) => ({ family: 'wrong', params: p, dim: 1, cert: { convex: true, quadratic: true, L: 1, fstar: 0 }, x0: Float64Array.from(p.x0),
    value: (x) => x[0] * x[0] / 2, grad: (x) => Float64Array.of(x[0]), nearestMinimiser: () => Float64Array.of(0) }),
  tfLoss: () => Object.assign((x) => tf.sum(tf.mul(x, x), 1), { dispose() {} }) });\n`, /^boundlab: family 'wrong': tfLoss gives 1 but value\(\) gives 0\.5/],
    ['an error thrown by the script itself', "import 'boundlab/api';\nthrow new Error('plain script error');\n", /^boundlab: plain script error$/],
  ])('%s: one line, exit 1', (name, text, message) => {
    const r = script(`${name.replace(/\W+/g, '-')}.mjs`, name.includes('itself') ? text : HEAD + text);
    expect(r.code).toBe(1);
    const lines = r.err.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(r.err.length).toBeLessThan(500);
  });

  it.each([
    ['an unknown theorem id', "import { theoremById, verifyTheorem } from 'boundlab/api';\nawait verifyTheorem(theoremById('gd-pll'));\n",
      /^boundlab: verifyTheorem: the first argument must be a theorem .*got undefined \(an unknown id\?\)$/],
    ['a negative number of steps', "import { theoremById, verifyTheorem } from 'boundlab/api';\nawait verifyTheorem(theoremById('gd-pl'), { steps: -3 });\n",
      /^boundlab: verifyTheorem gd-pl: steps must be a whole number ≥ 1, got -3$/],
  ])('bad input to the API (%s): one line naming the argument, exit 2', (name, text, message) => {
    const r = script(`${name.replace(/\W+/g, '-')}.mjs`, text);
    expect(r.code).toBe(2);
    const lines = r.err.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});
