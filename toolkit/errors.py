"""The one error hierarchy of toolkit, and the `Problem` record every check reports.

Every failure a clerk can cause ends up as a `Problem`: it names the file, the sheet, the
cell (A1 style), a stable English ``code``, the value found and, in Chinese, what to do.
Exceptions derive from `ToolkitError` and carry their problems; the CLI catches that base once and
chooses the exit code by the exception's class.

The classes, by the stage that raises them:

- `UnreadableWorkbook`: read (the bytes are not a workbook toolkit can read);
- `InvalidAmount`: money (an amount or a 大写 text is refused);
- `SettingsError`: settings (``toolkit.toml`` or a setting given to the library);
- `TemplateError` and `RenderFailed`: render (the Word template, then the bulletin made from it);
- `FolderMissing` and `FolderUnusable` (both `FolderError`): render_folder and watch_folder, before
  any file is read;
- `PdfFailed`: publish, when LibreOffice cannot make a PDF of a bulletin;
- `RegisterError`: publish, when ``toolkit issue`` cannot mark a bulletin issued.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "Outcome",
    "FolderError",
    "FolderMissing",
    "FolderUnusable",
    "InvalidAmount",
    "PdfFailed",
    "Problem",
    "RegisterError",
    "RenderFailed",
    "Severity",
    "SettingsError",
    "TemplateError",
    "ToolkitError",
    "UnreadableWorkbook",
]


class Severity(str, enum.Enum):
    """How bad a `Problem` is: an error stops the bulletin, a warning does not."""

    ERROR = "error"
    WARNING = "warning"


class Outcome(enum.Enum):
    """How one input ended. Compare members (``outcome is Outcome.RENDERED``); ``.value`` is the
    English word printed and stored in the state."""

    RENDERED = "rendered"
    """A bulletin was written (warnings allowed)."""
    REJECTED = "rejected"
    """The workbook has errors; an error report was written instead."""
    UNCHANGED = "unchanged"
    """Same bytes, template and settings as last time: nothing to do."""
    BUSY = "busy"
    """Another toolkit process is handling this version right now."""
    NOT_READY = "not_ready"
    """The file is still being written; it will be looked at again."""
    FAILED = "failed"
    """Toolkit could not finish (disk full, docx open in Word...); nothing was lost, retry later."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one input, written for the clerk who must fix it.

    Attributes:
        code: stable English identifier such as ``amount.not_a_number``; never translated.
        message: Chinese sentence that says what is wrong and what to do.
        severity: `Severity.ERROR` blocks the bulletin; `Severity.WARNING` is reported only.
        file: the workbook's file name (no folder), or ``""`` when not yet known.
        sheet: the sheet name, or ``""`` for whole-file problems.
        cell: the A1 address such as ``C7``, or ``""`` for sheet- or file-level problems.
        value: the value found in the cell, as text, or ``""``.
    """

    code: str
    message: str
    severity: Severity = Severity.ERROR
    file: str = ""
    sheet: str = ""
    cell: str = ""
    value: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def located(self, file: str) -> Problem:
        """Return a copy of this problem that names ``file``."""
        return Problem(self.code, self.message, self.severity, file, self.sheet, self.cell, self.value)

    def where(self) -> str:
        """``捐款.xlsx > Sheet1 > C7``: the location parts that are known (GBK-safe separators)."""
        return " > ".join(part for part in (self.file, self.sheet, self.cell) if part)

    def format(self) -> str:
        """One line for the clerk: location, message and code.

        Example: ``捐款.xlsx > Sheet1 > C7：金额“abc”不是数字，请填写阿拉伯数字，如 500 [amount.not_a_number]``
        """
        where = self.where()
        head = f"{where}：" if where else ""
        return f"{head}{self.message} [{self.code}]"

    def to_json(self) -> dict[str, str]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "code": self.code,
            "severity": self.severity.value,
            "value": self.value,
            "message": self.message,
        }


class ToolkitError(Exception):
    """Base of every error toolkit raises on purpose; never shown as a traceback.

    It carries one or more `Problem` records, each with its code; ``str()`` is their `Problem.format`
    lines.
    """

    def __init__(self, problems: Iterable[Problem] | Problem) -> None:
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


class UnreadableWorkbook(ToolkitError):
    """The bytes are not a workbook toolkit can read (not a zip, .xls, encrypted, too big...)."""


class InvalidAmount(ToolkitError):
    """An amount or a 大写 text that toolkit refuses (raised by `toolkit.money`).

    Attributes:
        code: stable English identifier, such as ``amount.not_a_number``.
        reason: Chinese sentence for the clerk: what was found and what to write instead.
        value: the offending value as text (shortened if very long), or ``""``.

    The base class's ``problems`` holds one `Problem` with that code, reason and value and no
    location; `problem` returns a copy that names the file, sheet and cell.
    """

    def __init__(self, code: str, reason: str, value: str = "") -> None:
        self.code = code
        self.reason = reason
        self.value = value
        super().__init__(Problem(code, reason, Severity.ERROR, value=value))

    def __reduce__(self) -> tuple[type[InvalidAmount], tuple[str, str, str]]:
        return (type(self), (self.code, self.reason, self.value))

    def problem(
        self, *, file: str = "", sheet: str = "", cell: str = "", severity: Severity = Severity.ERROR
    ) -> Problem:
        """This refusal as a `Problem` located at ``file > sheet > cell``."""
        return Problem(self.code, self.reason, severity, file, sheet, cell, self.value)


class TemplateError(ToolkitError):
    """The Word template is missing, damaged or uses variables toolkit does not provide."""


class RenderFailed(ToolkitError):
    """The bulletin could not be produced from a valid ledger and template."""


class SettingsError(ToolkitError):
    """A setting in ``toolkit.toml`` or on the command line is invalid."""


class FolderError(ToolkitError):
    """A folder toolkit was pointed at (``--watched``, ``--output``) cannot be used; nothing was read."""


class FolderMissing(FolderError):
    """The path names no folder: it does not exist, or a file is in its place."""


class FolderUnusable(FolderError):
    """The folder is there, but toolkit cannot read it (watched) or create and write it (output)."""


class PdfFailed(ToolkitError):
    """LibreOffice is not installed, failed, or took too long to turn a bulletin into a PDF."""


class RegisterError(ToolkitError):
    """The register of bulletins cannot do what was asked: the bulletin is unknown, or busy."""
