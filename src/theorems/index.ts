import { LEMMAS } from './lemmas.ts';
import { DETERMINISTIC } from './deterministic.ts';
import { STOCHASTIC } from './stochastic.ts';
import type { Theorem } from './types.ts';

export type { Theorem } from './types.ts';

/** The catalogue, in the order of docs/theorems.md. */
export const THEOREMS: readonly Theorem[] = [...LEMMAS, ...DETERMINISTIC, ...STOCHASTIC];

/** Theorems added at run time (the extension API), by id. */
const REGISTERED = new Map<string, Theorem>();

/** Adds a theorem by id (a catalogue id cannot be taken; registering again replaces). */
export function addTheorem(th: Theorem): void {
  if (THEOREMS.some((t) => t.id === th.id)) throw new Error(`theorem id '${th.id}' is in the catalogue; choose another id`);
  REGISTERED.set(th.id, th);
}

export const theoremById = (id: string): Theorem | undefined => THEOREMS.find((t) => t.id === id) ?? REGISTERED.get(id);
