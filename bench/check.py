"""Wall-clock time of ``kb check`` over the whole Thunderbird corpus, as a
whole command (interpreter start, imports, reading, parsing, every rule and
the report), the way an author or CI runs it.

    python bench/check.py [--repeat N] [--format text|json|github]

Runs the installed ``kb check --product thunderbird CORPUS`` N times (default
11) from the project root, after one warm-up run, and reports the median,
the fastest and the slowest wall-clock time, the median CPU time the command
used (which other load on the machine does not inflate) and, for json and
github output, the number of findings. The target is a median under 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "thunderbird-en-US"
TARGET = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=11, help="timed runs (default 11)")
    parser.add_argument("--format", default="text", choices=("text", "json", "github"))
    args = parser.parse_args()
    kb = shutil.which("kb")
    if kb is None:
        raise SystemExit("the kb command is not installed: python3 -m pip install -e .")
    if not CORPUS.is_dir():
        raise SystemExit(f"no corpus at {CORPUS}")
    articles = len(list(CORPUS.glob("*.wiki")))
    command = [kb, "check", "--product", "thunderbird", "--format", args.format, str(CORPUS)]

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def once() -> tuple[float, float, subprocess.CompletedProcess]:
        cpu_before = cpu()
        start = time.perf_counter()
        run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if run.returncode not in (0, 1):
            raise SystemExit(f"kb check failed ({run.returncode}): {run.stderr.strip()}")
        return elapsed, cpu() - cpu_before, run

    once()  # warm-up: file cache, .pyc files
    times, cpu_times = [], []
    run = None
    for _ in range(args.repeat):
        elapsed, used, run = once()
        times.append(elapsed)
        cpu_times.append(used)
    findings = None
    if args.format == "json":
        findings = len(json.loads(run.stdout))
    elif args.format == "github":
        findings = len(run.stdout.splitlines())
    median = statistics.median(times)
    print(f"kb check over {articles} Thunderbird articles ({CORPUS}), --format {args.format}")
    print(f"  runs: {len(times)}; cpus: {os.cpu_count()}; python {sys.version.split()[0]}")
    print(f"  wall: median {median:.3f} s   fastest {min(times):.3f} s   slowest {max(times):.3f} s")
    print(f"  cpu (user+sys of the command): median {statistics.median(cpu_times):.3f} s")
    print(f"  load average when done: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if findings is not None:
        print(f"  findings: {findings}")
    print(f"  target: under {TARGET:.1f} s -> {'ok' if median < TARGET else 'TOO SLOW'}")
    return 0 if median < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
