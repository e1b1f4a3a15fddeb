"""Tests for `toolkit.read.sniff` and the entry point: the format is told by the bytes, never by the name."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.read.biff import Sheet as XlsSheet
from tests.read.biff import compound_file, xls_bytes
from tests.read.helpers import NAME, only_sheet, openpyxl_bytes, refused
from tests.read.odf import Table, ods_bytes
from toolkit.errors import Problem, UnreadableWorkbook
from toolkit.read import read_workbook
from toolkit.read.sniff import Kind, sniff, text_encoding
from toolkit.records import Workbook

ROWS = [["序号", "捐赠姓名", "金额"], [1.0, "张三", 500.0]]


def _xlsx() -> bytes:
    def fill(book: object) -> None:
        for row in ROWS:
            book.active.append(row)  # type: ignore[attr-defined]

    return openpyxl_bytes(fill)


FORMATS = {
    "xlsx": _xlsx,
    "xls": lambda: xls_bytes(XlsSheet("Sheet1", ROWS)),
    "ods": lambda: ods_bytes(Table("Sheet1", ROWS)),
    "csv": lambda: "序号,捐赠姓名,金额\n1,张三,500\n".encode(),
}


@pytest.mark.parametrize("kind", sorted(FORMATS))
@pytest.mark.parametrize(
    "name", ["捐款名单.xlsx", "捐款名单.xls", "捐款名单.ods", "捐款名单.csv", "捐款名单.et", "捐款名单"]
)
def test_every_format_is_read_whatever_its_name(kind: str, name: str) -> None:
    sheet = only_sheet(read_workbook(FORMATS[kind](), name))
    assert [list(row) for row in sheet.rows] == ROWS


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"PK\x03\x04rest", Kind.ZIP),
        (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(600), Kind.COMPOUND),
        (b"a,b\n1,2\n", Kind.TEXT),
        ("\ufeff姓名;金额\n".encode(), Kind.TEXT),
        ("姓名\t金额\n".encode("utf-16"), Kind.TEXT),
        ("姓名,金额\n张三,500\n".encode("gbk"), Kind.TEXT),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", Kind.HTML),
        (b"\r\n<!DOCTYPE html>\n<html>", Kind.HTML),
        (b"MIME-Version: 1.0\r\nContent-Type: multipart/related", Kind.HTML),
        (b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">', Kind.XML),
        (b"hello world\n", Kind.UNKNOWN),
        (b"%PDF-1.7\n\x00\x01\x02\xff\xfe binary", Kind.UNKNOWN),
    ],
)
def test_sniff(data: bytes, kind: Kind) -> None:
    assert sniff(data) is kind


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("姓名,金额", "utf-8", "utf-8"),
        ("\ufeff姓名,金额", "utf-8", "utf-8-sig"),
        ("姓名,金额", "gbk", "gb18030"),
        ("姓名,金额", "utf-16", "utf-16"),
    ],
)
def test_text_encoding(text: str, encoding: str, expected: str) -> None:
    assert text_encoding(text.encode(encoding)) == expected


CASES = [
    ("empty", b"", "file.empty"),
    ("text without separators", b"hello world\n", "file.not_zip"),
    ("random bytes", random.Random(7).randbytes(4096), "file.not_zip"),
    ("pdf", b"%PDF-1.7\n\x00\x01\x02\xff\xfe binary", "file.not_zip"),
    ("web page saved as .xls", b"<html><table><tr><td>1</td></tr></table></html>", "file.unsupported_format"),
    (
        "excel 2003 xml",
        b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
        "file.unsupported_format",
    ),
    (
        "encrypted xlsx",
        compound_file({"EncryptionInfo": b"x" * 200, "EncryptedPackage": b"y" * 5000}),
        "file.encrypted",
    ),
    (
        "word 97 document or .wps",
        compound_file({"WordDocument": b"x" * 100, "1Table": b"y" * 100}),
        "file.docx",
    ),
    (
        "unknown compound file (.et that is not BIFF)",
        compound_file({"Something": b"x" * 100}),
        "file.unsupported_format",
    ),
]


@pytest.mark.parametrize(("data", "code"), [(d, c) for _, d, c in CASES], ids=[c[0] for c in CASES])
def test_what_is_not_a_readable_table_gives_one_problem(data: bytes, code: str) -> None:
    assert refused(data).code == code


def test_web_page_is_told_to_be_saved_as_xlsx() -> None:
    problem = refused(b"<html><table><tr><td>1</td></tr></table></html>", "捐款.xls")
    assert "网页" in problem.message and "另存为" in problem.message


def test_encrypted_message_tells_how_to_remove_the_password() -> None:
    problem = refused(compound_file({"EncryptionInfo": b"x" * 200, "EncryptedPackage": b"y" * 5000}))
    assert "用密码进行加密" in problem.message


# --------------------------------------------------------------------------- fuzzing: nothing else escapes


def outcome(data: bytes) -> Workbook | tuple[Problem, ...]:
    """The workbook read from ``data``, or the problems it was refused with."""
    try:
        return read_workbook(data, NAME)
    except UnreadableWorkbook as exc:
        return exc.problems


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.sampled_from([b"", b"PK\x03\x04", bytes.fromhex("D0CF11E0A1B11AE1")]),
    body=st.binary(max_size=2048),
)
def test_arbitrary_bytes_never_raise_anything_else(prefix: bytes, body: bytes) -> None:
    result = outcome(prefix + body)
    assert isinstance(result, Workbook) or len(result) == 1


_VALID = {
    "xlsx": _xlsx(),
    "xls": xls_bytes(XlsSheet("Sheet1", ROWS * 40)),
    "ods": ods_bytes(Table("Sheet1", ROWS)),
}


@pytest.mark.parametrize("kind", sorted(_VALID))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)), min_size=1, max_size=8)
)
def test_damaged_workbooks_never_raise_anything_else(kind: str, flips: list[tuple[float, int]]) -> None:
    data = bytearray(_VALID[kind])
    for where, mask in flips:
        data[int(where * len(data))] ^= mask
    result = outcome(bytes(data))
    assert (isinstance(result, Workbook) and result.sheets) or len(result) == 1
