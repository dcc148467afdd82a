"""Shared helper for golden-file tests: an input file and its expected output
side by side; ``KB_UPDATE_GOLDEN=1`` rewrites the expected files (to be
reviewed by a person before they are committed)."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def cases(folder: str, suffix: str = ".wiki") -> list[Path]:
    return sorted((GOLDEN / folder).glob(f"*{suffix}"))


def check(expected_path: Path, actual: str) -> None:
    if os.environ.get("KB_UPDATE_GOLDEN"):
        expected_path.write_text(actual, encoding="utf-8", newline="")
        return
    assert expected_path.exists(), f"{expected_path} is missing; run with KB_UPDATE_GOLDEN=1 and review it"
    expected = expected_path.read_text(encoding="utf-8")
    assert actual == expected
