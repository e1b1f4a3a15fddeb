"""Spec for `toolkit.report`: the clerk's workbook comes back with every problem marked and listed."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from openpyxl.comments import Comment

from toolkit.errors import Problem, Severity, ToolkitError, UnreadableWorkbook
from toolkit.report import ERROR_FILL, LIST_SHEET, WARNING_FILL, annotate_workbook

HEADER = ["单元格", "说明", "级别", "工作表", "找到的值", "代码", "序号"]


def source(extra: Callable[[Any], None] | None = None, *, sheet: str = "捐款名单") -> bytes:
    """A small donor list; ``extra(wb)`` may add sheets, comments, merges..."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    rows: list[list[Any]] = [
        ["爱心捐款名单"],
        ["序号", "捐赠姓名", "金额/元"],
        [1, "王琳萍", 3000],
        [2, "和润萍", "abc"],
    ]
    for row in rows:
        ws.append(row)
    ws["C5"] = "=SUM(C3:C4)"
    if extra is not None:
        extra(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def load(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def error(
    cell: str, message: str = "金额“abc”不是数字", code: str = "amount.not_a_number", **kw: Any
) -> Problem:
    kw.setdefault("sheet", "捐款名单")
    return Problem(code, message, Severity.ERROR, "捐款.xlsx", cell=cell, **kw)


def warning(cell: str, message: str = "姓名重复", code: str = "donor.duplicate", **kw: Any) -> Problem:
    kw.setdefault("sheet", "捐款名单")
    return Problem(code, message, Severity.WARNING, "捐款.xlsx", cell=cell, **kw)


def fill_of(cell: Any) -> str | None:
    if cell.fill is None or cell.fill.fill_type != "solid":
        return None
    return str(cell.fill.start_color.rgb)[-6:]


@pytest.mark.parametrize(
    ("problems", "expected_fill"),
    [
        ([error("C4")], ERROR_FILL),
        ([warning("C4")], WARNING_FILL),
        ([warning("C4"), error("C4")], ERROR_FILL),
        ([warning("C4"), warning("C4", "再次重复", "donor.again")], WARNING_FILL),
    ],
    ids=["error", "warning", "error-wins", "two-warnings"],
)
def test_problem_cell_is_filled_and_commented(problems: list[Problem], expected_fill: str) -> None:
    ws = load(annotate_workbook(source(), problems))["捐款名单"]
    assert fill_of(ws["C4"]) == expected_fill
    comment = ws["C4"].comment
    assert comment is not None
    lines = comment.text.splitlines()
    assert len(lines) == len(problems)
    for line, problem in zip(lines, problems, strict=True):
        assert problem.message in line
        assert f"[{problem.code}]" in line
        assert line.startswith("错误" if problem.is_error else "警告")
    assert fill_of(ws["C3"]) is None
    assert ws["C3"].comment is None


def test_list_sheet_comes_first_and_lists_every_problem() -> None:
    problems = [
        error("C4", value="abc"),
        warning("B3", value="王琳萍"),
        Problem("file.no_signature", "没有找到收款人", Severity.WARNING, "捐款.xlsx"),
    ]
    wb = load(annotate_workbook(source(), problems))
    assert wb.sheetnames == [LIST_SHEET, "捐款名单"]
    assert wb.active.title == LIST_SHEET
    ws = wb[LIST_SHEET]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows == [
        HEADER,
        ["C4", "金额“abc”不是数字", "错误", "捐款名单", "abc", "amount.not_a_number", 1],
        ["B3", "姓名重复", "警告", "捐款名单", "王琳萍", "donor.duplicate", 2],
        [None, "没有找到收款人", "警告", None, None, "file.no_signature", 3],
    ]
    assert ws.freeze_panes == "A2"
    assert all(ws.column_dimensions[c].width >= 6 for c in "ABCDEFG")
    assert ws["A2"].hyperlink is not None
    assert ws["A2"].hyperlink.location == "'捐款名单'!C4"
    assert ws["A4"].hyperlink is None
    assert fill_of(ws["C2"]) == ERROR_FILL
    assert fill_of(ws["C3"]) == WARNING_FILL
    assert [s.sheet_view.tabSelected for s in wb.worksheets] == [True, False]


@pytest.mark.parametrize(
    "problem",
    [
        Problem("file.empty", "工作簿是空的", file="捐款.xlsx"),
        error("C4", sheet="不存在的表"),
        error("ZZZZ1"),
        error("A0"),
        error("C3:C4"),
        error("XFE1"),
        error("A1048577"),
        error("", sheet="捐款名单"),
    ],
    ids=[
        "file-level",
        "unknown-sheet",
        "bad-column",
        "row-zero",
        "range",
        "past-last-column",
        "past-last-row",
        "sheet-level",
    ],
)
def test_unlocated_problem_only_goes_into_the_list(problem: Problem) -> None:
    wb = load(annotate_workbook(source(), [problem]))
    ws = wb["捐款名单"]
    assert not any(cell.comment for row in ws.iter_rows() for cell in row)
    listed = wb[LIST_SHEET]
    assert listed.max_row == 2
    assert listed["F2"].value == problem.code
    assert listed["A2"].hyperlink is None


@pytest.mark.parametrize("cell", ["c4", "$C$4", " C4 "])
def test_cell_address_is_normalised(cell: str) -> None:
    wb = load(annotate_workbook(source(), [error(cell)]))
    assert fill_of(wb["捐款名单"]["C4"]) == ERROR_FILL
    assert wb[LIST_SHEET]["A2"].hyperlink.location == "'捐款名单'!C4"


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://example.com","点我")', "=1+1", "+1+1", "-2+3", "@SUM(1)", "=SUM(A1:A2)"],
)
def test_input_text_is_never_a_live_formula(text: str) -> None:
    sheet = "@表" if text.startswith("@") else "捐款名单"
    problems = [Problem("amount.not_a_number", text, Severity.ERROR, "x.xlsx", sheet, "C4", text)]

    def rename(wb: Any) -> None:
        wb.active.title = sheet
        wb.active["C5"] = None  # no formula anywhere in the source

    data = annotate_workbook(source(rename), problems)
    ws = load(data)[LIST_SHEET]
    for ref in ("B2", "D2", "E2"):
        assert ws[ref].data_type == "s"
    assert ws["E2"].value == text
    assert ws["B2"].value == text
    assert ws["D2"].value == sheet
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in zf.read(name), name


def test_formulas_and_other_content_are_kept() -> None:
    def more(wb: Any) -> None:
        other = wb.create_sheet("备注")
        other["A1"] = "别动我"
        other["B2"] = "=LEN(A1)"

    wb = load(annotate_workbook(source(more), [error("C4")]))
    assert wb.sheetnames == [LIST_SHEET, "捐款名单", "备注"]
    ws = wb["捐款名单"]
    assert ws["C5"].value == "=SUM(C3:C4)"
    assert ws["C5"].data_type == "f"
    assert [c.value for c in ws[3]] == [1, "王琳萍", 3000]
    assert wb["备注"]["A1"].value == "别动我"
    assert wb["备注"]["B2"].value == "=LEN(A1)"


def test_existing_comment_is_kept_below_ours() -> None:
    def comment(wb: Any) -> None:
        wb.active["C4"].comment = Comment("这是会计的备注", "会计")

    text = load(annotate_workbook(source(comment), [error("C4")]))["捐款名单"]["C4"].comment.text
    assert text.splitlines()[0].startswith("错误")
    assert text.splitlines()[-1] == "这是会计的备注"


def test_problem_inside_a_merge_marks_its_top_left_cell() -> None:
    def merge(wb: Any) -> None:
        wb.active.merge_cells("A1:C1")

    wb = load(annotate_workbook(source(merge), [error("B1", code="title.odd")]))
    assert fill_of(wb["捐款名单"]["A1"]) == ERROR_FILL
    assert wb["捐款名单"]["A1"].comment is not None
    assert wb[LIST_SHEET]["A2"].value == "B1"
    assert wb[LIST_SHEET]["A2"].hyperlink.location == "'捐款名单'!A1"


@pytest.mark.parametrize(
    ("taken", "expected"), [(["问题清单"], "问题清单 (2)"), (["问题清单", "问题清单 (2)"], "问题清单 (3)")]
)
def test_list_sheet_title_never_clashes(taken: list[str], expected: str) -> None:
    def sheets(wb: Any) -> None:
        for title in taken:
            wb.create_sheet(title)["A1"] = "原有内容"

    wb = load(annotate_workbook(source(sheets), [error("C4")]))
    assert wb.sheetnames[0] == expected
    assert wb["问题清单"]["A1"].value == "原有内容"


def test_quote_in_sheet_name_is_escaped_in_the_link() -> None:
    def rename(wb: Any) -> None:
        wb.active.title = "王's 表"

    wb = load(annotate_workbook(source(rename), [error("C4", sheet="王's 表")]))
    assert wb[LIST_SHEET]["A2"].hyperlink.location == "'王''s 表'!C4"
    assert fill_of(wb["王's 表"]["C4"]) == ERROR_FILL


def test_xml_illegal_characters_are_dropped() -> None:
    problem = error("C4", message="金额\x00有\x1b问题", value="a\x07b")
    wb = load(annotate_workbook(source(), [problem]))
    assert wb[LIST_SHEET]["B2"].value == "金额有问题"
    assert wb[LIST_SHEET]["E2"].value == "ab"
    assert "金额有问题" in wb["捐款名单"]["C4"].comment.text


def test_many_problems_on_one_cell_make_one_comment() -> None:
    problems = [warning("C4", f"第{i}条", f"code.{i}") for i in range(300)]
    wb = load(annotate_workbook(source(), problems))
    assert wb["捐款名单"]["C4"].comment.text.count("\n") == 299
    assert wb[LIST_SHEET].max_row == 301


def test_list_reads_and_prints_well_where_and_what_first_on_a4() -> None:
    long = "合计写的是 1300，但各笔金额相加是 800，相差 500；请核对各笔金额或改正合计。" * 3
    wb = load(annotate_workbook(source(), [error("C4", message="金额不是数字"), error("C5", message=long)]))
    ws = wb[LIST_SHEET]
    assert [ws["A1"].value, ws["B1"].value] == ["单元格", "说明"]
    assert ws.column_dimensions["B"].width >= 60  # 说明 is the wide column…
    assert ws["B2"].alignment.wrap_text and ws["B3"].alignment.wrap_text  # …and wraps
    one, three = ws.row_dimensions[2].height, ws.row_dimensions[3].height
    assert one is not None and three is not None
    assert one >= 15 and three >= 3 * one - 12  # 3 lines of text get about 3 lines of height
    setup = ws.page_setup
    assert (setup.paperSize, setup.orientation) == (9, "landscape")  # 9 is A4
    assert (setup.fitToWidth, setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == (1, 0, True)
    assert ws.print_title_rows == "$1:$1"


def test_no_problems_gives_an_empty_list() -> None:
    wb = load(annotate_workbook(source(), []))
    assert [list(r) for r in wb[LIST_SHEET].iter_rows(values_only=True)] == [HEADER]


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return buf.getvalue()


@pytest.mark.parametrize(
    "data",
    [b"", b"not a workbook", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), _zip({"hello.txt": b"hi"})],
    ids=["empty", "text", "ole-xls", "zip-without-workbook"],
)
def test_unreadable_bytes_raise_unreadable_workbook(data: bytes) -> None:
    with pytest.raises(UnreadableWorkbook) as info:
        annotate_workbook(data, [error("C4")])
    assert isinstance(info.value, ToolkitError)
    assert [p.code for p in info.value.problems] == ["report.unreadable"]


def test_annotates_what_check_workbook_found() -> None:
    from tests.workbooks import build_workbook, plain_rows
    from toolkit.pipeline import check_workbook

    data = build_workbook(plain_rows([("王琳萍", 3000), ("和润萍", "一千"), ("", 500)], total=3500))
    checked = check_workbook(data, "捐款.xlsx")
    errors = [p for p in checked.problems if p.is_error]
    assert errors
    wb = load(annotate_workbook(data, checked.problems))
    ws = wb["捐款名单"]
    for problem in errors:
        if problem.cell:
            assert fill_of(ws[problem.cell]) == ERROR_FILL, problem.format()
            assert f"[{problem.code}]" in ws[problem.cell].comment.text
    assert wb[LIST_SHEET].max_row == len(checked.problems) + 1


# --------------------------------------------------------------------------- inputs openpyxl cannot open


def _other_formats() -> dict[str, bytes]:
    from tests.read.biff import Sheet as XlsSheet
    from tests.read.biff import xls_bytes
    from tests.read.odf import Table, ods_bytes

    rows: list[list[Any]] = [
        ["爱心捐款名单"],
        ["序号", "捐赠姓名", "金额/元"],
        [1, "王琳萍", 3000],
        [2, "和润萍", "abc"],
    ]
    csv = "\n".join(",".join(str(v) for v in row) for row in rows).encode("gbk")
    return {
        "xls": xls_bytes(
            [
                XlsSheet("捐款名单", rows, hidden_rows=frozenset({2}), merged=[(0, 0, 0, 2)]),
                XlsSheet("旧", [[1]], state=1),
            ]
        ),
        "ods": ods_bytes(
            [Table("捐款名单", rows, hidden_rows=frozenset({2})), Table("旧", [[1]], hidden=True)]
        ),
        "csv": csv,
    }


@pytest.mark.parametrize("kind", ["xls", "ods", "csv"])
def test_other_formats_get_a_fresh_xlsx_of_their_values_with_the_bad_cells_marked(kind: str) -> None:
    sheet, file = "捐款名单", f"捐款名单.{kind}"
    problems = [error("C4", sheet=sheet).located(file), warning("B3", sheet=sheet).located(file)]
    wb = load(annotate_workbook(_other_formats()[kind], problems))
    assert wb.sheetnames[0] == LIST_SHEET
    ws = wb[sheet]
    assert [ws["B2"].value, ws["B3"].value, ws["C3"].value, ws["C4"].value] == [
        "捐赠姓名",
        "王琳萍",
        3000,
        "abc",
    ]
    assert fill_of(ws["C4"]) == ERROR_FILL
    assert fill_of(ws["B3"]) == WARNING_FILL
    assert "[amount.not_a_number]" in ws["C4"].comment.text
    assert wb[LIST_SHEET].max_row == 3
    if kind != "csv":
        assert ws.row_dimensions[3].hidden
        assert wb["旧"].sheet_state == "hidden"
    if kind == "xls":
        assert "A1:C1" in {str(r) for r in ws.merged_cells.ranges}


def test_a_fresh_copy_keeps_text_as_text() -> None:
    data = '姓名,金额\n=HYPERLINK("x"),500\n'.encode()
    wb = load(annotate_workbook(data, [error("A2", sheet="名单").located("名单.csv")]))
    assert wb["名单"]["A2"].data_type == "s"
    assert fill_of(wb["名单"]["A2"]) == ERROR_FILL


def test_the_annotated_copy_is_best_effort() -> None:
    from toolkit.report import annotated_copy

    assert annotated_copy(b"not a workbook", [error("C4")]) is None  # the text report still goes out
    assert annotated_copy(source(), [error("C4")]) is not None
