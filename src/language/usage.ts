/** A user error: bad parameter, unknown id, unreadable input. The CLI prints it and exits 2. */
export class UsageError extends Error {}

/** A malformed input file (a proof, a theorem file); the message names file:line and what to change. */
export class ProofError extends UsageError {
  readonly detail: string;
  constructor(readonly file: string, readonly line: number, detail: string) {
    // one place per message: a detail that already says file:line (a wrapped error) loses it, and no colon dangles
    const clean = stripPlace(detail, file);
    super(`${file}:${line}: ${clean}`);
    this.detail = clean;
  }
}

/** `detail` without leading `file:line:` prefixes and without a trailing colon. */
export function stripPlace(detail: string, file: string): string {
  let out = detail.trim();
  const prefix = `${file}:`;
  for (;;) {
    const m = out.startsWith(prefix) ? /^:(\d+):\s*/.exec(out.slice(file.length)) : null;
    if (!m) break;
    out = out.slice(file.length + m[0].length);
  }
  return out.replace(/\s*:\s*$/, '');
}
