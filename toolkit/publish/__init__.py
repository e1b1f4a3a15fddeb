"""Publish: everything toolkit writes into the output folder, and nothing else does.

The pipeline decides *what* an input produces; `publish_outputs` is the one call that puts it in
the output folder. Given an input's stem and the files to write, it takes away that stem's other
outputs (an old bulletin beside a new error report would be printed by mistake), writes the files,
and records the state that lets a re-run skip the unchanged input. Every file is written
atomically, and nothing a person made is destroyed (`toolkit.publish.safekeeping`): an earlier
bulletin goes to the history folder, a file whose bytes toolkit did not write is never replaced
or removed (the new version is written beside it), an issued bulletin is never touched.

The package's modules, each with one job:

- ``files``: atomic writes, the output folder itself, cleanup after a crash;
- ``safekeeping``: which files are toolkit's own, the history folder, names beside edited files;
- ``state``: what was last published for each input (``OUTPUT/.toolkit/state``, and in the bulletin);
- ``register``: the issue number each bulletin keeps, and which are issued (``toolkit issue``);
- ``claims``: lock files that let several processes or PCs share one output folder;
- ``process``: this host's name and whether a process is alive, which name temp files and claims;
- ``pdf``: PDFs of the bulletins, made by LibreOffice;
- ``crash``: crash files, the details of a fault of toolkit's own;
- ``launchers``: the double-click launchers ``toolkit launcher`` writes.

The words of the text reports are `toolkit.messages`'s.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from toolkit import messages
from toolkit.errors import Problem
from toolkit.publish.claims import break_dead_claims
from toolkit.publish.crash import crash_bytes
from toolkit.publish.files import cleanup_temp_files, ensure_output_dir
from toolkit.publish.register import mark_issued
from toolkit.publish.safekeeping import BULLETIN_SUFFIXES, Keeper
from toolkit.publish.state import OutputState, StateStore, read_stamp, stamp
from toolkit.records import Outcome

__all__ = [
    "Output",
    "PartlyPublished",
    "Published",
    "Report",
    "forget_removed",
    "format_report",
    "last_donors",
    "last_published",
    "mark_issued",
    "prepare_output_dir",
    "publish_crash",
    "publish_outputs",
    "recover_published",
]


class Output(enum.Enum):
    """The files toolkit may write for one input, each named ``<stem><suffix>`` in the output folder.

    The order is the order of removal and of writing.
    """

    BULLETIN = ".docx"
    """The bulletin."""
    PDF = ".pdf"
    """The bulletin as PDF (``--pdf``; made by `toolkit.publish.pdf`)."""
    WARNINGS = ".warnings.txt"
    """The warnings of a valid workbook."""
    ERRORS = ".errors.txt"
    """The problems of a workbook with errors."""
    ERRORS_WORKBOOK = ".errors.xlsx"
    """The same problems, marked on a copy of the workbook."""
    CRASH = ".crash.txt"
    """The details of a fault of toolkit's own on this input (`publish_crash`), for the maintainer."""
    CHANGES = ".changes.txt"
    """What changed in the donor list since the bulletin was last written (`toolkit.changes`);
    it stays while a bulletin is written without changes, and goes with the bulletin."""

    def path(self, folder: Path, stem: str) -> Path:
        return folder / f"{stem}{self.value}"


class PartlyPublished(OSError):
    """Some of an input's new outputs were written, but the publish could not be finished.

    The files in ``written`` are complete and in place; ``step`` says in Chinese what could not be
    done (write a later file, remove a stale one, record the state) and ``cause`` why. ``state`` is
    what was to be recorded, and was not. When ``complete``, every new file was written: the next
    run finds the state in the bulletin (`recover_published`) and finishes the publish without
    rendering again.
    """

    def __init__(
        self,
        written: Mapping[Output, Path],
        step: str,
        cause: OSError,
        *,
        state: OutputState,
        complete: bool,
    ) -> None:
        super().__init__(messages.unfinished_step(step, messages.os_reason(cause)))
        self.written = dict(written)
        self.step = step
        self.cause = cause
        self.state = state
        self.complete = complete

    def told(self) -> str:
        """What to tell the clerk: what is there and usable, what is not, what comes next
        (`toolkit.messages.reason_unfinished`)."""
        return messages.reason_unfinished(
            str(self),
            bulletin=Output.BULLETIN in self.written,
            earlier=not self.written,
            complete=self.complete,
        )


@dataclass(frozen=True, slots=True)
class Report:
    """A text report to publish: a heading and the problems, one line each (see `format_report`)."""

    heading: str
    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class Published:
    """What `publish_outputs` did for one input.

    Attributes:
        paths: the file written for each output.
        notes: Chinese sentences for the clerk about files toolkit did not simply replace: an
            edited bulletin kept and the name the new one got, an old one moved to the history folder.
    """

    paths: Mapping[Output, Path]
    notes: tuple[str, ...] = ()


def format_report(file: str, problems: Sequence[Problem], *, heading: str, note: str = "") -> bytes:
    """A plain-text report for the clerk: one line per problem, starting 错误 or 警告, in UTF-8 with
    BOM and CRLF so that Notepad on any Windows version shows the Chinese correctly. ``note`` goes
    under the heading (`toolkit.messages.report_lines`)."""
    lines = messages.report_lines(heading, file, problems, note)
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def _companion_pdf(name: str) -> str:
    """The PDF made from a bulletin: ``捐款名单.docx`` → ``捐款名单.pdf``."""
    return name[: -len(".docx")] + ".pdf" if name.lower().endswith(".docx") else name


def _stale_candidates(folder: Path, stem: str, previous: OutputState | None) -> Iterator[Path]:
    """Every file that may be an output of this input: the stem's names, and what was last written."""
    seen: set[str] = set()
    names = [output.path(folder, stem).name for output in Output]
    for name in previous.outputs if previous is not None else ():
        names += [name, _companion_pdf(name)]
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            yield folder / name


def publish_outputs(
    folder: Path,
    stem: str,
    source: str,
    files: Mapping[Output, bytes | Report],
    *,
    fingerprint: str,
    outcome: Outcome,
    bulletin: str = "",
    history: int = 5,
    frozen: Collection[str] = (),
    donors: Sequence[tuple[str, Decimal]] | None = None,
) -> Published:
    """Make ``files`` the outputs of the input ``source`` under ``stem``; say what was written.

    Each output is named ``<stem><suffix>``; the bulletin is named ``bulletin`` when given (a
    correction's name). Where that file is not toolkit's own (edited in Word) or is ``frozen``
    (issued), the output is written beside it (``<name>（新版）``) and a note says so. Every other
    output of the stem, or written last time for ``source``, is taken away: a bulletin into the
    history folder (which keeps ``history`` versions of each name), a report deleted; files
    toolkit did not write, and ``frozen`` ones with their PDFs, stay. A PDF and the change report
    stay while their bulletin is written. ``donors`` (the bulletin's, as ``(name, amount)``) are
    kept for the next change report (`last_donors`). When an old bulletin was taken away and none is written, every report
    written says so. Last, the state records ``fingerprint``, ``outcome`` and the files written,
    so that an unchanged input is skipped next time (`last_published`). The bulletin carries the
    same state in its zip comment, so that a run that wrote it but could not record the state is
    finished later without rendering again (`recover_published`).

    The order matters when a file cannot be removed (Windows refuses to move a file open in Word
    or Excel). An old bulletin goes first, so a report never announces a removal that failed. Other
    stale outputs go after the new files are written, so a new bulletin appears even while its old
    error workbook is still open. Either failure raises before the state is recorded, so the input
    is handled again.

    Raises:
        FileLocked: an output is open in another program (Word) and cannot be replaced; nothing new
            was written.
        PartlyPublished: some new files were written, but not all of them, or a stale output could
            not be removed, or the state could not be recorded (a full disk, no permission).
        OSError: the output folder cannot be written (nothing new was written), or an old bulletin
            cannot be moved away.
    """
    keeper = Keeper(folder, history, [*frozen, *map(_companion_pdf, frozen)])
    previous = StateStore(folder).get(source)
    notes: list[str] = []
    targets: dict[Output, Path] = {}
    for output in Output:
        if output in files:
            name = bulletin if output is Output.BULLETIN and bulletin else output.path(folder, stem).name
            targets[output] = keeper.place(name, output.value)
            if targets[output].name != name:
                notes.append(messages.note_not_replaced(name, targets[output].name))
    kept = {path.name.casefold() for path in targets.values()}
    if Output.BULLETIN in targets:
        kept.add(_companion_pdf(targets[Output.BULLETIN].name).casefold())
        kept.add(Output.CHANGES.path(folder, stem).name.casefold())
    stale = [path for path in _stale_candidates(folder, stem, previous) if path.name.casefold() not in kept]
    retired = [
        path.name for path in stale if path.suffix.lower() in BULLETIN_SUFFIXES and keeper.retire(path)
    ]
    note = ""
    if retired and Output.BULLETIN not in targets:
        note = messages.report_bulletin_removed(retired)
    elif retired:
        notes.append(messages.note_moved_to_history(retired))
    state = OutputState(source, fingerprint, outcome, tuple(path.name for path in targets.values()))
    written: dict[Output, Path] = {}
    for output, target in targets.items():
        content = files[output]
        if isinstance(content, Report):
            content = format_report(source, content.problems, heading=content.heading, note=note)
        elif output is Output.BULLETIN:
            content = stamp(content, state)
        try:
            keeper.write(target, content)
        except OSError as exc:
            if written:
                raise PartlyPublished(
                    written, messages.unfinished_write(target.name), exc, state=state, complete=False
                ) from exc
            raise
        written[output] = target
    others = [path for path in stale if path.suffix.lower() not in BULLETIN_SUFFIXES]
    _finish(folder, keeper, state, others, written, donors)
    return Published(written, tuple(notes))


def _finish(
    folder: Path,
    keeper: Keeper,
    state: OutputState,
    stale: Sequence[Path],
    written: Mapping[Output, Path],
    donors: Sequence[tuple[str, Decimal]] | None = None,
) -> None:
    """After the new files: take the other stale outputs away, then record the state (and the
    bulletin's ``donors``, for the next change report).

    Raises:
        PartlyPublished: a stale output could not be removed, or the state could not be recorded.
    """
    for path in stale:
        try:
            keeper.retire(path)
        except OSError as exc:
            raise PartlyPublished(
                written, messages.unfinished_remove(path.name), exc, state=state, complete=True
            ) from exc
    try:
        if donors is not None:
            StateStore(folder).put_donors(state.name, donors)
        StateStore(folder).put(state)
    except OSError as exc:
        raise PartlyPublished(written, messages.UNFINISHED_STATE, exc, state=state, complete=True) from exc


def recover_published(folder: Path, stem: str, source: str, fingerprint: str) -> OutputState | None:
    """Finish a publish of this exact version that wrote the bulletin but did not record it.

    The bulletin (``<stem>.docx``, or a name beside it or a correction's, all starting with the
    stem) carries the state it was published with (`stamp`). When one names ``source`` and
    ``fingerprint`` and every file it lists is there, the other stale reports of the stem are
    removed and the state recorded, as `publish_outputs` would have done; nothing is rendered or
    written again. Returns the state, or None when there is nothing to recover.

    Raises:
        PartlyPublished: it is recoverable, but a stale output could not be removed or the state
            could not be recorded (``written`` is empty: nothing was written).
    """
    state = next(
        (
            found
            for path in _bulletins_of(folder, stem)
            if (found := read_stamp(path)) is not None
            and (found.name, found.fingerprint) == (source, fingerprint)
        ),
        None,
    )
    if state is None or not all((folder / name).exists() for name in state.outputs):
        return None
    listed = {name.casefold() for name in state.outputs}
    stale = [
        path
        for path in _stale_candidates(folder, stem, None)
        if path.name.casefold() not in listed and path.suffix.lower() not in BULLETIN_SUFFIXES
    ]
    _finish(folder, Keeper(folder), state, stale, {})
    return state


def _bulletins_of(folder: Path, stem: str) -> list[Path]:
    """The bulletins in ``folder`` whose name starts with ``stem``: ``<stem>.docx`` first."""
    try:
        found = [p for p in folder.iterdir() if p.name.startswith(stem) and p.name.lower().endswith(".docx")]
    except OSError:
        return []
    return sorted(found, key=lambda p: (p.name != f"{stem}.docx", p.name))


def publish_crash(folder: Path, stem: str, text: str) -> Path:
    """Write ``text`` as the crash file of the input ``stem``, replacing the last one; return its path.

    The state is not touched, so the input is handled again; the file is removed with the other
    stale outputs when it is.

    Raises:
        OSError: the output folder cannot be written.
    """
    keeper = Keeper(folder)  # recorded as toolkit's own, so it goes with the stale outputs
    target = keeper.place(Output.CRASH.path(folder, stem).name, Output.CRASH.value)
    keeper.write(target, crash_bytes(text))
    return target


def forget_removed(folder: Path, present: Collection[str]) -> list[str]:
    """Clean up after workbooks no longer in the watched folder (``present`` holds the names there).

    Like stale reports, their reports (``.warnings.txt``, ``.errors.txt``, ``.errors.xlsx``) are
    removed when toolkit wrote them; their bulletins, PDFs and change reports are kept, and so is
    their place in the register. Their state is dropped, so a workbook that comes back is handled
    again. Returns the names of the files removed.
    """
    keeper = Keeper(folder)
    store = StateStore(folder)
    removed: list[str] = []
    reports = {o.value for o in (Output.WARNINGS, Output.ERRORS, Output.ERRORS_WORKBOOK)}
    for state in store.all():
        if state.name in present:
            continue
        for name in state.outputs:
            if any(name.endswith(suffix) for suffix in reports) and keeper.retire(folder / name):
                removed.append(name)
        store.forget(state.name)
    return removed


def last_donors(folder: Path, source: str) -> list[tuple[str, Decimal]] | None:
    """The donors of the bulletin last written for ``source``, or None when none was."""
    return StateStore(folder).get_donors(source)


def last_published(folder: Path, source: str) -> OutputState | None:
    """What was last published for ``source``, if every file written then is still there."""
    state = StateStore(folder).get(source)
    if state is None or not all((folder / name).exists() for name in state.outputs):
        return None
    return state


def prepare_output_dir(folder: Path) -> None:
    """Create the output folder, prove it writable, and clean up after a crashed toolkit.

    Raises:
        FolderUnusable: the folder cannot be created or written.
    """
    ensure_output_dir(folder)
    cleanup_temp_files(folder)
    break_dead_claims(folder)
