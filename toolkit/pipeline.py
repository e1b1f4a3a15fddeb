"""The pipeline for one workbook and for a folder: intake → read → parse → validate → render → publish.

`Pipeline` holds what is shared between files (settings, the parsed template, the output folder),
so `toolkit render` and `toolkit watch` run exactly the same code. For each input it checks the
workbook, renders the bulletin (or the annotated error workbook), and makes one `publish` call that
writes the outputs. Each input ends in one `FileResult`; an unexpected failure in one file never
stops the others (`toolkit.check` reads and validates; `check_workbook`, `check_paths` and `Checked`
are re-exported here, as is `toolkit.publish.files.check_folders`, which refuses unusable folders before any
file is read, for `render_folder` here and `toolkit.watch.watch_folder`.

A fault of toolkit's own on one input ends it ``FAILED``, its traceback in the input's crash file.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

from toolkit import codes, intake, messages
from toolkit.changes import changes_report, compare_donors
from toolkit.check import Checked, check_paths, check_workbook, without_gc_pauses
from toolkit.errors import FolderUnusable, Problem, ToolkitError
from toolkit.numerals import stated_issue
from toolkit.publish import (
    Output,
    PartlyPublished,
    Report,
    forget_removed,
    last_donors,
    last_published,
    prepare_output_dir,
    publish_crash,
    publish_outputs,
    recover_published,
)
from toolkit.publish.claims import CLAIM_WAIT_SECONDS, input_key, try_claim, wait_for_claim
from toolkit.publish.crash import crash_text
from toolkit.publish.files import FileLocked, check_folders
from toolkit.publish.pdf import PdfResult, write_pdfs
from toolkit.publish.register import BulletinRecord, Register
from toolkit.publish.safekeeping import Keeper
from toolkit.publish.series import in_issue_order, running_notes, shared_number_notes, shows_running
from toolkit.records import Edition, Outcome
from toolkit.results import FileResult
from toolkit.settings import Settings
from toolkit.version import __version__

__all__ = [
    "Checked",
    "FileResult",
    "Pipeline",
    "check_folders",
    "check_paths",
    "check_workbook",
    "render_folder",
]

log = logging.getLogger(__name__)


_INCOMPLETE_CODES = frozenset({codes.FILE_EMPTY, codes.FILE_TRUNCATED})
"""Unreadable as a workbook in the way a file is while it is still being copied."""


def _looks_incomplete(data: bytes, problems: Sequence[Problem]) -> bool:
    """A file cut short, empty, or all zero bytes (Windows sets a copy's size before its bytes arrive)."""
    return bool(problems) and (all(p.code in _INCOMPLETE_CODES for p in problems) or not data.strip(b"\0"))


class Pipeline:
    """Renders inputs into one output folder with one template and one set of settings.

    The template is loaded and prepared once and reused for every file. ``issues`` gives some
    inputs (by file name) the issue number they must have (``toolkit render FILE --issue N``).
    """

    def __init__(
        self,
        output: Path,
        settings: Settings,
        template_path: Path | None = None,
        *,
        issues: Mapping[str, int] | None = None,
    ) -> None:
        from toolkit.render import load_template

        self.output = output
        self.settings = settings
        self.issues = dict(issues or {})
        self.register = Register(output)
        self.template_path = template_path or (
            Path(settings.template) if settings.template else intake.default_template_path()
        )
        template_bytes = intake.read_template_bytes(self.template_path)
        self.template = load_template(template_bytes)
        # What the bulletin looks like: the template's bytes (not its path, which differs between
        # PCs sharing a folder) and every setting but those that never change a bulletin's bytes
        # (the first issue number only numbers new bulletins; the register keeps the others).
        shown = replace(settings, template="", history=0, issue=1)
        self._salt = hashlib.sha256(
            template_bytes + repr(shown).encode("utf-8") + __version__.encode()
        ).hexdigest()
        self._stems: dict[str, str] = {}
        self.shows_running = shows_running(settings, self.template.variables)

    def prepare(self) -> None:
        """Create the output folder, prove it writable, and clean up after a crash.

        Raises:
            FolderUnusable: the output folder cannot be created or written.
        """
        prepare_output_dir(self.output)

    def sweep(self, present: Collection[str]) -> None:
        """Remove the reports of workbooks no longer in the watched folder (``present`` holds the
        names there); their bulletins stay (`toolkit.publish.forget_removed`). Never raises."""
        try:
            for name in forget_removed(self.output, present):
                log.info("删除了 %s：它的工作簿已经移走", name)
        except OSError as exc:  # a report open in Excel: tried again at the next sweep
            log.info("清理已移走的工作簿的报告时出错：%s", exc)

    def stem_for(self, path: Path) -> str:
        """Output stem for an input; a second input with the same stem keeps its extension."""
        stem = intake.safe_stem(path.name)
        owner = self._stems.setdefault(stem.lower(), path.name)
        if owner != path.name:
            stem = intake.safe_stem(path.name.replace(".", "_"))
        return stem

    def fingerprint(self, sha256: str) -> str:
        return hashlib.sha256((sha256 + self._salt).encode()).hexdigest()

    def process(
        self,
        path: Path,
        *,
        require_stable: bool = False,
        require_complete: bool = False,
        on_wait: Callable[[float], object] | None = None,
    ) -> FileResult:
        """Run one input through the whole pipeline. Never raises for bad input.

        ``NOT_READY`` with ``require_stable`` when it changed while read, and with ``require_complete``
        when it reads as cut short, empty or all zeros (`FileResult.incomplete`; nothing is published).
        A name that is not a regular file (a link, a FIFO…) is never opened: it is REJECTED with a
        report saying what it is (`toolkit.intake.NotRegularFile`). ``BUSY`` while another process works
        on it, or with ``on_wait`` it waits for it (`wait_for_claim`) and says what it produced.
        """
        started = time.perf_counter()
        name = path.name
        refused: Checked | None = None
        try:
            snap = intake.read_snapshot(path)
        except intake.NotRegularFile as exc:
            data, digest, refused = b"", exc.digest, Checked(None, (exc.problem(name),))
        except FileNotFoundError:
            return FileResult(name, Outcome.NOT_READY, reason=messages.REASON_GONE)
        except OSError as exc:
            return FileResult(
                name, Outcome.NOT_READY, reason=messages.reason_unreadable(messages.os_reason(exc))
            )
        else:
            if require_stable and not snap.stable:
                return FileResult(name, Outcome.NOT_READY, reason=messages.REASON_STILL_WRITING)
            data, digest = snap.data, snap.sha256
        fingerprint = self.fingerprint(digest)
        stem = self.stem_for(path)
        unchanged = self._unchanged(name, stem, fingerprint, started)
        if unchanged is not None:
            return unchanged
        claim = try_claim(self.output, input_key(name))
        if waited := claim is None and on_wait is not None:
            claim = wait_for_claim(self.output, input_key(name), on_wait=on_wait)
        if claim is None:
            reason = messages.reason_busy_waited(time.perf_counter() - started) if waited else ""
            return FileResult(name, Outcome.BUSY, reason=reason or messages.REASON_BUSY)
        # Another process may have finished this version between our look at the state and our claim.
        unchanged = self._unchanged(name, stem, fingerprint, started)
        if unchanged is not None:
            claim.release()
            return unchanged.made_by_other() if waited else unchanged
        try:
            result = self._render_snapshot(
                name, data, digest, stem, fingerprint, refused, require_complete=require_complete
            )
        except FileLocked as exc:
            result = FileResult(name, Outcome.FAILED, reason=str(exc))
        except OSError as exc:
            result = FileResult(
                name, Outcome.FAILED, reason=messages.reason_unwritable(messages.os_reason(exc))
            )
        except ToolkitError as exc:
            result = FileResult(name, Outcome.FAILED, problems=tuple(p.located(name) for p in exc.problems))
        except Exception as exc:  # one bad file must never stop the others
            log.debug("处理 %s 时出现意外错误", name, exc_info=True)
            crash = self._crash(stem, name)
            result = FileResult(
                name, Outcome.FAILED, reason=messages.reason_internal(type(exc).__name__, crash)
            )
        finally:
            claim.release()
        return replace(result, seconds=time.perf_counter() - started)

    def _crash(self, stem: str, name: str) -> Path | None:
        """The input's crash file, holding the exception being handled; None if it cannot be written."""
        try:
            return publish_crash(self.output, stem, crash_text(messages.crash_workbook(name)))
        except OSError:
            return None

    def _unchanged(self, name: str, stem: str, fingerprint: str, started: float) -> FileResult | None:
        """The UNCHANGED result when this exact version was already handled and its outputs exist,
        or its bulletin was written but not recorded, which is recorded now (`recover_published`)."""
        previous, reason = last_published(self.output, name), ""
        if previous is None or previous.fingerprint != fingerprint:
            try:
                previous = recover_published(self.output, stem, name, fingerprint)
            except PartlyPublished as exc:
                previous, reason = exc.state, exc.told()
            if previous is None:
                return None
        rendered = previous.result is Outcome.RENDERED
        recorded = not reason
        if not rendered and recorded:
            reason = messages.reason_still_rejected(Output.ERRORS.path(self.output, stem).name)
        record = self.register.get(name)
        if name in self.issues and (record is None or record.number != self.issues[name]):
            return None  # --issue gives it another number
        stale = self._stale_running(record) if rendered and record is not None else ()
        if stale and record is not None and not record.current_is_issued:
            return None  # an earlier bulletin's total changed: the running total it states must follow
        bulletin = next((n for n in previous.outputs if n.endswith(Output.BULLETIN.value)), None)
        return FileResult(
            name,
            Outcome.UNCHANGED,
            seconds=time.perf_counter() - started,
            output=self.output / bulletin if rendered and bulletin is not None else None,
            reason=reason,
            recorded=recorded,
            rejected=not rendered,
            notes=stale,
            edition=Edition(record.number, record.correction) if record is not None and bulletin else None,
        )

    def _stale_running(self, record: BulletinRecord) -> tuple[str, ...]:
        """Notes on a running total ``record``'s bulletin shows that no longer holds (`running_notes`)."""
        return running_notes(self.register, record) if self.shows_running else ()

    def _render_snapshot(
        self,
        name: str,
        data: bytes,
        digest: str,
        stem: str,
        fingerprint: str,
        checked: Checked | None = None,
        *,
        require_complete: bool = False,
    ) -> FileResult:
        """Check one workbook (unless ``checked`` already, as a name refused unread is), render what it
        produces, and publish that in one call. A publish that wrote files but could not finish says
        so (`PartlyPublished`)."""
        from toolkit.render import render_bulletin
        from toolkit.report import annotated_copy

        issued = self.register.issued_unchanged(name, digest)
        if issued is not None:  # issued, and the workbook is as it was then: nothing to write
            return FileResult(
                name,
                Outcome.UNCHANGED,
                output=self.output / issued.bulletin,
                notes=(
                    messages.note_issued_unchanged(issued.bulletin, issued.number, issued.correction),
                    *self._stale_running(issued),
                ),
                edition=Edition(issued.number, issued.correction),
            )
        if checked is None:
            checked = check_workbook(data, name, self.settings)
            if require_complete and checked.ledger is None and _looks_incomplete(data, checked.problems):
                return FileResult(name, Outcome.NOT_READY, reason=messages.REASON_INCOMPLETE)
        ledger = checked.ledger
        donors = len(ledger.donations) if ledger is not None else 0
        total = ledger.total if ledger is not None else None
        files: dict[Output, bytes | Report] = {}
        edition, bulletin, changes, listed = None, "", None, None
        if checked.has_errors:
            outcome = Outcome.REJECTED
            files[Output.ERRORS] = Report(messages.REPORT_ERRORS, checked.problems)
            if ledger is not None and (annotated := annotated_copy(data, checked.problems)) is not None:
                files[Output.ERRORS_WORKBOOK] = annotated
        else:
            assert ledger is not None  # no errors means the workbook was read
            outcome = Outcome.RENDERED
            edition, bulletin = self.register.edition_for(
                name,
                stem,
                ledger.total,
                stated=stated_issue(ledger.title, name),
                forced=self.issues.get(name),
                first=self.settings.issue,
            )
            with without_gc_pauses():
                files[Output.BULLETIN] = render_bulletin(
                    ledger, self.settings, self.template, edition=edition
                )
            warnings = tuple(p for p in checked.problems if not p.is_error)
            if warnings:
                files[Output.WARNINGS] = Report(messages.REPORT_WARNINGS, warnings)
            listed = [(d.donor, d.amount) for d in ledger.donations]
            before = last_donors(self.output, name)
            changes = compare_donors(before, listed, [d.cell for d in ledger.donations]) if before else None
            if changes:
                files[Output.CHANGES] = changes_report(name, changes)
        told = ""
        notes: tuple[str, ...] = ()
        try:
            published = publish_outputs(
                self.output,
                stem,
                name,
                files,
                fingerprint=fingerprint,
                outcome=outcome,
                bulletin=bulletin,
                history=self.settings.history,
                frozen=record.issued if (record := self.register.get(name)) is not None else (),
                donors=listed,
            )
            written, notes = published.paths, published.notes
        except PartlyPublished as exc:
            log.info("%s: outputs written, publish not finished: %s", name, exc)
            written, told = exc.written, exc.told()
        output = written.get(Output.BULLETIN)
        if edition is not None and output is not None and ledger is not None:
            self.register.written(name, edition, output.name, ledger.total, digest, stem)
            notes = (*notes, *shared_number_notes(self.register, name, edition.number))
        return FileResult(
            name,
            outcome,
            donors,
            total,
            0.0,
            checked.problems,
            output,
            told,
            recorded=not told,
            notes=notes,
            edition=edition,
            changes=tuple(changes.lines()) if changes else (),
        )


def render_folder(
    watched: Path,
    output: Path,
    *,
    settings: Settings | None = None,
    template_path: Path | None = None,
    pdf: bool = False,
    on_result: Callable[[FileResult], None] | None = None,
    on_pdf: Callable[[PdfResult], None] | None = None,
    workbooks: Sequence[Path] = (),
    issues: Mapping[str, int] | None = None,
) -> list[FileResult]:
    """Render every workbook at the top of ``watched`` into ``output``; return one result per file.

    ``workbooks`` renders only those (a path, or a name in ``watched``). ``issues`` gives inputs
    (by file name) the issue number they must have, instead of the one the register gives.

    With ``pdf``, once every file is done, each bulletin (rendered now or unchanged) whose PDF is
    missing or stale is converted by LibreOffice (`toolkit.publish.pdf.write_pdfs`); each attempt is
    passed to ``on_pdf``. A failed PDF does not change the file's result.

    A file another process works on is waited for; ``on_result`` also gets ``BUSY`` progress results.

    Raises:
        FolderMissing: ``watched`` is not a folder, or ``output`` is a file.
        TemplateError: the template cannot be loaded.
        FolderUnusable: ``watched`` cannot be read, or ``output`` cannot be created or written.
    """
    check_folders(watched, output, watched_is="放捐款表格的文件夹")
    intake.check_workbooks(watched, workbooks)
    pipeline = Pipeline(output, settings or Settings(), template_path, issues=issues)
    try:
        paths = [p if p.is_file() else watched / p.name for p in workbooks] or intake.scan_folder(watched)
    except OSError as exc:
        raise FolderUnusable(
            Problem(
                codes.FOLDER_UNREADABLE,
                f"无法打开文件夹 {exc.filename or watched}（{messages.os_reason(exc)}）。请检查 --watched 的路径和权限",
                value=str(watched),
            )
        ) from exc
    pipeline.prepare()
    if pipeline.shows_running:  # earlier issues first, so that a later one's running total follows them
        paths = in_issue_order(pipeline.register, paths)
    results: list[FileResult] = []
    for path in paths:
        tell = partial(FileResult.waiting, path.name, limit=CLAIM_WAIT_SECONDS, then=on_result)
        result = pipeline.process(path, on_wait=tell)
        results.append(result)
        if on_result is not None:
            on_result(result)
    if not workbooks:
        pipeline.sweep({path.name for path in paths})
    if pdf:
        keeper = Keeper(output, pipeline.settings.history)
        for done in write_pdfs((r.output for r in results if r.output is not None), keeper=keeper):
            if on_pdf is not None:
                on_pdf(done)
    return results
