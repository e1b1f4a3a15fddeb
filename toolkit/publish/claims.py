"""Claims: several toolkit processes, even on several PCs sharing one folder, render each version once.

Before rendering, a process claims that version of the input by creating a lock file with ``O_EXCL``
in ``OUTPUT/.toolkit/claims``: atomic on local disks and on SMB/NFS shares. The holder refreshes it
while it works and deletes it when done. A claim left by a dead process on this host is broken at
once; one from another host is broken when it has not been refreshed for `CLAIM_LEASE_SECONDS`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path

from toolkit.publish.files import STATE_DIR, remove_quietly
from toolkit.publish.process import hostname, process_alive

__all__ = [
    "CLAIM_LEASE_SECONDS",
    "CLAIM_WAIT_SECONDS",
    "Claim",
    "break_dead_claims",
    "input_key",
    "try_claim",
    "wait_for_claim",
]

log = logging.getLogger(__name__)

CLAIM_LEASE_SECONDS = 20.0
"""A claim from another host whose file has not been refreshed for this long is considered dead."""

CLAIM_WAIT_SECONDS = 3 * CLAIM_LEASE_SECONDS
"""How long `wait_for_claim` waits by default: long enough for a holder to finish a large list, or
for the claim of a PC that crashed to expire and be broken."""

_FIRST_WORD_SECONDS = 2.0
_WORD_EVERY_SECONDS = 15.0


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


def input_key(source: str) -> str:
    """The claim key of one input name: whoever holds it alone renders that workbook, writes its
    outputs and its register record, or marks its bulletin issued (whatever version is on disk)."""
    return "input-" + hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:40]


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
            log.info("清除了过期的占用标记 %s", path.name)
            continue
        with os.fdopen(fd, "wb") as fh:
            fh.write(body)
        return Claim(path)
    return None


def wait_for_claim(
    output: Path,
    key: str,
    *,
    seconds: float = CLAIM_WAIT_SECONDS,
    on_wait: Callable[[float], object] | None = None,
    poll: float = 0.2,
    lease: float = CLAIM_LEASE_SECONDS,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Claim | None:
    """Claim ``key`` as `try_claim` does, waiting up to ``seconds`` while another process holds it.

    ``on_wait`` is told how long it has waited once it has waited about two seconds, then every
    fifteen, so a person can be told. Returns None when the claim is still held after ``seconds``.
    """
    started = clock()
    told = 0
    while (claim := try_claim(output, key, lease=lease)) is None:
        waited = clock() - started
        if waited >= seconds:
            return None
        if on_wait is not None and waited >= _FIRST_WORD_SECONDS + told * _WORD_EVERY_SECONDS:
            on_wait(waited)
            told += 1
        sleep(poll)
    return claim


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
