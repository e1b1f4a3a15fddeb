"""Soak ``toolkit watch``: thousands of workbooks in waves, and the watcher's memory and handles.

    python benchmarks/soak_watch.py                  # 2,000 workbooks in 10 waves
    python benchmarks/soak_watch.py --files 500 --waves 5

It starts the real watcher as a clerk runs it (``python -m toolkit watch`` in a subprocess, in an
empty folder with no ``toolkit.toml``) and drops workbooks into its folder in waves:

* new workbooks, most of them valid, some with a bad amount, some not a workbook at all, some a
  zip holding no workbook (a copy cut short is left out: the watcher rightly waits two minutes for
  the rest of it, see ``toolkit.watch.INCOMPLETE_WAIT_SECONDS``);
* re-saves of names from earlier waves the way Excel saves (owner file ``~$name.xlsx``, a temp file
  without extension, the old file deleted, the temp renamed onto the name), with new content or
  with the same bytes; a few rewritten in place, the way LibreOffice saves;
* Office lock files (``~$…``, ``.~lock.…#``), some left behind as after a crash;
* a few earlier workbooks deleted, as a clerk tidies the folder (their outputs stay).

After each wave it waits until the watcher has reported every new version, then samples the
watcher's resident memory (RSS), open file handles and threads from ``/proc/PID`` (Linux; elsewhere
only the outcomes are checked: no extra dependency is needed for this). At the end it checks:

* memory is flat: RSS at the end is within 20 MB of the middle;
* handles do not grow: no more open at the end than at the start or the middle;
* every version of every file got exactly one outcome: one result line per new version, none for an
  unchanged re-save or a lock file; the outputs match the last version (a bulletin holding its
  donors, or an error report); the state records the last version's fingerprint; no output was
  written again for a file that was not touched;
* nothing else: inputs byte-identical, no temp files or claims left, no traceback and no library
  warning on the console, exit code 0 after Ctrl-C.

It prints one line per sample and a verdict, and exits 1 if a check fails. This is a benchmark, not
a test: run it by hand (under ten minutes on two cores for the default 2,000 files).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MB = 2**20


def result_line() -> re.Pattern[str]:
    """A watcher's line saying how a file ended (``[10:00:00] a.xlsx: 已生成，…``), not one saying
    why it waits: built from the words of the message catalogue."""
    from toolkit import messages
    from toolkit.records import Outcome

    words = "|".join(re.escape(messages.OUTCOME_WORDS[o]) for o in (Outcome.RENDERED, Outcome.REJECTED))
    return re.compile(rf"^\[\d\d:\d\d:\d\d\] (?P<name>[^：]+\.xlsx)：(?:{words})(?:，|$)")


# ---------------------------------------------------------------- workbooks


def workbook(donors: list[tuple[str, int]], *, bad_amount: bool = False) -> bytes:
    """A small one-sheet donation list, written in memory with xlsxwriter."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("捐款名单")
    ws.write_row(0, 0, ["爱心捐款名单"])
    ws.write_row(1, 0, ["序号", "捐赠姓名", "金额/元"])
    for i, (name, amount) in enumerate(donors, start=1):
        value: object = "壹佰元" if bad_amount and i == len(donors) else amount
        ws.write_row(1 + i, 0, [i, name, value])
    row = 2 + len(donors)
    ws.write_row(row, 0, ["合计", None, sum(a for _, a in donors)])
    for offset, (label, value) in enumerate(
        [("收款人", "朱蕊"), ("监督人", "刘刚"), ("单位", "某某协会"), ("日期", "2020年2月5日")], start=1
    ):
        ws.write_row(row + offset, 0, [label, value])
    wb.close()
    return buf.getvalue()


@dataclass
class Version:
    """One content a name was given: what the watcher should make of it."""

    data: bytes
    good: bool
    marker: str  # a donor name that only this version has ("" for a bad one)
    annotated: bool  # a bad one that is a readable workbook gets an .errors.xlsx too


@dataclass
class Tracked:
    """Everything dropped under one name, in order; equal consecutive contents count once."""

    name: str
    versions: list[Version] = field(default_factory=list)
    deleted: bool = False

    @property
    def last(self) -> Version:
        return self.versions[-1]

    def expected_lines(self) -> int:
        lines, previous = 0, None
        for v in self.versions:
            if v.data != previous:
                lines += 1
            previous = v.data
        return lines


class Maker:
    """Makes the content of each drop; every valid one carries a donor name of its own."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.serial = 0

    def good(self) -> Version:
        self.serial += 1
        marker = f"捐赠人{self.serial:05d}"
        donors = [(marker, self.rng.randint(1, 500))]
        donors += [(f"张{n}", self.rng.randint(1, 500)) for n in range(self.rng.randint(2, 15))]
        return Version(workbook(donors), True, marker, False)

    def bad(self) -> Version:
        self.serial += 1
        roll = self.rng.random()
        if roll < 0.6:
            donors = [(f"李{n}", 100) for n in range(self.rng.randint(2, 8))]
            return Version(workbook(donors, bad_amount=True), False, "", True)
        if roll < 0.8:
            return Version(f"not a workbook {self.serial}".encode(), False, "", False)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("说明.txt", f"no workbook in here {self.serial}")
        return Version(buf.getvalue(), False, "", False)


# ---------------------------------------------------------------- the watcher


@dataclass
class Sample:
    label: str
    files: int
    seconds: float
    rss_mb: float
    fds: int
    threads: int


def proc_sample(pid: int, label: str, files: int, started: float) -> Sample:
    rss, threads, fds = float("nan"), -1, -1
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("Threads:"):
                threads = int(line.split()[1])
        fds = len(os.listdir(f"/proc/{pid}/fd"))
    return Sample(label, files, time.monotonic() - started, rss, fds, threads)


class Watcher:
    """``python -m toolkit watch`` in a subprocess, its console captured to files."""

    def __init__(self, work: Path, watched: Path, output: Path, settle: float, interval: float) -> None:
        self.out_path, self.err_path = work / "watch.out", work / "watch.err"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
        cmd = [sys.executable, "-m", "toolkit", "watch", "--watched", str(watched), "--output", str(output)]
        cmd += ["--settle", str(settle), "--interval", str(interval)]
        with self.out_path.open("wb") as out, self.err_path.open("wb") as err:
            self.proc = subprocess.Popen(cmd, cwd=work, stdout=out, stderr=err, env=env)

    def stdout(self) -> str:
        return self.out_path.read_text(encoding="utf-8", errors="replace")

    def stderr(self) -> str:
        return self.err_path.read_text(encoding="utf-8", errors="replace")

    def result_lines(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        pattern = result_line()
        for line in self.stdout().splitlines():
            match = pattern.match(line)
            if match:
                counts[match["name"]] = counts.get(match["name"], 0) + 1
        return counts

    def wait_for(self, condition: object, what: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not condition():  # type: ignore[operator]
            if self.proc.poll() is not None:
                raise SystemExit(f"the watcher exited with {self.proc.returncode}:\n{self.stderr()}")
            if time.monotonic() > deadline:
                raise SystemExit(f"timed out waiting for {what}")
            time.sleep(0.1)

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


# ---------------------------------------------------------------- dropping


def drop_new(watched: Path, staging: Path, name: str, data: bytes) -> None:
    """A finished copy arriving: written beside the folder, renamed in."""
    (staging / name).write_bytes(data)
    os.replace(staging / name, watched / name)


def excel_save(watched: Path, name: str, data: bytes, rng: random.Random, *, leave_owner: bool) -> None:
    """What Excel does on Ctrl-S: owner file, temp without extension, delete, rename."""
    owner = watched / f"~${name}"
    owner.write_bytes(b"\x05clerk" + bytes(160))
    temp = watched / f"{rng.getrandbits(32):08X}"
    temp.write_bytes(data)
    (watched / name).unlink()
    os.rename(temp, watched / name)
    if not leave_owner:
        owner.unlink()


def in_place_save(watched: Path, name: str, data: bytes) -> None:
    """What LibreOffice does: lock file, the same inode rewritten."""
    lock = watched / f".~lock.{name}#"
    lock.write_text(",clerk,PC,06.12.2026 10:00,file:///C:/Users/clerk;", encoding="utf-8")
    with (watched / name).open("r+b") as fh:
        fh.write(data)
        fh.truncate()
    lock.unlink()


# ---------------------------------------------------------------- checks


def docx_has(path: Path, marker: str) -> bool:
    with zipfile.ZipFile(path) as z:
        return marker in z.read("word/document.xml").decode("utf-8")


def check_outcomes(
    tracked: dict[str, Tracked], watched: Path, output: Path, watcher: Watcher, originals: dict[str, str]
) -> list[str]:
    from toolkit.pipeline import Pipeline
    from toolkit.publish.state import StateStore
    from toolkit.records import Outcome
    from toolkit.settings import Settings

    failures: list[str] = []
    lines = watcher.result_lines()
    fingerprint = Pipeline(output, Settings()).fingerprint
    store = StateStore(output)
    for name, t in tracked.items():
        stem = name[: -len(".xlsx")]
        if lines.get(name, 0) != t.expected_lines():
            failures.append(f"{name}: {lines.get(name, 0)} result lines, expected {t.expected_lines()}")
        if t.deleted:
            continue
        last = t.last
        docx, errors = output / f"{stem}.docx", output / f"{stem}.errors.txt"
        if last.good and not (docx.exists() and not errors.exists() and docx_has(docx, last.marker)):
            failures.append(f"{name}: no bulletin of its last version, or a stale error report")
        if not last.good and (docx.exists() or not errors.exists()):
            failures.append(f"{name}: its last version is bad, but no error report or a stale bulletin")
        if not last.good and last.annotated != (output / f"{stem}.errors.xlsx").exists():
            failures.append(f"{name}: annotated error workbook expected={last.annotated}")
        state = store.get(name)
        want = Outcome.RENDERED if last.good else Outcome.REJECTED
        if state is None or state.result is not want:
            failures.append(f"{name}: state {state and state.result} expected {want}")
        elif state.fingerprint != fingerprint(hashlib.sha256(last.data).hexdigest()):
            failures.append(f"{name}: the state records another version")
        if hashlib.sha256((watched / name).read_bytes()).hexdigest() != originals[name]:
            failures.append(f"{name}: the input was changed")
    unknown = set(lines) - set(tracked)
    if unknown:
        failures.append(f"result lines for files never dropped (lock files?): {sorted(unknown)[:5]}")
    leftovers = [p.name for p in output.iterdir() if p.name.startswith(".tk-tmp-")]
    leftovers += [p.name for p in (output / ".toolkit").rglob("*") if p.name.startswith(".tk-tmp-")]
    leftovers += [p.name for p in (output / ".toolkit" / "claims").glob("*")]
    if leftovers:
        failures.append(f"temp files or claims left behind: {leftovers[:5]}")
    if any(p.name.startswith(("~$", ".~lock")) for p in output.iterdir()):
        failures.append("an output was made for a lock file")
    return failures


def snapshot_outputs(output: Path) -> dict[str, tuple[int, int]]:
    return {
        p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in output.iterdir()
        if p.is_file() and not p.name.startswith(".")
    }


# ---------------------------------------------------------------- the run


class Soak:
    """One soak run: the folders, the watcher, what was dropped and what was measured."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rng = random.Random(args.seed)
        self.make = Maker(self.rng)
        self.work = Path(tempfile.mkdtemp(prefix="toolkit-soak-"))
        self.watched, self.output, self.staging = (self.work / n for n in ("watched", "output", "staging"))
        self.watched.mkdir()
        self.staging.mkdir()
        self.tracked: dict[str, Tracked] = {}
        self.dropped = self.locks = 0
        self.samples: list[Sample] = []
        self.rewritten: list[str] = []  # outputs of files not touched in a wave that changed anyway
        self.started = time.monotonic()
        self.watcher = Watcher(self.work, self.watched, self.output, args.settle, args.interval)

    def sample(self, label: str) -> None:
        self.samples.append(proc_sample(self.watcher.proc.pid, label, self.dropped, self.started))

    def live(self) -> list[str]:
        return [name for name, t in self.tracked.items() if not t.deleted]

    def tidy_and_resave(self, count: int) -> set[str]:
        """Delete a few earlier workbooks, then save ``count`` others again; return the names saved."""
        for name in self.rng.sample(
            self.live(), min(len(self.live()), self.args.files // self.args.waves // 40)
        ):
            (self.watched / name).unlink()
            self.tracked[name].deleted = True
        names = self.rng.sample(self.live(), min(len(self.live()), count))
        for name in names:
            t = self.tracked[name]
            roll = self.rng.random()
            same = roll < 0.25
            version = t.last if same else (self.make.good() if self.rng.random() < 0.75 else self.make.bad())
            if roll > 0.9:
                in_place_save(self.watched, name, version.data)
            else:
                excel_save(self.watched, name, version.data, self.rng, leave_owner=self.rng.random() < 0.1)
            t.versions.append(version)
            self.dropped += 1
        return set(names)

    def drop_new(self, wave: int, count: int) -> set[str]:
        names = set()
        for _ in range(count):
            name = f"w{wave:02d}-{len(self.tracked):05d}.xlsx"
            version = self.make.good() if self.rng.random() < 0.8 else self.make.bad()
            if self.rng.random() < 0.05:  # open in Excel while it is dropped: the owner file stays
                (self.watched / f"~${name}").write_bytes(b"\x05clerk")
                self.locks += 1
            if self.rng.random() < 0.02:
                (self.watched / f".~lock.{name}#").write_text("clerk", encoding="utf-8")
                self.locks += 1
            drop_new(self.watched, self.staging, name, version.data)
            self.tracked[name] = Tracked(name, [version])
            names.add(name)
            self.dropped += 1
        return names

    def wave(self, wave: int) -> None:
        per_wave = max(1, self.args.files // self.args.waves)
        before = snapshot_outputs(self.output)
        touched = self.tidy_and_resave(per_wave // 4)
        touched |= self.drop_new(wave, per_wave - len(touched))
        expected = sum(t.expected_lines() for t in self.tracked.values())
        self.watcher.wait_for(
            lambda: sum(self.watcher.result_lines().values()) >= expected,
            f"wave {wave}'s results",
            self.args.wave_timeout,
        )
        time.sleep(self.args.settle + 1.0)  # room for a result that should not come
        after = snapshot_outputs(self.output)
        stems = {name[: -len(".xlsx")] for name in touched}
        self.rewritten += [
            f for f, sig in before.items() if after.get(f, sig) != sig and f.split(".")[0] not in stems
        ]
        waves = self.args.waves
        self.sample("middle" if wave == waves // 2 else ("end" if wave == waves else f"wave {wave}"))
        s = self.samples[-1]
        print(
            f"{s.label:>8}: {s.files:5d} files, {s.seconds:6.1f} s, RSS {s.rss_mb:6.1f} MB, "
            f"{s.fds} handles, {s.threads} threads",
            flush=True,
        )

    def failures(self) -> list[str]:
        """Every check, after the last wave; stops the watcher."""
        time.sleep(2 * self.args.interval)  # a few periodic scans over the full folder
        self.sample("quiet")
        originals = {
            name: hashlib.sha256((self.watched / name).read_bytes()).hexdigest() for name in self.live()
        }
        failures = check_outcomes(self.tracked, self.watched, self.output, self.watcher, originals)
        code = self.watcher.stop()
        if self.rewritten:
            failures.append(f"outputs of files not touched were written again: {self.rewritten[:5]}")
        if code != 0:
            failures.append(f"the watcher exited with {code} after Ctrl-C")
        if self.watcher.stderr().strip():
            failures.append(f"the console showed:\n{self.watcher.stderr()[:2000]}")
        if "Traceback" in self.watcher.stdout() or "Warning" in self.watcher.stdout():
            failures.append("a traceback or a library warning on the console")
        return failures + self.growth()

    def growth(self) -> list[str]:
        start, middle, end, quiet = (self.samples[0], *self.by_label("middle", "end", "quiet"))
        if start.fds < 0:
            return []
        failures = []
        if end.rss_mb - middle.rss_mb > 20:
            failures.append(
                f"memory grew: {middle.rss_mb:.1f} MB in the middle, {end.rss_mb:.1f} MB at the end"
            )
        if max(end.fds, quiet.fds) > min(start.fds, middle.fds):
            failures.append(f"handles grew: {start.fds} at the start, {middle.fds} middle, {end.fds} end")
        return failures

    def by_label(self, *labels: str) -> list[Sample]:
        return [next(s for s in self.samples if s.label == label) for label in labels]

    def summary(self) -> None:
        good = sum(t.last.good for t in self.tracked.values() if not t.deleted)
        deleted = sum(t.deleted for t in self.tracked.values())
        print(
            f"{self.dropped} workbooks dropped ({len(self.tracked)} names, "
            f"{self.dropped - len(self.tracked)} re-saves, {self.locks} extra lock files, "
            f"{deleted} deleted again), {good} valid at the end, in {time.monotonic() - self.started:.0f} s"
        )
        start, middle, end = (self.samples[0], *self.by_label("middle", "end"))
        if start.fds < 0:
            print("memory and handles not measured: /proc is not available on this system")
            return
        print(
            f"RSS start {start.rss_mb:.1f} MB, middle {middle.rss_mb:.1f} MB, end {end.rss_mb:.1f} MB "
            f"(end - middle {end.rss_mb - middle.rss_mb:+.1f} MB); handles {start.fds} / {middle.fds} / "
            f"{end.fds}; threads {start.threads} / {middle.threads} / {end.threads}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000, help="workbooks to drop, re-saves included")
    parser.add_argument("--waves", type=int, default=10)
    parser.add_argument("--settle", type=float, default=0.5, help="the watcher's --settle")
    parser.add_argument("--interval", type=float, default=2.0, help="the watcher's --interval")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--wave-timeout", type=float, default=240.0)
    parser.add_argument("--keep", action="store_true", help="keep the work folder and print it")
    args = parser.parse_args()
    args.waves = max(2, args.waves)

    soak = Soak(args)
    try:
        soak.watcher.wait_for(lambda: "正在监视" in soak.watcher.stdout(), "the watcher to start", 60)
        soak.sample("start")
        for wave in range(1, args.waves + 1):
            soak.wave(wave)
        failures = soak.failures()
    finally:
        if soak.watcher.proc.poll() is None:
            soak.watcher.stop()
    soak.summary()
    if args.keep:
        print(f"work folder: {soak.work}")
    else:
        shutil.rmtree(soak.work, ignore_errors=True)
    if failures:
        print("FAILED:")
        for failure in failures[:40]:
            print(f"  {failure}")
        return 1
    print("OK: memory flat, handles flat, every version of every file handled exactly once")
    return 0


if __name__ == "__main__":
    sys.exit(main())
