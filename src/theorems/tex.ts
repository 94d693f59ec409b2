/**
 * TeX for statement expressions: mathjs's toTex with our names. Run
 * observables (f_t, dist_t, ...) are defined once in src/verify/observables.ts
 * with their TeX; the rest of the vocabulary is here.
 */
import type { MathNode } from 'mathjs';
import { OBSERVABLE_TEX } from '../verify/observables.ts';

const SYMBOL_TEX: Record<string, string> = {
  ...OBSERVABLE_TEX,
  gamma: '\\gamma', mu: '\\mu', lambda: '\\lambda', kappa: '\\kappa', alpha: '\\alpha',
  beta: '\\beta', rho: '\\rho', eta: '\\eta', h: 'h', t: 't', L: 'L', R: 'R', n: 'n', d: 'd',
  fstar: 'f^\\star', Delta0: '\\Delta_0', lambda_t: '\\lambda_t', zero: '0', e: 'e', pi: '\\pi',
};

const FUNCTION_TEX: Record<string, (args: string[]) => string> = {
  f: (a) => `f(${a[0]})`,
  F: (a) => `F(${a[0]})`,
  grad: (a) => `\\nabla f(${a[0]})`,
  gradF: (a) => `\\nabla F(${a[0]})`,
  dot: (a) => `\\left\\langle ${a[0]},\\, ${a[1]} \\right\\rangle`,
  norm: (a) => `\\left\\| ${a[0]} \\right\\|`,
  xstar: (a) => (a[0] === '0' ? 'x^\\star_0' : `\\Pi_{X^\\star}(${a[0]})`),
  lambda_max: (a) => `\\lambda_{\\max}\\!\\left(${a[0]}\\right)`,
  lambda_min: (a) => `\\lambda_{\\min}\\!\\left(${a[0]}\\right)`,
  lambda_min_pos: (a) => `\\lambda_{\\min}^{+}\\!\\left(${a[0]}\\right)`,
  eigenvalues: (a) => `\\lambda\\!\\left(${a[0]}\\right)`,
  abs: (a) => `\\left|${a[0]}\\right|`,
  sqrt: (a) => `\\sqrt{${a[0]}}`,
  exp: (a) => `e^{${a[0]}}`,
  max: (a) => `\\max\\left\\{${a.join(',\\,')}\\right\\}`,
  min: (a) => `\\min\\left\\{${a.join(',\\,')}\\right\\}`,
};

/** TeX of a symbol name: the table, else a subscripted name (`x_t` → `x_{t}`). */
export function symbolTex(name: string): string {
  if (name in SYMBOL_TEX) return SYMBOL_TEX[name];
  const m = /^([A-Za-z]+)_?(\w*)$/.exec(name);
  if (m && m[2]) return `${symbolTex(m[1])}_{${m[2]}}`;
  return name.length === 1 ? name : `\\mathrm{${name}}`;
}

/** The KaTeX source of an expression. */
export function toTex(node: MathNode): string {
  const handler = (n: MathNode, options: object): string | undefined => {
    // Braces keep a control word from running into what follows (\leq then e^{…}).
    if (n.type === 'SymbolNode') return `{${symbolTex((n as unknown as { name: string }).name)}}`;
    if (n.type === 'FunctionNode') {
      const fn = n as unknown as { fn: { name: string }; args: MathNode[] };
      const tex = FUNCTION_TEX[fn.fn.name];
      if (tex) return `{${tex(fn.args.map((a) => a.toTex(options)))}}`;
    }
    return undefined;
  };
  return node.toTex({ parenthesis: 'auto', implicit: 'hide', handler } as object)
    .replace(/\\cdot/g, '\\,');
}
