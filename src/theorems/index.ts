import { LEMMAS } from './lemmas.ts';
import { DETERMINISTIC } from './deterministic.ts';
import { STOCHASTIC } from './stochastic.ts';
import type { Theorem } from './types.ts';

export type { Theorem } from './types.ts';

/** The catalogue, in the order of docs/theorems.md. */
export const THEOREMS: readonly Theorem[] = [...LEMMAS, ...DETERMINISTIC, ...STOCHASTIC];

export const theoremById = (id: string): Theorem | undefined => THEOREMS.find((t) => t.id === id);
