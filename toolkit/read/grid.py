"""A sheet the cell library has read → `toolkit.records.Sheet`, the grid anchored at A1.

Shared by the .xlsx, .xls and .ods readers: each scans its own bytes first (for what the cell
library leaves out: error texts, formulas without a result, hidden rows, merges in .ods) and hands
the findings to `build_sheet`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from toolkit import codes
from toolkit.errors import UnreadableWorkbook
from toolkit.read.caps import SAVE_AGAIN, Budget, Limits, corrupt, refuse
from toolkit.records import CellValue, Sheet

if TYPE_CHECKING:
    from python_calamine import CalamineSheet

__all__ = ["Grid", "anchor", "build_sheet", "cell_library"]

log = logging.getLogger(__name__)

Grid = tuple[tuple[CellValue, ...], ...]
Position = tuple[int, int]
Merge = tuple[int, int, int, int]


def build_sheet(
    source: CalamineSheet,
    name: str,
    visible: bool,
    *,
    file: str,
    limits: Limits,
    budget: Budget | None = None,
    errors: Mapping[Position, str] | None = None,
    missing: Collection[Position] = (),
    placeholders: Collection[Position] = (),
    hidden_rows: Collection[int] = (),
    formulas: Collection[Position] = (),
    unit_formats: Mapping[Position, str] | None = None,
    merged: Sequence[Merge] | None = None,
    numbers_as_float: bool = False,
) -> Sheet:
    """The `Sheet` for one sheet the cell library has read.

    Args:
        errors: error cells and their text (the cell library gives ``""`` for them).
        missing: formula cells without a saved result; placeholders: results that are placeholders.
        hidden_rows: rows marked hidden; those past the last used row are dropped.
        formulas: every formula cell, with or without a saved result.
        unit_formats: cells whose number format shows 万元 or a foreign currency (`toolkit.read.styles`).
        merged: merged ranges, when the cell library does not report them (.ods).
        numbers_as_float: turn whole numbers the cell library gives as ``int`` (.xls) into ``float``.
        budget: when given, the cells the library holds for this sheet are spent from it first.

    Raises:
        UnreadableWorkbook: ``workbook.too_large`` or ``sheet.too_many_rows``.
    """
    start = source.start
    row0, col0 = start if start is not None else (0, 0)
    if budget is not None and start is not None:
        budget.spend(name, source.height * (col0 + source.width))
    block: list[list[Any]] = source.to_python(skip_empty_area=True) if start is not None else []
    while block and all(value == "" for value in block[-1]):
        block.pop()
    if numbers_as_float:
        block = [[float(v) if type(v) is int else v for v in row] for row in block]
    rows = anchor(block, row0, col0)

    # Put the error text back and make sure every listed cell is in the grid.
    errors = errors or {}
    if missing or errors:
        rows = _patch(rows, set(missing), errors)
    limits.check_rows(file, name, len(rows))
    if merged is None:
        merged = tuple((r0, c0, r1, c1) for (r0, c0), (r1, c1) in source.merged_cell_ranges or ())
    return Sheet(
        name=name,
        visible=visible,
        rows=rows,
        formulas_without_value=frozenset(missing),
        placeholder_formulas=frozenset(placeholders),
        merged=tuple(merged),
        hidden_rows=frozenset(r for r in hidden_rows if r < len(rows)),
        formula_cells=frozenset(p for p in formulas if p[0] < len(rows)),
        unit_formats=dict(unit_formats or {}),
    )


def _patch(rows: Grid, missing: set[Position], errors: Mapping[Position, str]) -> Grid:
    """Widen and lengthen ``rows`` to cover ``missing`` and ``errors``, and write the error texts."""
    positions = missing | errors.keys()
    width = max(len(rows[0]) if rows else 0, 1 + max(col for _, col in positions))
    height = max(len(rows), 1 + max(row for row, _ in positions))
    grown = [row + ("",) * (width - len(row)) if len(row) < width else row for row in rows]
    if height > len(grown):
        grown.extend([("",) * width] * (height - len(grown)))
    for (row, col), text in errors.items():
        if grown[row][col] == "":
            grown[row] = grown[row][:col] + (text,) + grown[row][col + 1 :]
    return tuple(grown)


def anchor(block: Sequence[Sequence[CellValue]], row0: int, col0: int) -> Grid:
    """Shift the used block to A1 and give every row the same length.

    The empty rows above the block share one tuple, so a lone value at A1048576 costs one
    pointer per row rather than a million row objects.
    """
    if not block:
        return ()
    width = max(len(row) for row in block)
    if col0 == 0 and all(len(row) == width for row in block):
        body = tuple(map(tuple, block))  # the usual case: calamine's rows are already uniform
    else:
        pad: tuple[CellValue, ...] = ("",) * col0
        body = tuple(pad + tuple(row) + ("",) * (width - len(row)) for row in block)
    if row0 == 0:
        return body
    blank: tuple[CellValue, ...] = ("",) * (col0 + width)
    return (blank,) * row0 + body


@contextlib.contextmanager
def cell_library(file: str, *, save: str = SAVE_AGAIN) -> Iterator[None]:
    """Turn whatever python-calamine raises into one ``file.corrupt`` (or ``file.encrypted``)."""
    try:
        yield
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # CalamineError and whatever else the Rust side raises
        log.info("%s：读取单元格的库出错：%r", file, exc)
        if type(exc).__name__ == "PasswordError":
            refuse(file, codes.FILE_ENCRYPTED)
        corrupt(file, "单元格数据无法解析", save=save)
    except BaseException as exc:  # a Rust panic surfaces as pyo3's PanicException(BaseException)
        if type(exc).__name__ != "PanicException":
            raise
        log.info("%s：读取单元格的库崩溃：%r", file, exc)
        corrupt(file, "单元格数据无法解析", save=save)
