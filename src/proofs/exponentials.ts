/**
 * The power and exp/log laws as rewrites towards one normal form, each with
 * its side condition: exp(A)^B = exp(A·B) and exp(A)·exp(B) = exp(A + B)
 * always (exp is positive); log(exp(A)) = A always; for a > 0 (shown by the
 * caller, over the givens' whole region): a^B = exp(B·log a) for a
 * non-integer exponent, exp(log a) = a, log(a·b) = log a + log b,
 * log(a/b) = log a − log b, log(a^k) = k·log a. A law whose side condition
 * is not shown is not applied, so the rewritten expression equals the
 * original wherever the givens hold. Exact zero-testing then compares
 * exponentials by the normal form of their arguments (polynomial.ts).
 */
import type { MathNode } from 'mathjs';
import { math } from '../language/mathjs.ts';

const op = (o: string, fn: string, args: MathNode[]) => new math.OperatorNode(o as never, fn as never, args as never);
const call = (name: string, args: MathNode[]) => new math.FunctionNode(new math.SymbolNode(name), args);
const info = (n: MathNode) => n as unknown as { fn: string | { name: string }; args: MathNode[]; content: MathNode; value: unknown };
const fnName = (n: MathNode): string => {
  const f = info(n).fn;
  return typeof f === 'string' ? f : f?.name ?? '';
};
const isCall = (n: MathNode, name: string) => n.type === 'FunctionNode' && fnName(n) === name && info(n).args.length === 1;
const isOp = (n: MathNode, name: string) => n.type === 'OperatorNode' && fnName(n) === name;
const isIntegerConstant = (n: MathNode) => n.type === 'ConstantNode' && Number.isInteger(Number(info(n).value));

/** Factors of a product (through nested products and parentheses). */
function factors(n: MathNode): MathNode[] {
  if (n.type === 'ParenthesisNode') return factors(info(n).content);
  if (isOp(n, 'multiply') && info(n).args.length === 2) return info(n).args.flatMap(factors);
  return [n];
}

/**
 * `node` rewritten by the laws above, bottom-up. `positive(a)` says whether
 * a > 0 is shown wherever the givens hold.
 */
export function expLogNormalForm(node: MathNode, positive: (a: MathNode) => boolean): MathNode {
  const pos = (a: MathNode) => isCall(a, 'exp') || (a.type === 'ConstantNode' && Number(info(a).value) > 0) || positive(a);
  const go = (n: MathNode): MathNode => {
    if (n.type === 'ParenthesisNode') return go(info(n).content);
    if (n.type !== 'OperatorNode' && n.type !== 'FunctionNode') return n;
    const args = info(n).args.map(go);
    const name = fnName(n);
    if (n.type === 'FunctionNode') {
      const [a] = args;
      if (name === 'exp' && args.length === 1) {
        if (isCall(a, 'log') && pos(info(a).args[0])) return info(a).args[0];
        return call('exp', [a]);
      }
      if (name === 'log' && args.length === 1) {
        if (isCall(a, 'exp')) return info(a).args[0];
        if (isOp(a, 'multiply') && info(a).args.every(pos)) return op('+', 'add', info(a).args.map((x) => go(call('log', [x]))));
        if (isOp(a, 'divide') && info(a).args.every(pos)) return op('-', 'subtract', info(a).args.map((x) => go(call('log', [x]))));
        if (isOp(a, 'pow') && pos(info(a).args[0])) return op('*', 'multiply', [info(a).args[1], go(call('log', [info(a).args[0]]))]);
        return call('log', [a]);
      }
      if (name === 'sqrt' && args.length === 1 && pos(a)) return call('exp', [op('*', 'multiply', [new math.ConstantNode(0.5), call('log', [a])])]);
      return call(name, args);
    }
    if (name === 'pow') {
      const [base, e] = args;
      if (isCall(base, 'exp')) return call('exp', [op('*', 'multiply', [info(base).args[0], e])]);
      if (!isIntegerConstant(e) && pos(base)) return call('exp', [op('*', 'multiply', [e, go(call('log', [base]))])]);
      return op('^', 'pow', [base, e]);
    }
    if (name === 'divide') {
      const [a, b] = args;
      if (isCall(b, 'exp')) return go(op('*', 'multiply', [a, call('exp', [op('-', 'unaryMinus', [info(b).args[0]])])]));
      return op('/', 'divide', [a, b]);
    }
    if (name === 'multiply' && args.length === 2) {
      const all = args.flatMap(factors);
      const exps = all.filter((f) => isCall(f, 'exp'));
      if (exps.length < 2) return op('*', 'multiply', args);
      const rest = all.filter((f) => !isCall(f, 'exp'));
      const sum = exps.map((f) => info(f).args[0]).reduce((x, y) => op('+', 'add', [x, y]));
      return [...rest, call('exp', [sum])].reduce((x, y) => op('*', 'multiply', [x, y]));
    }
    return op((n as unknown as { op: string }).op, name, args);
  };
  return go(node);
}
