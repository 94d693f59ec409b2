/** `boundlab check` and `boundlab mutate` as a script sees them: output, JSON, exit codes, errors naming file:line. */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mainHere } from './fixtures/main-here.ts';
import { PL_STEP } from './fixtures/proofs.ts';

/** In this process (mainHere): none of these is about the process itself. */
const run = (...args: string[]) => mainHere(args);

let dir = '';
const file = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'boundlab-proofs-')); });

const HEADER = (given: string) => `---\ntitle: t\ngiven:\n${given}\n---\n`;

describe('boundlab check', () => {
  it('prints each step with its verdict and exits 0 on a valid file; --json gives the contract\'s document', async () => {
    const p = file('pl.md', PL_STEP);
    const text = await run('check', p);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/line 19 .*\n\s+CERTIFIED at the sampled parameters \(\d+ samples\)\s+# L-smooth\n\s+interpolation certificate/);
    expect(text.out).toMatch(/PROVED/);
    expect(text.out).toMatch(/establishes the claim/);
    const j = await run('check', p, '--json');
    expect(j.code).toBe(0);
    const doc = JSON.parse(j.out);
    expect(doc.files).toHaveLength(1);
    const f = doc.files[0];
    expect(f).toMatchObject({ file: p, title: 'Gradient descent under the PL inequality contracts the gap', verdict: 'valid' });
    expect(f.steps[0]).toMatchObject({ line: 19, relation: '<=', justification: 'L-smooth', verdict: 'certified', scope: 'the sampled parameters' });
    expect(Object.keys(f.steps[0])).toEqual(expect.arrayContaining(['line', 'lhs', 'relation', 'rhs', 'justification', 'verdict', 'samples']));
    expect(f.claim).toMatchObject({ verdict: 'certified', established: true });
  });

  it('exits 1 on a refuted step and prints the counterexample', async () => {
    const p = file('wrong.md', PL_STEP.replace('1/(2*L) * norm', '1/L * norm'));
    const r = await run('check', p);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/REFUTED/);
    expect(r.out).toMatch(/counterexample: d = 1, L = .*, w = \[/);
    expect(r.out).toMatch(/f = .*quadratic|f = .*huber|f = .*least-squares|f = .*logistic|f = .*sin-pl/);
  });

  const MALFORMED: [string, string, RegExp][] = [
    ['bad YAML', '---\ntitle: [unclosed\n---\n', /:2: invalid YAML/],
    ['an unknown class', `${HEADER('  - L > 0\n  - f: R^d -> R, L-smoth')}`, /:5: .*L-smoth/],
    ['an undeclared name', `${HEADER('  - L > 0')}\`\`\`chain\nL\n  <= K + L\n\`\`\`\n`, /:8: .*'K'/],
    ['a type mismatch', `${HEADER('  - L > 0\n  - w in R^d')}\`\`\`chain\nL\n  <= w(1)\n\`\`\`\n`, /:9: .*w/],
    ['contradictory givens', `${HEADER('  - L > 0\n  - L < -1')}\`\`\`chain\nL\n  <= L + 1\n\`\`\`\n`, /no assignment satisfies the givens/],
    ['a chain mixing <= and >=', `${HEADER('  - x in R')}\`\`\`chain\nx\n  <= x + 1\n  >= x\n\`\`\`\n`, /:9: this chain mixes <= \(line 8\) and >=/],
  ];
  it('exits 2 with file:line and the fix on each malformed file (one run over all of them)', async () => {
    const paths = MALFORMED.map(([what, text]) => file(`${what.replace(/\W+/g, '-')}.md`, text));
    const r = await run('check', ...paths);
    expect(r.code).toBe(2);
    MALFORMED.forEach(([what, , message], i) => {
      const report = r.out.split('\n\n').find((block) => block.startsWith(paths[i]));
      expect(report, what).toBeDefined();
      expect(report, what).toMatch(message);
      expect(report, what).toMatch(/ERROR /);
    });
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 2 on a missing file and on no file, with --help on offer', async () => {
    // a file that cannot be read is that file's error (the other files of the run are still checked)
    expect(await run('check', join(dir, 'nope.md'))).toMatchObject({ code: 2, out: expect.stringMatching(/nope\.md: cannot read it: no such file/) });
    expect((await run('check')).code).toBe(2);
    expect(await run('check', '--help')).toMatchObject({ code: 0, out: expect.stringMatching(/^usage: boundlab check FILE/) });
  });
});

describe('boundlab mutate', () => {
  it('reports mutants, killed and the score, as text and as JSON', async () => {
    const p = file('pl-mutate.md', PL_STEP);
    const r = await run('mutate', p, '--samples', '60');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\d+ mutants, \d+ killed, \d+ implied \(not counted\), score \d+(\.\d)?%/);
    const j = JSON.parse((await run('mutate', p, '--samples', '60', '--json')).out);
    expect(j.mutants).toBe(j.results.length);
    expect(j.killed).toBe(j.results.filter((m: { verdict: string }) => m.verdict === 'refuted').length);
    expect(j.score).toBeGreaterThanOrEqual(0.9);
  });
});
