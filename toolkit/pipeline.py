"""The pipeline for one workbook and for a folder: intake → read → parse → validate → render → publish.

`Pipeline` holds what is shared between files (settings, the parsed template, the output folder),
so `toolkit render` and `toolkit watch` run exactly the same code. For each input it checks the
workbook, renders the bulletin (or the annotated error workbook), and makes one `publish` call that
writes the outputs. Each input ends in one `FileResult`; an unexpected failure in one file never
stops the others. `check_folders` refuses unusable ``--watched``/``--output`` folders before any
file is read, for `render_folder` here and `toolkit.watch.watch_folder`.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from toolkit import codes, intake
from toolkit.errors import FolderMissing, FolderUnusable, Problem, Severity, ToolkitError
from toolkit.publish import Output, Report, last_published, prepare_output_dir, publish_outputs
from toolkit.publish.claims import try_claim
from toolkit.publish.files import FileLocked, check_output_dir
from toolkit.publish.pdf import PdfResult, write_pdfs
from toolkit.records import Ledger, Outcome
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


@dataclass(frozen=True, slots=True)
class FileResult:
    """What happened to one input file.

    Attributes:
        file: the input's file name.
        outcome: see `Outcome`.
        donors: number of donors read (0 when rejected early).
        total: exact total of the donations, or ``None`` when not known.
        seconds: wall time spent on this file.
        problems: errors and warnings, in sheet/cell order.
        output: path of the bulletin written (or kept, when unchanged), if any.
        reason: for FAILED/NOT_READY/BUSY, a Chinese sentence saying why.
    """

    file: str
    outcome: Outcome
    donors: int = 0
    total: Decimal | None = None
    seconds: float = 0.0
    problems: tuple[Problem, ...] = ()
    output: Path | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.RENDERED, Outcome.UNCHANGED)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)


@dataclass(frozen=True, slots=True)
class Checked:
    """The result of reading and validating one workbook, without rendering it."""

    ledger: Ledger | None
    problems: tuple[Problem, ...] = field(default=())

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


@contextlib.contextmanager
def _without_gc_pauses() -> Iterator[None]:
    """Pause the cyclic garbage collector for one workbook, then restore it as it was.

    A big workbook allocates a million small objects (cells, donations, strings) that hold no
    cycles; the generational collector would walk them again and again as they pile up (about a
    tenth of the run time at 100,000 donors). Reference counting still frees everything.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_SIGNATURE_DEFAULTS = {
    codes.SIGNATURE_MISSING_RECEIVER: "receiver",
    codes.SIGNATURE_MISSING_SUPERVISOR: "supervisor",
    codes.SIGNATURE_MISSING_ORGANISATION: "organisation",
}


def _supplied_by_settings(problem: Problem, settings: Settings) -> bool:
    """A missing 收款人/监督人/单位 is no problem when ``toolkit.toml`` supplies a default."""
    key = _SIGNATURE_DEFAULTS.get(problem.code)
    return key is not None and bool(getattr(settings, key))


def check_workbook(data: bytes, name: str, settings: Settings | None = None) -> Checked:
    """Read, parse and validate one workbook held in memory; return the ledger and all problems.

    Pure: no filesystem. Unreadable files give one problem; readable ones give every problem found.
    """
    from toolkit.parse import parse_workbook
    from toolkit.read import read_workbook
    from toolkit.validate import validate_ledger

    settings = settings or Settings()
    with _without_gc_pauses():
        try:
            workbook = read_workbook(
                data, name, max_unpacked_bytes=settings.max_unpacked_mb * 2**20, max_rows=settings.max_rows
            )
        except ToolkitError as exc:
            return Checked(None, tuple(p.located(name) for p in exc.problems))
        ledger = parse_workbook(workbook)
        del workbook  # the grid is not needed any more: free it before validating
        problems = tuple(
            p if p.file else p.located(name)
            for p in validate_ledger(ledger)
            if not _supplied_by_settings(p, settings)
        )
    return Checked(ledger, problems)


def check_paths(paths: Sequence[Path], settings: Settings | None = None) -> list[Problem]:
    """Check workbooks on disk without rendering; every problem of every file, in order.

    A file that cannot be opened gets one ``file.not_found`` / ``file.unreadable`` problem.
    """
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            problems.append(
                Problem(
                    codes.FILE_IS_FOLDER,
                    "这是一个文件夹，不是 .xlsx 文件；请指定文件，如 watched/捐款名单.xlsx",
                    file=path.name,
                )
            )
            continue
        try:
            snap = intake.read_snapshot(path)
        except FileNotFoundError:
            problems.append(
                Problem(
                    codes.FILE_NOT_FOUND,
                    "找不到这个文件，请检查文件名和路径",
                    file=path.name,
                    value=str(path),
                )
            )
            continue
        except OSError as exc:
            problems.append(
                Problem(
                    codes.FILE_UNREADABLE,
                    f"无法打开这个文件（{exc.strerror or exc}）。如果它正在 Excel 或 WPS 中保存，请稍后再试",
                    file=path.name,
                )
            )
            continue
        problems.extend(check_workbook(snap.data, path.name, settings).problems)
    return problems


class Pipeline:
    """Renders inputs into one output folder with one template and one set of settings.

    The template is loaded and prepared once and reused for every file.
    """

    def __init__(self, output: Path, settings: Settings, template_path: Path | None = None) -> None:
        from toolkit.render import load_template

        self.output = output
        self.settings = settings
        self.template_path = template_path or (
            Path(settings.template) if settings.template else intake.default_template_path()
        )
        template_bytes = intake.read_template_bytes(self.template_path)
        self.template = load_template(template_bytes)
        self._salt = hashlib.sha256(
            template_bytes + repr(settings).encode("utf-8") + __version__.encode()
        ).hexdigest()
        self._stems: dict[str, str] = {}

    def prepare(self) -> None:
        """Create the output folder, prove it writable, and clean up after a crash.

        Raises:
            FolderUnusable: the output folder cannot be created or written.
        """
        prepare_output_dir(self.output)

    def stem_for(self, path: Path) -> str:
        """Output stem for an input; a second input with the same stem keeps its extension."""
        stem = intake.safe_stem(path.name)
        owner = self._stems.setdefault(stem.lower(), path.name)
        if owner != path.name:
            stem = intake.safe_stem(path.name.replace(".", "_"))
        return stem

    def fingerprint(self, sha256: str) -> str:
        return hashlib.sha256((sha256 + self._salt).encode()).hexdigest()

    def process(self, path: Path, *, require_stable: bool = False) -> FileResult:
        """Run one input through the whole pipeline. Never raises for bad input."""
        started = time.perf_counter()
        name = path.name
        try:
            snap = intake.read_snapshot(path)
        except FileNotFoundError:
            return FileResult(name, Outcome.NOT_READY, reason="文件已不存在（可能正在保存或已被移走）")
        except OSError as exc:
            return FileResult(name, Outcome.NOT_READY, reason=f"暂时无法读取：{exc.strerror or exc}")
        if require_stable and not snap.stable:
            return FileResult(name, Outcome.NOT_READY, reason="文件仍在写入")
        fingerprint = self.fingerprint(snap.sha256)
        stem = self.stem_for(path)
        unchanged = self._unchanged(name, stem, fingerprint, started)
        if unchanged is not None:
            return unchanged
        key = hashlib.sha256(f"{fingerprint}\0{name}".encode("utf-8", "surrogatepass")).hexdigest()[:40]
        claim = try_claim(self.output, key)
        if claim is None:
            return FileResult(name, Outcome.BUSY, reason="另一个 toolkit 进程正在处理这个文件")
        # Another process may have finished this version between our look at the state and our claim.
        unchanged = self._unchanged(name, stem, fingerprint, started)
        if unchanged is not None:
            claim.release()
            return unchanged
        try:
            result = self._render_snapshot(snap, stem, fingerprint)
        except FileLocked as exc:
            result = FileResult(name, Outcome.FAILED, reason=str(exc))
        except OSError as exc:
            result = FileResult(name, Outcome.FAILED, reason=f"无法写入输出文件夹：{exc.strerror or exc}")
        except ToolkitError as exc:
            result = FileResult(name, Outcome.FAILED, problems=tuple(p.located(name) for p in exc.problems))
        except Exception as exc:  # one bad file must never stop the others
            log.exception("unexpected failure on %s", name)
            result = FileResult(
                name,
                Outcome.FAILED,
                reason=f"内部错误（{type(exc).__name__}: {exc}），请把这个文件发给维护人员",
            )
        finally:
            claim.release()
        return replace(result, seconds=time.perf_counter() - started)

    def _unchanged(self, name: str, stem: str, fingerprint: str, started: float) -> FileResult | None:
        """The UNCHANGED result when this exact version was already handled and its outputs exist."""
        previous = last_published(self.output, name)
        if previous is None or previous.fingerprint != fingerprint:
            return None
        rendered = previous.result is Outcome.RENDERED
        return FileResult(
            name,
            Outcome.UNCHANGED,
            seconds=time.perf_counter() - started,
            output=Output.BULLETIN.path(self.output, stem) if rendered else None,
        )

    def _render_snapshot(self, snap: intake.Snapshot, stem: str, fingerprint: str) -> FileResult:
        """Check one workbook, render what it produces, and publish that in one call."""
        from toolkit.render import render_bulletin

        name = snap.path.name
        checked = check_workbook(snap.data, name, self.settings)
        ledger = checked.ledger
        donors = len(ledger.donations) if ledger is not None else 0
        total = ledger.total if ledger is not None else None
        files: dict[Output, bytes | Report] = {}
        if checked.has_errors:
            outcome = Outcome.REJECTED
            files[Output.ERRORS] = Report("错误报告", checked.problems)
            annotated = self._annotated_workbook(snap.data, checked.problems) if ledger is not None else None
            if annotated is not None:
                files[Output.ERRORS_WORKBOOK] = annotated
        else:
            assert ledger is not None  # no errors means the workbook was read
            outcome = Outcome.RENDERED
            with _without_gc_pauses():
                files[Output.BULLETIN] = render_bulletin(ledger, self.settings, self.template)
            warnings = tuple(p for p in checked.problems if not p.is_error)
            if warnings:
                files[Output.WARNINGS] = Report("警告", warnings)
        written = publish_outputs(self.output, stem, name, files, fingerprint=fingerprint, outcome=outcome)
        return FileResult(
            name, outcome, donors, total, problems=checked.problems, output=written.get(Output.BULLETIN)
        )

    def _annotated_workbook(self, data: bytes, problems: Sequence[Problem]) -> bytes | None:
        try:
            from toolkit.report import annotate_workbook
        except ImportError:
            return None
        try:
            return annotate_workbook(data, problems)
        except Exception as exc:  # the text report is the must-have; the annotated copy is best effort
            log.info("no annotated error workbook: %s", exc)
            log.debug("annotate_workbook failed", exc_info=True)
            return None


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


def render_folder(
    watched: Path,
    output: Path,
    *,
    settings: Settings | None = None,
    template_path: Path | None = None,
    pdf: bool = False,
    on_result: Callable[[FileResult], None] | None = None,
    on_pdf: Callable[[PdfResult], None] | None = None,
) -> list[FileResult]:
    """Render every workbook at the top of ``watched`` into ``output``; return one result per file.

    With ``pdf``, once every file is done, each bulletin (rendered now or unchanged) whose PDF is
    missing or stale is converted by LibreOffice (`toolkit.publish.pdf.write_pdfs`); each attempt is
    passed to ``on_pdf``. A failed PDF does not change the file's result.

    Raises:
        FolderMissing: ``watched`` is not a folder, or ``output`` is a file.
        TemplateError: the template cannot be loaded.
        FolderUnusable: ``watched`` cannot be read, or ``output`` cannot be created or written.
    """
    check_folders(watched, output, watched_is="放捐款表格的文件夹")
    pipeline = Pipeline(output, settings or Settings(), template_path)
    try:
        paths = intake.scan_folder(watched)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        raise FolderUnusable(
            Problem(codes.FOLDER_UNREADABLE, f"{where}{exc.strerror or exc}", value=str(watched))
        ) from exc
    pipeline.prepare()
    results: list[FileResult] = []
    for path in paths:
        result = pipeline.process(path)
        results.append(result)
        if on_result is not None:
            on_result(result)
    if pdf:
        for done in write_pdfs(r.output for r in results if r.output is not None):
            if on_pdf is not None:
                on_pdf(done)
    return results
