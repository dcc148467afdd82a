"""The output folder: written whole to a temporary folder, swapped in only
when the build succeeded, and never a folder that ``kb build`` did not make.

A folder made by ``kb build`` holds ``.kb-build/manifest.json``; the build
cache lives beside it, so nothing outside the output folder is written.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from kb.errors import KbError

MARKER_DIR = ".kb-build"
MANIFEST = "manifest.json"


def is_ours(folder: Path) -> bool:
    return (folder / MARKER_DIR / MANIFEST).is_file()


def check_target(out: Path, project_root: Path) -> None:
    """Refuse a target that is not ours or that would hold the project."""
    out = out.resolve()
    root = project_root.resolve()
    if out == root or out in root.parents:
        raise KbError(f"{out}: the output folder cannot be the project folder or above it", status=2)
    for protected in ("content", "templates", ".git"):
        if out == root / protected or (root / protected) in out.parents:
            raise KbError(f"{out}: the output folder cannot be inside {protected}/", status=2)
    if out.exists() and not out.is_dir():
        raise KbError(f"{out}: exists and is not a folder; choose another --out")
    if out.is_dir() and any(out.iterdir()) and not is_ours(out):
        raise KbError(f"{out}: exists and was not made by kb build; refusing to overwrite it. "
                      f"Move it away or choose another --out.")


class Staging:
    """A temporary folder next to the target; ``commit()`` swaps it in."""

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.building-", dir=self.out.parent))
        self.written: list[str] = []
        self._folders: set[Path] = {self.path}

    def _target(self, relative: str) -> Path:
        """Where ``relative`` goes; never outside the staging folder (the
        paths come from slugs and file names, which are checked, but this is
        the last line of defence)."""
        parts = relative.split("/")
        if relative.startswith("/") or "\\" in relative or any(p in ("", ".", "..") for p in parts):
            raise KbError(f"refusing to write outside the output folder: {relative}")
        target = self.path.joinpath(*parts)
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        self.written.append(relative)
        return target

    def write(self, relative: str, data: bytes | str) -> None:
        self._target(relative).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    def copy(self, relative: str, source: Path) -> None:
        shutil.copyfile(source, self._target(relative))

    def commit(self, manifest: dict) -> None:
        marker = self.path / MARKER_DIR
        marker.mkdir(exist_ok=True)
        (marker / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        old = None
        if self.out.exists():
            if any(self.out.iterdir()) and not is_ours(self.out):  # changed while we built
                self.abort()
                raise KbError(f"{self.out}: was replaced by a folder kb build did not make; not overwriting it")
            old = self.out.with_name(f".{self.out.name}.old-{os.getpid()}")
            os.replace(self.out, old)
        os.replace(self.path, self.out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
