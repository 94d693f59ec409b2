/**
 * The one place where text a user wrote (an update rule, a bound, a
 * constraint in a theorem file or a method given to the API) becomes a mathjs
 * tree. Keeping it to one function lets the expression language be narrowed
 * (a closed mathjs instance) without touching the callers.
 */
import { parse, type MathNode } from 'mathjs';
import { ProofError } from '../proofs/parse.ts';

/** Parse one expression of `file` at `line`; a syntax error names both and what was being read. */
export function parseUserExpression(text: string, file: string, line: number, what: string): MathNode {
  const source = text.trim();
  if (source === '') throw new ProofError(file, line, `empty ${what}`);
  let node: MathNode;
  try {
    node = parse(source);
  } catch (e) {
    throw new ProofError(file, line, `cannot parse ${what} "${source}": ${(e as Error).message}`);
  }
  if (node.type === 'AssignmentNode' || node.type === 'FunctionAssignmentNode' || node.type === 'BlockNode') {
    throw new ProofError(file, line, `${what} "${source}" is an assignment or several statements; write one expression`);
  }
  return node;
}
