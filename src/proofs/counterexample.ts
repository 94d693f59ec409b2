/** A refuted step's counterexample as text, for the terminal (check) and the report alike. */
import { describe } from './check.ts';
import type { Counterexample, ExplicitCheck, StepResult } from './result.ts';

/** A step's counterexample as lines of text: the sampled values, each witness, both sides' values (also the report's). */
export function counterexampleLines(c: Counterexample, s: StepResult): string[] {
  const fmt = (v: unknown) => describe({ v }).slice(4);
  const lines = [`counterexample: ${describe(c.values)}`];
  for (const [name, w] of Object.entries(c.witnesses)) {
    // a performance-estimation counterexample: the function is given by its data at the points (interpolation.ts)
    const data = w.params as { class?: string; points?: { label: string; x: number[]; g: number[]; f: number }[] };
    if (w.family === 'interpolation data' && data.points) {
      lines.push(`${name}: a ${data.class} function with these values and gradients (interpolation conditions checked exactly):`);
      for (const p of data.points) lines.push(`  at ${p.label}: x = ${fmt(p.x)}, ${name} = ${fmt(p.f)}, grad = ${fmt(p.g)}`);
      continue;
    }
    lines.push(`${name} = ${w.scale === 1 ? '' : `${Number(w.scale.toPrecision(6))} × `}${w.family} ${JSON.stringify(w.params)} (${describe(w.constants)})`);
  }
  lines.push(`left  ${s.lhs} = ${fmt(c.lhs)}`, `right ${s.rhs} = ${fmt(c.rhs)}`);
  if (c.explicit) lines.push(...explicitLines(c.explicit, s));
  return lines;
}

/** The explicit functions through a performance-estimation counterexample's points, and the step on them. */
function explicitLines(e: ExplicitCheck, s: StepResult): string[] {
  if (!e.built) return [`no explicit function: ${e.why}`];
  const fmt = (v: unknown) => describe({ v }).slice(4);
  const lines = Object.entries(e.functions).map(([name, f]) => `${name} built explicitly through these points: a ${f.cls} function (${describe(f.constants)}) by construction, off the points by at most ${f.valueDeviation.toExponential(1)} in value and ${f.gradientDeviation.toExponential(1)} in gradient (relative)`);
  lines.push(`on the built function${lines.length > 1 ? 's' : ''}: left ${s.lhs} = ${fmt(e.lhs)}, right ${s.rhs} = ${fmt(e.rhs)}: ${e.fails ? 'the step fails there too' : 'the step holds there within the tolerance (only the points refute it)'}`);
  return lines;
}
