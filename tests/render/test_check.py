"""toolkit.render.check: ``toolkit template check`` reports everything one walk finds."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from tests.render.helpers import (
    REPO,
    make_template,
)
from toolkit.errors import Severity, TemplateError
from toolkit.render import (
    BulletinTemplate,
    check_template,
    load_template,
)


def test_check_default_template(default_template: BulletinTemplate) -> None:
    report = check_template((REPO / "templates" / "bulletin.docx").read_bytes())
    assert report.ok
    assert report.fast
    assert (report.unknown, report.split_tags, report.syntax_errors) == ((), (), ())
    assert (report.errors, report.warnings) == ((), ())
    assert set(report.variables) == set(default_template.variables)
    assert {"masthead", "rows", "group_numbers", "total_capitals", "distribution"} <= set(report.variables)
    assert report.format("bulletin.docx").startswith("bulletin.docx: 可以使用")


@pytest.mark.parametrize(
    ("paragraphs", "unknown", "split", "syntax"),
    [
        ([["{{ masthead }}"]], (), (), 0),
        ([["{{ masthead }}"], ["{{ nonsense }}"]], ("nonsense",), (), 0),
        ([["前言", "{{ mast", "head }}", "后记"]], (), ("前言{{ masthead }}后记",), 0),
        ([["{% for x in %}"]], (), (), 1),
    ],
    ids=["good", "unknown-variable", "split-tag", "syntax-error"],
)
def test_check_template(
    paragraphs: list[list[str]], unknown: tuple[str, ...], split: tuple[str, ...], syntax: int
) -> None:
    report = check_template(make_template(*paragraphs))
    assert report.unknown == unknown
    assert report.split_tags == split
    assert len(report.syntax_errors) == syntax
    assert report.ok is (not unknown and not syntax)
    codes = {p.code for p in report.problems}
    assert ("template.unknown_variable" in codes) is bool(unknown)
    assert ("template.split_tag" in codes) is bool(split)
    assert ("template.syntax" in codes) is bool(syntax)
    if syntax:
        assert "{% for x in %}" in report.syntax_errors[0]
        assert "有错误" in report.format("t.docx")


def test_every_error_of_a_paragraph_is_listed_and_counted() -> None:
    """An unknown filter stops Jinja's own variable finder; the unknown variable is still named."""
    report = check_template(make_template(["{{ orgg }} {{ org.__class__ }} {{ total|money }}"]))
    codes = [p.code for p in report.problems]
    assert {"template.unknown_filter", "template.unsafe", "template.unknown_variable"} <= set(codes)
    assert report.variables == ("org", "orgg", "total")
    errors = sum(1 for p in report.problems if p.is_error)
    warnings = len(report.problems) - errors
    assert f"有错误（{errors} 处，另有 {warnings} 处警告）" in report.format("t.docx")


def test_a_syntax_error_is_said_in_chinese() -> None:
    report = check_template(make_template(["{% if %}x{% endif %}"]))
    assert "缺少内容" in report.syntax_errors[0]
    assert "Expected" not in report.format("t.docx")


def _workbook_bytes() -> bytes:
    buffer = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "捐赠姓名", "金额/元"])
    wb.save(buffer)
    return buffer.getvalue()


def _zip_without_word() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (_workbook_bytes(), "Excel 工作簿"),
        (_zip_without_word(), "不是 Word 文档"),
        (b"PK\x03\x04 broken", "不是有效的 .docx"),
    ],
    ids=["xlsx", "zip", "broken-zip"],
)
def test_check_refuses_files_that_are_not_word_templates(data: bytes, fragment: str) -> None:
    for call in (check_template, load_template):
        with pytest.raises(TemplateError) as info:
            call(data)
        problem = info.value.problems[0]
        assert problem.code == "template.unreadable"
        assert fragment in problem.message
        assert "BytesIO" not in problem.message and "Error" not in problem.message


@pytest.mark.parametrize(
    ("paragraphs", "warnings"),
    [
        ([["{{ masthead }}"], ["{{ total }}"]], ["template.no_donor_list"]),
        ([["{{ donors }}"]], ["template.prints_list", "template.no_donor_list"]),
        ([["{{ rows }}"]], ["template.prints_list", "template.no_donor_list"]),
        ([["共 ", "{{ donors|length }}", " 人"]], ["template.no_donor_list"]),  # a count, but no list
        ([["{%p for row in rows %}"], ["{{ row }}"], ["{%p endfor %}"]], ["template.prints_list"]),
        (
            [
                ["共 ", "{{ donors|length }}", " 人"],
                ["{%p for d in donors %}"],
                ["{{ d.donor }}"],
                ["{%p endfor %}"],
            ],
            [],
        ),
    ],
    ids=["no-list", "donors", "rows", "count-only", "row", "looped"],
)
def test_check_warns_about_a_missing_or_printed_donor_list(
    paragraphs: list[list[str]], warnings: list[str]
) -> None:
    report = check_template(make_template(*paragraphs))
    assert report.ok  # a warning: the template still renders
    assert [p.code for p in report.warnings] == warnings
    assert all(p.severity is Severity.WARNING for p in report.warnings)
    text = report.format("t.docx")
    assert all(f"[{code}]" in text for code in warnings)
    verdict = text.splitlines()[0]
    if warnings:  # never 可以使用 above warnings
        assert "可以使用" not in verdict
        assert (
            verdict
            == f"t.docx: 能生成简报，但有 {len(warnings)} 处警告，生成的简报可能不对，请先按下面的提示检查"
        )
    else:
        assert verdict.startswith("t.docx: 可以使用")
    if "template.prints_list" in warnings:
        assert "{{ g.donor }}" in report.warnings[0].message


def test_split_tags_are_found_in_headers_and_footers_too() -> None:
    data = make_template(
        ["{%p for d in donors %}"],
        ["{{ d.donor }}"],
        ["{%p endfor %}"],
        header=["页眉 ", "{{ o", "rg }}"],
        footer=["{{ date }}"],
    )
    report = check_template(data)
    assert report.split_tags == ("页眉 {{ org }}",)
    assert report.ok  # docxtpl joins the runs: a warning, the template still renders
    assert [p.code for p in report.problems] == ["template.split_tag"]


@pytest.mark.parametrize(
    "runs",
    [
        ["｛｛ org ｝｝"],
        ["{{ org ｝｝"],
        ["｛% if org %｝是{% endif %}"],
        ["{％ if org ％}"],
        ["单位：", "｛｛", " org }}"],
    ],
    ids=["both", "closing", "statement", "percent", "split"],
)
def test_check_flags_tags_typed_with_full_width_braces(runs: list[str]) -> None:
    report = check_template(
        make_template(["{%p for d in donors %}"], ["{{ d.donor }}"], ["{%p endfor %}"], runs)
    )
    assert [p.code for p in report.warnings] == ["template.fullwidth_braces"]
    problem = report.warnings[0]
    assert problem.severity is Severity.WARNING and problem.value == "".join(runs)
    assert "英文输入法" in problem.message
    assert "可以使用" not in report.format("t.docx").splitlines()[0]


def test_full_width_braces_in_the_header_are_flagged_too() -> None:
    data = make_template(
        ["{%p for d in donors %}"], ["{{ d.donor }}"], ["{%p endfor %}"], header=["｛｛ org ｝｝"]
    )
    assert [p.code for p in check_template(data).warnings] == ["template.fullwidth_braces"]


def test_half_width_tags_and_chinese_brackets_are_not_full_width_tags() -> None:
    data = make_template(["{%p for d in donors %}"], ["{{ d.donor }}（捐款）｛备注｝"], ["{%p endfor %}"])
    assert check_template(data).warnings == ()


def test_the_report_lists_every_variable_with_its_meaning() -> None:
    from toolkit import messages
    from toolkit.render import TEMPLATE_VARIABLES

    text = check_template((REPO / "templates" / "bulletin.docx").read_bytes()).format("bulletin.docx")
    listed = text.split("模板里可以用的变量（写成 {{ 变量名 }}）：\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed] == list(TEMPLATE_VARIABLES)
    for line, name in zip(listed, TEMPLATE_VARIABLES, strict=True):
        assert line.endswith(messages.TEMPLATE_VARIABLE_MEANINGS[name])
