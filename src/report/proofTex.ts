/**
 * TeX for proof-file expressions (docs/proof-format.md): the statement names and
 * common functions of src/language/tex.ts, plus the format's built-ins, where
 * the function is an argument (`grad(f, w)` is ∇f(w)).
 */
import type { MathNode } from 'mathjs';
import { COMMON_FUNCTION_TEX, NAME_TEX, nameTex, texWith, type FunctionTex, type TexVocabulary } from '../language/tex.ts';
import type { Rel } from '../language/given.ts';

/** A summand or an operand in parentheses when it is an operation. */
const group = (tex: string, node: MathNode): string => (node.type === 'OperatorNode' ? `\\left(${tex}\\right)` : tex);

const range = (a: string[], op: string, nodes: MathNode[]) =>
  `\\${op}_{${a[1]} \\le ${a[0]} \\le ${a[2]}} ${group(a[3], nodes[3])}`;

const PROOF_FUNCTION_TEX: Record<string, FunctionTex> = {
  ...COMMON_FUNCTION_TEX,
  grad: (a) => `\\nabla ${a[0]}\\left(${a[1]}\\right)`,
  hess: (a) => `\\nabla^2 ${a[0]}\\left(${a[1]}\\right)`,
  fstar: (a) => `${a[0]}^{\\star}`,
  xstar: (a) => `x^{\\star}_{${a[0]}}`,
  sigmoid: (a) => `\\sigma\\!\\left(${a[0]}\\right)`,
  relu: (a) => `\\operatorname{relu}\\left(${a[0]}\\right)`,
  diff: (a) => `\\frac{d}{d${a[1]}}\\left(${a[0]}\\right)`,
  sumover: (a, nodes) => `\\sum_{${a[0]}=${a[1]}}^{${a[2]}} ${group(a[3], nodes[3])}`,
  minover: (a, nodes) => range(a, 'min', nodes),
  maxover: (a, nodes) => range(a, 'max', nodes),
};

const symbol = (name: string): string => nameTex(name, NAME_TEX);

/**
 * A file's vocabulary: its functions, and its sequences, are written with call
 * syntax as in the file (`w(k)`, not w_k, which a name `wk` or `w0` would also read as).
 */
export function proofVocabulary(names: { functions: readonly string[]; sequences: readonly string[] }): TexVocabulary {
  const functions: Record<string, FunctionTex> = { ...PROOF_FUNCTION_TEX };
  for (const f of [...names.functions, ...names.sequences]) functions[f] = (a) => `${symbol(f)}\\left(${a.join(',\\,')}\\right)`;
  return { symbol, functions };
}

/** The KaTeX source of an expression of a proof file. */
export const proofTex = (node: MathNode, vocabulary: TexVocabulary): string => texWith(node, vocabulary);

export const RELATION_TEX: Readonly<Record<Rel, string>> = { '==': '=', '<=': '\\le', '<': '<', '>=': '\\ge', '>': '>' };
