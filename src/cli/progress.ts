import { printable } from './terminal.ts';

/** One line of progress on stderr, only when stderr is a terminal. */
export interface Progress {
  update(text: string): void;
  done(): void;
}

export function progress(): Progress {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  return {
    update(text) {
      if (!tty) return;
      const width = process.stderr.columns ?? 80;
      process.stderr.write(`\r\x1b[2K${printable(text).slice(0, width - 1)}`);
      shown = true;
    },
    done() {
      if (tty && shown) process.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
