"""Executes one notebook on the tslab kernel; used by scripts/run-notebooks.sh.

    /usr/bin/python3 scripts/execute-notebook.py NOTEBOOK OUT.ipynb

This is what `jupyter nbconvert --to notebook --execute` does (the same
nbclient underneath), plus what nbconvert cannot do for tslab: say why a cell
failed. tslab answers a failing cell (an exception, a rejected await, a
TypeScript error) with an error reply whose name and value are empty and writes
the message to the cell's stderr, so nbconvert's report ends in a bare
"<Error>:". Here the failing cell's own output is printed instead, and the
partly executed notebook is written to OUT all the same.

The kernel runs in the notebook's directory, as in Jupyter. Exit status: 0 every
cell ran, 1 a cell failed or the kernel died or timed out.
"""
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from pathlib import Path

PER_CELL_TIMEOUT = 300  # seconds; the notebooks are sized to run in well under a minute each


def cell_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            parts.append(f"{out.get('ename', '')}: {out.get('evalue', '')}\n" + "\n".join(out.get("traceback", [])))
    return "".join(parts)


def main(src: str, dst: str) -> int:
    path = Path(src)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="tslab",
        timeout=PER_CELL_TIMEOUT,
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    current = {"index": None}

    def on_cell_start(cell, cell_index):
        current["index"] = cell_index

    client.on_cell_start = on_cell_start
    status = 0
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
        status = 1
        index = current["index"]
        if index is not None:
            cell = nb.cells[index]
            print(f"cell {index + 1} (id {cell.get('id', '?')}) failed with {type(e).__name__}:")
            print("\n".join("  | " + l for l in cell.source.splitlines()))
            out = cell_text(cell).rstrip() or "(no output)"
            print("\n".join("  > " + l for l in out.splitlines()[-40:]))
        if not isinstance(e, CellExecutionError) or index is None:
            print(f"{type(e).__name__}: {e}".strip()[:2000])
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dst)
    return status


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
