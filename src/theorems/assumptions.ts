/**
 * A theorem's assumptions by name, and relaxations of them.
 *
 * Names: the function classes (`convex`, `L-smooth`, `mu-PL`, ...), the
 * structural ones (`L2-regularized`), and each parameter constraint, whose
 * name is its own text (`0 < gamma <= 1 / L`). One comparison of a chained
 * constraint can be named on its own: `gamma <= 1/L` drops the upper end of
 * `0 < gamma <= 1 / L` and keeps `0 < gamma`.
 *
 * A relaxation drops some assumptions and may add others (a class, or a
 * constraint in the proof format's `given` syntax). What the dropped class
 * provided becomes a parameter: without `mu-strongly-convex`, mu is any number
 * in (0, L] a person might claim, and the search looks for the one that fails.
 */
import type { MathNode } from 'mathjs';
import { parse } from '../language/mathjs.ts';
import { checkLanguage, LanguageError, MATH_FUNCTIONS } from '../language/expression.ts';
import { CLASS_CONSTANT, CLASS_NAMES, type ClassName } from '../classes/types.ts';
import { closest } from '../language/closest.ts';
import { parseGiven } from '../language/given.ts';
import type { Scope } from '../language/builtins.ts';
import { UsageError } from '../language/usage.ts';
import { comparisons, intervalFor, parseConstraints } from '../language/domain.ts';
import { symbolsOf } from '../language/statement.ts';
import { assumptionsOf, type StructuralAssumption, type Theorem } from './types.ts';

const STRUCTURAL: readonly StructuralAssumption[] = ['L2-regularized', 'stochastic-gradient', 'convex-samples', 'interpolation'];

export { assumptionsOf };

export interface Relaxation {
  drop: readonly string[];
  add?: readonly string[];
}

export interface RelaxedTheorem {
  original: Theorem;
  /** The theorem with the relaxed assumptions (same id, statement and algorithm). */
  theorem: Theorem;
  /** The names dropped and added, as the theorem and the user wrote them. */
  dropped: string[];
  added: string[];
  /** The relaxed set, by name. */
  assumptions: string[];
  /** Constants that became parameters (their class was dropped). */
  freed: string[];
}


/** What a freed constant is: a constraint that keeps it meaningful, and a range where it is unbounded. */
const FREED: Record<string, { constraint: string; range?: readonly [number, number] }> = {
  L: { constraint: 'L > 0', range: [0.01, 100] },
  mu: { constraint: '0 < mu <= L' },
  G: { constraint: 'G > 0', range: [0.01, 100] },
  lambda: { constraint: 'lambda > 0', range: [0.001, 10] },
};

/** Classes an algorithm cannot run without: exact line search is closed-form on quadratics only. */
const ALGORITHM_NEEDS: Record<string, readonly ClassName[]> = { 'gd-exact-line-search': ['quadratic'] };

const OP_TEXT: Record<string, string> = { smaller: '<', smallerEq: '<=', larger: '>', largerEq: '>=' };
const FLIP: Record<string, string> = { smaller: 'larger', smallerEq: 'largerEq', larger: 'smaller', largerEq: 'smallerEq' };

interface Comparison { a: MathNode; op: string; b: MathNode }

/** A comparison as text, oriented so that `<`/`<=` read left to right: `gamma > 0` and `0 < gamma` are one key. */
function key(c: Comparison): string {
  const [a, op, b] = c.op === 'larger' || c.op === 'largerEq' ? [c.b, FLIP[c.op], c.a] : [c.a, c.op, c.b];
  return `${a.toString()} ${OP_TEXT[op]} ${b.toString()}`;
}
const text = (c: Comparison) => `${c.a.toString()} ${OP_TEXT[c.op]} ${c.b.toString()}`;

/** The comparisons of a constraint written by a person (≤, ≥ accepted); null when it is not one. */
function parseComparisons(source: string): Comparison[] | null {
  let node: MathNode;
  try {
    node = parse(source.replace(/≤/g, '<=').replace(/≥/g, '>='));
  } catch {
    return null;
  }
  const cs = comparisons(node);
  return cs.length ? cs : null;
}

/** Symbols the theorem's statement, constraints, derived values and algorithm use. */
function usedSymbols(th: Theorem): Set<string> {
  const sources = [
    th.statement, ...th.constraints, ...Object.values(th.derived ?? {}),
    ...Object.values(th.algorithm?.hyper ?? {}), ...Object.values(th.functions ?? {}),
    ...Object.values(th.sequences ?? {}).map((s) => s.next),
  ];
  const out = new Set<string>(Object.keys(th.derived ?? {}));
  for (const s of sources) for (const name of symbolsOf(parse(s))) out.add(name);
  return out;
}

/** A class name as the proof format writes it (`L-smooth`, `mu-PL`), in the catalogue's constant names. */
function parseClass(textIn: string): ClassName | null {
  const t = textIn.trim();
  if ((CLASS_NAMES as readonly string[]).includes(t)) return t as ClassName;
  if (/[<>=≤≥]/.test(t)) return null;
  let given;
  try {
    given = parseGiven(`f: R^d -> R, ${t}`, 1, '--add');
  } catch {
    return null;
  }
  if (given.kind !== 'function' || given.classes.length !== 1) return null;
  const cls = given.classes[0];
  const expected = CLASS_CONSTANT[cls.className];
  if (expected && cls.constant !== expected) {
    throw new UsageError(`--add ${t}: the catalogue names this class's constant ${expected}; write ${cls.className}`);
  }
  return cls.className;
}

/**
 * The theorem with `drop` removed and `add` added. Throws UsageError naming
 * the assumption when one is not the theorem's, is already assumed, or is not
 * a class or constraint.
 */
export function relaxTheorem(th: Theorem, relaxation: Relaxation): RelaxedTheorem {
  const add = relaxation.add ?? [];
  if (relaxation.drop.length === 0) throw new UsageError(`relax ${th.id}: name an assumption to drop with --drop (its assumptions: ${assumptionsOf(th).join(', ')})`);
  let classes = [...th.classes];
  let structural = [...(th.structural ?? [])];
  // Constraints as lists of comparisons, so one end of a chain can go.
  let constraints = th.constraints.map((source) => ({ source, parts: parseComparisons(source) ?? [] }));
  const dropped: string[] = [];

  for (const raw of relaxation.drop) {
    const name = raw.trim();
    const optimizer = th.algorithm?.optimizer ?? '';
    if ((ALGORITHM_NEEDS[optimizer] as readonly string[] | undefined)?.includes(name)) {
      throw new UsageError(`${th.id}: its algorithm (${optimizer}) runs only on ${name} functions, so ${name} cannot be dropped`);
    }
    if ((classes as string[]).includes(name)) { classes = classes.filter((c) => c !== name); dropped.push(name); continue; }
    if ((structural as string[]).includes(name)) { structural = structural.filter((c) => c !== name); dropped.push(name); continue; }
    const want = parseComparisons(name);
    const wantKeys = want?.map(key).sort().join(' & ');
    let found = false;
    if (want) {
      for (const [i, c] of constraints.entries()) {
        if (c.parts.map(key).sort().join(' & ') === wantKeys) {
          constraints.splice(i, 1);
          dropped.push(c.source);
          found = true;
          break;
        }
        if (want.length === 1) {
          const k = c.parts.findIndex((p) => key(p) === key(want[0]));
          if (k >= 0) {
            const rest = c.parts.filter((_, j) => j !== k);
            constraints = [...constraints.slice(0, i), ...rest.map((p) => ({ source: text(p), parts: [p] })), ...constraints.slice(i + 1)];
            dropped.push(text(c.parts[k]));
            found = true;
            break;
          }
        }
      }
    }
    if (!found) {
      const names = assumptionsOf(th);
      const isClass = (CLASS_NAMES as readonly string[]).includes(name);
      throw new UsageError(
        `${th.id} does not assume '${name}' (its assumptions: ${names.join(', ') || 'none'})` +
        (isClass ? `; its statement already covers functions that are not ${name}` : closest(name, names)),
      );
    }
  }

  const addedClasses: ClassName[] = [];
  const addedStructural: StructuralAssumption[] = [];
  const addedConstraints: string[] = [];
  const used = usedSymbols(th);
  for (const raw of add) {
    const name = raw.trim();
    const assumed = [...classes, ...structural, ...constraints.map((c) => c.source)];
    if ((STRUCTURAL as readonly string[]).includes(name)) {
      if (assumed.includes(name)) throw new UsageError(`${th.id} already assumes ${name}`);
      addedStructural.push(name as StructuralAssumption);
      continue;
    }
    const cls = parseClass(name);
    if (cls) {
      if (assumed.includes(cls) || addedClasses.includes(cls)) throw new UsageError(`${th.id} already assumes ${cls}`);
      addedClasses.push(cls);
      continue;
    }
    const parts = parseComparisons(name);
    if (!parts) {
      throw new UsageError(`--add '${name}' is neither a class (${CLASS_NAMES.join(', ')}) nor a constraint like "gamma <= 3/L"`);
    }
    // text from the command line: the closed language's functions and operators only
    for (const c of parts) {
      for (const side of [c.a, c.b]) {
        try {
          checkLanguage(side);
          side.traverse((n, path, parent) => {
            const head = (n as unknown as { name?: string }).name ?? '';
            if (n.type === 'SymbolNode' && parent?.type === 'FunctionNode' && path === 'fn' && !Object.hasOwn(MATH_FUNCTIONS, head)) {
              throw new LanguageError(`unknown function '${head}'`);
            }
          });
        } catch (e) {
          if (e instanceof LanguageError) throw new UsageError(`--add '${name}': ${e.message}`);
          throw e;
        }
      }
    }
    const unknown = [...symbolsOf(parse(name.replace(/≤/g, '<=').replace(/≥/g, '>=')))].filter((s) => !used.has(s) && !['pi', 'e'].includes(s));
    if (unknown.length) {
      throw new UsageError(`--add '${name}': ${unknown.map((u) => `'${u}'`).join(', ')} is not a parameter or constant of ${th.id} (it uses ${[...used].sort().join(', ')})`);
    }
    const k = parts.map(key).sort().join(' & ');
    if (constraints.some((c) => c.parts.map(key).sort().join(' & ') === k)) throw new UsageError(`${th.id} already assumes ${name}`);
    addedConstraints.push(name.replace(/≤/g, '<=').replace(/≥/g, '>='));
  }
  classes = [...classes, ...addedClasses];
  structural = [...structural, ...addedStructural];

  // Constants whose class is gone (and that nothing left provides) become parameters.
  const provided = new Set(classes.map((c) => CLASS_CONSTANT[c]).filter((c): c is string => !!c));
  if (structural.includes('L2-regularized')) provided.add('lambda');
  const candidates = [...(th.classes.map((c) => CLASS_CONSTANT[c]).filter((c): c is string => !!c)), ...(th.structural?.includes('L2-regularized') ? ['lambda'] : [])];
  const order = ['L', 'G', 'lambda', 'mu']; // L first: mu is bounded by it
  const freed = [...new Set(candidates)].filter((c) => !provided.has(c) && used.has(c)).sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const implicit = freed.map((c) => FREED[c].constraint).filter((c) => !constraints.some((k) => k.source === c) && !addedConstraints.includes(c));

  const allConstraints = [...constraints.map((c) => c.source), ...addedConstraints, ...implicit];
  const ranges = { ...th.ranges };
  for (const c of freed) if (FREED[c].range && !ranges[c]) ranges[c] = FREED[c].range!;
  const relaxed: Theorem = {
    ...th,
    classes,
    structural: structural.length ? structural : undefined,
    constraints: allConstraints,
    freeConstants: freed.length ? freed : undefined,
    ranges,
    // The tight cases stay only where they satisfy the relaxed set (checked when they are used).
    witnesses: th.witnesses,
  };
  return {
    original: th, theorem: relaxed, dropped,
    added: [...addedClasses, ...addedStructural, ...addedConstraints],
    assumptions: assumptionsOf(relaxed), freed,
  };
}

/**
 * Why the parameter domain is empty at these constants, naming the two
 * constraints that clash; null when every free parameter has room.
 * `free` lists the parameters in sampling order; each is placed at a point
 * of its interval so that later ones can be bounded by it.
 */
export function emptyDomain(constraints: readonly string[], free: readonly string[], constants: Scope): string | null {
  const cs = parseConstraints(constraints);
  const scope: Scope = { ...constants };
  for (const name of free) {
    const iv = intervalFor(name, cs, scope);
    const empty = iv.lo > iv.hi || (iv.lo === iv.hi && (iv.loOpen || iv.hiOpen));
    if (empty) {
      const lo = cs.find((c) => { const v = intervalFor(name, [c], scope); return v.lo === iv.lo && v.loOpen === iv.loOpen; });
      const hi = cs.find((c) => { const v = intervalFor(name, [c], scope); return v.hi === iv.hi && v.hiOpen === iv.hiOpen; });
      const at = Object.entries(constants).filter(([k, v]) => typeof v === 'number' && ['L', 'mu', 'lambda'].includes(k))
        .map(([k, v]) => `${k} = ${Number((v as number).toPrecision(4))}`).join(', ');
      return `"${lo?.source}" and "${hi?.source}" contradict each other: ${name} ${iv.loOpen ? '>' : '>='} ${fmt(iv.lo)} and ${name} ${iv.hiOpen ? '<' : '<='} ${fmt(iv.hi)}${at ? ` (at ${at})` : ''}`;
    }
    if (Number.isFinite(iv.lo) && Number.isFinite(iv.hi)) scope[name] = (iv.lo + iv.hi) / 2;
    else if (Number.isFinite(iv.lo)) scope[name] = iv.lo + 1;
    else if (Number.isFinite(iv.hi)) scope[name] = iv.hi - 1;
    else scope[name] = 1;
  }
  return null;
}

const fmt = (v: number) => Number(v.toPrecision(6)).toString();
