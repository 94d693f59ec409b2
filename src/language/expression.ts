/**
 * The expression language of proof files: mathjs syntax, closed to a fixed
 * list of functions, constants and operators (docs/proof-format.md lists
 * them). A file is untrusted input: mathjs as shipped can change its own
 * configuration (`config`), define units, parse and evaluate strings, import
 * functions and draw random numbers, so one file could change how every later
 * file is judged, or give a different verdict on every run. Here every
 * expression is checked against the list when it is parsed, and evaluated in
 * a mathjs instance of its file's own in which those functions throw anyway.
 */
import type { MathNode, MathJsInstance } from 'mathjs';
import { create, all, factory, math as checkerMath } from './mathjs.ts';
import { DEFAULT_LIMITS, EXPRESSION_DEPTH, EXPRESSION_NODES, type Limits } from './limits.ts';

/** The proof format's own functions, with their argument counts (the first argument of grad..xstar and prox is a declared function; fstar and xstar also take a sum f + h). */
export const FORMAT_FUNCTIONS: Readonly<Record<string, readonly number[]>> = {
  grad: [2], hess: [2], fstar: [1], xstar: [1, 2], prox: [3],
  dot: [2], norm: [1], sigmoid: [1], relu: [1], diff: [2],
  lambda_max: [1], lambda_min: [1], lambda_min_pos: [1], eigenvalues: [1],
  sumover: [4], minover: [4], maxover: [4],
};

/**
 * The mathjs functions a derivation may call, with their argument counts
 * (Infinity: any number ≥ 1). All are deterministic, none parses text or
 * changes state, and none can run long on numbers of any size: the matrix
 * builders are held to the element budget.
 */
export const MATH_FUNCTIONS: Readonly<Record<string, readonly number[]>> = {
  abs: [1], sign: [1], sqrt: [1], cbrt: [1], square: [1], cube: [1], pow: [2], nthRoot: [2], hypot: [Infinity],
  exp: [1], expm1: [1], log: [1, 2], log10: [1], log2: [1], log1p: [1],
  sin: [1], cos: [1], tan: [1], asin: [1], acos: [1], atan: [1], atan2: [2], sinh: [1], cosh: [1], tanh: [1],
  floor: [1], ceil: [1], round: [1], mod: [2], factorial: [1], gamma: [1],
  max: [Infinity], min: [Infinity], sum: [Infinity], prod: [Infinity], mean: [Infinity],
  transpose: [1], inv: [1], det: [1], trace: [1], diag: [1], zeros: [1, 2], ones: [1, 2], identity: [1, 2],
};

/** Named constants (NaN and the booleans are left out: a NaN side is no evidence, and a relation inside a side is an error). */
export const CONSTANTS = ['pi', 'e', 'E', 'PI', 'tau', 'phi', 'Infinity'] as const;

/** mathjs operator functions allowed inside a side: arithmetic, element-wise arithmetic, transpose, factorial. */
const OPERATORS = new Set([
  'add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus',
  'dotMultiply', 'dotDivide', 'dotPow', 'transpose', 'ctranspose', 'factorial', 'mod',
]);
const OPERATOR_TEXT = '+ - * / ^ .* ./ .^ \' ! mod';

/** Why an expression is outside the language (the caller adds file:line). */
export class LanguageError extends Error {}

export const ALL_FUNCTIONS = [...Object.keys(FORMAT_FUNCTIONS), ...Object.keys(MATH_FUNCTIONS)];
export const isLanguageFunction = (name: string): boolean => Object.hasOwn(FORMAT_FUNCTIONS, name) || Object.hasOwn(MATH_FUNCTIONS, name);

/**
 * Checks a parsed side against the language, without recursion (the tree may
 * be deeper than the stack): node kinds, operators, string constants, and
 * its depth and size against the limits. Names (declared or not) and
 * argument counts are the proof checker's; it calls only listed functions.
 */
export function checkLanguage(node: MathNode): void {
  const stack: [MathNode, number][] = [[node, 1]];
  let count = 0;
  while (stack.length) {
    const [n, depth] = stack.pop()!;
    if (++count > EXPRESSION_NODES) {
      throw new LanguageError(`the expression has more than ${EXPRESSION_NODES} parts; split it with \`define\`, or write a long sum with sumover`);
    }
    if (depth > EXPRESSION_DEPTH) {
      throw new LanguageError(`the expression is nested more than ${EXPRESSION_DEPTH} deep; split it with \`define\`, or write a long sum with sumover`);
    }
    const any = n as unknown as { fn: { type: string; name: string } | string; value: unknown; index?: MathNode; object: MathNode; dimensions?: MathNode[] };
    switch (n.type) {
      case 'ConstantNode':
        if (typeof any.value !== 'number') {
          throw new LanguageError(`${JSON.stringify(String(any.value))} is not a number; expressions hold numbers, names and calls only`);
        }
        if (Number.isNaN(any.value)) throw new LanguageError('NaN is not a value of the language: a side that is NaN is skipped, never evidence');
        break;
      case 'SymbolNode': case 'ParenthesisNode': case 'ArrayNode':
        break;
      case 'OperatorNode':
        if (!OPERATORS.has(any.fn as string)) {
          const op = (n as unknown as { op: string }).op;
          throw new LanguageError(RELATIONS.has(any.fn as string)
            ? `the relation ${op} stands inside a side; a side is an expression, and each relation of a chain starts its own line`
            : `the operator '${op}' is not in the language; the operators are ${OPERATOR_TEXT}`);
        }
        break;
      case 'FunctionNode':
        if ((any.fn as { type: string }).type !== 'SymbolNode') {
          throw new LanguageError(`"${n.toString()}" calls something that is not a name; write * for a product`);
        }
        break;
      case 'AccessorNode': {
        // x[i] and A[i, j]; a property (x.y) or a range (x[1:2]) is not a number of the language
        const index = any.index as unknown as { dimensions: MathNode[]; isObjectProperty(): boolean } | undefined;
        if (!index || index.isObjectProperty() || index.dimensions.some((d) => d.type === 'RangeNode')) {
          throw new LanguageError(`"${n.toString()}": only entries x[i] and A[i, j] may be indexed (from 1), not properties or ranges`);
        }
        stack.push([any.object, depth + 1], ...index.dimensions.map((d): [MathNode, number] => [d, depth + 1]));
        continue;
      }
      case 'RelationalNode':
        throw new LanguageError('a chained relation stands inside a side; each relation of a chain starts its own line');
      case 'AssignmentNode': case 'FunctionAssignmentNode': case 'BlockNode':
        throw new LanguageError('an assignment or several statements; write a single expression (use == for equality, and `define` for names)');
      case 'ConditionalNode':
        throw new LanguageError('the conditional a ? b : c is not in the language; write max, min, abs or relu');
      case 'ObjectNode':
        throw new LanguageError('an object {…} is not a value of the language (numbers, vectors [a, b] and matrices [a, b; c, d])');
      case 'RangeNode':
        throw new LanguageError('a range a:b is not a value of the language; sum over integers with sumover(k, a, b, expr)');
      default:
        throw new LanguageError(`"${n.toString()}" (${n.type}) is not part of the language`);
    }
    n.forEach((child) => { stack.push([child, depth + 1]); });
  }
}

const RELATIONS = new Set(['smaller', 'smallerEq', 'larger', 'largerEq', 'equal', 'unequal']);

/** Functions a closed instance must never run, whatever reaches it. */
const BLOCKED = [
  'import', 'createUnit', 'evaluate', 'parse', 'compile', 'simplify', 'simplifyConstant', 'simplifyCore', 'rationalize',
  'derivative', 'resolve', 'reviver', 'replacer', 'config', 'chain', 'help', 'parser',
  'random', 'randomInt', 'pickRandom',
] as const;

type Factory = ((dependencies: Record<string, unknown>) => unknown) & { fn: string; dependencies: string[]; meta?: { isTransformFunction?: boolean } };
const block = (name: string) => () => { throw new LanguageError(`${name} is not part of the proof language`); };
const FACTORIES = all as unknown as Record<string, Factory>;
const isTransform = (f: Factory) => f.meta?.isTransformFunction === true;
/** mathjs's own factories of the blocked functions, by name (config and import are the instance's, not factories) */
const BLOCKED_FACTORIES = new Map(Object.values(FACTORIES).filter((f) => (BLOCKED as readonly string[]).includes(f.fn)).map((f) => [f.fn, f]));
/** The functions (not transforms) of mathjs's factories, by name. */
const FUNCTION_FACTORIES = new Map(Object.values(FACTORIES).filter((f) => !isTransform(f)).map((f) => [f.fn, f]));
const dependenciesOf = (name: string) => (FUNCTION_FACTORIES.get(name)?.dependencies ?? []).map((d) => d.replace(/^\?/, ''));
/** The names `names` are built from, themselves included (transitively). */
function builtFrom(names: readonly string[]): Set<string> {
  const seen = new Set<string>(names);
  const stack = [...names];
  while (stack.length) for (const d of dependenciesOf(stack.pop()!)) if (!seen.has(d)) { seen.add(d); stack.push(d); }
  return seen;
}
/**
 * What belongs to an instance: its namespace (a factory built from it is the
 * instance's too), and `typed`, to which an instance's parse and simplify add
 * conversions of their own (a typed function built earlier is not changed by
 * them: it reads the conversions when it is built).
 */
const INSTANCE_OWN = new Set(['math', 'mathWithTransform', 'classes']);
const OWN_STATE = new Set(['typed']);
/**
 * What every closed instance builds before it is closed, and would build the
 * same in each: mathjs's parser, and the Unit class, which mathjs's `import`
 * builds before it overrides anything (with pow, round, fix, multiply and the
 * number classes: a tenth of a second per instance). Built from the same
 * factories and the same configuration as the checker's instance (plain
 * arrays, the defaults otherwise), and from nothing of a namespace (its node
 * classes, parse, evaluate) nor anything blocked, each of these functions is
 * the checker's, built once per process and taken from it. The node classes
 * and the parser stay each instance's own: a compiled expression evaluates
 * through the namespace of the instance that parsed it. (The Unit class, whose
 * unit tables can be changed, is then one per process; only createUnit, which
 * is blocked, changes them.)
 */
const SHARED = new Set([...builtFrom(['parse', 'Unit'])].filter((name) =>
  FUNCTION_FACTORIES.has(name) && !BLOCKED_FACTORIES.has(name) && !OWN_STATE.has(name) && ![...builtFrom([name])].some((d) => INSTANCE_OWN.has(d))));
const shared = (f: Factory): Factory =>
  factory(f.fn, [], () => (checkerMath as unknown as Record<string, unknown>)[f.fn], (f as unknown as { meta?: object }).meta) as unknown as Factory;
/**
 * The factories of a closed instance: a blocked function's factory gives the
 * function that throws (blocking them with `import` instead, as the others
 * are, would build each first: simplify, rationalize and the rest are most of
 * the cost of an instance), and the shared ones give the checker's.
 */
const CLOSED_FACTORIES: Factory[] = Object.values(FACTORIES).map((f) =>
  BLOCKED_FACTORIES.has(f.fn) ? factory(f.fn, [], () => block(f.fn)) as unknown as Factory
    : SHARED.has(f.fn) && !isTransform(f) ? shared(f) : f);

/**
 * A mathjs instance of one file's own: plain arrays, the functions above
 * blocked, the matrix builders held to the element budget, and the caller's
 * `extra` functions. The checker's `parse` and `derivative` are built for it
 * apart, by mathjs's factories from the instance's own classes and functions
 * (a blocked one among their dependencies built the same way, for them
 * alone), as the instance would have built them; `derivative` at first use.
 * An `extra` function in place of one of mathjs's is given as a factory, not
 * imported: mathjs's `import` reads (so builds) the function it replaces.
 */
export function closedMath(limits: Pick<Limits, 'elements'> = DEFAULT_LIMITS, extra: Record<string, unknown> = {}): ClosedMath {
  const replaced = Object.keys(extra).filter((name) => FUNCTION_FACTORIES.has(name) && !SHARED.has(name) && !BLOCKED_FACTORIES.has(name));
  const factories = [
    ...CLOSED_FACTORIES.filter((f) => !replaced.includes(f.fn)),
    ...replaced.map((name) => factory(name, [], () => extra[name])),
  ];
  const math = create(factories as unknown as typeof all, { matrix: 'Array' });
  const own = new Map<string, unknown>();
  const genuine = (name: string): unknown => {
    const f = BLOCKED_FACTORIES.get(name);
    if (!f) return name === 'math' ? math : name === 'mathWithTransform' ? (math.expression as unknown as { mathWithTransform: unknown }).mathWithTransform : (math as unknown as Record<string, unknown>)[name];
    if (!own.has(name)) own.set(name, f(Object.fromEntries(f.dependencies.map((d) => d.replace(/^\?/, '')).map((d) => [d, genuine(d)]))));
    return own.get(name);
  };
  // built before the matrix builders are held to the budget, so that only a file's own calls
  // of them are counted: parse with subset, and (shared, from the checker's instance, as the
  // Unit class needs them) pow, inv, round, floor and ceil
  const parse = genuine('parse') as MathJsInstance['parse'];
  const sized = (name: 'zeros' | 'ones' | 'identity') => {
    const original = math[name] as (...a: unknown[]) => unknown;
    return (...args: unknown[]) => {
      const dims = args.map(Number);
      const elements = dims.length === 1 && name !== 'identity' ? dims[0] : dims.length === 1 ? dims[0] * dims[0] : dims[0] * dims[1];
      if (!(elements <= limits.elements)) {
        throw new LanguageError(`${name}(${args.join(', ')}) would hold ${elements} entries, more than the budget of ${limits.elements} (raise it with --limit elements=N)`);
      }
      return original(...args);
    };
  };
  // `config` throws when called, but keeps the settings as properties: mathjs's functions read
  // their tolerance and matrix type from it (config.relTol, config.matrix), and those built after
  // this import would otherwise fall back to mathjs's own (max(1, 1 + 5e-9) = 1, arrays as matrices)
  const config = Object.defineProperties(block('config'), Object.fromEntries(Object.entries((math.config as () => Record<string, unknown>)()).map(([k, v]) => [k, { value: v, enumerable: true }])));
  math.import({
    ...Object.fromEntries(BLOCKED.filter((n) => !BLOCKED_FACTORIES.has(n)).map((n) => [n, n === 'config' ? config : block(n)])),
    zeros: sized('zeros'), ones: sized('ones'), identity: sized('identity'),
    ...Object.fromEntries(Object.entries(extra).filter(([name]) => !replaced.includes(name))),
  }, { override: true });
  return {
    math,
    parse,
    get derivative() { return genuine('derivative') as MathJsInstance['derivative']; },
  };
}

export interface ClosedMath {
  /** the instance: its Node classes and compiled expressions */
  math: MathJsInstance;
  /** its parser and differentiation, built apart from the blocked ones */
  parse: MathJsInstance['parse'];
  derivative: MathJsInstance['derivative'];
}

/**
 * Parses one side in the language: mathjs's parser (its own recursion on
 * deeply bracketed text is caught), then the checks above.
 */
export function parseInLanguage(text: string, parse: (s: string) => MathNode): MathNode {
  let node: MathNode;
  try {
    node = parse(text);
  } catch (e) {
    if (e instanceof RangeError) throw new LanguageError(`the expression is nested too deeply to read; split it with \`define\``);
    throw e;
  }
  checkLanguage(node);
  return node;
}

/** The language's parser: a closed instance through which nothing of a file is evaluated. */
const parser = closedMath();

/** Parse one side of a relation (or a whole relation built by the caller from checked sides) in the language. */
export const parseExpression = (text: string): MathNode => parseInLanguage(text, parser.parse);

/** `(a) <= (b) < (c)` as one tree, unchecked: the caller checks every side (checkLanguage). */
export const parseRelationOfSides = (text: string): MathNode => parser.parse(text);
