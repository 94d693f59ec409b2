/** A refuted step's counterexample as text, for the terminal (check) and the report alike. */
import { describe } from './check.ts';
import type { Counterexample, StepResult } from './result.ts';

/** A step's counterexample as lines of text: the sampled values, each witness, both sides' values (also the report's). */
export function counterexampleLines(c: Counterexample, s: StepResult): string[] {
  const fmt = (v: unknown) => describe({ v }).slice(4);
  const lines = [`counterexample: ${describe(c.values)}`];
  for (const [name, w] of Object.entries(c.witnesses)) {
    lines.push(`${name} = ${w.scale === 1 ? '' : `${Number(w.scale.toPrecision(6))} × `}${w.family} ${JSON.stringify(w.params)} (${describe(w.constants)})`);
  }
  lines.push(`left  ${s.lhs} = ${fmt(c.lhs)}`, `right ${s.rhs} = ${fmt(c.rhs)}`);
  return lines;
}
