// TEMPORARY STUB written by the lead so check.ts compiles; helper-4 replaces this whole file.
import type { MathNode } from 'mathjs';
import type { Rel } from './parse.ts';
export interface ScalarVariable { name: string; integer: boolean }
export interface CertifyOptions { maxBoxes?: number }
export interface Certificate { boxes: number; method: string }
export function certifyScalarStep(_l: MathNode, _r: Rel, _rhs: MathNode, _v: ScalarVariable[], _c: MathNode[], _o?: CertifyOptions): Certificate | null { return null; }
