"""Builders and assertions shared by the reader's tests; every fixture is built in code."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import openpyxl
import pytest
import xlsxwriter

from toolkit.errors import Problem, UnreadableWorkbook
from toolkit.read import read_workbook
from toolkit.records import Sheet, Workbook

NAME = "捐款名单.xlsx"
_CJK = re.compile("[\u4e00-\u9fff]")


def openpyxl_bytes(fill: Callable[[openpyxl.Workbook], None]) -> bytes:
    book = openpyxl.Workbook()
    fill(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsxwriter_bytes(fill: Callable[[xlsxwriter.Workbook], None]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    fill(book)
    book.close()
    return out.getvalue()


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return out.getvalue()


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(data: bytes, **changes: Callable[[bytes], bytes]) -> bytes:
    """Rewrite members of a zip; keyword names use ``__`` for ``/`` and ``_dot_`` for ``.``."""
    members = members_of(data)
    for key, change in changes.items():
        member = key.replace("__", "/").replace("_dot_", ".")
        members[member] = change(members[member])
    return zip_bytes(members)


def simple_sheet_xml(cells: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{cells}</sheetData></worksheet>"
    ).encode()


def with_sheet_xml(cells: str) -> bytes:
    """A small xlsxwriter workbook whose first sheet's XML is replaced by ``cells``."""
    base = xlsxwriter_bytes(lambda book: book.add_worksheet("数据").write("A1", "x"))
    return rezip(base, xl__worksheets__sheet1_dot_xml=lambda _: simple_sheet_xml(cells))


def refused(data: bytes, name: str = NAME, **limits: int) -> Problem:
    """The one problem ``data`` is refused with; it names the file and speaks Chinese."""
    with pytest.raises(UnreadableWorkbook) as caught:
        read_workbook(data, name, **limits)
    assert len(caught.value.problems) == 1
    problem = caught.value.problems[0]
    assert problem.file == name
    assert _CJK.search(problem.message), problem.message
    return problem


def only_sheet(book: Workbook) -> Sheet:
    assert len(book.sheets) == 1
    return book.sheets[0]
