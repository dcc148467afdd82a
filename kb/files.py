"""Reading the project's files: what kb reads, and only that (every stage
reads through here, kb.yaml included, so it sits beside kb.errors).

- Only regular files are read, and at most :data:`MAX_FILE_BYTES` of them: a
  device (``/dev/zero``), a FIFO or a folder named as an article gets a clear
  message instead of a hang or a memory error. A FIFO is opened without
  blocking, so naming one never waits for a writer.
- Nothing outside the content folder is read into the site: :func:`inside`
  refuses a path that, once every symbolic link is resolved, leaves it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kb.errors import KbError

#: The largest file kb reads (the largest real article is about 32 kB).
MAX_FILE_BYTES = 8 * 1024 * 1024


def read_file(path: Path | str) -> bytes:
    """The bytes of the regular file ``path``; :class:`KbError` when it is
    missing, unreadable, not a regular file or larger than the cap."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise KbError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise KbError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise KbError(f"{path}: cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise KbError(f"{path}: is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise KbError(f"{path}: is not a regular file (a device, pipe or socket); kb reads only files")
        try:
            data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise KbError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise KbError(f"{path}: is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, the most kb reads; "
                      f"is it really an article or a configuration file?")
    return data


def inside(path: Path, folder: Path) -> Path:
    """``path``, after checking that once symbolic links are resolved it is
    in ``folder``: a link to a file elsewhere, or a file in a linked-in
    folder, is a :class:`KbError` naming where it leads."""
    try:
        target = path.resolve()
        if target.is_relative_to(folder.resolve()):
            return path
    except (OSError, RuntimeError):  # a loop of links
        raise KbError(f"{path}: is a loop of symbolic links") from None
    raise KbError(f"{path}: links to {target}, outside the content folder {folder}; kb reads and publishes "
                  f"nothing from outside it (copy the file in instead)")
