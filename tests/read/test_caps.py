"""Tests for `toolkit.read.caps`: every format is held to the same caps, and a refusal names the setting."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.read.biff import Sheet as XlsSheet
from tests.read.biff import xls_bytes
from tests.read.helpers import NAME, only_sheet, openpyxl_bytes, refused
from tests.read.odf import Table, ods_bytes
from toolkit.read import DEFAULT_MAX_CELLS, read_workbook
from toolkit.read.caps import CELL_BYTES, DEFAULT_MAX_UNPACKED_BYTES, Limits

# 60 donors: the sheet that lost 31 of them to the row cap.
DONORS = (
    [["序号", "捐赠姓名", "金额"]] + [[i, f"捐赠人{i}", 10.0] for i in range(1, 61)] + [["合计", None, 600.0]]
)


def _xlsx(rows: list[list[object]]) -> bytes:
    def fill(book: object) -> None:
        for row in rows:
            book.active.append(row)  # type: ignore[attr-defined]

    return openpyxl_bytes(fill)


def _csv(rows: list[list[object]]) -> bytes:
    return "\n".join(",".join("" if v is None else str(v) for v in row) for row in rows).encode("gbk")


BUILDERS: dict[str, Callable[[list[list[object]]], bytes]] = {
    "xlsx": _xlsx,
    "xls": lambda rows: xls_bytes(XlsSheet("Sheet1", rows)),
    "ods": lambda rows: ods_bytes(Table("Sheet1", rows)),
    "csv": _csv,
}


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_a_sheet_past_max_rows_is_refused_in_every_format_never_cut_short(kind: str) -> None:
    data = BUILDERS[kind](DONORS)
    problem = refused(data, max_rows=30)
    assert problem.code == "sheet.too_many_rows"
    assert problem.value == "62 行"
    assert "max_rows" in problem.message and "30" in problem.message and "62" in problem.message
    assert len(only_sheet(read_workbook(data, NAME, max_rows=62)).rows) == 62


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_a_sheet_over_the_cell_cap_is_refused_in_every_format_naming_the_setting(kind: str) -> None:
    data = BUILDERS[kind](DONORS)
    problem = refused(data, max_cells=62 * 3 - 1)
    assert (problem.code, problem.value) == ("sheet.too_large", "A1:C62")
    assert "max_unpacked_mb" in problem.message
    assert len(only_sheet(read_workbook(data, NAME, max_cells=62 * 3)).rows) == 62


def test_the_cell_cap_follows_max_unpacked_mb() -> None:
    assert DEFAULT_MAX_CELLS == DEFAULT_MAX_UNPACKED_BYTES // CELL_BYTES == Limits().max_cells
    data = _xlsx(DONORS)
    assert refused(data, max_unpacked_bytes=62 * 3 * CELL_BYTES - CELL_BYTES).code in {
        "sheet.too_large",
        "file.too_large",
    }


def test_sheets_together_over_the_cell_cap_are_refused() -> None:
    def fill(book: object) -> None:
        for index in range(3):
            sheet = book.create_sheet(f"表{index}")  # type: ignore[attr-defined]
            for row in DONORS:
                sheet.append(row)

    data = openpyxl_bytes(fill)
    problem = refused(data, max_cells=62 * 3 * 2)
    assert (problem.code, problem.sheet) == ("workbook.too_large", "表2")
    assert "max_unpacked_mb" in problem.message
    assert len(read_workbook(data, NAME, max_cells=62 * 3 * 3).sheets) == 4


def test_row_cap_names_the_first_row_past_it() -> None:
    problem = refused(_xlsx(DONORS), max_rows=30)
    assert problem.cell == "A31"
