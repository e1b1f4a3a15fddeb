"""The hot folder (`toolkit.watch`): nothing lost, nothing repeated, never a half-read file.

Unit tests drive the real watchdog observer in tmp folders with a fake pipeline that records what
it was asked to process; end-to-end tests use the real pipeline in a thread, or ``python -m
toolkit watch`` in subprocesses for kill -9, signals and two watchers on one folder. Waits are
bounded polls for a condition, never assertions about how long something took.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.workbooks import build_workbook, plain_rows, seed_workbook
from toolkit import messages, watch
from toolkit.errors import FolderMissing, FolderUnusable
from toolkit.pipeline import FileResult, Pipeline
from toolkit.records import Outcome
from toolkit.settings import Settings
from toolkit.watch import _Watcher, watch_folder

REPO = Path(__file__).resolve().parent.parent
SETTLE = 0.3


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    """Poll ``condition`` until it holds; fail the test naming ``what`` if it never does."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def workbook(donor: str = "张三", amount: int = 100) -> bytes:
    return build_workbook(plain_rows([(donor, amount)], total=amount))


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode("utf-8"))


# ---------------------------------------------------------------- harness


@dataclass
class Recorder:
    """Collects what the watcher reports, from any thread."""

    results: list[FileResult] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def result(self, r: FileResult) -> None:
        with self.lock:
            self.results.append(r)

    def status(self, s: str) -> None:
        with self.lock:
            self.statuses.append(s)

    def outcomes(self, name: str) -> list[Outcome]:
        with self.lock:
            return [r.outcome for r in self.results if r.file == name]

    def count(self, outcome: Outcome) -> dict[str, int]:
        with self.lock:
            counts: dict[str, int] = {}
            for r in self.results:
                if r.outcome is outcome:
                    counts[r.file] = counts.get(r.file, 0) + 1
            return counts

    def said(self, fragment: str) -> list[str]:
        with self.lock:
            return [s for s in self.statuses if fragment in s]


class FakePipeline:
    """Stands in for `Pipeline`: records each call with the bytes it saw, answers from a script.

    Without a script, a file that opens as a zip is RENDERED and anything else REJECTED.
    """

    def __init__(self, script: dict[str, list[Outcome]] | None = None) -> None:
        self.script = {k: list(v) for k, v in (script or {}).items()}
        self.calls: list[tuple[str, bytes]] = []
        self.prepared = 0
        self.swept: list[set[str]] = []
        self.lock = threading.Lock()

    def prepare(self) -> None:
        self.prepared += 1

    def sweep(self, present: Collection[str]) -> None:
        with self.lock:
            self.swept.append(set(present))

    def process(
        self, path: Path, *, require_stable: bool = False, require_complete: bool = False
    ) -> FileResult:
        assert require_stable, "the watcher must ask the pipeline to refuse a file still being written"
        assert require_complete, "a file that reads as cut short must not be reported at once"
        data = path.read_bytes()
        with self.lock:
            self.calls.append((path.name, data))
        planned = self.script.get(path.name)
        if planned:
            outcome = planned.pop(0)
        else:
            outcome = Outcome.RENDERED if data.startswith(b"PK") else Outcome.REJECTED
        return FileResult(
            path.name, outcome, reason="" if outcome in (Outcome.RENDERED, Outcome.REJECTED) else "测试原因"
        )

    def names(self) -> list[str]:
        with self.lock:
            return [n for n, _ in self.calls]

    def data_for(self, name: str) -> list[bytes]:
        with self.lock:
            return [d for n, d in self.calls if n == name]


@contextlib.contextmanager
def in_thread(target: Callable[..., None], **kwargs: Any) -> Iterator[threading.Event]:
    """Run ``target(stop_event=..., **kwargs)`` in a thread; stop it and prove it ended on exit."""
    stop = threading.Event()
    errors: list[BaseException] = []

    def body() -> None:
        try:
            target(stop_event=stop, **kwargs)
        except BaseException as exc:  # surfaced in the test thread below
            errors.append(exc)

    thread = threading.Thread(target=body, name="watch-under-test", daemon=True)
    thread.start()
    try:
        yield stop
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive(), "the watcher did not stop after stop_event was set"
    if errors:
        raise errors[0]


def fake_watch(
    watched: Path, pipeline: FakePipeline, rec: Recorder, **kwargs: Any
) -> contextlib.AbstractContextManager[threading.Event]:
    def target(stop_event: threading.Event) -> None:
        options: dict[str, Any] = {"settle": SETTLE, "interval": 0.5, **kwargs}
        _Watcher(
            watched, pipeline, stop_event=stop_event, on_result=rec.result, on_status=rec.status, **options
        ).run()

    return in_thread(target)


def real_watch(
    watched: Path, output: Path, rec: Recorder, **kwargs: Any
) -> contextlib.AbstractContextManager[threading.Event]:
    options: dict[str, Any] = {"settle": SETTLE, "interval": 0.5, **kwargs}
    return in_thread(
        watch_folder,
        watched=watched,
        output=output,
        settings=Settings(),
        on_result=rec.result,
        on_status=rec.status,
        **options,
    )


def drop(folder: Path, name: str, data: bytes) -> None:
    """Put a file into ``folder`` the way a finished copy arrives: written beside it, renamed in."""
    staging = folder.parent / "staging"
    staging.mkdir(exist_ok=True)
    (staging / name).write_bytes(data)
    os.replace(staging / name, folder / name)


# ---------------------------------------------------------------- readiness


@pytest.mark.timeout(30)
def test_files_present_at_start_are_caught_up_once(folders: tuple[Path, Path]) -> None:
    watched, _ = folders
    for name in ("a.xlsx", "b.xlsm", "C.XLSX"):
        (watched / name).write_bytes(workbook())
    pipeline, rec = FakePipeline(), Recorder()
    with fake_watch(watched, pipeline, rec):
        wait_until(lambda: len(pipeline.calls) >= 3, "the three files")
        time.sleep(2.0)  # four periodic scans: unchanged files must not be read again
    assert sorted(pipeline.names()) == ["C.XLSX", "a.xlsx", "b.xlsm"]
    assert pipeline.prepared == 1


@pytest.mark.timeout(30)
def test_the_pipeline_cleans_up_after_a_workbook_that_went(folders: tuple[Path, Path]) -> None:
    watched, _ = folders
    for name in ("a.xlsx", "b.xlsx"):
        (watched / name).write_bytes(workbook())
    pipeline, rec = FakePipeline(), Recorder()
    with fake_watch(watched, pipeline, rec):
        wait_until(lambda: len(pipeline.calls) >= 2, "both files")
        (watched / "b.xlsx").unlink()
        wait_until(lambda: {"a.xlsx"} in pipeline.swept, "the sweep after b.xlsx went")
        time.sleep(1.0)  # two more scans: nothing else went, so nothing more is swept
    assert pipeline.swept == [{"a.xlsx", "b.xlsx"}, {"a.xlsx"}]


@pytest.mark.timeout(30)
def test_reports_of_a_removed_workbook_go_and_its_bulletin_stays(folders: tuple[Path, Path]) -> None:
    watched, output = folders
    (watched / "good.xlsx").write_bytes(build_workbook(plain_rows([("张三", 100)])))
    (watched / "bad.xlsx").write_bytes(build_workbook(plain_rows([("张三", "abc")])))
    rec = Recorder()
    with real_watch(watched, output, rec):
        wait_until(
            lambda: (output / "bad.errors.txt").exists() and (output / "good.docx").exists(), "outputs"
        )
        (watched / "bad.xlsx").unlink()
        (watched / "good.xlsx").unlink()
        wait_until(lambda: not (output / "bad.errors.txt").exists(), "the error report of bad.xlsx removed")
    assert (output / "good.docx").exists()


@pytest.mark.timeout(30)
@pytest.mark.parametrize("old_mtime", [False, True], ids=["fresh-mtime", "copied-with-old-mtime"])
def test_slow_copy_is_read_once_complete_and_never_reported(
    folders: tuple[Path, Path], old_mtime: bool
) -> None:
    watched, output = folders
    data = seed_workbook()
    target = watched / "慢慢复制.xlsx"
    chunks = [data[i : i + len(data) // 25 + 1] for i in range(0, len(data), len(data) // 25 + 1)]
    rec = Recorder()
    with real_watch(watched, output, rec, settle=0.5):
        with target.open("wb") as fh:
            for chunk in chunks:  # ~2.5 s, each pause shorter than the settle window
                fh.write(chunk)
                fh.flush()
                if old_mtime:  # like cp -p: the mtime says "days old" throughout
                    os.utime(target, ns=(1_600_000_000 * 10**9, 1_600_000_000 * 10**9))
                time.sleep(0.1)
        wait_until(lambda: rec.outcomes(target.name), "the copied file's result")
        time.sleep(1.5)
    assert rec.outcomes(target.name) == [Outcome.RENDERED]
    assert not any(p.name.endswith((".errors.txt", ".errors.xlsx")) for p in output.iterdir())
    assert "周立德" in docx_text(output / "慢慢复制.docx")  # the last donor: built from the whole file
    assert not rec.said("重试")


@pytest.mark.timeout(30)
@pytest.mark.parametrize("first", ["half", "zeros"], ids=["half-copied", "size-set-bytes-not-yet"])
def test_a_copy_that_pauses_longer_than_the_settle_time_is_never_reported_as_broken(
    folders: tuple[Path, Path], first: str
) -> None:
    watched, output = folders
    data = seed_workbook()
    target = watched / "暂停的复制.xlsx"
    rec = Recorder()
    with real_watch(watched, output, rec):
        with target.open("wb") as fh:
            # A network copy stalls half-way; Windows sets a copy's size before its bytes arrive.
            fh.write(data[: len(data) // 2] if first == "half" else bytes(len(data)))
        wait_until(lambda: rec.said("还没有复制完"), "the notice that the copy looks unfinished")
        time.sleep(6 * SETTLE)  # a pause several settle times long
        assert rec.results == []
        assert not list(output.glob("*.errors.*"))
        with target.open("r+b") as fh:
            fh.write(data)
        wait_until(lambda: rec.outcomes(target.name), "the finished copy's result")
        time.sleep(1.0)
    assert rec.outcomes(target.name) == [Outcome.RENDERED]
    assert not list(output.glob("*.errors.*"))
    assert len(rec.said("还没有复制完")) == 1


@pytest.mark.timeout(30)
def test_a_copy_that_never_finishes_is_reported_after_the_documented_wait(folders: tuple[Path, Path]) -> None:
    watched, output = folders
    (watched / "半个.xlsx").write_bytes(seed_workbook()[:3000])
    rec = Recorder()

    def target(stop_event: threading.Event) -> None:
        _Watcher(
            watched,
            Pipeline(output, Settings()),
            settle=SETTLE,
            interval=0.5,
            incomplete_wait=2.0,
            stop_event=stop_event,
            on_result=rec.result,
            on_status=rec.status,
        ).run()

    with in_thread(target):
        wait_until(lambda: rec.said("最多再等 2 秒"), "the notice of the wait")
        assert rec.results == []
        wait_until(lambda: rec.outcomes("半个.xlsx"), "the report after the wait")
        time.sleep(1.0)
    assert rec.outcomes("半个.xlsx") == [Outcome.REJECTED]
    assert [p.code for p in rec.results[0].problems] == ["file.truncated"]
    assert (output / "半个.errors.txt").is_file()


def test_the_wait_for_an_unfinished_copy_is_bounded() -> None:
    assert 60 <= watch.INCOMPLETE_WAIT_SECONDS <= 300  # README: “最多等 2 分钟”


@pytest.mark.timeout(30)
def test_still_but_broken_file_goes_to_the_pipeline_once(folders: tuple[Path, Path]) -> None:
    watched, _ = folders
    pipeline, rec = FakePipeline(), Recorder()
    with fake_watch(watched, pipeline, rec):
        drop(watched, "坏文件.xlsx", b"this is not a workbook at all")
        wait_until(lambda: rec.outcomes("坏文件.xlsx"), "the broken file's result")
        time.sleep(1.5)
    assert pipeline.names() == ["坏文件.xlsx"]
    assert rec.outcomes("坏文件.xlsx") == [Outcome.REJECTED]


@pytest.mark.timeout(30)
def test_lock_owner_and_temp_files_are_never_processed(folders: tuple[Path, Path]) -> None:
    watched, _ = folders
    pipeline, rec = FakePipeline(), Recorder()
    with fake_watch(watched, pipeline, rec):
        # The workbook is open in Excel/LibreOffice/WPS: it is still rendered (see toolkit/watch.py).
        for lock in ("~$a.xlsx", ".~lock.a.xlsx#", ".~a.xlsx"):
            (watched / lock).write_bytes(workbook())
        for temp in ("A1B2C3D4", "a.xlsx.tmp", ".a.xlsx.Xy12Ab", "b.xlsx.part", "a.xlsx.osl-tmp"):
            (watched / temp).write_bytes(workbook())
        drop(watched, "a.xlsx", workbook())
        wait_until(lambda: pipeline.calls, "a.xlsx")
        time.sleep(1.5)
    assert pipeline.names() == ["a.xlsx"]


@pytest.mark.timeout(30)
def test_in_place_rewrite_is_a_new_version(folders: tuple[Path, Path]) -> None:
    watched, _ = folders
    first, second = workbook("张三"), workbook("李四", 200)
    pipeline, rec = FakePipeline(), Recorder()
    with fake_watch(watched, pipeline, rec):
        drop(watched, "a.xlsx", first)
        wait_until(lambda: len(pipeline.calls) == 1, "the first version")
        (watched / "a.xlsx").write_bytes(second)  # LibreOffice-style: same inode, new bytes
        wait_until(lambda: len(pipeline.calls) == 2, "the second version")
        time.sleep(1.5)
    assert pipeline.data_for("a.xlsx") == [first, second]


# ---------------------------------------------------------------- retries


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("first", "then"),
    [
        (Outcome.FAILED, Outcome.RENDERED),  # e.g. the bulletin was open in Word
        (Outcome.NOT_READY, Outcome.RENDERED),  # e.g. the file was locked for reading
        (Outcome.BUSY, Outcome.UNCHANGED),  # another watcher had it, and finished it
    ],
)
def test_waiting_outcomes_are_retried_and_reported_once(
    folders: tuple[Path, Path], first: Outcome, then: Outcome
) -> None:
    watched, _ = folders
    pipeline, rec = FakePipeline({"a.xlsx": [first, first, then]}), Recorder()
    with fake_watch(watched, pipeline, rec):
        drop(watched, "a.xlsx", workbook())
        wait_until(lambda: rec.outcomes("a.xlsx"), "a.xlsx to finish after retries")
        time.sleep(1.0)
    assert pipeline.names() == ["a.xlsx"] * 3
    assert rec.outcomes("a.xlsx") == [then]  # waiting outcomes never reach on_result
    assert len(rec.said("a.xlsx")) == 1  # the reason is said once, not at every retry
    assert "测试原因" in rec.said("a.xlsx")[0]
    assert pipeline.prepared >= 2  # after a failure the output folder is prepared again


@pytest.mark.timeout(30)
def test_a_new_save_starts_a_new_episode(folders: tuple[Path, Path]) -> None:
    watched, _ = folders
    old, new = workbook("张三"), workbook("李四", 200)
    pipeline, rec = FakePipeline({"a.xlsx": [Outcome.FAILED] * 100}), Recorder()
    with fake_watch(watched, pipeline, rec):
        drop(watched, "a.xlsx", old)
        wait_until(lambda: rec.said("a.xlsx"), "the failure notice")
        drop(watched, "a.xlsx", new)  # the clerk saves again: the new version is told about anew
        wait_until(lambda: len(rec.said("a.xlsx")) == 2, "the notice for the new version")
        pipeline.script["a.xlsx"] = []
        wait_until(lambda: rec.outcomes("a.xlsx"), "the new version to render")
    assert rec.outcomes("a.xlsx") == [Outcome.RENDERED]
    assert pipeline.data_for("a.xlsx")[-1] == new


# ---------------------------------------------------------------- observer supervision


@pytest.mark.timeout(30)
def test_an_exception_inside_the_handler_is_contained(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    watched, _ = folders
    real = watch._event_names
    raised: list[str] = []

    def flaky(event: Any) -> list[str]:
        if not raised:
            raised.append(os.fsdecode(event.src_path))
            raise RuntimeError("handler bug")
        return real(event)

    monkeypatch.setattr(watch, "_event_names", flaky)
    pipeline, rec = FakePipeline(), Recorder()
    # A long interval: only events can bring the later file in time.
    with fake_watch(watched, pipeline, rec, interval=60):
        time.sleep(0.5)
        (watched / "trigger.txt").write_bytes(b"x")
        wait_until(lambda: bool(raised), "the handler to raise")
        drop(watched, "later.xlsx", workbook())
        wait_until(lambda: "later.xlsx" in pipeline.names(), "the later file", timeout=10)


@pytest.mark.timeout(30)
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_dead_observer_is_restarted_and_the_folder_rescanned(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    watched, _ = folders
    real = watch._Handler.dispatch
    raised: list[bool] = []

    def deadly(self: Any, event: Any) -> None:
        if not raised:
            raised.append(True)
            raise RuntimeError("escapes the handler and kills watchdog's observer thread")
        real(self, event)

    monkeypatch.setattr(watch._Handler, "dispatch", deadly)
    pipeline, rec = FakePipeline(), Recorder()
    with fake_watch(watched, pipeline, rec, interval=60):
        time.sleep(0.5)
        drop(watched, "first.xlsx", workbook())  # its event kills the observer
        wait_until(lambda: bool(raised), "the observer to die")
        wait_until(lambda: "first.xlsx" in pipeline.names(), "the file whose event was lost", timeout=10)
        drop(watched, "later.xlsx", workbook())
        wait_until(lambda: "later.xlsx" in pipeline.names(), "a file after the restart", timeout=10)
    assert rec.said(messages.WATCH_OBSERVER_RESTARTED)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("poll", [False, True], ids=["native", "polling"])
def test_a_vanished_folder_is_reported_once_and_recovered(tmp_path: Path, poll: bool) -> None:
    watched = tmp_path / "share"
    watched.mkdir()
    away = tmp_path / "share-offline"
    pipeline, rec = FakePipeline(), Recorder()
    (watched / "a.xlsx").write_bytes(workbook())
    with fake_watch(watched, pipeline, rec, interval=0.3, poll=poll):
        wait_until(lambda: pipeline.calls, "a.xlsx")
        watched.rename(away)  # the network drive drops
        wait_until(lambda: rec.said("找不到"), "the missing-folder notice")
        time.sleep(1.0)
        away.rename(watched)
        wait_until(lambda: rec.said("已恢复"), "the recovery notice")
        drop(watched, "b.xlsx", workbook())
        wait_until(lambda: "b.xlsx" in pipeline.names(), "a file after recovery")
        time.sleep(1.0)
    assert len(rec.said("找不到")) == 1
    assert pipeline.names() == ["a.xlsx", "b.xlsx"]  # a.xlsx was not read again


@pytest.mark.timeout(30)
def test_the_watchers_own_writes_never_wake_it(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the output folder inside the watched folder (or the same), what toolkit writes there
    (bulletins, reports, temp files, its state folder) is no workbook and never triggers a scan."""
    watched, _ = folders
    scans: list[str] = []
    real_scan = watch.intake.scan_folder

    def counting(folder: Path) -> list[Path]:
        scans.append(folder.name)
        return real_scan(folder)

    monkeypatch.setattr(watch.intake, "scan_folder", counting)
    pipeline, rec = FakePipeline(), Recorder()
    with fake_watch(watched, pipeline, rec, interval=60):  # a long interval: scans follow events only
        drop(watched, "a.xlsx", workbook())
        wait_until(lambda: rec.outcomes("a.xlsx"), "a.xlsx")
        time.sleep(0.5)
        before = len(scans)
        state = watched / "output" / ".toolkit" / "state"
        state.mkdir(parents=True)
        for folder in (watched, watched / "output"):
            for name in ("a.docx", ".tk-tmp-host.1.ab12.a.docx", "a.errors.txt", "a.errors.xlsx", "a.pdf"):
                (folder / name).write_bytes(b"x")
            os.replace(folder / ".tk-tmp-host.1.ab12.a.docx", folder / "b.docx")
        (state / "0123.json").write_bytes(b"{}")
        time.sleep(1.5)
        assert len(scans) == before, "the watcher's own outputs woke it"
        drop(watched, "b.xlsx", workbook())  # while a workbook still does
        wait_until(lambda: rec.outcomes("b.xlsx"), "b.xlsx")


@pytest.mark.timeout(30)
def test_a_new_observer_never_starts_while_the_old_one_is_still_stopping(folders: tuple[Path, Path]) -> None:
    watched, _ = folders
    release = threading.Event()
    running: list[SlowObserver] = []
    overlaps: list[int] = []

    class SlowObserver:
        """An observer that dies on request and takes its time to stop, as on a dead share."""

        def __init__(self) -> None:
            self.alive = False
            self.emitters = [self]

        def schedule(self, *args: Any, **kwargs: Any) -> None:
            pass

        def start(self) -> None:
            if running:
                overlaps.append(len(running))
            running.append(self)
            self.alive = True

        def is_alive(self) -> bool:
            return self.alive

        def stop(self) -> None:
            release.wait(10)
            running.remove(self)

        def join(self, timeout: float | None = None) -> None:
            pass

    pipeline, rec = FakePipeline(), Recorder()
    started: list[SlowObserver] = []

    def factory() -> Any:
        started.append(SlowObserver())
        return started[-1]

    with fake_watch(watched, pipeline, rec, observer_factory=factory):
        wait_until(lambda: len(started) == 1 and started[0].alive, "the first observer")
        started[0].alive = False  # it dies; stopping it hangs until released
        wait_until(lambda: rec.said("自动重启"), "the supervisor to notice")
        time.sleep(1.0)
        assert len(started) == 1, "a second observer started while the first was still stopping"
        release.set()
        wait_until(lambda: len(started) == 2 and started[1].alive, "the replacement observer")
    assert overlaps == []


@pytest.mark.skipif(os.name != "posix", reason="symbolic links and FIFOs made here need POSIX")
@pytest.mark.timeout(30)
def test_a_link_or_a_fifo_dropped_in_is_reported_once_and_never_opened(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    watched, output = folders
    (tmp_path / "real.xlsx").write_bytes(workbook())
    rec = Recorder()
    with real_watch(watched, output, rec):
        (watched / "link.xlsx").symlink_to(tmp_path / "real.xlsx")
        os.mkfifo(watched / "pipe.xlsx")  # opening it to look for a zip would wait forever
        wait_until(lambda: rec.outcomes("link.xlsx") and rec.outcomes("pipe.xlsx"), "both reports")
        drop(watched, "good.xlsx", workbook())
        wait_until(lambda: rec.outcomes("good.xlsx"), "a workbook after them")
        time.sleep(1.0)
    assert rec.outcomes("link.xlsx") == [Outcome.REJECTED]
    assert rec.outcomes("pipe.xlsx") == [Outcome.REJECTED]
    assert rec.outcomes("good.xlsx") == [Outcome.RENDERED]
    codes = {r.file: [p.code for p in r.problems] for r in rec.results}
    assert codes["link.xlsx"] == ["file.symlink"] and codes["pipe.xlsx"] == ["file.not_regular"]
    assert (output / "link.errors.txt").exists() and not (output / "link.docx").exists()


# ---------------------------------------------------------------- end to end, in a thread


@pytest.mark.timeout(40)
@pytest.mark.parametrize("poll", [False, True], ids=["native", "polling"])
def test_excel_save_sequence_renders_the_new_content_once(folders: tuple[Path, Path], poll: bool) -> None:
    watched, output = folders
    rec = Recorder()
    with real_watch(watched, output, rec, poll=poll):
        drop(watched, "a.xlsx", workbook("张三"))
        wait_until(lambda: rec.outcomes("a.xlsx") == [Outcome.RENDERED], "the first version")
        # What Excel does on Ctrl-S (support.microsoft.com/kb/814068):
        (watched / "~$a.xlsx").write_bytes(b"\x05clerk")
        (watched / "A1B2C3D4").write_bytes(workbook("李四", 200))
        (watched / "a.xlsx").unlink()
        os.rename(watched / "A1B2C3D4", watched / "a.xlsx")
        (watched / "~$a.xlsx").unlink()
        wait_until(lambda: len(rec.outcomes("a.xlsx")) == 2, "the saved version")
        time.sleep(1.5)
    assert rec.outcomes("a.xlsx") == [Outcome.RENDERED, Outcome.RENDERED]
    assert {r.file for r in rec.results} == {"a.xlsx"}
    text = docx_text(output / "a.docx")
    assert "李四" in text
    assert "张三" not in text


@pytest.mark.timeout(90)
def test_a_burst_of_200_files_is_rendered_each_exactly_once(folders: tuple[Path, Path]) -> None:
    watched, output = folders
    names = [f"名单{i:03d}.xlsx" for i in range(200)]
    data = workbook()
    staging = watched.parent / "staging"
    staging.mkdir()
    for name in names:
        (staging / name).write_bytes(data)
    rec = Recorder()
    with real_watch(watched, output, rec, interval=1.0):
        time.sleep(0.5)
        for name in names:
            os.replace(staging / name, watched / name)
        wait_until(lambda: len(rec.count(Outcome.RENDERED)) == 200, "200 bulletins", timeout=75)
        time.sleep(1.5)
    assert rec.count(Outcome.RENDERED) == dict.fromkeys(names, 1)
    assert all((output / name.replace(".xlsx", ".docx")).is_file() for name in names)
    assert rec.said("正在处理")
    assert rec.said("本轮处理完毕，共 200 个文件：已生成 200 个")


@pytest.mark.timeout(30)
def test_a_burst_summary_counts_rejected_files_too(folders: tuple[Path, Path]) -> None:
    watched, _ = folders
    staging = watched.parent / "staging"
    staging.mkdir()
    for i in range(12):
        (staging / f"f{i:02d}.xlsx").write_bytes(workbook() if i < 8 else b"not a workbook")
    pipeline, rec = FakePipeline(), Recorder()
    with fake_watch(watched, pipeline, rec):
        for i in range(12):
            os.replace(staging / f"f{i:02d}.xlsx", watched / f"f{i:02d}.xlsx")
        wait_until(lambda: rec.said("本轮处理完毕"), "the end of the burst")
    assert rec.said("本轮处理完毕") == ["本轮处理完毕，共 12 个文件：已生成 8 个，有错误未生成 4 个"]


@pytest.mark.timeout(30)
def test_output_inside_watched_folder_never_feeds_back(tmp_path: Path) -> None:
    folder = tmp_path / "一个文件夹"
    folder.mkdir()
    rec = Recorder()
    with real_watch(folder, folder, rec):
        drop(folder, "bad.xlsx", build_workbook(plain_rows([("张三", "abc")])))
        wait_until(lambda: rec.outcomes("bad.xlsx"), "the rejected file")
        time.sleep(1.5)
    assert rec.outcomes("bad.xlsx") == [Outcome.REJECTED]
    assert {r.file for r in rec.results} == {"bad.xlsx"}


# ---------------------------------------------------------------- start-up errors and signals


def test_output_path_that_is_a_file_is_refused_at_start(folders: tuple[Path, Path]) -> None:
    watched, output = folders
    output.write_bytes(b"a file where the output folder should be")
    with pytest.raises(FolderMissing, match=re.escape(f"{output} 是一个文件，不是文件夹")):
        watch_folder(watched, output, settings=Settings(), stop_event=threading.Event())


def test_output_folder_that_cannot_be_created_is_a_clear_error_at_start(folders: tuple[Path, Path]) -> None:
    watched, output = folders
    output.write_bytes(b"a file where the output folder should be")
    with pytest.raises(FolderUnusable, match=re.escape(f"无法创建或写入输出文件夹 {output / 'sub'}")):
        watch_folder(watched, output / "sub", settings=Settings(), stop_event=threading.Event())


def test_missing_watched_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FolderMissing) as info:
        watch_folder(tmp_path / "nope", tmp_path / "out", settings=Settings())
    [problem] = info.value.problems
    assert problem.code == "folder.missing"
    assert problem.message == f"找不到文件夹 {tmp_path / 'nope'}（请用 --watched 指定要监视的文件夹）"
    assert not (tmp_path / "out").exists()


@pytest.mark.timeout(20)
def test_sigterm_in_the_main_thread_stops_and_restores_the_handler(folders: tuple[Path, Path]) -> None:
    watched, output = folders
    before = signal.getsignal(signal.SIGTERM)
    stop = threading.Event()  # only a fallback, should the handler be missing
    seen: list[object] = []

    def send_sigterm() -> None:
        seen.append(signal.getsignal(signal.SIGTERM))
        if seen[0] is before:
            stop.set()  # no handler installed: don't kill the test runner, just end the call
        else:
            os.kill(os.getpid(), signal.SIGTERM)

    timer = threading.Timer(1.0, send_sigterm)
    timer.start()
    try:
        watch_folder(watched, output, settings=Settings(), settle=SETTLE, interval=0.5, stop_event=stop)
    finally:
        timer.cancel()
    assert seen, "the timer did not run while watching"
    assert seen[0] is not before, "no SIGTERM handler was installed in the main thread"
    assert signal.getsignal(signal.SIGTERM) is before


# ---------------------------------------------------------------- subprocesses


RENDERED_LINE = re.compile(r"\] (\S+\.xlsx): 已生成，")


@dataclass
class CliWatcher:
    """``python -m toolkit watch`` in a subprocess, its output captured to a file."""

    proc: subprocess.Popen[bytes]
    log: Path
    encoding: str = "utf-8"

    def text(self) -> str:
        return self.log.read_bytes().decode(self.encoding, "replace")

    def rendered(self) -> list[str]:
        return RENDERED_LINE.findall(self.text())


def start_cli(tmp_path: Path, watched: Path, output: Path, tag: str, encoding: str = "utf-8") -> CliWatcher:
    log = tmp_path / f"{tag}.log"
    # SIGINT as in a console (a test runner started in the background may have it ignored).
    code = (
        "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
        "from toolkit.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    argv = [sys.executable, "-c", code, "watch", "--watched", str(watched), "--output", str(output)]
    argv += ["--settle", str(SETTLE), "--interval", "1"]
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONIOENCODING=encoding)
    with log.open("wb") as fh:
        proc = subprocess.Popen(argv, stdout=fh, stderr=subprocess.STDOUT, cwd=tmp_path, env=env)
    watcher = CliWatcher(proc, log, encoding)
    wait_until(lambda: "正在监视" in watcher.text() or proc.poll() is not None, f"{tag} to start")
    assert proc.poll() is None, watcher.text()
    return watcher


@contextlib.contextmanager
def cli_watchers(
    tmp_path: Path, watched: Path, output: Path, *tags: str, encoding: str = "utf-8"
) -> Iterator[list[CliWatcher]]:
    started: list[CliWatcher] = []
    try:
        for tag in tags:
            started.append(start_cli(tmp_path, watched, output, tag, encoding))
        yield started
    finally:
        for w in started:
            if w.proc.poll() is None:
                w.proc.kill()
            w.proc.wait(10)


def stop_cli(w: CliWatcher, signum: int = signal.SIGINT) -> int:
    w.proc.send_signal(signum)
    return w.proc.wait(10)


def leftovers(output: Path) -> list[str]:
    """Temp files or claims a clean stop should not leave behind."""
    found = [p.name for p in output.rglob(".tk-tmp-*")]
    found += [p.name for p in (output / ".toolkit" / "claims").glob("*.claim")]
    return found


@pytest.mark.timeout(60)
def test_a_watch_session_speaks_chinese_on_a_gbk_console(tmp_path: Path, folders: tuple[Path, Path]) -> None:
    watched, output = folders
    with cli_watchers(tmp_path, watched, output, "gbk", encoding="gbk") as [w]:
        drop(watched, "好.xlsx", workbook())
        drop(watched, "坏.xlsx", build_workbook(plain_rows([("张三", "abc")])))
        wait_until(lambda: "坏.xlsx: " in w.text() and "好.xlsx: " in w.text(), "both files")
        assert stop_cli(w) == 0
    text = w.log.read_bytes().decode("gbk")  # strict: every byte is GBK
    assert re.search(r"^\[\d\d:\d\d:\d\d\] 正在监视 ", text, re.M)
    assert re.search(r"^\[\d\d:\d\d:\d\d\] 好\.xlsx: 已生成，1 位捐赠人，合计 100 元，", text, re.M)
    assert re.search(r"^\[\d\d:\d\d:\d\d\] 坏\.xlsx: 有错误，未生成，共 \d 处问题", text, re.M)
    assert "  错误 捐款名单 > C3：金额“abc”不是数字" in text
    assert text.rstrip().endswith("已停止监视")
    assert not re.search(r"rendered|rejected|unchanged|WARNING|INFO|Traceback", text)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_signal_mid_burst_stops_cleanly_with_exit_code_0(
    tmp_path: Path, folders: tuple[Path, Path], signum: int
) -> None:
    watched, output = folders
    names = [f"f{i:02d}.xlsx" for i in range(30)]
    with cli_watchers(tmp_path, watched, output, "first") as [first]:
        for name in names:
            drop(watched, name, workbook())
        wait_until(lambda: len(first.rendered()) >= 3, "some bulletins")
        assert stop_cli(first, signum) == 0, first.text()
    assert "Traceback" not in first.text()
    assert leftovers(output) == []
    done_before = set(first.rendered())
    with cli_watchers(tmp_path, watched, output, "second") as [second]:
        wait_until(lambda: done_before | set(second.rendered()) == set(names), "the rest after restart")
        assert stop_cli(second) == 0
    assert not done_before & set(second.rendered())


@pytest.mark.timeout(90)
def test_kill_9_mid_burst_loses_nothing_and_repeats_nothing(
    tmp_path: Path, folders: tuple[Path, Path]
) -> None:
    watched, output = folders
    names = [f"f{i:02d}.xlsx" for i in range(60)]
    with cli_watchers(tmp_path, watched, output, "killed") as [killed]:
        for name in names:
            drop(watched, name, workbook())
        wait_until(lambda: len(killed.rendered()) >= 5, "some bulletins")
        killed.proc.kill()  # SIGKILL: no cleanup at all
        killed.proc.wait(10)
    first = set(killed.rendered())
    # A file may be finished (docx and state written) with its line not yet printed when the kill lands.
    done = {n for n in names if (output / n.replace(".xlsx", ".docx")).is_file()}
    assert first <= done
    assert done < set(names), "the kill came too late to test anything"
    for docx in output.glob("*.docx"):  # no partial bulletin under a final name
        with zipfile.ZipFile(docx) as z:
            assert z.testzip() is None
    mtimes = {n: (output / n.replace(".xlsx", ".docx")).stat().st_mtime_ns for n in done}

    with cli_watchers(tmp_path, watched, output, "restarted") as [restarted]:
        wait_until(
            lambda: (
                all((output / n.replace(".xlsx", ".docx")).is_file() for n in names)
                and done | set(restarted.rendered()) == set(names)
            ),
            "every file after restart",
            60,
        )
        time.sleep(1.0)  # nothing more may be rendered
        assert stop_cli(restarted) == 0
    second = restarted.rendered()
    assert len(second) == len(set(second)), "a file was rendered twice after the restart"
    assert not first & set(second), "a file reported before the kill was rendered again"
    # At most the one file interrupted by the kill (docx written, state not yet) is rendered again.
    assert len(done & set(second)) <= 1
    assert {n: (output / n.replace(".xlsx", ".docx")).stat().st_mtime_ns for n in first} == {
        n: mtimes[n] for n in first
    }
    assert all((output / n.replace(".xlsx", ".docx")).is_file() for n in names)
    assert leftovers(output) == []  # the killed process's temp files and claims were cleaned up


@pytest.mark.timeout(90)
def test_two_watchers_on_one_folder_render_each_file_once(tmp_path: Path, folders: tuple[Path, Path]) -> None:
    watched, output = folders
    names = [f"f{i:02d}.xlsx" for i in range(40)]
    with cli_watchers(tmp_path, watched, output, "pc1", "pc2") as pair:
        for name in names:
            drop(watched, name, workbook())

        def all_rendered() -> list[str]:
            return pair[0].rendered() + pair[1].rendered()

        wait_until(lambda: set(all_rendered()) == set(names), "every file by one watcher or the other", 60)
        time.sleep(2.0)  # let the other watcher retry whatever it found busy
        for w in pair:
            assert stop_cli(w) == 0
    rendered = all_rendered()
    assert sorted(rendered) == sorted(names), "some file was rendered by both watchers"
    assert leftovers(output) == []
