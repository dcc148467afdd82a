"""``kb lookup CODE`` as a whole command, cold, beside ``python -c pass``.

    python bench/lookup.py [--runs N]

The package's bytecode is compiled first (as an installed package's is).
Each run starts a new process (nothing is kept between runs), in the project
folder, and prints the median, min and max wall time of N runs of: the
interpreter doing nothing, ``kb lookup`` on a code, on a misspelled code and
with ``--format json`` (which renders HTML too).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    kb = shutil.which("kb") or sys.exit("the kb command is not installed (pip install -e .)")
    # An installed package has its bytecode compiled; make sure this one does
    # too, even where PYTHONDONTWRITEBYTECODE is set, or every run recompiles.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "kb")], check=True,
                   stdout=subprocess.DEVNULL)
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "kb lookup SEC_ERROR_UNKNOWN_ISSUER": [kb, "lookup", "SEC_ERROR_UNKNOWN_ISSUER"],
        "kb lookup SEC_ERROR_UNKOWN_ISSUER (misspelt)": [kb, "lookup", "SEC_ERROR_UNKOWN_ISSUER"],
        "kb lookup -8179 --version 60 --os mac": [kb, "lookup", "-8179", "--version", "60", "--os", "mac"],
        "kb lookup SEC_ERROR_UNKNOWN_ISSUER --format json": [kb, "lookup", "SEC_ERROR_UNKNOWN_ISSUER", "--format", "json"],
    }
    print(f"{args.runs} cold runs each")
    print(f"{'command':<52} {'median ms':>10} {'min':>7} {'max':>7}")
    for name, command in commands.items():
        times = timed(command, args.runs)
        print(f"{name:<52} {statistics.median(times) * 1000:>10.1f} {min(times) * 1000:>7.1f} "
              f"{max(times) * 1000:>7.1f}")


if __name__ == "__main__":
    main()
