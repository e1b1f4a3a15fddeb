"""Publish: everything toolkit writes, written atomically into the output folder.

A file appears under its final name complete or not at all: bytes go to a hidden temp file in
the same folder, are flushed to disk, then renamed over the target. The same holds for reports
and for the state that makes re-runs skip unchanged inputs. Claims (lock files created with
``O_EXCL``) let several processes, even on several PCs sharing a folder, render each version of a
file exactly once.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import Problem
from toolkit.intake import hostname, process_alive

__all__ = [
    "CLAIM_LEASE_SECONDS",
    "STATE_DIR",
    "Claim",
    "FileLocked",
    "OutputState",
    "StateStore",
    "cleanup_temp_files",
    "convert_to_pdf",
    "pdf_is_stale",
    "ensure_output_dir",
    "format_report",
    "remove_quietly",
    "try_claim",
    "write_atomic",
    "write_new",
]

log = logging.getLogger(__name__)

STATE_DIR = ".toolkit"
"""Hidden folder inside the output folder that holds state, claims and nothing a clerk opens."""

CLAIM_LEASE_SECONDS = 20.0
"""A claim from another host whose file has not been refreshed for this long is considered dead."""

_TEMP_PREFIX = ".tk-tmp-"


class FileLocked(OSError):
    """The target exists and another program (usually Word or WPS) holds it open."""


def ensure_output_dir(folder: Path) -> None:
    """Create the output folder (and its state folder) and prove it is writable.

    Raises:
        OSError: it cannot be created or written; the message says which.
    """
    try:
        (folder / STATE_DIR / "state").mkdir(parents=True, exist_ok=True)
        (folder / STATE_DIR / "claims").mkdir(parents=True, exist_ok=True)
        probe = folder / STATE_DIR / f"{_TEMP_PREFIX}probe-{os.getpid()}-{secrets.token_hex(4)}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OSError(
            exc.errno,
            f"无法创建或写入输出文件夹 {folder}（{exc.strerror or exc}）。请检查 --output 的路径和权限",
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
                log.info("%s is locked, retrying in %.2fs", target.name, retries[attempt])
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
    for parent in (folder, folder / STATE_DIR, folder / STATE_DIR / "state"):
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
                log.info("removed leftover temp file %s", entry.name)
    return removed


def format_report(file: str, problems: Sequence[Problem], *, heading: str, note: str = "") -> bytes:
    """A plain-text report for the clerk: one line per problem, UTF-8 with BOM and CRLF so that
    Notepad on any Windows version shows the Chinese correctly. ``note`` goes under the heading."""
    lines = [f"{heading}：{file}", f"共 {len(problems)} 处", *([note] if note else []), ""]
    for p in problems:
        found = f"（找到的值：{p.value}）" if p.value else ""
        lines.append(f"{p.where()}：{p.message}{found} [{p.code}]")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


# ---------------------------------------------------------------- state


@dataclass(frozen=True, slots=True)
class OutputState:
    """What toolkit last did for one input name.

    Attributes:
        name: the input file name.
        fingerprint: sha256 over the input bytes, template bytes, settings and toolkit version.
        result: ``rendered`` or ``rejected``.
        outputs: names of the files written for it, inside the output folder.
    """

    name: str
    fingerprint: str
    result: str
    outputs: tuple[str, ...]


class StateStore:
    """One small JSON file per input under ``OUTPUT/.toolkit/state``; each written atomically.

    One file per input means two processes that handle two different inputs never overwrite each
    other's state.
    """

    def __init__(self, output: Path) -> None:
        self.folder = output / STATE_DIR / "state"

    def _path(self, name: str) -> Path:
        import hashlib

        return self.folder / (
            hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:32] + ".json"
        )

    def get(self, name: str) -> OutputState | None:
        try:
            raw = json.loads(self._path(name).read_text("utf-8"))
            return OutputState(raw["name"], raw["fingerprint"], raw["result"], tuple(raw["outputs"]))
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            return None

    def put(self, state: OutputState) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        body = {"name": state.name, "fingerprint": state.fingerprint, "result": state.result}
        body["outputs"] = list(state.outputs)  # type: ignore[assignment]
        write_atomic(self._path(state.name), json.dumps(body, ensure_ascii=False).encode("utf-8"))


# ---------------------------------------------------------------- claims


class Claim:
    """An exclusive claim on one version of one input, held by this process.

    A heartbeat thread refreshes the claim file's mtime every few seconds so that other hosts see
    it as alive; `release` deletes it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"claim-{path.name}", daemon=True)
        self._thread.start()

    def _beat(self) -> None:
        while not self._stop.wait(CLAIM_LEASE_SECONDS / 4):
            with contextlib.suppress(OSError):
                os.utime(self.path)

    def release(self) -> None:
        self._stop.set()
        self._thread.join(timeout=1)
        remove_quietly(self.path)

    def __enter__(self) -> Claim:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _claim_is_stale(path: Path, lease: float) -> bool:
    try:
        info = json.loads(path.read_text("utf-8"))
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return False
    except (OSError, ValueError):
        # Unreadable or half-written claim: trust only its age.
        try:
            # Contents are written right after creation: a claim still unreadable after a few
            # seconds belongs to a process that died in that instant.
            return time.time() - path.stat().st_mtime > min(lease, 5.0)
        except FileNotFoundError:
            return False
    if info.get("host") == hostname():
        return not process_alive(int(info.get("pid", 0)))
    return age > lease


def try_claim(output: Path, key: str, *, lease: float = CLAIM_LEASE_SECONDS) -> Claim | None:
    """Claim ``key`` (an input version) for this process, or return None if a live process has it.

    The claim is a file created with ``O_EXCL`` in ``OUTPUT/.toolkit/claims``: atomic on local
    disks and on SMB/NFS shares. A claim left by a dead process on this host, or one from another
    host not refreshed within ``lease`` seconds, is broken and taken over.
    """
    folder = output / STATE_DIR / "claims"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key}.claim"
    body = json.dumps({"host": hostname(), "pid": os.getpid(), "time": time.time()}).encode()
    for _ in range(2):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
        except FileExistsError:
            if not _claim_is_stale(path, lease):
                return None
            # Break the stale claim by renaming it away first, so only one breaker wins.
            grave = path.with_name(f"{path.name}.stale-{secrets.token_hex(4)}")
            try:
                os.replace(path, grave)
            except FileNotFoundError:
                continue
            remove_quietly(grave)
            log.info("broke stale claim %s", path.name)
            continue
        with os.fdopen(fd, "wb") as fh:
            fh.write(body)
        return Claim(path)
    return None


def break_dead_claims(output: Path) -> int:
    """At start: remove claims of dead processes on this host. Returns how many."""
    folder = output / STATE_DIR / "claims"
    if not folder.is_dir():
        return 0
    broken = 0
    for path in folder.glob("*.claim"):
        try:
            info = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        mine_and_dead = info.get("host") == hostname() and not process_alive(int(info.get("pid", 0)))
        if mine_and_dead and remove_quietly(path):
            broken += 1
    return broken


def pdf_is_stale(docx: Path) -> bool:
    """Whether the PDF beside ``docx`` is missing or older than it."""
    try:
        return docx.with_suffix(".pdf").stat().st_mtime_ns < docx.stat().st_mtime_ns
    except FileNotFoundError:
        return True


def convert_to_pdf(docx: Path, *, timeout: float = 180.0) -> Path:
    """Write ``docx`` as PDF beside it with LibreOffice (``soffice --headless``); return the PDF path.

    Raises:
        FileNotFoundError: LibreOffice is not installed; the message says how to install it.
        RuntimeError: the conversion failed or timed out.
    """
    import shutil
    import subprocess
    import tempfile

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None and os.name == "nt":  # pragma: no cover - Windows only
        for base in (os.environ.get("PROGRAMFILES", ""), os.environ.get("PROGRAMFILES(X86)", "")):
            candidate = Path(base) / "LibreOffice" / "program" / "soffice.exe"
            if base and candidate.is_file():
                exe = str(candidate)
                break
    if exe is None:
        raise FileNotFoundError(
            "没有找到 LibreOffice，无法生成 PDF。Windows：从 libreoffice.org 下载安装；"
            "Debian/Ubuntu：sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk；"
            "macOS：brew install --cask libreoffice。也可以在 Word/WPS 中“另存为 PDF”。"
        )
    target = docx.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="toolkit-pdf-") as tmp:
        profile = Path(tmp) / "profile"
        cmd = [
            exe,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(docx),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"LibreOffice 超过 {timeout:.0f} 秒没有完成") from None
        produced = Path(tmp) / (docx.stem + ".pdf")
        if done.returncode != 0 or not produced.is_file():
            detail = done.stderr.decode("utf-8", "replace").strip()[-300:]
            raise RuntimeError(f"LibreOffice 转换失败（退出码 {done.returncode}）{detail}")
        write_atomic(target, produced.read_bytes())
    return target
