"""Tests for `toolkit.read.xls`: Excel 97-2003 and WPS .xls files, built in code by `tests.read.biff`.

Where LibreOffice (with Calc) is installed, its own conversions are read too: an .xlsx built in code
and converted to .xls gives the same grid, and so does the real published list in
``../shared/realworld/`` (which came from an .xls).
"""

from __future__ import annotations

import datetime as dt
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.read.biff import Formula, Rich, Sheet, compound_file, record, workbook_stream, xls_bytes
from tests.read.helpers import NAME, only_sheet, openpyxl_bytes, refused
from toolkit.read import read_workbook

ROWS = [
    ["爱心捐款名单"],
    ["序号", "捐赠姓名", "金额/元"],
    [1, "张三", 500.5],
    [2, Rich((("新疆", 0), ("质量", 1), ("协会", 0))), 15538.27],
    [3, "李四", 100],
    ["合计", None, Formula(16138.77, 2, 4, 2)],
    ["日期", dt.date(2020, 2, 5)],
]


def test_values_follow_the_documented_conventions() -> None:
    sheet = only_sheet(read_workbook(xls_bytes(Sheet("捐款名单", ROWS)), "捐款名单.xls"))
    assert sheet.name == "捐款名单"
    assert sheet.visible
    assert sheet.rows == (
        ("爱心捐款名单", "", ""),
        ("序号", "捐赠姓名", "金额/元"),
        (1.0, "张三", 500.5),
        (2.0, "新疆质量协会", 15538.27),
        (3.0, "李四", 100.0),
        ("合计", "", 16138.77),
        ("日期", dt.date(2020, 2, 5), ""),
    )
    assert all(type(v) is float for row in sheet.rows for v in row if isinstance(v, (int, float)))


def test_sheets_hidden_and_very_hidden() -> None:
    sheets = [
        Sheet("说明", [["x"]]),
        Sheet("隐藏", [[1]], state=1),
        Sheet("深藏", [[2]], state=2),
        Sheet("名单", [[3]]),
    ]
    book = read_workbook(xls_bytes(sheets), NAME)
    assert [(s.name, s.visible) for s in book.sheets] == [
        ("说明", True),
        ("隐藏", False),
        ("深藏", False),
        ("名单", True),
    ]


def test_hidden_rows_are_recorded() -> None:
    sheet = only_sheet(
        read_workbook(xls_bytes(Sheet("名单", ROWS, hidden_rows=frozenset({3, 4, 500}))), NAME)
    )
    assert sheet.hidden_rows == frozenset({3, 4})


def test_merged_cells_and_error_cells() -> None:
    rows = [["合计", None, 100], ["#DIV/0!", Formula("#N/A"), Formula("文字"), True]]
    sheet = only_sheet(read_workbook(xls_bytes(Sheet("名单", rows, merged=[(0, 0, 0, 1)])), NAME))
    assert sheet.merged == ((0, 0, 0, 1),)
    assert sheet.rows == (("合计", "", 100.0, ""), ("#DIV/0!", "#N/A", "文字", True))


def test_a_biff8_file_declaring_gbk_reads_its_unicode_strings() -> None:
    # BIFF8 strings are UTF-16 whatever the CODEPAGE record says; python-calamine decodes them with
    # it (tafia/calamine#229), so a file declaring 936 (GBK) would give mojibake without the guard.
    sheet = only_sheet(read_workbook(xls_bytes(Sheet("名单", ROWS[:3]), codepage=936), NAME))
    assert sheet.rows[2] == (1.0, "张三", 500.5)


def test_password_protected_xls_is_refused() -> None:
    filepass = record(0x002F, struct.pack("<HHH", 1, 1, 1) + bytes(48))
    data = compound_file({"Workbook": workbook_stream([Sheet("名单", ROWS)], globals_extra=filepass)})
    assert refused(data, "捐款名单.xls").code == "file.encrypted"


def test_an_xls_that_lies_about_its_size_is_truncated() -> None:
    data = xls_bytes(Sheet("名单", ROWS * 200))
    assert refused(data[: len(data) // 2], "捐款名单.xls").code == "file.truncated"


# --------------------------------------------------------------------------- hostile files


def _read_in_child(data: bytes, tmp_path: Path, **limits: int) -> str:
    """Read ``data`` in a child process: a guard that failed would abort it, not the test run."""
    path = tmp_path / "hostile.xls"
    path.write_bytes(data)
    code = (
        "import sys; from toolkit.read import read_workbook; from toolkit.errors import UnreadableWorkbook\n"
        "try:\n"
        f"    book = read_workbook(open(sys.argv[1], 'rb').read(), 'x.xls', **{limits!r})\n"
        "    print('read', [len(s.rows) for s in book.sheets])\n"
        "except UnreadableWorkbook as exc:\n"
        "    print('refused', exc.problems[0].code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


@pytest.mark.parametrize(
    "dimensions",
    [(0, 0xFFFFFFFF, 0, 0x4000), (5, 1, 0, 1), (0, 65536, 0, 256)],
    ids=["4 billion rows", "first row after the last", "the whole sheet"],
)
def test_a_small_xls_declaring_a_huge_sheet_is_read_without_the_allocation(
    dimensions: tuple[int, int, int, int], tmp_path: Path
) -> None:
    # python-calamine reserves memory for what DIMENSIONS declares: 4 billion rows make it abort.
    data = xls_bytes(Sheet("名单", [["x"]], dimensions=dimensions))
    assert len(data) < 10_000
    assert _read_in_child(data, tmp_path) == "read [1]"


def test_two_cells_far_apart_are_refused_before_the_cell_library_fills_the_rectangle(tmp_path: Path) -> None:
    rows: list[list[object]] = [["x"]] + [[]] * 65534 + [[None] * 255 + ["y"]]
    data = xls_bytes(Sheet("名单", rows))
    assert _read_in_child(data, tmp_path) == "refused sheet.too_large"
    problem = refused(data)
    assert (problem.sheet, problem.value) == ("名单", "A1:IV65536")
    assert "max_unpacked_mb" in problem.message


def test_sheets_together_over_the_cell_cap_are_refused() -> None:
    sheets = [Sheet(f"表{i}", [[1, 2, 3, 4, 5]] * 10) for i in range(3)]
    assert refused(xls_bytes(sheets), max_cells=120).code == "workbook.too_large"
    assert len(read_workbook(xls_bytes(sheets), NAME, max_cells=150).sheets) == 3


def test_a_file_over_the_size_cap_is_refused() -> None:
    data = xls_bytes(Sheet("名单", ROWS))
    assert refused(data, max_unpacked_bytes=len(data) - 1).code == "file.too_large"


def test_a_sheet_past_the_row_cap_is_refused() -> None:
    problem = refused(xls_bytes(Sheet("名单", ROWS)), max_rows=5)
    assert (problem.code, problem.sheet) == ("sheet.too_many_rows", "名单")
    assert "max_rows" in problem.message


# --------------------------------------------------------------------------- LibreOffice's own .xls


def _soffice_converts(source: Path, target: str, outdir: Path) -> Path | None:
    exe = shutil.which("soffice")
    if exe is None:
        return None
    subprocess.run(
        [
            exe,
            f"-env:UserInstallation=file://{outdir}/profile",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    result = outdir / f"{source.stem}.{target}"
    return result if result.is_file() else None


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes, bytes]:
    """An .xlsx built in code, and LibreOffice's .xls and .ods of it (skips without LibreOffice Calc)."""
    folder = tmp_path_factory.mktemp("soffice")

    def fill(book: openpyxl.Workbook) -> None:
        ws = book.active
        ws.title = "捐款名单"
        ws.append(["爱心捐款名单"])
        ws.merge_cells("A1:C1")
        ws.append(["序号", "捐赠姓名", "金额/元"])
        for i in range(1, 30):
            ws.append([i, f"捐赠人{i}", i * 100.25])
        ws.row_dimensions[5].hidden = True
        ws.append(["合计", None, "=SUM(C3:C31)"])
        ws.append(["日期", dt.date(2020, 2, 5)])
        book.create_sheet("旧版").sheet_state = "hidden"

    source = folder / "list.xlsx"
    source.write_bytes(openpyxl_bytes(fill))
    xls = _soffice_converts(source, "xls", folder)
    ods = _soffice_converts(source, "ods", folder)
    if xls is None or ods is None:
        pytest.skip("LibreOffice Calc (soffice) is not installed")
    # Read the .xlsx as LibreOffice saved it, so the formula has its result.
    xlsx = _soffice_converts(xls, "xlsx", folder / "back")
    assert xlsx is not None
    return xlsx.read_bytes(), xls.read_bytes(), ods.read_bytes()


def test_libreoffice_xls_and_ods_give_the_xlsx_grid(converted: tuple[bytes, bytes, bytes]) -> None:
    xlsx, xls, ods = (read_workbook(data, NAME) for data in converted)
    for book in (xls, ods):
        assert [(s.name, s.visible) for s in book.sheets] == [(s.name, s.visible) for s in xlsx.sheets]
        assert book.sheets[0].rows == xlsx.sheets[0].rows
        assert book.sheets[0].hidden_rows == xlsx.sheets[0].hidden_rows == frozenset({4})
        assert book.sheets[0].merged == xlsx.sheets[0].merged == ((0, 0, 0, 2),)
    assert xlsx.sheets[0].rows[31][2] == pytest.approx(sum(i * 100.25 for i in range(1, 30)))


REALWORLD = Path(__file__).resolve().parents[3] / "shared" / "realworld" / "hubei-list-merged-total.xlsx"


@pytest.mark.skipif(not REALWORLD.is_file(), reason="../shared/realworld is not present")
def test_the_real_hubei_list_reads_the_same_as_xls(tmp_path: Path) -> None:
    # The published file was an .xls (saved as .xlsx by LibreOffice): back to .xls, same grid.
    xls = _soffice_converts(REALWORLD, "xls", tmp_path)
    if xls is None:
        pytest.skip("LibreOffice Calc (soffice) is not installed")
    original = read_workbook(REALWORLD.read_bytes(), REALWORLD.name)
    again = read_workbook(xls.read_bytes(), xls.name)
    assert [s.name for s in again.sheets] == [s.name for s in original.sheets]
    for before, after in zip(original.sheets, again.sheets, strict=True):
        assert after.rows == before.rows
        assert sorted(after.merged) == sorted(before.merged)
        assert after.hidden_rows == before.hidden_rows
