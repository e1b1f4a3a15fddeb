"""Files in the output folder, written atomically, and the folder itself.

A file appears under its final name complete or not at all: bytes go to a hidden temp file in the
same folder, are flushed to disk, then renamed over the target. Temp files are named by host and
process, so leftovers of a crashed toolkit are cleaned up at the next start and never mistaken for
the work of a live one.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import secrets
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from toolkit import codes, messages
from toolkit.errors import FolderMissing, FolderUnusable, Problem
from toolkit.publish.process import hostname, process_alive

__all__ = [
    "HISTORY_DIR",
    "STATE_DIR",
    "FileLocked",
    "check_folders",
    "check_output_dir",
    "cleanup_temp_files",
    "ensure_output_dir",
    "remove_quietly",
    "write_atomic",
    "write_new",
]

log = logging.getLogger(__name__)

STATE_DIR = ".toolkit"
"""Hidden folder inside the output folder that holds state, claims and nothing a clerk opens."""

HISTORY_DIR = "历史版本"
"""Folder inside the output folder that holds earlier versions of the bulletins."""

_TEMP_PREFIX = ".tk-tmp-"


class FileLocked(OSError):
    """The target exists and another program (usually Word or WPS) holds it open."""


def check_folders(watched: Path, output: Path, *, watched_is: str) -> None:
    """Refuse a ``watched`` that is not a folder, and an ``output`` that is a file.

    ``watched_is`` says in Chinese what the watched folder is for (``放捐款表格的文件夹``); the
    message asks for it.

    Raises:
        FolderMissing: ``watched`` is missing or not a folder (``folder.missing``), or ``output`` is
            a file (``folder.is_file``).
    """
    if not watched.is_dir():
        raise FolderMissing(
            Problem(
                codes.FOLDER_MISSING,
                f"找不到文件夹 {watched}（请用 --watched 指定{watched_is}）",
                value=str(watched),
            )
        )
    check_output_dir(output)


def check_output_dir(folder: Path) -> None:
    """Refuse an output path that names a file: bulletins could never be written there.

    A missing folder is fine (`ensure_output_dir` creates it).

    Raises:
        FolderMissing: ``folder`` is an existing file (``folder.is_file``).
    """
    if folder.exists() and not folder.is_dir():
        raise FolderMissing(
            Problem(
                codes.FOLDER_IS_FILE,
                f"{folder} 是一个文件，不是文件夹（请用 --output 指定输出文件夹）",
                value=str(folder),
            )
        )


def ensure_output_dir(folder: Path) -> None:
    """Create the output folder (and its state folder) and prove it is writable.

    Raises:
        FolderUnusable: it cannot be created or written (``folder.unwritable``); the message says why.
    """
    try:
        (folder / STATE_DIR / "state").mkdir(parents=True, exist_ok=True)
        (folder / STATE_DIR / "claims").mkdir(parents=True, exist_ok=True)
        probe = folder / STATE_DIR / f"{_TEMP_PREFIX}probe-{os.getpid()}-{secrets.token_hex(4)}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise FolderUnusable(
            Problem(
                codes.FOLDER_UNWRITABLE,
                f"无法创建或写入输出文件夹 {folder}（{messages.os_reason(exc)}）。请检查 --output 的路径和权限",
                value=str(folder),
            )
        ) from exc


def _temp_name(target: Path) -> Path:
    host = hostname().replace(".", "_")
    return target.with_name(f"{_TEMP_PREFIX}{host}.{os.getpid()}.{secrets.token_hex(4)}.{target.name}")


def _write_temp(target: Path, data: bytes) -> Path:
    """Write ``data`` to a new hidden temp file beside ``target``, flushed to disk; return its path."""
    tmp = _temp_name(target)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return tmp


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(
    target: Path,
    data: bytes,
    *,
    retries: Sequence[float] = (0.25, 0.5, 1.0, 2.0),
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Write ``data`` to ``target`` so that readers see the old file or the new one, never half.

    On Windows a file open in Word cannot be replaced; the rename is retried with the given
    backoff and then `FileLocked` is raised. The temp file is always removed on failure.
    """
    tmp = _write_temp(target, data)
    try:
        for attempt in range(len(retries) + 1):
            try:
                os.replace(tmp, target)
                break
            except PermissionError as exc:
                if attempt == len(retries):
                    raise FileLocked(
                        f"{target.name} 正被其他程序（通常是 Word 或 WPS）打开，无法替换。请关闭该文件后重试"
                    ) from exc
                log.info("%s 被占用，%.2f 秒后重试", target.name, retries[attempt])
                sleep(retries[attempt])
        _fsync_dir(target.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_new(target: Path, data: bytes) -> None:
    """Create ``target`` with ``data``, complete or not at all, never replacing an existing file.

    The bytes go to a hidden temp file in the same folder, which is then hard-linked into place
    (the link fails instead of replacing, so there is no race); where the filesystem has no hard
    links (FAT, some network shares) it checks, then renames.

    Raises:
        FileExistsError: ``target`` already exists.
        OSError: the folder cannot be written.
    """
    if target.exists():
        raise FileExistsError(errno.EEXIST, "file exists", str(target))
    tmp = _write_temp(target, data)
    try:
        try:
            os.link(tmp, target)
        except FileExistsError:
            raise
        except OSError:
            if target.exists():
                raise FileExistsError(errno.EEXIST, "file exists", str(target)) from None
            os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def remove_quietly(path: Path) -> bool:
    """Delete one of *our own* outputs (a stale report); True if something was removed."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def cleanup_temp_files(folder: Path, *, max_age: float = 600.0) -> int:
    """Remove temp files left by a crashed toolkit process: ours from dead processes on this host,
    and any older than ``max_age`` seconds. Returns how many were removed."""
    removed = 0
    host = hostname().replace(".", "_")
    now = time.time()
    state = folder / STATE_DIR
    inside = sorted(p for p in state.rglob("*") if p.is_dir()) if state.is_dir() else []
    for parent in (folder, folder / HISTORY_DIR, state, *inside):
        if not parent.is_dir():
            continue
        for entry in parent.iterdir():
            if not entry.name.startswith(_TEMP_PREFIX):
                continue
            parts = entry.name[len(_TEMP_PREFIX) :].split(".")
            dead = False
            if len(parts) >= 2 and parts[0] == host and parts[1].isdigit():
                dead = not process_alive(int(parts[1]))
            try:
                old = now - entry.stat().st_mtime > max_age
            except FileNotFoundError:
                continue
            if (dead or old) and remove_quietly(entry):
                removed += 1
                log.info("删除了遗留的临时文件 %s", entry.name)
    return removed
