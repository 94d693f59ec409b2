/**
 * A theorem's parameter domain: mathjs relations over parameters and instance
 * constants. The same relations refuse a parameter outside the domain (naming
 * the constraint that fails) and give the interval parameters are sampled from.
 */
import type { MathNode, EvalFunction } from 'mathjs';
import { mathjs } from './mathjs.ts';
import type { Rng } from '../numeric/rng.ts';

export interface Constraint {
  source: string;
  node: MathNode;
  holds: EvalFunction;
}

export interface Interval { lo: number; hi: number; loOpen: boolean; hiOpen: boolean }

export function parseConstraints(sources: readonly string[]): Constraint[] {
  return sources.map((source) => {
    let c = PARSED.get(source);
    if (!c) {
      const node = mathjs.parse(source);
      c = { source, node, holds: node.compile() };
      PARSED.set(source, c);
    }
    return c;
  });
}

/** Constraints by their text, parsed once: a theorem's are read again for every witness it runs on. */
const PARSED = new Map<string, Constraint>();

/** The first constraint that fails in `scope`, with the values involved; null when all hold. */
export function failingConstraint(cs: readonly Constraint[], scope: Record<string, unknown>): string | null {
  for (const c of cs) {
    let ok: unknown;
    try {
      ok = c.holds.evaluate({ ...scope });
    } catch (e) {
      return `${c.source} (cannot be evaluated: ${(e as Error).message})`;
    }
    if (ok !== true) {
      const values = operands(c.node)
        .map((n) => `${n.toString()} = ${fmt(n.compile().evaluate({ ...scope }))}`)
        .filter((s) => !/^[\d.e+-]+ = /.test(s));
      return `${c.source} fails: ${values.join(', ')}`;
    }
  }
  return null;
}

const fmt = (v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(6)).toString() : String(v));

function operands(node: MathNode): MathNode[] {
  if (node.type === 'RelationalNode') return (node as unknown as { params: MathNode[] }).params;
  if (node.type === 'OperatorNode') return (node as unknown as { args: MathNode[] }).args;
  return [node];
}

/** Comparisons `a op b` of a constraint (op a mathjs name: smaller, smallerEq, larger, largerEq), chains split into adjacent pairs. */
export function comparisons(node: MathNode): { a: MathNode; op: string; b: MathNode }[] {
  if (node.type === 'RelationalNode') {
    const r = node as unknown as { conditionals: string[]; params: MathNode[] };
    return r.conditionals.map((op, i) => ({ a: r.params[i], op, b: r.params[i + 1] }));
  }
  if (node.type === 'OperatorNode') {
    const o = node as unknown as { fn: string; args: MathNode[] };
    if (['smaller', 'smallerEq', 'larger', 'largerEq'].includes(o.fn)) return [{ a: o.args[0], op: o.fn, b: o.args[1] }];
  }
  return [];
}

const isSymbol = (n: MathNode, name: string) =>
  n.type === 'SymbolNode' && (n as unknown as { name: string }).name === name;

/** The interval the constraints give `name` in `scope` (unbounded sides are ±∞). */
export function intervalFor(name: string, cs: readonly Constraint[], scope: Record<string, unknown>): Interval {
  const iv: Interval = { lo: -Infinity, hi: Infinity, loOpen: true, hiOpen: true };
  const tighten = (side: 'lo' | 'hi', value: number, open: boolean) => {
    if (side === 'lo' && (value > iv.lo || (value === iv.lo && open))) { iv.lo = value; iv.loOpen = open; }
    if (side === 'hi' && (value < iv.hi || (value === iv.hi && open))) { iv.hi = value; iv.hiOpen = open; }
  };
  for (const c of cs)
    for (const { a, op, b } of comparisons(c.node)) {
      const less = op === 'smaller' || op === 'smallerEq';
      const open = op === 'smaller' || op === 'larger';
      // a bound by a name not yet in scope is skipped (the final constraint check covers it)
      if (isSymbol(a, name) && !mentions(b, name) && known(b, scope)) tighten(less ? 'hi' : 'lo', b.compile().evaluate({ ...scope }), open);
      else if (isSymbol(b, name) && !mentions(a, name) && known(a, scope)) tighten(less ? 'lo' : 'hi', a.compile().evaluate({ ...scope }), open);
    }
  return iv;
}

function known(node: MathNode, scope: Record<string, unknown>): boolean {
  let ok = true;
  node.traverse((n, path, parent) => {
    if (n.type === 'SymbolNode' && !(parent?.type === 'FunctionNode' && path === 'fn')) {
      const s = (n as unknown as { name: string }).name;
      if (!(s in scope) && !['pi', 'e', 'E', 'PI', 'Infinity'].includes(s)) ok = false;
    }
  });
  return ok;
}

function mentions(node: MathNode, name: string): boolean {
  let found = false;
  node.traverse((n) => { if (isSymbol(n, name)) found = true; });
  return found;
}

/**
 * A value inside the interval: the closed upper end often (theorems are
 * sharpest at their largest step), near an open end sometimes, else uniform.
 */
export function sampleInterval(iv: Interval, rng: Rng, fallback?: readonly [number, number]): number {
  let lo = iv.lo, hi = iv.hi;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    if (!fallback) throw new Error('cannot sample an unbounded parameter without a range');
    lo = Math.max(lo, fallback[0]);
    hi = Math.min(hi, fallback[1]);
  }
  const width = hi - lo;
  const u = rng.next();
  if (u < 0.3) return iv.hiOpen ? hi - 1e-3 * width : hi;
  if (u < 0.4) return lo + (iv.loOpen ? 0.02 : 0) * width;
  return lo + width * (0.05 + 0.95 * rng.next());
}
