import { printable } from './terminal.ts';

/**
 * Progress on stderr. On a terminal one line that is rewritten in place; off a
 * terminal (a CI log, a pipe) one plain line per finished item, so a long run
 * shows life without filling the log. `--quiet` silences both.
 */
export interface Progress {
  /** what is running now: shown on a terminal only */
  update(text: string): void;
  /** an item finished (a theorem, a file, a round): on a terminal shown like update, off one a line of its own */
  item(text: string): void;
  /** clear the terminal line before results are printed */
  done(): void;
}

let quiet = false;

/** `--quiet` (every command takes it; parseArgs sets it). */
export function setQuiet(value: boolean): void {
  quiet = value;
}

export function progress(): Progress {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  const update = (text: string) => {
    if (!tty || quiet) return;
    const width = process.stderr.columns ?? 80;
    process.stderr.write(`\r\x1b[2K${printable(text).slice(0, width - 1)}`);
    shown = true;
  };
  return {
    update,
    item(text) {
      if (tty) update(text);
      else if (!quiet) process.stderr.write(`${printable(text)}\n`);
    },
    done() {
      if (tty && shown) process.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
