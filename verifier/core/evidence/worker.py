"""The extraction process: ``python -m verifier.core.evidence.worker FORMAT PATH NAME
MAX_CELLS OUTPUT``. Writes one JSON record a line to OUTPUT; a document it refuses gets a
single ``{"refused": reason}`` record and exit status 3 (see extraction.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from verifier.core.evidence.extraction import EXIT_REFUSED, write_extraction
from verifier.core.evidence.intake import Spooled


def main(argv: list[str]) -> int:
    fmt, path, name, max_cells, output = argv
    spooled = Spooled(Path(path), "", 0, fmt, name)
    try:
        refused = write_extraction(spooled, int(max_cells), Path(output))
    except (MemoryError, RecursionError) as error:
        refused = f"too complex to read within the limits ({type(error).__name__})"
    if refused is None:
        return 0
    Path(output).write_text(json.dumps({"refused": refused}, ensure_ascii=False) + "\n")
    return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
