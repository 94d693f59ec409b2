/**
 * Time to check a 10-step chain with the default number of samples (200 per
 * step): one gradient step under L-smoothness and PL, down to the exponential
 * envelope. Reported cold (the first check in a fresh process, which pays for
 * mathjs compiling every expression) and warm (the median of three more, new
 * seeds). Target: ≤ 2 s. No assertions: timings never go in tests.
 */
import { parseProof } from '../src/proofs/parse.ts';
import { checkProof, DEFAULT_SAMPLES } from '../src/proofs/check.ts';

export const TEN_STEPS = `---
title: One gradient step under PL, down to the exponential envelope
given:
  - L > 0
  - 0 < mu <= L
  - f: R^d -> R, L-smooth, mu-PL
  - w in R^d
define:
  eta: 1/L
  w1: w - eta * grad(f, w)
---

\`\`\`chain
f(w1) - fstar(f)
  <= f(w) - fstar(f) + dot(grad(f, w), w1 - w) + L/2 * norm(w1 - w)^2                       # L-smooth
   = f(w) - fstar(f) + dot(grad(f, w), -eta * grad(f, w)) + L/2 * norm(-eta * grad(f, w))^2  # w1 - w = -eta grad
   = f(w) - fstar(f) - eta * norm(grad(f, w))^2 + L/2 * eta^2 * norm(grad(f, w))^2           # bilinearity
   = f(w) - fstar(f) - eta * (1 - L * eta / 2) * norm(grad(f, w))^2                          # factor
   = f(w) - fstar(f) - 1/(2*L) * norm(grad(f, w))^2                                          # eta = 1/L
  <= f(w) - fstar(f) - mu/L * (f(w) - fstar(f))                                              # mu-PL
   = (1 - mu/L) * (f(w) - fstar(f))                                                          # factor
  <= exp(-mu/L) * (f(w) - fstar(f))                                                          # 1 - r <= exp(-r)
  <= exp(-mu/L) * (f(w) - fstar(f)) + 1/(2*L) * norm(grad(f, w1))^2                          # a square is >= 0
   = exp(-mu/L) * (f(w) - fstar(f)) + eta/2 * norm(grad(f, w1))^2                            # eta = 1/L
\`\`\`
`;

const pf = parseProof(TEN_STEPS, 'bench/ten-steps.md');
const steps = pf.chains[0].steps.length;
const time = (seed: number) => {
  const t = performance.now();
  const r = checkProof(pf, { seed });
  if (r.verdict !== 'valid') throw new Error(`the bench chain should be valid, got ${r.verdict}`);
  return (performance.now() - t) / 1000;
};
const cold = time(0);
const warm = [1, 2, 3].map(time).sort((a, b) => a - b)[1];
console.log(`${steps}-step chain, ${DEFAULT_SAMPLES} samples per step: cold ${cold.toFixed(2)} s, warm ${warm.toFixed(2)} s (target ≤ 2 s)`);
