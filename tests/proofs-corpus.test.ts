/**
 * The proof corpus (proofs/*.md): every file is a correct derivation and must
 * check `valid` with no step refuted. Each file also has wrong twins, made in
 * this test by a text substitution of the corpus file (a factor changed, a
 * relation flipped, an exponent changed), so the twins follow the corpus when
 * it is edited; each twin must be `refuted` at exactly the changed line.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseProof } from '../src/proofs/parse.ts';
import { checkNames } from '../src/proofs/names.ts';
import { checkProof } from '../src/proofs/check.ts';
import type { FileResult, StepResult } from '../src/proofs/result.ts';

const DIR = join(import.meta.dirname, '..', 'proofs');
const SEED = 20240611;
/** Some files differentiate symbolically at every sample; give them room. */
const TIMEOUT = 240_000;

/** A wrong twin: `find` (which occurs exactly once in the file) replaced by `replace`. */
interface Twin {
  what: string;
  find: string;
  replace: string;
}

const TWINS: Record<string, Twin[]> = {
  'descent-lemma-gd.md': [
    { what: 'factor 1/(2L) changed to 1/L in the γ = 1/L decrease', find: '   = f(w) - 1/(2*L) * norm(g)^2                        # algebra', replace: '   = f(w) - 1/L * norm(g)^2                        # algebra' },
    { what: 'relation flipped: the best coefficient is at least 1/(2L)', find: '  <= 1/(2*L)                             # a square is >= 0', replace: '  >= 1/(2*L)                             # a square is >= 0' },
    { what: 'exponent of γ changed in the claim', find: 'claim: f(wplus) <= f(w) - gamma * (1 - L*gamma/2) * norm(g)^2', replace: 'claim: f(wplus) <= f(w) - gamma * (1 - L*gamma^2/2) * norm(g)^2' },
  ],
  'pl-one-step.md': [
    { what: 'factor 1/(2L) changed to 1/L', find: '   = f(w) - fstar(f) - 1/(2*L) * norm(grad(f, w))^2', replace: '   = f(w) - fstar(f) - 1/L * norm(grad(f, w))^2' },
    { what: 'claim relation flipped', find: 'claim: f(w1) - fstar(f) <= (1 - mu/L)', replace: 'claim: f(w1) - fstar(f) >= (1 - mu/L)' },
    { what: 'rate factor changed in the last step', find: '   = (1 - mu/L) * (f(w) - fstar(f))   ', replace: '   = (1 - mu/(2*L)) * (f(w) - fstar(f))   ' },
  ],
  'pl-linear-rate.md': [
    { what: 'exponent t changed to t + 1', find: '   = (1 - mu/L)^t * (f(w0) - fstar(f))                              # algebra', replace: '   = (1 - mu/L)^(t+1) * (f(w0) - fstar(f))                              # algebra' },
    { what: 'PL constant doubled', find: '  <= (1 - mu/L) * (f(w(t-1)) - fstar(f))', replace: '  <= (1 - 2*mu/L) * (f(w(t-1)) - fstar(f))' },
    { what: 'rate of the exponential envelope halved', find: '   = exp(-t * mu/L) * (f(w0) - fstar(f))', replace: '   = exp(-t * mu/(2*L)) * (f(w0) - fstar(f))' },
  ],
  'l2-regularised.md': [
    { what: 'factor L/2 changed to L/4 in the claim', find: 'claim: f(zeros(d)) - fstar(f) <= L/2 * norm(xstar(f))^2', replace: 'claim: f(zeros(d)) - fstar(f) <= L/4 * norm(xstar(f))^2' },
    { what: 'rate L/(L + λ) replaced by λ/(L + λ)', find: '   = L/(L + lambda) * (Fw - Fu)  ', replace: '   = lambda/(L + lambda) * (Fw - Fu)  ' },
    { what: 'exponent t changed to 2t', find: '(L/(L + lambda))^t\n', replace: '(L/(L + lambda))^(2*t)\n' },
  ],
  'logistic-smoothness.md': [
    { what: 'curvature bound 1/4 changed to 1/2', find: '   = 1/4                                             # sigmoid(u) + sigmoid(-u) = 1', replace: '   = 1/2                                             # sigmoid(u) + sigmoid(-u) = 1' },
    { what: 'AM-GM relation flipped', find: '  <= ((sigmoid(u) + sigmoid(-u))/2)^2', replace: '  >= ((sigmoid(u) + sigmoid(-u))/2)^2' },
    { what: 'smoothness constant ‖X‖²/(4n) changed to ‖X‖²/(8n) in the claim', find: 'claim: dot(v, H * v) <= norm(X)^2 / (4*n) * norm(v)^2', replace: 'claim: dot(v, H * v) <= norm(X)^2 / (8*n) * norm(v)^2' },
  ],
  'sigmoid-derivative.md': [
    { what: '1 − σ(u) written as σ(1 + σ) in the claim', find: 'claim: diff(sigmoid(u), u) == sigmoid(u) * (1 - sigmoid(u))', replace: 'claim: diff(sigmoid(u), u) == sigmoid(u) * (1 + sigmoid(u))' },
    { what: 'σ(−u) replaced by σ(u)', find: '   = sigmoid(-u)                   # definition of sigmoid at -u', replace: '   = sigmoid(u)                   # definition of sigmoid at -u' },
    { what: 'exponent 2 inserted in the first expression of the symmetry chain', find: 'diff(sigmoid(-u), u)\n', replace: 'diff(sigmoid(-u)^2, u)\n' },
  ],
  'two-layer-homework.md': [
    { what: 'constant 3/2 changed to 1 in the claim', find: 'claim: abs(d2 - x*(1 - 2*y)) <= 3/2 * v^2 * x^2', replace: 'claim: abs(d2 - x*(1 - 2*y)) <= 1 * v^2 * x^2' },
    { what: 'exponent of v changed in the last step', find: '   = 3/2 * v^2 * x^2                                                     # abs(u) = v^2 abs(x)', replace: '   = 3/2 * v^4 * x^2                                                     # abs(u) = v^2 abs(x)' },
    { what: 'factor 2 dropped from the first derivative', find: '   = (sigmoid(u) - y) * 2*v*x                          # sigmoid(u) + sigmoid(-u) = 1', replace: '   = (sigmoid(u) - y) * v*x                          # sigmoid(u) + sigmoid(-u) = 1' },
  ],
  'two-layer-hessian.md': [
    { what: 'factor 2 dropped from the second term of the Hessian', find: '   = 4*v^2*x^2*yhat*(1 - yhat) + 2*x*(yhat - y)                 # algebra', replace: '   = 4*v^2*x^2*yhat*(1 - yhat) + x*(yhat - y)                 # algebra' },
    { what: 'factor 2 dropped from the first derivative', find: '   = (yhat - y) * 2*v*x                 # chain rule', replace: '   = (yhat - y) * v*x                 # chain rule' },
    { what: 'sign of the label flipped in the claim', find: 'claim: diff(diff(loss, v), v) == 4*v^2*x^2*yhat*(1 - yhat) + 2*x*(yhat - y)', replace: 'claim: diff(diff(loss, v), v) == 4*v^2*x^2*yhat*(1 - yhat) + 2*x*(yhat + y)' },
  ],
  'spectral-norm-symmetric.md': [
    { what: 'the absolute value of λ_min dropped from the claim', find: 'claim: norm(A) == max(abs(lambda_max(A)), abs(lambda_min(A)))', replace: 'claim: norm(A) == abs(lambda_max(A))' },
    { what: 'λ_max(B) replaced by λ_min(B)', find: '   = lambda_max(B)                                            # lambda_min(B) <= lambda_max(B)', replace: '   = lambda_min(B)                                            # lambda_min(B) <= lambda_max(B)' },
  ],
  'half-squared-norm-lipschitz.md': [
    { what: 'strict relation flipped in the "only if" chain', find: '   > K * r                           # K < 1 and r > 0', replace: '   < K * r                           # K < 1 and r > 0' },
    { what: 'factor L/2 changed to L/4 in the descent lemma', find: '  <= 1/2 * dot(x, x) + dot(x, y - x) + L/2 * norm(y - x)^2', replace: '  <= 1/2 * dot(x, x) + dot(x, y - x) + L/4 * norm(y - x)^2' },
    { what: 'exponent of τ changed in the first expression', find: '1/2 * dot(x + tau*v, x + tau*v)\n', replace: '1/2 * dot(x + tau^2*v, x + tau*v)\n' },
  ],
};

const corpus = readdirSync(DIR).filter((f) => f.endsWith('.md')).sort();
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');

const check = (text: string, name: string): FileResult => checkProof(parseProof(text, `proofs/${name}`), { seed: SEED });
const allResults = (r: FileResult): StepResult[] => [...r.steps, ...(r.claim ? [r.claim] : [])];
const refutedLines = (r: FileResult) => allResults(r).filter((s) => s.verdict === 'refuted').map((s) => s.line);

/**
 * The twin's text, and the line of the step it breaks: the line where the
 * substitution starts, or, when that is the first expression of a chain (which
 * only the chain's first step uses), the line of that first step.
 */
function makeTwin(text: string, twin: Twin, name: string): { text: string; line: number } {
  const at = text.indexOf(twin.find);
  if (at < 0) throw new Error(`twin "${twin.what}": the text to replace is not in the file (was the corpus edited?): ${JSON.stringify(twin.find)}`);
  if (text.indexOf(twin.find, at + 1) >= 0) throw new Error(`twin "${twin.what}": the text to replace occurs more than once: ${JSON.stringify(twin.find)}`);
  const wrong = text.slice(0, at) + twin.replace + text.slice(at + twin.find.length);
  const changed = text.slice(0, at).split('\n').length;
  const opened = parseProof(wrong, `proofs/${name}`).chains.find((c) => c.first.line === changed);
  return { text: wrong, line: opened ? opened.steps[0].line : changed };
}

describe('the proof corpus', () => {
  it('has the ten topic files, each with wrong twins', () => {
    expect(corpus).toEqual(Object.keys(TWINS).sort());
    for (const twins of Object.values(TWINS)) expect(twins.length).toBeGreaterThanOrEqual(2);
  });

  for (const name of corpus) {
    describe(name, () => {
      const text = read(name);

      it('parses and names only declared things; has a title, a source, givens, a claim, prose and justified chains', () => {
        const pf = parseProof(text, `proofs/${name}`);
        expect(() => checkNames(pf)).not.toThrow();
        expect(pf.title.length).toBeGreaterThan(10);
        expect(pf.source).toBeTruthy();
        expect(pf.given.length).toBeGreaterThan(0);
        expect(pf.claim).toBeDefined();
        expect(pf.prose.length).toBeGreaterThan(0);
        expect(pf.chains.length).toBeGreaterThan(0);
        for (const c of pf.chains) for (const s of c.steps) expect(s.justification, `${name}:${s.line} has no justification`).toBeTruthy();
      });

      it('checks valid: no step refuted, none in error', () => {
        const r = check(text, name);
        const bad = allResults(r).filter((s) => !['proved', 'certified', 'sampled'].includes(s.verdict));
        expect(bad.map((s) => `${s.line}: ${s.verdict} ${s.message ?? ''}`)).toEqual([]);
        expect(r.error).toBeUndefined();
        expect(r.verdict).toBe('valid');
        expect(r.claim?.established, r.claim?.establishedNote).toBe(true);
      }, TIMEOUT);

      for (const twin of TWINS[name] ?? []) {
        it(`wrong twin (${twin.what}) is refuted at exactly the changed line`, () => {
          const { text: wrong, line } = makeTwin(text, twin, name);
          const r = check(wrong, name);
          expect(r.verdict).toBe('refuted');
          expect(refutedLines(r)).toEqual([line]);
          const step = allResults(r).find((s) => s.line === line)!;
          expect(step.counterexample).toBeDefined();
        }, TIMEOUT);
      }
    });
  }
});
