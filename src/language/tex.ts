/**
 * TeX for statement expressions: mathjs's toTex with our names. Run
 * observables (f_t, dist_t, ...) are defined once in src/language/observables.ts
 * with their TeX; the rest of the vocabulary is here. Proof files share the
 * names and the common functions (src/report/proofTex.ts adds their built-ins).
 */
import type { MathNode } from 'mathjs';
import { OBSERVABLE_TEX } from './observables.ts';

/** Names written the same way in statements and proof files. */
export const NAME_TEX: Readonly<Record<string, string>> = {
  gamma: '\\gamma', mu: '\\mu', lambda: '\\lambda', kappa: '\\kappa', alpha: '\\alpha',
  beta: '\\beta', rho: '\\rho', eta: '\\eta', e: 'e', pi: '\\pi',
};

const SYMBOL_TEX: Record<string, string> = {
  ...OBSERVABLE_TEX, ...NAME_TEX,
  h: 'h', t: 't', L: 'L', R: 'R', n: 'n', d: 'd',
  fstar: 'f^\\star', Delta0: '\\Delta_0', lambda_t: '\\lambda_t', zero: '0',
  M: 'M', MV: 'M_V', sigma2star: '\\sigma_\\star^2', Lmax: 'L_{\\max}',
};

/** A function's TeX from its arguments' TeX (and their trees, for parenthesising). */
export type FunctionTex = (args: string[], nodes: MathNode[]) => string;

/** Functions written the same way in statements and proof files. */
export const COMMON_FUNCTION_TEX: Readonly<Record<string, FunctionTex>> = {
  dot: (a) => `\\left\\langle ${a[0]},\\, ${a[1]} \\right\\rangle`,
  norm: (a) => `\\left\\| ${a[0]} \\right\\|`,
  lambda_max: (a) => `\\lambda_{\\max}\\!\\left(${a[0]}\\right)`,
  lambda_min: (a) => `\\lambda_{\\min}\\!\\left(${a[0]}\\right)`,
  abs: (a) => `\\left|${a[0]}\\right|`,
  sqrt: (a) => `\\sqrt{${a[0]}}`,
  exp: (a) => `e^{${a[0]}}`,
  max: (a) => `\\max\\left\\{${a.join(',\\,')}\\right\\}`,
  min: (a) => `\\min\\left\\{${a.join(',\\,')}\\right\\}`,
};

const FUNCTION_TEX: Record<string, FunctionTex> = {
  ...COMMON_FUNCTION_TEX,
  f: (a) => `f(${a[0]})`,
  F: (a) => `F(${a[0]})`,
  grad: (a) => `\\nabla f(${a[0]})`,
  gradF: (a) => `\\nabla F(${a[0]})`,
  xstar: (a) => (a[0] === '0' ? 'x^\\star_0' : `\\Pi_{X^\\star}(${a[0]})`),
  lambda_min_pos: (a) => `\\lambda_{\\min}^{+}\\!\\left(${a[0]}\\right)`,
  eigenvalues: (a) => `\\lambda\\!\\left(${a[0]}\\right)`,
  E: (a) => `\\mathbb{E}\\left[${a[0]}\\right]`,
};

/** TeX of a name from a table, else a subscripted name (`x_t` → `x_{t}`, `w1` → `w_{1}`). */
export function nameTex(name: string, table: Readonly<Record<string, string>>): string {
  if (name in table) return table[name];
  const m = /^([A-Za-z]+)_?(\w*)$/.exec(name);
  if (m && m[2]) return `${nameTex(m[1], table)}_{${m[2]}}`;
  return name.length === 1 ? name : `\\mathrm{${name}}`;
}

/** TeX of a statement's symbol name. */
export const symbolTex = (name: string): string => nameTex(name, SYMBOL_TEX);

/** How names and functions are written: a statement's vocabulary, or a proof file's. */
export interface TexVocabulary {
  symbol: (name: string) => string;
  functions: Readonly<Record<string, FunctionTex>>;
}

/** The KaTeX source of an expression in a vocabulary. */
export function texWith(node: MathNode, vocabulary: TexVocabulary): string {
  const handler = (n: MathNode, options: object): string | undefined => {
    // Braces keep a control word from running into what follows (\leq then e^{…}).
    if (n.type === 'SymbolNode') return `{${vocabulary.symbol((n as unknown as { name: string }).name)}}`;
    if (n.type === 'FunctionNode') {
      const fn = n as unknown as { fn: { name: string }; args: MathNode[] };
      const tex = vocabulary.functions[fn.fn.name];
      if (tex) return `{${tex(fn.args.map((a) => a.toTex(options)), fn.args)}}`;
    }
    // mathjs reads x' as the conjugate transpose (^H); everything here is real.
    if (n.type === 'OperatorNode' && (n as unknown as { fn: string }).fn === 'ctranspose') {
      const [arg] = (n as unknown as { args: MathNode[] }).args;
      const inner = arg.toTex(options);
      return arg.type === 'SymbolNode' ? `{${inner}}^{\\top}` : `\\left(${inner}\\right)^{\\top}`;
    }
    return undefined;
  };
  return node.toTex({ parenthesis: 'auto', implicit: 'hide', handler } as object)
    .replace(/\\cdot/g, '\\,');
}

/** The KaTeX source of a statement expression. */
export const toTex = (node: MathNode): string => texWith(node, { symbol: symbolTex, functions: FUNCTION_TEX });
