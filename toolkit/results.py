"""What happened to one input: the `FileResult` every run of the pipeline ends in.

`toolkit.pipeline` makes them, ``toolkit render`` and ``toolkit watch`` print them
(`toolkit.messages.file_summary`), and the library's callers read them. The pipeline re-exports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from toolkit import messages
from toolkit.errors import Outcome, Problem, Severity
from toolkit.records import Edition

__all__ = ["FileResult"]


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
        reason: for FAILED/NOT_READY/BUSY, a Chinese sentence saying why; when not ``recorded``, what
            was written, what was not, and what the next run does.
        recorded: False when outputs were written (a RENDERED bulletin is complete and valid) but the
            publish could not finish (record the state, remove a stale report…): `PartlyPublished`.
        rejected: True for an UNCHANGED input that was rejected last time: it still has its errors,
            so it is not ``ok`` (the run exits 1 until the workbook is corrected).
        notes: Chinese sentences about files toolkit did not simply replace (an edited bulletin
            kept, the name the new one got, an old one moved to the history folder).
        edition: the issue number (and correction) of the bulletin written or kept, if any.
        changes: what changed in the donor list since its bulletin was last written, one Chinese
            line each, the totals last (also in ``<stem>.changes.txt``); empty when nothing did.
    """

    file: str
    outcome: Outcome
    donors: int = 0
    total: Decimal | None = None
    seconds: float = 0.0
    problems: tuple[Problem, ...] = ()
    output: Path | None = None
    reason: str = ""
    recorded: bool = True
    rejected: bool = False
    notes: tuple[str, ...] = ()
    edition: Edition | None = None
    changes: tuple[str, ...] = ()

    @classmethod
    def waiting(
        cls, file: str, seconds: float, *, limit: float, then: Callable[[FileResult], None] | None = None
    ) -> FileResult:
        """A ``BUSY`` progress result: waited ``seconds`` (at most ``limit``) for another process to
        finish ``file``; passed to ``then`` too, if given."""
        result = cls(file, Outcome.BUSY, seconds=seconds, reason=messages.reason_waiting(seconds, limit))
        if then is not None:
            then(result)
        return result

    def made_by_other(self) -> FileResult:
        """This UNCHANGED result, reached after waiting for another process: it says what that
        process produced just now (the bulletin and its issue, or why none was made)."""
        done = self.reason
        if not done and self.output is not None:
            from toolkit.numerals import issue_line

            shown = f"（{issue_line(self.edition.number, self.edition.correction)}）" if self.edition else ""
            done = f"{messages.OUTCOME_WORDS[Outcome.RENDERED]} {self.output}{shown}"
        return replace(self, reason=messages.reason_done_by_other(done))

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.RENDERED, Outcome.UNCHANGED) and self.recorded and not self.rejected

    @property
    def incomplete(self) -> bool:
        return self.outcome is Outcome.NOT_READY and self.reason == messages.REASON_INCOMPLETE

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)
