/**
 * The layout of src/: folders in the order data flows, each importing only
 * from its own layer and those below, and no cycle between files (type-only
 * imports included: a cycle of types is still two files that cannot be read
 * apart). A new import against the flow fails here, naming the file and line.
 *
 * The order, lowest first (README.md, "The pieces", says what each folder holds):
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LAYERS: readonly (readonly string[])[] = [
  ['numeric'], // numbers: linear algebra, exact rationals, random numbers, Student t, formatting
  ['engine'], // the TensorFlow.js backend and the float32 tolerance model
  ['classes'], // function classes and the families that witness them
  ['optimizers'], // update rules
  ['language'], // what theorems and proofs share: expressions, statements, domains, TeX, givens, built-ins, UsageError
  ['methods'], // methods described in the language (theorem files' `method:`)
  ['theorems'], // the catalogue
  ['theoremFiles'], // theorems written as Markdown files
  ['runs'], // batched optimiser runs, float32 and float64
  ['verify'], // the checkers and their verdicts
  ['pep'], // performance estimation: worst cases by SDP, proofs from the certificate
  ['search'], // counterexample search: relax, tightness, recorded relaxations
  ['proofs'], // proof files checked step by step
  ['compression'], // quantisation and low-rank methods
  ['experiments'], // experiments with claims
  ['laws'], // law checks over sizes and seeds
  ['report'], // the HTML report and the standalone pages
  ['cli'], // one file per command
  ['api.ts', 'index.ts'], // the public entry points
];

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|mjs)$/.test(e) ? [p] : [];
  });
}

interface Edge { from: string; to: string; line: number }

/** Every relative import and re-export of a file (static, dynamic and type-only). */
function importsOf(file: string): Edge[] {
  const text = readFileSync(file, 'utf8');
  const edges: Edge[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\b[^'";]*?(?:from\s+)?['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = m[1] ?? m[2];
    const at = (m.index ?? 0) + m[0].indexOf(spec);
    edges.push({ from: file, to: resolve(dirname(file), spec), line: text.slice(0, at).split('\n').length });
  }
  return edges;
}

/** A file's layer: the index of its top-level folder (or file) under src/. */
function layerOf(file: string): number {
  const top = relative(SRC, file).split('/')[0];
  const i = LAYERS.findIndex((l) => l.includes(top));
  return i;
}

const name = (f: string) => relative(SRC, f);

/** Imports from a higher layer than the importer's, as `file:line imports file`. */
function backReferences(edges: readonly Edge[]): string[] {
  return edges.filter((e) => layerOf(e.to) > layerOf(e.from)).map((e) => `${name(e.from)}:${e.line} imports ${name(e.to)}`);
}

/** The cycles of the file graph: its strongly connected components of more than one file (Tarjan). */
function cyclesOf(files: readonly string[], edges: readonly Edge[]): string[][] {
  const out = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of edges) out.get(e.from)?.push(e.to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of out.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); scc.push(name(w)); } while (w !== v);
      if (scc.length > 1) cycles.push(scc.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return cycles;
}

const FILES = sourceFiles(SRC);
const EDGES = FILES.flatMap(importsOf);

describe('the layout of src/', () => {
  it('puts every folder in a layer', () => {
    expect(FILES.filter((f) => layerOf(f) < 0).map(name)).toEqual([]);
  });

  it('imports nothing against the data flow', () => {
    expect(backReferences(EDGES)).toEqual([]);
  });

  it('has no cycle between files', () => {
    expect(cyclesOf(FILES, EDGES)).toEqual([]);
  });

  it('catches a planted back-reference and a planted cycle (the checks can fail)', () => {
    const [a, b, c] = ['classes/types.ts', 'report/page.ts', 'classes/index.ts'].map((f) => join(SRC, f));
    expect(EDGES.length).toBeGreaterThan(300);
    expect(backReferences([{ from: a, to: b, line: 7 }])).toEqual(['classes/types.ts:7 imports report/page.ts']);
    expect(backReferences([{ from: b, to: a, line: 7 }])).toEqual([]);
    expect(cyclesOf([a, c], [{ from: a, to: c, line: 1 }, { from: c, to: a, line: 1 }])).toEqual([['classes/index.ts', 'classes/types.ts']]);
    expect(cyclesOf([a, c], [{ from: a, to: c, line: 1 }])).toEqual([]);
  });
});
