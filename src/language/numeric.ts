/**
 * An expression evaluated on plain numbers as JavaScript closures. The
 * checkers evaluate the same bound and observable for every witness, seed and
 * step (half a million times in one verification in expectation), and mathjs's
 * typed dispatch was a fifth of that time. Only scalar arithmetic and a few
 * Math functions whose mathjs versions are the same float64 operation on
 * numbers are compiled; any other part of the tree is evaluated by mathjs.
 * Whenever a value on the way is not a number (a matrix, a function, an
 * undefined name) or the result is NaN (mathjs may then give a complex number
 * or throw), the whole expression is evaluated again by mathjs, so the value
 * (or the error) is always mathjs's own.
 */
import type { EvalFunction, MathNode } from 'mathjs';

type Scope = Record<string, unknown>;
type Closure = (scope: Scope) => number;

/** Thrown inside a closure: this evaluation goes to mathjs. */
const NOT_A_NUMBER = Symbol('not a number');

/** The constants mathjs knows by name, when the scope does not define them. */
const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, PI: Math.PI, e: Math.E, E: Math.E, tau: 2 * Math.PI, Infinity };

/** Functions whose mathjs number implementation is this one (NaN cases fall back, see the module comment). */
const FUNCTIONS: Readonly<Record<string, (x: number) => number>> = {
  exp: Math.exp, log: Math.log, sqrt: Math.sqrt, abs: Math.abs, log1p: Math.log1p, expm1: Math.expm1,
  square: (x) => x * x, cube: (x) => x * x * x,
};

const BINARY: Readonly<Record<string, (a: number, b: number) => number>> = {
  add: (a, b) => a + b, subtract: (a, b) => a - b, multiply: (a, b) => a * b, divide: (a, b) => a / b,
  // a negative base to a non-integer power is complex in mathjs (Math.pow: NaN, or +∞ for −∞)
  pow: (a, b) => { if (a < 0 && !Number.isInteger(b)) throw NOT_A_NUMBER; return Math.pow(a, b); },
};

const num = (v: unknown): number => {
  if (typeof v !== 'number') throw NOT_A_NUMBER;
  return v;
};

function closure(node: MathNode): Closure {
  const n = node as unknown as { type: string; value: unknown; name: string; fn: string | { name?: string; type: string }; op: string; args: MathNode[]; content: MathNode };
  switch (n.type) {
    case 'ConstantNode':
      if (typeof n.value === 'number') { const v = n.value; return () => v; }
      break;
    case 'ParenthesisNode':
      return closure(n.content);
    case 'SymbolNode': {
      const name = n.name;
      const constant = Object.hasOwn(CONSTANTS, name) ? CONSTANTS[name] : undefined;
      return (scope) => {
        const v = scope[name];
        if (typeof v === 'number') return v;
        if (v === undefined && constant !== undefined && !(name in scope)) return constant;
        throw NOT_A_NUMBER;
      };
    }
    case 'OperatorNode': {
      const fn = n.fn as string;
      if (n.args.length === 2 && Object.hasOwn(BINARY, fn)) {
        const f = BINARY[fn], a = closure(n.args[0]), b = closure(n.args[1]);
        return (scope) => f(a(scope), b(scope));
      }
      if (n.args.length === 1 && fn === 'unaryMinus') { const a = closure(n.args[0]); return (scope) => -a(scope); }
      if (n.args.length === 1 && fn === 'unaryPlus') return closure(n.args[0]);
      break;
    }
    case 'FunctionNode': {
      const name = typeof n.fn === 'object' && n.fn.type === 'SymbolNode' ? n.fn.name : undefined;
      if (name !== undefined && Object.hasOwn(FUNCTIONS, name) && n.args.length === 1) {
        const f = FUNCTIONS[name], a = closure(n.args[0]);
        // a scope may define a function of the same name: then it is the one called (by mathjs)
        return (scope) => {
          if (name in scope) throw NOT_A_NUMBER;
          return f(a(scope));
        };
      }
      break;
    }
  }
  // Anything else: this part by mathjs (its value must be a number for the parts around it).
  const part = node.compile();
  return (scope) => num(part.evaluate(scope));
}

/** `node.compile()` with the same values, faster on numbers; see the module comment. */
export function compileNumeric(node: MathNode): EvalFunction {
  const mathjs = node.compile();
  let fast: Closure;
  try {
    fast = closure(node);
  } catch {
    return mathjs;
  }
  // An expression that is never a number here (a lemma's matrices) stops trying the closures.
  let misses = 0, hits = 0;
  return {
    evaluate(scope?: Scope) {
      if (scope && (misses < 16 || hits > misses)) {
        try {
          const v = fast(scope);
          if (!Number.isNaN(v)) { hits++; return v; }
        } catch {
          // not a number on the way, or a part mathjs refused: mathjs gives the value or its own error
        }
        misses++;
      }
      return mathjs.evaluate(scope);
    },
  };
}
