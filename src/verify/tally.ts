/** Running totals of a verification: checks, margins, the first violation. */
import type { Counterexample } from './result.ts';

export class Tally {
  checks = 0;
  resolved = 0;
  skipped = 0;
  worstMargin: number | null = null;
  counterexample?: Counterexample;
  readonly families: Record<string, number> = {};

  instance(family: string): void {
    this.families[family] = (this.families[family] ?? 0) + 1;
  }
  get instances(): number {
    return Object.values(this.families).reduce((a, b) => a + b, 0);
  }
  /** A comparison made; `resolved` when the float32 floor was below the bound. */
  check(resolved: boolean, margin: number): void {
    this.checks++;
    if (!resolved) return;
    this.resolved++;
    if (this.worstMargin === null || margin < this.worstMargin) this.worstMargin = margin;
  }
  skip(): void {
    this.skipped++;
  }
  /** Keeps the first violation found: the one a person reads. */
  violation(c: Counterexample): void {
    this.counterexample ??= c;
  }
}
