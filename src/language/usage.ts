/** A user error: bad parameter, unknown id, unreadable input. The CLI prints it and exits 2. */
export class UsageError extends Error {}

/** A malformed input file (a proof, a theorem file); the message names file:line and what to change. */
export class ProofError extends UsageError {
  constructor(readonly file: string, readonly line: number, readonly detail: string) {
    super(`${file}:${line}: ${detail}`);
  }
}

