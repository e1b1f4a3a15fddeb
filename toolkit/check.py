"""Check workbooks without rendering them: read → parse → validate, for ``toolkit check`` and the pipeline.

`check_workbook` is pure (bytes in, a `Checked` out); `check_paths` reads each file through
`toolkit.intake` and gives every problem of every file, a file it cannot open included.
`toolkit.pipeline` renders what `check_workbook` finds valid.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from toolkit import codes, intake, messages
from toolkit.errors import Problem, ToolkitError
from toolkit.records import Ledger
from toolkit.settings import Settings

__all__ = ["Checked", "check_paths", "check_workbook", "without_gc_pauses"]


@dataclass(frozen=True, slots=True)
class Checked:
    """The result of reading and validating one workbook, without rendering it."""

    ledger: Ledger | None
    problems: tuple[Problem, ...] = field(default=())

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


@contextlib.contextmanager
def without_gc_pauses() -> Iterator[None]:
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
    with without_gc_pauses():
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

    A name that is not a regular file is refused without being opened, named for what it is
    (`toolkit.intake.NotRegularFile`); one that cannot be opened gets one ``file.not_found`` /
    ``file.unreadable`` problem.
    """
    problems: list[Problem] = []
    for path in paths:
        try:
            snap = intake.read_snapshot(path)
        except intake.NotRegularFile as exc:
            problems.append(exc.problem(path.name))
            continue
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
                    f"无法打开这个文件（{messages.os_reason(exc)}）。如果它正在 Excel 或 WPS 中保存，请稍后再试",
                    file=path.name,
                )
            )
            continue
        problems.extend(check_workbook(snap.data, path.name, settings).problems)
    return problems
