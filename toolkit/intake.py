"""Intake: find donation workbooks in a folder, decide which are ready, and read them once.

This module (with `toolkit.publish`) is the only place that looks at the filesystem on the
input side. It never modifies, moves, renames or deletes an input.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from toolkit import codes, messages

if TYPE_CHECKING:
    from toolkit.errors import Problem

__all__ = [
    "WORKBOOK_SUFFIXES",
    "FileKind",
    "check_workbooks",
    "NotRegularFile",
    "Snapshot",
    "default_template_path",
    "file_kind",
    "is_candidate",
    "open_regular",
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


class FileKind(enum.Enum):
    """What a name in a folder really is, told by ``lstat`` (a link is never followed)."""

    REGULAR = "regular"
    SYMLINK = "symlink"
    FOLDER = "folder"
    FIFO = "fifo"
    SOCKET = "socket"
    CHAR_DEVICE = "char_device"
    BLOCK_DEVICE = "block_device"
    OTHER = "other"


_KINDS_BY_MODE = (
    (stat.S_ISREG, FileKind.REGULAR),
    (stat.S_ISLNK, FileKind.SYMLINK),
    (stat.S_ISDIR, FileKind.FOLDER),
    (stat.S_ISFIFO, FileKind.FIFO),
    (stat.S_ISSOCK, FileKind.SOCKET),
    (stat.S_ISCHR, FileKind.CHAR_DEVICE),
    (stat.S_ISBLK, FileKind.BLOCK_DEVICE),
)


def _kind_of(mode: int) -> FileKind:
    return next((kind for test, kind in _KINDS_BY_MODE if test(mode)), FileKind.OTHER)


def file_kind(path: Path) -> FileKind:
    """What ``path`` is, without following a link and without opening it.

    Raises:
        FileNotFoundError: nothing has that name.
        OSError: it cannot be looked at.
    """
    return _kind_of(os.lstat(path).st_mode)


_KIND_WORDS = {
    FileKind.FIFO: "命名管道（FIFO）",
    FileKind.SOCKET: "套接字（socket）",
    FileKind.CHAR_DEVICE: "字符设备",
    FileKind.BLOCK_DEVICE: "块设备",
    FileKind.OTHER: "特殊文件",
}
"""What each kind of name that is not a regular file, a link or a folder is called for the clerk."""


class NotRegularFile(OSError):
    """The name is not a regular file (a link, a folder, a FIFO, a socket, a device): it is not read.

    Attributes:
        kind: what it is.
        target: for a link, where it points (as the link says); else ``""``.
    """

    def __init__(self, path: Path, kind: FileKind, target: str = "") -> None:
        super().__init__(f"{path.name} is a {kind.value}, not a regular file")
        self.filename = str(path)
        self.kind = kind
        self.target = target

    @property
    def digest(self) -> str:
        """sha256 of what it is and where a link points: stands in for the hash of the content,
        which is never read, so that an unchanged link is not reported again."""
        return hashlib.sha256(
            f"{self.kind.value}\0{self.target}".encode("utf-8", "surrogatepass")
        ).hexdigest()

    def problem(self, name: str) -> Problem:
        """The problem that refuses this name, saying what it really is.

        A symbolic link is ``file.symlink``: toolkit never follows one, so a link in a shared or
        synced folder cannot make it read a file from elsewhere; the clerk copies the file itself
        in. A folder is ``file.is_folder``; a FIFO, a socket or a device is ``file.not_regular``.
        """
        from toolkit.errors import Problem

        if self.kind is FileKind.SYMLINK:
            where = f"（指向 {self.target}）" if self.target else ""
            return Problem(
                codes.FILE_SYMLINK,
                f"这是一个符号链接{where}，不是表格文件本身。toolkit 不读取链接指向的文件："
                "请把那个文件本身复制到这里（不要用链接），再运行一次",
                file=name,
            )
        if self.kind is FileKind.FOLDER:
            return Problem(
                codes.FILE_IS_FOLDER,
                "这是一个文件夹，不是 .xlsx 文件；请指定文件，如 watched/捐款名单.xlsx",
                file=name,
            )
        return Problem(
            codes.FILE_NOT_REGULAR,
            f"这不是普通文件，而是一个{_KIND_WORDS[self.kind]}，toolkit 不会打开它。"
            "请换成真正的表格文件（.xlsx、.xls、.et、.ods、.csv）",
            file=name,
        )


def scan_folder(folder: Path) -> list[Path]:
    """Names at the top of ``folder`` that look like workbooks (`is_candidate`), sorted by name.

    Regular files, and also symbolic links, FIFOs, sockets and devices with such a name: those are
    never read, but the pipeline reports each one (``file.symlink``, ``file.not_regular``) so that
    none is skipped in silence. Only sub-folders are left out: toolkit reads the top level.

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
                if entry.is_dir(follow_symlinks=False):
                    log.info("跳过 %s：是文件夹", entry.name)
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


_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in after the lstat opens at once instead of blocking
    | getattr(os, "O_NOFOLLOW", 0)  # a link swapped in after the lstat is refused by the kernel
    | getattr(os, "O_BINARY", 0)  # Windows, which has neither of the two above and no FIFOs in folders
)


def open_regular(path: Path) -> BinaryIO:
    """Open an input for reading, refusing anything that is not a regular file before it is opened.

    The name is looked at with ``lstat`` first: a link is never followed, a FIFO or a device never
    opened. The open itself cannot block (``O_NONBLOCK``) or follow a link (``O_NOFOLLOW``), in case
    the name changed in between, and what was opened is checked again.

    Raises:
        NotRegularFile: the name is a link, a folder, a FIFO, a socket or a device.
        OSError: the file vanished, is locked or unreadable.
    """
    kind = _kind_of(os.lstat(path).st_mode)
    if kind is not FileKind.REGULAR:
        raise NotRegularFile(path, kind, _link_target(path) if kind is FileKind.SYMLINK else "")
    fh = os.fdopen(os.open(path, _OPEN_FLAGS), "rb")
    opened = os.fstat(fh.fileno())
    if not stat.S_ISREG(opened.st_mode):
        fh.close()
        raise NotRegularFile(path, _kind_of(opened.st_mode))
    return fh


def read_snapshot(path: Path) -> Snapshot:
    """Read a whole input into memory without holding it open longer than the read.

    Only a regular file is read (`open_regular`).

    Raises:
        NotRegularFile: the name is a link, a folder, a FIFO, a socket or a device.
        OSError: the file vanished, is locked or unreadable.
    """
    before = os.lstat(path)
    with open_regular(path) as fh:
        data = fh.read()
    after = os.lstat(path)
    stable = (
        (before.st_size, before.st_mtime_ns)
        == (after.st_size, after.st_mtime_ns)
        == (
            len(data),
            after.st_mtime_ns,
        )
    )
    return Snapshot(path, data, hashlib.sha256(data).hexdigest(), len(data), before.st_mtime_ns, stable)


def _link_target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return ""


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
                f"找不到或无法读取 Word 模板 {path}（{messages.os_reason(exc)}）。请检查 --template 或 toolkit.toml 中的 template 设置",
                file=path.name,
            )
        ) from None


def read_settings(config: Path | None, cwd: Path | None = None) -> tuple[bytes | None, Path | None]:
    """The settings file's bytes and path: ``config`` if given, else ``toolkit.toml`` in ``cwd``.

    Returns ``(None, None)`` when no file is configured or found.

    Raises:
        OSError: ``config`` was given but cannot be read (FileNotFoundError when it does not exist).
    """
    from toolkit.settings import SETTINGS_FILE

    if config is not None:
        return config.read_bytes(), config
    candidate = (cwd or Path.cwd()) / SETTINGS_FILE
    if candidate.is_file():
        return candidate.read_bytes(), candidate
    return None, None


def check_workbooks(watched: Path, workbooks: Sequence[Path]) -> None:
    """Refuse workbooks named on the command line that are missing or are folders (``file.not_found``,
    ``file.is_folder``), before any is rendered.

    Raises:
        FolderMissing: with one problem per such workbook.
    """
    from toolkit.errors import FolderMissing, Problem

    problems: list[Problem] = []
    for path in workbooks:
        found = path if path.exists() else watched / path.name
        if not found.exists():
            problems.append(
                Problem(
                    codes.FILE_NOT_FOUND,
                    f"找不到文件 {path}，请检查文件名和路径",
                    file=path.name,
                    value=str(path),
                )
            )
        elif found.is_dir():
            problems.append(
                Problem(
                    codes.FILE_IS_FOLDER,
                    f"{path} 是文件夹，不是表格文件；要处理文件夹里的全部表格，请用 --watched {path}",
                    file=path.name,
                    value=str(path),
                )
            )
    if problems:
        raise FolderMissing(problems)
