"""toolkit: turn donation workbooks (.xlsx) into Word donation bulletins (简报).

The public API is re-exported lazily, so ``import toolkit`` (and so ``toolkit --help``) loads no
openpyxl, docxtpl, lxml or watchdog until a function that needs them is first used.

Example (run as a doctest by ``tests/test_toolkit.py``, in a folder holding a copy of ``watched/``):

    >>> from decimal import Decimal
    >>> from pathlib import Path
    >>> import toolkit
    >>> toolkit.to_capitals(Decimal("50000"))
    '伍万元整'
    >>> results = toolkit.render_folder(Path("watched"), Path("output"))
    >>> [(r.file, r.outcome, r.donors, r.total) for r in results]
    [('捐款名单.xlsx', <Outcome.RENDERED: 'rendered'>, 45, Decimal('50000.00'))]
    >>> results[0].output.as_posix()
    'output/捐款名单.docx'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from toolkit.version import __version__

_EXPORTS = {
    # errors
    "ToolkitError": "toolkit.errors",
    "UnreadableWorkbook": "toolkit.errors",
    "InvalidAmount": "toolkit.errors",
    "TemplateError": "toolkit.errors",
    "RenderFailed": "toolkit.errors",
    "SettingsError": "toolkit.errors",
    "FolderError": "toolkit.errors",
    "FolderMissing": "toolkit.errors",
    "FolderUnusable": "toolkit.errors",
    "PdfFailed": "toolkit.errors",
    "RegisterError": "toolkit.errors",
    "Problem": "toolkit.errors",
    "Severity": "toolkit.errors",
    # records
    "Donation": "toolkit.records",
    "Ledger": "toolkit.records",
    "Signature": "toolkit.records",
    "Sheet": "toolkit.records",
    "Workbook": "toolkit.records",
    "Outcome": "toolkit.records",
    "Edition": "toolkit.records",
    # money
    "parse_amount": "toolkit.money",
    "to_capitals": "toolkit.money",
    "parse_capitals": "toolkit.money",
    "format_amount": "toolkit.money",
    # stages
    "Settings": "toolkit.settings",
    "parse_settings": "toolkit.settings",
    "read_workbook": "toolkit.read",
    "parse_workbook": "toolkit.parse",
    "validate_ledger": "toolkit.validate",
    "load_template": "toolkit.render",
    "render_bulletin": "toolkit.render",
    "check_template": "toolkit.render",
    "check_workbook": "toolkit.pipeline",
    "render_folder": "toolkit.pipeline",
    "FileResult": "toolkit.pipeline",
    "Pipeline": "toolkit.pipeline",
    "watch_folder": "toolkit.watch",
    "write_starter_workbook": "toolkit.starter",
    "mark_issued": "toolkit.publish",
    "write_settings_file": "toolkit.settings_file",
}

__all__ = [
    "Donation",
    "Edition",
    "FileResult",
    "FolderError",
    "FolderMissing",
    "FolderUnusable",
    "InvalidAmount",
    "Ledger",
    "Outcome",
    "PdfFailed",
    "Pipeline",
    "Problem",
    "RegisterError",
    "RenderFailed",
    "Settings",
    "SettingsError",
    "Severity",
    "Sheet",
    "Signature",
    "TemplateError",
    "ToolkitError",
    "UnreadableWorkbook",
    "Workbook",
    "__version__",
    "check_template",
    "check_workbook",
    "format_amount",
    "load_template",
    "mark_issued",
    "parse_amount",
    "parse_capitals",
    "parse_settings",
    "parse_workbook",
    "read_workbook",
    "render_bulletin",
    "render_folder",
    "to_capitals",
    "validate_ledger",
    "watch_folder",
    "write_settings_file",
    "write_starter_workbook",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from toolkit.errors import (
        FolderError,
        FolderMissing,
        FolderUnusable,
        InvalidAmount,
        PdfFailed,
        Problem,
        RegisterError,
        RenderFailed,
        SettingsError,
        Severity,
        TemplateError,
        ToolkitError,
        UnreadableWorkbook,
    )
    from toolkit.money import format_amount, parse_amount, parse_capitals, to_capitals
    from toolkit.parse import parse_workbook
    from toolkit.pipeline import FileResult, Pipeline, check_workbook, render_folder
    from toolkit.publish import mark_issued
    from toolkit.read import read_workbook
    from toolkit.records import Donation, Edition, Ledger, Outcome, Sheet, Signature, Workbook
    from toolkit.render import check_template, load_template, render_bulletin
    from toolkit.settings import Settings, parse_settings
    from toolkit.settings_file import write_settings_file
    from toolkit.starter import write_starter_workbook
    from toolkit.validate import validate_ledger
    from toolkit.watch import watch_folder


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
