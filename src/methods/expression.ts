/**
 * The one place where text a user wrote (an update rule, a bound, a
 * constraint in a theorem file or a method given to the API) becomes a mathjs
 * tree, in the closed expression language (src/language/expression.ts): its
 * node kinds, operators and depth, and no call of a mathjs function outside
 * the language's lists (config, evaluate, import, random, ...): a theorem
 * file may call only its method's functions, its own sequences and the
 * language's functions, and the callers check which of those each place allows.
 */
import type { MathNode } from 'mathjs';
import { mathjs } from '../language/mathjs.ts';
import { ProofError } from '../language/usage.ts';
import { checkLanguage, isLanguageFunction, LanguageError, parseRelationOfSides } from '../language/expression.ts';

/** mathjs's own functions that the language leaves out: a call of one is refused wherever it stands. */
const outsideTheLanguage = (name: string): boolean =>
  typeof (mathjs as unknown as Record<string, unknown>)[name] === 'function' && !isLanguageFunction(name);

const RELATIONS = new Set(['smaller', 'smallerEq', 'larger', 'largerEq', 'equal', 'unequal']);

/** The sides of a relation (`a <= b`, `a < b <= c`), or the expression itself. */
function sidesOf(node: MathNode): MathNode[] {
  const n = node as unknown as { type: string; fn: string; args: MathNode[]; params: MathNode[] };
  if (n.type === 'RelationalNode') return n.params;
  if (n.type === 'OperatorNode' && RELATIONS.has(n.fn)) return n.args;
  return [node];
}

/** Parse one expression of `file` at `line`; a syntax error names both and what was being read. */
export function parseUserExpression(text: string, file: string, line: number, what: string): MathNode {
  const source = text.trim();
  if (source === '') throw new ProofError(file, line, `empty ${what}`);
  let node: MathNode;
  try {
    node = parseRelationOfSides(source);
    // a bound or a constraint is a relation (a chain for a constraint): each side in the language
    for (const side of sidesOf(node)) checkLanguage(side);
  } catch (e) {
    if (e instanceof RangeError) throw new ProofError(file, line, `${what} is nested too deeply to read; split it`);
    if (e instanceof LanguageError) throw new ProofError(file, line, `${what} "${source}": ${e.message}`);
    throw new ProofError(file, line, `cannot parse ${what} "${source}": ${(e as Error).message}`);
  }
  node.traverse((n) => {
    const name = n.type === 'FunctionNode' ? (n as unknown as { fn: { name?: string } }).fn.name : undefined;
    if (name !== undefined && outsideTheLanguage(name)) {
      throw new ProofError(file, line, `${what} "${source}" calls '${name}', which is not part of the expression language (docs/proof-format.md lists its functions)`);
    }
  });
  return node;
}
