"""Hot folder: ``toolkit watch`` turns every workbook dropped into, or saved in, a folder into a bulletin.

How it decides what to do:

* **A directory scan is the truth; watchdog events are hints.** The folder is scanned at start
  (catching up on files that arrived while toolkit was not running), shortly after any event
  (debounced), and every ``interval`` seconds. The watchdog handler only notes that *something*
  happened; it never looks at files. Events can be duplicated, lost (queue overflow, network
  shares) or arrive before a copy is finished, so none of them is trusted on its own.
* **Ready = still + complete.** A file's signature is ``(size, mtime_ns, inode)``. It is ready when
  that signature has not changed for ``settle`` seconds measured by *our* monotonic clock since we
  first saw it (a copied file can carry an hours-old mtime), and it opens as a zip (its central
  directory, written last, is readable). A file that is still changing is never reported. A file
  that stays still but is not a zip (an .xls, a .csv, or something broken) gets one more ``settle``
  window and then goes to the pipeline, which reads it or writes the clerk an error report; a later
  save re-renders it and removes the report.
* **A pause in a copy is no broken file.** A copy may stop half-way for longer than ``settle`` (a
  slow network, Windows setting the size before the bytes arrive). So while a file reads as cut
  short, empty or all zeros, the pipeline publishes nothing for it (``require_complete``): it waits
  and is retried after 1, 2, 4 … seconds. Only when it has stayed unchanged for
  `INCOMPLETE_WAIT_SECONDS` is it reported (``file.truncated``…). The wait is said once.
* **Office lock files do not hold a file back.** Excel and WPS keep ``~$name.xlsx`` (LibreOffice
  ``.~lock.name.xlsx#``) for as long as the workbook is *open*, and the clerk expects a new
  bulletin each time they press Save. Excel saves by writing a temp file and renaming it over the
  name, so what is on disk is always a whole saved version; LibreOffice writes in place, which the
  stability window and the zip check cover. So toolkit renders while the lock exists.
* **Nothing lost, nothing repeated.** `Pipeline` keeps state keyed by a fingerprint of the content,
  template and settings, so unchanged content is skipped across restarts and a re-save with new
  content replaces the bulletin under the same name. On top of that the watcher remembers, per
  name, the signature it last finished, so a periodic scan costs one ``stat`` per file, not a read
  and a hash. Several watchers (several PCs on one share, or ``toolkit render`` at the same time)
  are kept apart by the pipeline's ``O_EXCL`` claims: the loser sees ``BUSY``, retries, and then
  finds the work done (``UNCHANGED``).
* **Retry, don't drop.** ``FAILED`` (e.g. the bulletin is open in Word), ``NOT_READY`` and ``BUSY``
  keep the file pending and retry after 1, 2, 4 … seconds, at most `RETRY_CAP_SECONDS`
  (`BUSY_RETRY_CAP_SECONDS` for ``BUSY``). The reason is reported once through ``on_status``, not at
  every retry.
* **Bursts are summed up.** A round of `PROGRESS_MIN_FILES` or more files gets progress lines and
  a last line counting how each ended, rejected files as well as rendered ones.
* **One file at a time, in the calling thread.** No file's bytes are held between files, so a burst
  of hundreds of files needs no more memory than one. Ctrl-C or SIGTERM let the file in progress
  finish and then return; a second one abandons it (no state is written for it, so it is rendered
  again at the next start; a leftover temp file or claim is cleaned up by that start).
* **The observer is supervised.** An exception escaping a watchdog handler silently kills the
  observer thread, and a vanished folder stops the emitter. Each loop checks both; a dead observer
  is replaced and the folder rescanned. If the watched folder itself disappears (a network drive
  dropped), toolkit says so once, keeps scanning, and carries on when it is back.

Only this module imports watchdog. It is longer than the ~400 lines a module should have because
`_Watcher` is one state machine (scan, settle, retry, supervise): its invariants read in one place.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import queue
import signal
import threading
import time
import zipfile
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, Protocol

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from toolkit import intake, messages
from toolkit.errors import FolderUnusable
from toolkit.pipeline import FileResult, Pipeline, check_folders
from toolkit.records import Outcome
from toolkit.settings import Settings

__all__ = [
    "BUSY_RETRY_CAP_SECONDS",
    "INCOMPLETE_WAIT_SECONDS",
    "PROGRESS_MIN_FILES",
    "RETRY_CAP_SECONDS",
    "RETRY_FIRST_SECONDS",
    "watch_folder",
]

log = logging.getLogger(__name__)

RETRY_FIRST_SECONDS = 1.0
"""First wait before retrying a file that failed, was busy or not ready; doubles each time."""

RETRY_CAP_SECONDS = 30.0
"""Longest wait between two retries of the same file version."""

BUSY_RETRY_CAP_SECONDS = 5.0
"""Longest wait while another process holds the claim: it usually finishes within a second, and a
claim left by a process that died on another PC expires after `toolkit.publish.claims.CLAIM_LEASE_SECONDS`."""

INCOMPLETE_WAIT_SECONDS = 120.0
"""Longest wait for a file that reads as cut short, empty or all zeros to change (its copy to go on)
before it is reported as broken; measured from when it last changed."""

PROGRESS_MIN_FILES = 10
"""A round of work this large gets ``正在处理 n/total`` progress lines and a count at its end."""

_PROGRESS_EVERY_FILES = 25
_PROGRESS_EVERY_SECONDS = 2.0
_DEBOUNCE_SECONDS = 0.1
"""A scan runs this long after the last event of a burst…"""
_DEBOUNCE_MAX_SECONDS = 0.5
"""…but never later than this after the first one, so a steady stream of events cannot starve it."""
_WAKE_SLICE_SECONDS = 0.25
"""Longest single sleep: bounds how late a stop request, or Ctrl-C on Windows, is noticed."""
_OBSERVER_STOP_SECONDS = 2.0
_POLL_SECONDS = 1.0
_REPAIR_OUTPUT_SECONDS = 5.0

_TERMINAL = (Outcome.RENDERED, Outcome.REJECTED, Outcome.UNCHANGED)

Signature = tuple[int, int, int]
"""``(size, mtime_ns, inode)`` of a file: equal signatures mean nothing was written in between."""


class _PipelineLike(Protocol):
    """What the watcher needs from `toolkit.pipeline.Pipeline` (tests pass a fake)."""

    def prepare(self) -> None: ...

    def process(
        self, path: Path, *, require_stable: bool = False, require_complete: bool = False
    ) -> FileResult: ...

    def sweep(self, present: Collection[str]) -> None: ...


def watch_folder(
    watched: Path,
    output: Path,
    *,
    settings: Settings,
    template_path: Path | None = None,
    poll: bool = False,
    settle: float = 1.0,
    interval: float = 5.0,
    stop_event: threading.Event | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    on_status: Callable[[str], None] | None = None,
) -> None:
    """Render every workbook that appears or changes in ``watched`` into ``output``, until stopped.

    Files already in the folder are handled first. Each finished file is passed to ``on_result``
    (``RENDERED``, ``REJECTED`` or ``UNCHANGED``); files that must wait (``FAILED``, ``NOT_READY``,
    ``BUSY``) are retried with backoff and their reason is passed once to ``on_status``, with
    progress lines and notices about the folder or the observer.

    Args:
        watched: the folder to watch (its top level only).
        output: where bulletins and reports go; created if missing.
        settings: bulletin settings.
        template_path: a Word template; ``None`` means the settings' or the built-in one.
        poll: poll the folder instead of relying on OS notifications (needed on SMB/NFS shares).
        settle: seconds a file's size, mtime and inode must hold still before it is read.
        interval: seconds between full scans of the folder.
        stop_event: set it (from another thread) to make the function return.
        on_result: called with the result of each finished file.
        on_status: called with one-line Chinese status messages.

    Returns when ``stop_event`` is set, on Ctrl-C, or on SIGTERM (handlers are installed for the
    duration of the call only when called from the main thread). The file being rendered at that
    moment is finished first; a second Ctrl-C/SIGTERM abandons it cleanly (it is rendered again at
    the next start).

    Raises:
        FolderMissing: ``watched`` does not exist or is not a folder, or ``output`` is a file.
        TemplateError: the template cannot be loaded.
        FolderUnusable: the output folder cannot be created or written.
    """
    check_folders(watched, output, watched_is="要监视的文件夹")
    pipeline = Pipeline(output, settings, template_path)
    watcher = _Watcher(
        watched,
        pipeline,
        poll=poll,
        settle=settle,
        interval=interval,
        stop_event=stop_event,
        on_result=on_result,
        on_status=on_status,
    )
    banner = [messages.watch_banner(watched, output)]
    with contextlib.suppress(OSError):
        if output.exists() and os.path.samefile(watched, output):
            # Safe, as intake never takes our own annotated error workbooks for inputs; say so once.
            banner.append(messages.WATCH_OUTPUT_INSIDE)
    try:
        with _signals_stop(watcher):
            watcher.run(banner=banner)
    except KeyboardInterrupt:  # a second Ctrl-C/SIGTERM, or Ctrl-C where we could not install a handler
        log.info("收到第二次停止信号，立即停止")
    watcher.status(messages.WATCH_STOPPED)


@contextlib.contextmanager
def _signals_stop(watcher: _Watcher) -> Iterator[None]:
    """While active, Ctrl-C, SIGTERM (and Ctrl-Break on Windows) ask the watcher to stop.

    The first signal sets the stop event: the file being rendered is finished (normally well under
    a second), then the loop ends. Nothing is interrupted half-way, so no claim or temp file is
    left behind. A second signal raises KeyboardInterrupt at once, abandoning that file; its temp
    file and claim are cleaned up by the next start, and it is rendered again.

    Installed only in the main thread (Python allows no other) and only over the default
    handlers (an ignored SIGINT, as under ``nohup``, stays ignored); the previous handlers are
    restored on exit.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if watcher.stop_event.is_set() and not watcher.stopping:
            raise KeyboardInterrupt
        log.info("收到信号 %d：处理完当前文件后停止", signum)
        watcher.request_stop()

    wanted: list[tuple[int, Any]] = [(signal.SIGINT, signal.default_int_handler), (signal.SIGTERM, None)]
    if hasattr(signal, "SIGBREAK"):  # pragma: no cover - Windows only
        wanted.append((signal.SIGBREAK, None))
    previous: dict[int, Any] = {}
    for number, only_over in wanted:
        try:
            current = signal.getsignal(number)
            if current is signal.SIG_IGN or (only_over is not None and current is not only_over):
                continue
            previous[number] = signal.signal(number, handler)
        except (OSError, ValueError):  # pragma: no cover - platform without it
            continue
    try:
        yield
    finally:
        for number, old in previous.items():
            with contextlib.suppress(OSError, ValueError, TypeError):
                signal.signal(number, old)


# ---------------------------------------------------------------- the watcher


@dataclass(slots=True)
class _Entry:
    """The watcher's own, mutable bookkeeping for one file name (not a record that leaves here).

    Attributes:
        path: the file.
        signature: the signature seen last.
        seen_at: monotonic time when ``signature`` was first seen.
        done: the signature last finished (rendered, rejected or unchanged), if any.
        attempts: failed/busy/not-ready attempts on this version.
        retry_at: monotonic time before which this version is not tried again.
        not_zip_at: monotonic time when this version, though still, failed the zip check.
        told: whether the clerk was told why this version waits.
    """

    path: Path
    signature: Signature
    seen_at: float
    done: Signature | None = None
    attempts: int = 0
    retry_at: float = 0.0
    not_zip_at: float | None = None
    told: bool = False

    def reset_episode(self) -> None:
        self.attempts = 0
        self.retry_at = 0.0
        self.not_zip_at = None
        self.told = False


def _signature(path: Path) -> Signature | None:
    """The file's signature, or None if it is gone. Other errors propagate."""
    try:
        st = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _opens_as_zip(path: Path) -> bool:
    """True when the file's zip central directory can be read. Reads only the directory.

    Only a regular file is opened (`toolkit.intake.open_regular`): never a link's target, and never
    a FIFO, whose open would wait for a writer.
    """
    try:
        with intake.open_regular(path) as fh, zipfile.ZipFile(fh) as archive:
            archive.infolist()
    except Exception:  # BadZipFile, OSError, and whatever a half-written file provokes
        return False
    return True


def _is_regular(path: Path) -> bool:
    """False for a link, a FIFO, a socket or a device: the pipeline refuses those without opening them."""
    try:
        return intake.file_kind(path) is intake.FileKind.REGULAR
    except OSError:
        return True  # gone or unreadable: the attempt finds out and says so


class _Handler(FileSystemEventHandler):
    """Passes the file names of events on to the watcher; never touches the disk.

    Anything raised here would kill watchdog's observer thread, hence the catch-all.
    """

    def __init__(self, notify: Callable[[str], None]) -> None:
        super().__init__()
        self._notify = notify

    def dispatch(self, event: FileSystemEvent) -> None:
        try:
            for name in _event_names(event):
                self._notify(name)
        except Exception:
            log.exception("处理文件事件时出错（已忽略）")


def _event_names(event: FileSystemEvent) -> list[str]:
    """File names an event is about; for a move, the destination first (an Excel save is a move)."""
    names = []
    for raw in (getattr(event, "dest_path", ""), event.src_path):
        if raw:
            names.append(os.path.basename(os.fsdecode(raw)))
    return names


class _Watcher:
    """The watch loop, with the pipeline injected so tests can drive it with a fake one."""

    def __init__(
        self,
        watched: Path,
        pipeline: _PipelineLike,
        *,
        poll: bool = False,
        settle: float = 1.0,
        interval: float = 5.0,
        stop_event: threading.Event | None = None,
        on_result: Callable[[FileResult], None] | None = None,
        on_status: Callable[[str], None] | None = None,
        observer_factory: Callable[[], BaseObserver] | None = None,
        incomplete_wait: float = INCOMPLETE_WAIT_SECONDS,
    ) -> None:
        self.watched = watched
        self.pipeline = pipeline
        self.poll = poll
        self.settle = max(0.0, settle)
        self.interval = max(0.1, interval)
        self.stop_event = stop_event or threading.Event()
        self.on_result = on_result
        self.on_status = on_status
        self.observer_factory = observer_factory or self._default_observer
        self.incomplete_wait = incomplete_wait
        self.stopping = False
        self.observer_restarts = 0

        self._events: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._wake = threading.Event()
        self._entries: dict[str, _Entry] = {}
        self._swept: set[str] | None = None
        self._pending: set[str] = set()
        self._observer: BaseObserver | None = None
        self._stopper: threading.Thread | None = None
        self._observer_retry_at = 0.0
        self._observer_told = False
        self._next_scan = 0.0
        self._event_scan_at: float | None = None
        self._event_first_at = 0.0
        self._folder_missing = False
        self._repair_at = 0.0
        self._batch: list[Outcome] = []
        self._last_progress = 0.0

    # ------------------------------------------------------------ public

    def request_stop(self) -> None:
        self.stop_event.set()
        self._wake.set()

    def status(self, message: str) -> None:
        log.info("%s", message)
        if self.on_status is not None:
            try:
                self.on_status(message)
            except Exception:
                log.exception("on_status 回调出错")

    def run(self, banner: Sequence[str] = ()) -> None:
        """Prepare the output folder, say the ``banner`` lines, start watching, and loop until stopped.

        Raises:
            FolderUnusable: from ``pipeline.prepare()``, before anything else happens.
        """
        self.pipeline.prepare()
        for line in banner:
            self.status(line)
        try:
            self._start_observer(time.monotonic())
            self._scan(time.monotonic())
            while not self.stop_event.is_set():
                self._step()
        finally:
            self.stopping = True
            self._stop_observer()

    # ------------------------------------------------------------ loop

    def _step(self) -> None:
        now = time.monotonic()
        self._supervise(now)
        self._drain_events(now)
        if now >= self._next_scan or (self._event_scan_at is not None and now >= self._event_scan_at):
            self._scan(now)
        if not self._folder_missing:
            entry = self._next_due(now)
            if entry is not None:
                self._attempt(entry)
                return
        self._end_batch()
        self._sleep(self._next_deadline(now) - time.monotonic())

    def _sleep(self, seconds: float) -> None:
        if seconds > 0 and not self.stop_event.is_set():
            self._wake.wait(min(seconds, _WAKE_SLICE_SECONDS))

    def _notify(self, name: str) -> None:
        """Called from the observer thread: remember that something happened, wake the loop.

        Only names that may be workbooks count (`toolkit.intake.is_candidate`). Everything toolkit
        writes (bulletins, reports, temp files, the ``.toolkit`` state folder) is not one, so when
        the output folder is the watched folder, or inside it, the watcher's own writes never wake
        it. A lost folder or a dead observer is noticed by the supervisor and the periodic scan.
        """
        if not intake.is_candidate(name):
            return
        self._events.put(name)
        self._wake.set()

    def _drain_events(self, now: float) -> None:
        self._wake.clear()
        count = 0
        with contextlib.suppress(queue.Empty):
            while True:
                self._events.get_nowait()
                count += 1
        if not count:
            return
        if self._event_scan_at is None:
            self._event_first_at = now
            self._event_scan_at = now + _DEBOUNCE_SECONDS
        else:
            self._event_scan_at = min(now + _DEBOUNCE_SECONDS, self._event_first_at + _DEBOUNCE_MAX_SECONDS)

    def _next_deadline(self, now: float) -> float:
        deadline = self._next_scan
        if self._event_scan_at is not None:
            deadline = min(deadline, self._event_scan_at)
        if not self._folder_missing:
            for name in self._pending:
                deadline = min(deadline, self._due_at(self._entries[name]))
        return max(deadline, now)

    # ------------------------------------------------------------ scanning

    def _scan(self, now: float) -> None:
        self._next_scan = now + self.interval
        self._event_scan_at = None
        try:
            paths = intake.scan_folder(self.watched)
        except OSError as exc:
            self._folder_lost(exc)
            return
        if self._folder_missing:
            self._folder_back(now)
        present: set[str] = set()
        for path in paths:
            name = path.name
            try:
                sig = _signature(path)
            except OSError as exc:
                log.info("无法读取 %s 的文件信息：%s", name, exc)
                present.add(name)  # keep what we know; look again next time
                continue
            if sig is None:
                continue
            present.add(name)
            self._observe(path, sig, now)
        for name in [n for n in self._entries if n not in present]:
            self._forget(name)
        if present != self._swept:  # a workbook went: its reports go too (its bulletin stays)
            self._swept = present
            self.pipeline.sweep(present)

    def _observe(self, path: Path, sig: Signature, now: float) -> _Entry:
        name = path.name
        entry = self._entries.get(name)
        if entry is None:
            entry = self._entries[name] = _Entry(path, sig, now)
        elif sig != entry.signature:
            entry.signature = sig
            entry.seen_at = now
            entry.reset_episode()
        if sig == entry.done:
            self._pending.discard(name)
        else:
            self._pending.add(name)
        return entry

    def _forget(self, name: str) -> None:
        self._entries.pop(name, None)
        self._pending.discard(name)

    def _folder_lost(self, exc: OSError) -> None:
        if self._folder_missing:
            return
        self._folder_missing = True
        log.info("监视的文件夹 %s 无法访问：%s", self.watched, exc)
        self.status(messages.watch_folder_lost(self.watched, messages.os_reason(exc), self.interval))
        self._stop_observer()

    def _folder_back(self, now: float) -> None:
        self._folder_missing = False
        log.info("监视的文件夹 %s 恢复访问", self.watched)
        self.status(messages.watch_folder_back(self.watched))
        self._observer_retry_at = 0.0
        if self._observer is None:
            self._start_observer(now)

    # ------------------------------------------------------------ one file

    def _due_at(self, entry: _Entry) -> float:
        due = max(entry.seen_at + self.settle, entry.retry_at)
        if entry.not_zip_at is not None:
            due = max(due, entry.not_zip_at + self.settle)
        return due

    def _next_due(self, now: float) -> _Entry | None:
        best: _Entry | None = None
        for name in self._pending:
            entry = self._entries[name]
            if self._due_at(entry) > now:
                continue
            if best is None or (entry.seen_at, entry.path.name) < (best.seen_at, best.path.name):
                best = entry
        return best

    def _attempt(self, entry: _Entry) -> None:
        now = time.monotonic()
        name = entry.path.name
        try:
            sig = _signature(entry.path)
        except OSError as exc:
            self._wait_again(entry, Outcome.NOT_READY, f"无法读取文件信息：{messages.os_reason(exc)}")
            return
        if sig is None:
            if not self.watched.is_dir():
                self._folder_lost(FileNotFoundError(errno.ENOENT, "文件夹不存在"))
            else:
                self._forget(name)
            return
        if sig != entry.signature:  # still being written: start the settle window again
            self._observe(entry.path, sig, now)
            return
        if sig == entry.done:
            self._pending.discard(name)
            return
        if entry.not_zip_at is None and _is_regular(entry.path) and not _opens_as_zip(entry.path):
            if _signature(entry.path) == sig:
                log.info("%s 大小不再变化，但还不是完整的压缩包；再等一轮", name)
                entry.not_zip_at = now
            return
        if entry.attempts and now >= self._repair_at:
            # After a failure the output folder may have been deleted or remounted: recreate it.
            self._repair_at = now + _REPAIR_OUTPUT_SECONDS
            try:
                self.pipeline.prepare()
            except (FolderUnusable, OSError) as exc:
                log.info("输出文件夹仍然无法使用：%s", exc)
        self._progress()
        patient = now - entry.seen_at < self.incomplete_wait
        try:
            result = self.pipeline.process(entry.path, require_stable=True, require_complete=patient)
        except Exception as exc:  # the pipeline promises not to raise; one file must never stop the loop
            log.debug("处理 %s 时出现意外错误", name, exc_info=True)
            result = FileResult(
                name, Outcome.FAILED, reason=messages.reason_internal(type(exc).__name__, None)
            )
        self._finish(entry, sig, result)

    def _finish(self, entry: _Entry, sig: Signature, result: FileResult) -> None:
        name = entry.path.name
        if result.outcome in _TERMINAL:
            entry.done = sig
            entry.reset_episode()
            self._pending.discard(name)
            self._batch.append(result.outcome)
            if self.on_result is not None:
                try:
                    self.on_result(result)
                except Exception:
                    log.exception("on_result 回调出错")
            return
        try:
            after = _signature(entry.path)
        except OSError:
            after = sig
        if after is None:
            self._forget(name)
            return
        if after != sig:  # it changed under us: a writer is at work, so this was no failure
            self._observe(entry.path, after, time.monotonic())
            return
        if result.incomplete:
            # Never later than the end of the wait, when it is handed over to be reported.
            self._wait_again(entry, result.outcome, result.reason, until=entry.seen_at + self.incomplete_wait)
            return
        reason = (
            result.reason
            or "；".join(p.message for p in result.errors[:3])
            or messages.OUTCOME_WORDS[result.outcome]
        )
        self._wait_again(entry, result.outcome, reason)

    def _wait_again(
        self, entry: _Entry, outcome: Outcome, reason: str, *, until: float | None = None
    ) -> None:
        entry.attempts += 1
        cap = BUSY_RETRY_CAP_SECONDS if outcome is Outcome.BUSY else RETRY_CAP_SECONDS
        delay = min(cap, RETRY_FIRST_SECONDS * 2 ** min(entry.attempts - 1, 16))
        entry.retry_at = time.monotonic() + delay
        if until is not None:
            entry.retry_at = min(entry.retry_at, until)
        log.info(
            "%s：%s（%s）；%.0f 秒后第 %d 次重试",
            entry.path.name,
            outcome.value,
            reason,
            delay,
            entry.attempts,
        )
        if not entry.told:
            entry.told = True
            if until is not None:
                self.status(messages.watch_incomplete(entry.path.name, self.incomplete_wait))
            else:
                self.status(messages.watch_waiting(entry.path.name, outcome, reason))

    # ------------------------------------------------------------ progress

    def _waiting_count(self) -> int:
        return sum(1 for n in self._pending if self._entries[n].attempts == 0)

    def _progress(self) -> None:
        done = len(self._batch)
        total = done + len(self._pending)  # the file about to be processed is still pending
        if total < PROGRESS_MIN_FILES:
            return
        now = time.monotonic()
        if (
            done == 0
            or done % _PROGRESS_EVERY_FILES == 0
            or now - self._last_progress >= _PROGRESS_EVERY_SECONDS
        ):
            self._last_progress = now
            self.status(messages.watch_progress(done + 1, total))

    def _end_batch(self) -> None:
        if not self._batch or self._waiting_count():
            return
        if len(self._batch) >= PROGRESS_MIN_FILES:
            self.status(messages.watch_round_done(self._batch))
        self._batch = []

    # ------------------------------------------------------------ observer

    def _default_observer(self) -> BaseObserver:
        if self.poll:
            return PollingObserver(timeout=_POLL_SECONDS)
        return Observer()

    def _observer_healthy(self, observer: BaseObserver) -> bool:
        emitters = list(observer.emitters)
        return observer.is_alive() and bool(emitters) and all(e.is_alive() for e in emitters)

    def _supervise(self, now: float) -> None:
        if self._folder_missing:
            return
        observer = self._observer
        if observer is None:
            if now >= self._observer_retry_at:
                self._start_observer(now)
            return
        if self._observer_healthy(observer):
            return
        self._stop_observer()
        if not self.watched.is_dir():
            self._next_scan = now  # the scan reports the missing folder and restarts us when it is back
            return
        self.observer_restarts += 1
        log.info("文件监视意外停止；重新启动并重新扫描")
        self.status(messages.WATCH_OBSERVER_RESTARTED)
        self._start_observer(now)
        self._next_scan = now

    def _start_observer(self, now: float) -> None:
        if self._stopper is not None and self._stopper.is_alive():
            # The previous observer is still stopping (a dead network share can make that slow):
            # never run two on one folder, whose watches would overlap. Try again shortly.
            self._observer_retry_at = now + _OBSERVER_STOP_SECONDS
            return
        observer: BaseObserver | None = None
        try:
            observer = self.observer_factory()
            observer.schedule(_Handler(self._notify), str(self.watched), recursive=False)
            observer.start()
        except Exception as exc:  # inotify limits, unsupported file systems, a missing folder
            log.info("无法启动文件监视：%s", exc)
            if observer is not None:
                self._stopper = _stop_quietly(observer)
            self._observer = None
            self._observer_retry_at = now + self.interval
            if not self._observer_told:
                self._observer_told = True
                self.status(messages.watch_no_notifications(str(exc), self.interval))
            return
        self._observer = observer
        self._observer_told = False

    def _stop_observer(self) -> None:
        observer, self._observer = self._observer, None
        if observer is not None:
            self._stopper = _stop_quietly(observer)


def _stop_quietly(observer: BaseObserver) -> threading.Thread:
    """Stop an observer without ever blocking for long (stopping can hang on a dead network share).

    Returns the thread that stops it, which may still be at work.
    """

    def stop() -> None:
        try:
            observer.stop()
            if observer.is_alive():
                observer.join(_OBSERVER_STOP_SECONDS)
        except Exception:
            log.debug("停止文件监视时出错", exc_info=True)

    helper = threading.Thread(target=stop, name="toolkit-observer-stop", daemon=True)
    helper.start()
    helper.join(_OBSERVER_STOP_SECONDS + 0.5)
    return helper
