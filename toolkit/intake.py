"""Intake: find donation workbooks in a folder, decide which are ready, and read them once.

This module (with `toolkit.publish`) is the only place that looks at the filesystem on the
input side. It never modifies, moves, renames or deletes an input.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from toolkit import codes

__all__ = [
    "WORKBOOK_SUFFIXES",
    "Snapshot",
    "default_template_path",
    "is_candidate",
    "read_settings",
    "read_template_bytes",
    "read_snapshot",
    "safe_stem",
    "scan_folder",
]

log = logging.getLogger(__name__)

WORKBOOK_SUFFIXES = (
    ".xlsx",
    ".xlsm",
    ".xltx",
    ".xltm",
    ".xls",
    ".xlt",
    ".et",
    ".ett",
    ".ods",
    ".ots",
    ".csv",
    ".tsv",
    ".xlsb",
    ".numbers",
)
"""File name endings of spreadsheets, compared case-insensitively. Every such file goes through the
pipeline: the reader tells the format by the bytes and reads it, or refuses it with a one-line report
(.xlsb, Apple Numbers, a WPS .et that is not in the .xls format...), so none is skipped in silence."""

_TEMP_SUFFIXES = (".tmp", ".temp", ".part", ".crdownload", ".osl-tmp", ".bak", "#")


def is_candidate(name: str) -> bool:
    """True when a file name looks like a spreadsheet a clerk saved, not a lock or temp file.

    Ignored: Excel owner files ``~$name.xlsx``; LibreOffice locks ``.~lock.name.ods#``; WPS locks
    ``.~name.xls`` and every other hidden (dot) file; temp and partial downloads; names without a
    spreadsheet extension (Excel writes its temp saves without one); toolkit's own ``*.errors.xlsx``.
    """
    lowered = name.lower()
    if not lowered.endswith(WORKBOOK_SUFFIXES):
        return False
    if name.startswith((".", "~")):
        return False
    if lowered.endswith(".errors.xlsx"):
        return False  # our own annotated error copy, when the output folder is the watched folder
    return not lowered.endswith(_TEMP_SUFFIXES)


_WINDOWS_RESERVED = (
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {f"lpt{i}" for i in range(1, 10)}
)
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def safe_stem(name: str, limit: int = 80) -> str:
    """Turn an input file name into a stem that is safe as an output file name on every OS.

    Path separators, ``..``, characters Windows forbids, control characters and trailing dots or
    spaces are removed or replaced; reserved device names (``CON``, ``LPT1``…) get a ``_`` prefix;
    the result is at most ``limit`` characters and never empty. The stem can never escape the
    output folder.
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base[: -len(Path(base).suffix)] if Path(base).suffix else base
    stem = unicodedata.normalize("NFC", stem)
    stem = "".join(ch for ch in stem if not (0xD800 <= ord(ch) <= 0xDFFF))
    stem = _UNSAFE.sub("_", stem).strip(" .")
    stem = stem[:limit].rstrip(" .")
    if not stem or set(stem) <= {"_", "."}:
        stem = "workbook"
    if stem.split(".")[0].lower() in _WINDOWS_RESERVED:
        stem = "_" + stem
    return stem


def scan_folder(folder: Path) -> list[Path]:
    """Workbooks at the top of ``folder``, sorted by name; regular files only, never symlinks.

    Raises:
        FileNotFoundError: the folder does not exist.
        NotADirectoryError: the path is not a folder.
    """
    found: list[Path] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if not is_candidate(entry.name):
                continue
            try:
                if entry.is_symlink() or not entry.is_file(follow_symlinks=False):
                    log.info("skipping %s: not a regular file", entry.name)
                    continue
            except OSError:
                continue
            found.append(Path(entry.path))
    found.sort(key=lambda p: p.name)
    return found


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The bytes of one input, read in one go, with their identity.

    Attributes:
        path: where the bytes came from.
        data: the whole file.
        sha256: hex digest of ``data``.
        size: ``len(data)``.
        mtime_ns: modification time seen before the read.
        stable: False when size or mtime changed while reading (a writer is still at work).
    """

    path: Path
    data: bytes
    sha256: str
    size: int
    mtime_ns: int
    stable: bool


def read_snapshot(path: Path) -> Snapshot:
    """Read a whole input into memory without holding it open longer than the read.

    Raises:
        OSError: the file vanished, is locked or unreadable.
    """
    before = os.stat(path, follow_symlinks=False)
    if not stat.S_ISREG(before.st_mode):
        raise OSError(f"{path.name} is not a regular file")
    with open(path, "rb") as fh:
        data = fh.read()
    after = os.stat(path, follow_symlinks=False)
    stable = (
        (before.st_size, before.st_mtime_ns)
        == (after.st_size, after.st_mtime_ns)
        == (
            len(data),
            after.st_mtime_ns,
        )
    )
    return Snapshot(path, data, hashlib.sha256(data).hexdigest(), len(data), before.st_mtime_ns, stable)


def default_template_path() -> Path:
    """The built-in bulletin template: ``toolkit/templates/bulletin.docx`` in an installed wheel,
    ``templates/bulletin.docx`` in a checkout. The checkout file is the one source of truth; the
    wheel build copies it (see ``[tool.hatch.build.targets.wheel.force-include]``).
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates" / "bulletin.docx", here.parent / "templates" / "bulletin.docx"):
        if candidate.is_file():
            return candidate
    return here.parent / "templates" / "bulletin.docx"


def read_template_bytes(path: Path) -> bytes:
    """Bytes of a Word template.

    Raises:
        TemplateError: the file is missing or unreadable; the message names it.
    """
    from toolkit.errors import Problem, TemplateError

    try:
        return path.read_bytes()
    except OSError as exc:
        raise TemplateError(
            Problem(
                codes.TEMPLATE_MISSING,
                f"找不到或无法读取 Word 模板 {path}（{exc.strerror or exc}）。请检查 --template 或 toolkit.toml 中的 template 设置",
                file=path.name,
            )
        ) from None


def read_settings(config: Path | None, cwd: Path | None = None) -> tuple[bytes | None, str]:
    """Bytes of the settings file: ``config`` if given, else ``toolkit.toml`` in ``cwd`` if present.

    Returns ``(None, "")`` when no file is configured or found.

    Raises:
        FileNotFoundError: ``config`` was given but does not exist.
    """
    if config is not None:
        return config.read_bytes(), config.name
    candidate = (cwd or Path.cwd()) / "toolkit.toml"
    if candidate.is_file():
        return candidate.read_bytes(), candidate.name
    return None, ""
