"""The annotated error workbook: the clerk's own file with every problem marked where it is.

`annotate_workbook` takes the workbook bytes and the problems found in them and returns a copy in
which each problem cell is filled red (error) or yellow (warning) and carries a comment with the
message and code, plus a first sheet ``问题清单`` that lists every problem with a link to its cell.
Pure: bytes in, bytes out. The pipeline writes the result as ``OUTPUT/<stem>.errors.xlsx``.

The list is made to be read and printed: 单元格 and 说明 come first, 说明 wraps in a wide column and
each row is as tall as its text, and it prints on A4 landscape, one page wide, the heading row on
every page. Its words are `toolkit.messages`'s.

An .xlsx or .xlsm is annotated as it is (formulas, formats and comments kept). Any other format
toolkit reads (.xls, WPS .et, .ods, .csv) has no .xlsx to annotate: a fresh .xlsx is built from the
values the reader gives (same sheet names and cells, merges, hidden rows and hidden sheets), and
annotated the same way.

Text that comes from the input (values, sheet names, messages) is always written as text, never
as a live formula, even when it begins with ``=``.
"""

from __future__ import annotations

import io
import logging
import math
import re
import warnings
import zipfile
from collections.abc import Sequence
from typing import Any

from toolkit import codes, messages
from toolkit.errors import Problem, Severity, UnreadableWorkbook
from toolkit.text import display_width, strip_xml_illegal

__all__ = ["LIST_SHEET", "annotate_workbook", "annotated_copy"]

log = logging.getLogger(__name__)

LIST_SHEET = messages.PROBLEM_SHEET
"""Title of the sheet that lists every problem (a suffix is added if the workbook already has one)."""

ERROR_FILL = "FFC7CE"
"""Light red: the cell has at least one error."""
WARNING_FILL = "FFEB9C"
"""Light yellow: the cell has warnings only."""

_HEADER = messages.PROBLEM_COLUMNS
"""单元格, 说明, 级别, 工作表, 找到的值, 代码, 序号."""
_WIDTHS = (9, 64, 6, 14, 20, 26, 6)
"""Column widths in Excel's units (about one digit; a Chinese character takes about two)."""
_WRAPPED = (1, 4)
"""0-based columns whose text wraps: 说明 and 找到的值."""
_LINE_POINTS = 16.0
"""Height of one line of wrapped text, in points (a CJK font at 11 pt needs a little more than 15)."""
_FILL_RATIO = 0.9
"""Share of a column's width a line of text may fill before it wraps (fonts differ between Excel and WPS)."""
_LEVEL = messages.SEVERITY_WORDS
_MAX_CELL_TEXT = 32_767  # Excel's limit on the characters in one cell
_MAX_ROW = 1_048_576
_MAX_COL = 16_384
_A1 = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


def annotated_copy(data: bytes, problems: Sequence[Problem]) -> bytes | None:
    """`annotate_workbook`, best effort: None when the copy cannot be made (the pipeline then
    publishes the text report alone, which is the must-have)."""
    try:
        return annotate_workbook(data, problems)
    except Exception as exc:
        log.info("没有生成标注错误的工作簿：%s", exc)
        log.debug("标注错误的工作簿失败", exc_info=True)
        return None


def annotate_workbook(data: bytes, problems: Sequence[Problem]) -> bytes:
    """Return a copy of the workbook ``data`` with ``problems`` marked on their cells and listed.

    Each problem with a sheet and a cell that exist in the workbook fills that cell (red for
    errors, yellow for warnings) and adds its lines to one comment per cell (an existing comment is
    kept below ours). Every problem, located or not, is a row of the new first sheet ``问题清单``.
    Formulas stay formulas (loaded with ``data_only=False``); VBA is dropped. Other formats are
    rebuilt from their values (read with the default caps).

    Raises:
        UnreadableWorkbook: ``report.unreadable`` when the bytes cannot be read as a workbook.
    """
    wb = _load(data, next((p.file for p in problems if p.file), "workbook"))
    located = _annotate_cells(wb, problems)
    _add_problem_list(wb, problems, located)
    wb.template = False  # always save as a plain .xlsx, whatever the input was
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _is_ooxml(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def _load(data: bytes, name: str) -> Any:
    import openpyxl

    if data and not _is_ooxml(data):
        return _rebuild(data, name)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about unsupported extensions, dropped images, odd styles...
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), data_only=False, keep_vba=False)
    except Exception as exc:  # openpyxl raises BadZipFile, KeyError, ValueError, ParseError... on bad files
        log.debug("openpyxl 打不开这个工作簿", exc_info=True)
        raise UnreadableWorkbook(
            Problem(
                codes.REPORT_UNREADABLE,
                f"无法生成标注了问题的表格副本：openpyxl 打不开这个文件（{type(exc).__name__}）。请查看文字版错误报告",
            )
        ) from exc


def _rebuild(data: bytes, name: str) -> Any:
    """A new openpyxl workbook holding the values of a workbook openpyxl cannot open (.xls, .ods, .csv).

    ``name`` is the input's file name: a CSV's one sheet is named after it, as the problems name it.
    """
    import openpyxl
    from openpyxl.utils import get_column_letter

    from toolkit.read import read_workbook

    try:
        source = read_workbook(data, name)
    except UnreadableWorkbook as exc:
        raise UnreadableWorkbook(
            Problem(
                codes.REPORT_UNREADABLE,
                "无法生成标注了问题的表格副本：这个文件无法读取。请查看文字版错误报告",
            )
        ) from exc
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in source.sheets:
        ws = wb.create_sheet(sheet.name)
        if not sheet.visible:
            ws.sheet_state = "hidden"
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    _put_text(ws, r, c, value)
                else:
                    ws.cell(row=r, column=c, value=value)
        for r0, c0, r1, c1 in sheet.merged:
            if (r0, c0) != (r1, c1):
                ws.merge_cells(f"{get_column_letter(c0 + 1)}{r0 + 1}:{get_column_letter(c1 + 1)}{r1 + 1}")
        for row_index in sheet.hidden_rows:
            ws.row_dimensions[row_index + 1].hidden = True
    if not any(ws.sheet_state == "visible" for ws in wb.worksheets):
        wb.worksheets[0].sheet_state = "visible"
    return wb


def _text(value: str) -> str:
    """Input text made safe for a cell: XML-legal and within Excel's length limit."""
    clean, _ = strip_xml_illegal(value)
    return clean[:_MAX_CELL_TEXT]


def _coordinate(cell: str) -> str | None:
    """Normalised A1 address (``c7`` → ``C7``), or ``None`` if ``cell`` is not one cell inside Excel's grid."""
    match = _A1.fullmatch(cell.strip())
    if match is None:
        return None
    from openpyxl.utils.cell import column_index_from_string

    letters, digits = match.group(1).upper(), match.group(2)
    col, row = column_index_from_string(letters), int(digits)
    if not (1 <= row <= _MAX_ROW and 1 <= col <= _MAX_COL):
        return None
    return f"{letters}{row}"


def _worksheet(wb: Any, name: str) -> Any:
    """The worksheet called ``name`` (chart sheets and unknown names give ``None``)."""
    from openpyxl.worksheet.worksheet import Worksheet

    if not name or name not in wb.sheetnames:
        return None
    ws = wb[name]
    return ws if isinstance(ws, Worksheet) else None


def _anchor(ws: Any, coordinate: str) -> str:
    """The cell that holds ``coordinate``'s value: the top-left cell when it sits inside a merge."""
    from openpyxl.cell.cell import MergedCell

    if not isinstance(ws[coordinate], MergedCell):
        return coordinate
    for merged in ws.merged_cells.ranges:
        if coordinate in merged:
            return str(merged.start_cell.coordinate)
    return coordinate


def _annotate_cells(wb: Any, problems: Sequence[Problem]) -> dict[int, tuple[str, str]]:
    """Fill and comment every located problem's cell; return ``{index: (sheet, cell)}`` of those marked."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    located: dict[int, tuple[str, str]] = {}
    by_cell: dict[tuple[str, str], list[Problem]] = {}
    for index, problem in enumerate(problems):
        ws = _worksheet(wb, problem.sheet)
        coordinate = _coordinate(problem.cell) if ws is not None and problem.cell else None
        if coordinate is None:
            continue
        anchor = _anchor(ws, coordinate)
        located[index] = (problem.sheet, anchor)
        by_cell.setdefault((problem.sheet, anchor), []).append(problem)

    fills = {
        True: PatternFill(fill_type="solid", start_color=ERROR_FILL, end_color=ERROR_FILL),
        False: PatternFill(fill_type="solid", start_color=WARNING_FILL, end_color=WARNING_FILL),
    }
    for (sheet, coordinate), cell_problems in by_cell.items():
        cell = wb[sheet][coordinate]
        cell.fill = fills[any(p.is_error for p in cell_problems)]
        lines = [f"{_LEVEL[p.severity]}：{_text(p.message)} [{_text(p.code)}]" for p in cell_problems]
        old = cell.comment
        if old is not None and old.text:
            lines += [messages.OLD_COMMENT, _text(old.text)]
        text = "\n".join(lines)[:_MAX_CELL_TEXT]
        height = min(40 + 36 * len(lines), 400)
        cell.comment = Comment(text, "toolkit", height=height, width=320)
    return located


def _unique_title(wb: Any, title: str) -> str:
    taken = {name.lower() for name in wb.sheetnames}
    candidate, n = title, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{title} ({n})"
    return candidate


def _put_text(ws: Any, row: int, col: int, value: str) -> Any:
    """Write ``value`` as a text cell, never as a formula, whatever it starts with; ``""`` stays blank."""
    cell = ws.cell(row=row, column=col)
    if value:
        cell.value = _text(value)
        cell.data_type = "s"
    return cell


def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _row_points(values: Sequence[str]) -> float:
    """Height of a list row in points: enough lines for the longest of its wrapped texts."""
    lines = 1
    for column in _WRAPPED:
        capacity = _WIDTHS[column] * _FILL_RATIO
        paragraphs = values[column].split("\n")
        lines = max(lines, sum(max(1, math.ceil(display_width(p) / capacity)) for p in paragraphs))
    return lines * _LINE_POINTS + 4


def _add_problem_list(wb: Any, problems: Sequence[Problem], located: dict[int, tuple[str, str]]) -> None:
    """Insert the ``问题清单`` sheet first, make it the sheet Excel opens on, and set it up for A4."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    for ws in wb.worksheets:  # only one selected tab, or Excel opens the sheets as a group
        ws.sheet_view.tabSelected = False
    ws = wb.create_sheet(_unique_title(wb, LIST_SHEET), 0)
    wb.active = 0
    ws.sheet_view.tabSelected = True

    bold = Font(bold=True)
    header_fill = PatternFill(fill_type="solid", start_color="D9D9D9", end_color="D9D9D9")
    for col, (title, width) in enumerate(zip(_HEADER, _WIDTHS, strict=True), start=1):
        cell = ws.cell(row=1, column=col, value=title)
        cell.font = bold
        cell.fill = header_fill
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"

    level_fill = {
        Severity.ERROR: PatternFill(fill_type="solid", start_color=ERROR_FILL, end_color=ERROR_FILL),
        Severity.WARNING: PatternFill(fill_type="solid", start_color=WARNING_FILL, end_color=WARNING_FILL),
    }
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    link_font = Font(color="0563C1", underline="single")
    for index, problem in enumerate(problems):
        row = index + 2
        values = (problem.cell, problem.message, "", problem.sheet, problem.value, problem.code, "")
        cell_cell = _put_text(ws, row, 1, problem.cell)
        cell_cell.alignment = top
        _put_text(ws, row, 2, problem.message).alignment = wrap
        level = ws.cell(row=row, column=3, value=_LEVEL[problem.severity])
        level.fill = level_fill[problem.severity]
        level.alignment = top
        _put_text(ws, row, 4, problem.sheet).alignment = top
        _put_text(ws, row, 5, problem.value).alignment = wrap
        _put_text(ws, row, 6, problem.code).alignment = top
        ws.cell(row=row, column=7, value=index + 1).alignment = top
        ws.row_dimensions[row].height = _row_points([_text(v) for v in values])
        if index in located:
            sheet, coordinate = located[index]
            cell_cell.hyperlink = Hyperlink(
                ref=cell_cell.coordinate, location=f"{_quote_sheet(sheet)}!{coordinate}"
            )
            cell_cell.font = link_font
    if problems:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(_HEADER))}{len(problems) + 1}"
    _print_on_a4(ws)


def _print_on_a4(ws: Any) -> None:
    """A4 landscape, one page wide and as many long as needed, the heading row on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
