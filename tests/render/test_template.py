"""toolkit.render.template: a template is opened and checked through one walk of its parts."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.render.helpers import (
    default_with,
    make_template,
)
from toolkit.errors import Severity, TemplateError
from toolkit.render import check_template, load_template
from toolkit.render.template import walk_template


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"not a docx at all", "不是有效的 .docx"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "旧版 .doc"),
    ],
)
def test_damaged_template(data: bytes, fragment: str) -> None:
    with pytest.raises(TemplateError) as info:
        load_template(data)
    assert info.value.problems[0].code == "template.unreadable"
    assert fragment in info.value.problems[0].message


def test_a_workbook_is_not_a_template() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(TemplateError) as info:
        load_template(buffer.getvalue())
    assert info.value.problems[0].code == "template.unreadable"


def test_unknown_variable_is_named_with_the_available_ones() -> None:
    with pytest.raises(TemplateError) as info:
        load_template(make_template(["{{ masthead }}"], ["捐款人数：{{ donor_count }}"]))
    problem = info.value.problems[0]
    assert problem.code == "template.unknown_variable"
    assert "donor_count" in problem.message
    assert all(name in problem.message for name in ("masthead", "rows", "total_capitals"))


def test_syntax_error_names_the_paragraph() -> None:
    with pytest.raises(TemplateError) as info:
        load_template(make_template(["{{ masthead }}"], ["合计：", "{{ total }"], ["{{ caption }}"]))
    problem = info.value.problems[0]
    assert problem.code == "template.syntax"
    assert "合计：{{ total }" in problem.message


@pytest.mark.parametrize(
    ("runs", "code", "fragments"),
    [
        (
            ["合计 ", "{{ total|nosuchfilter }}"],
            "template.unknown_filter",
            ["nosuchfilter", "合计 {{ total|nosuchfilter }}"],
        ),
        (["{% if total is nosuchtest %}有{% endif %}"], "template.unknown_filter", ["nosuchtest"]),
        (["{{ org.__class__ }}"], "template.unsafe", ["__class__", "{{ org.__class__ }}"]),
        (["{{ org['__class__'] }}"], "template.unsafe", ["__class__"]),
        (["{% include 'other.docx' %}"], "template.unsupported", ["include"]),
        (["{% extends 'base' %}"], "template.unsupported", ["extends"]),
    ],
    ids=["filter", "test", "dunder", "dunder-item", "include", "extends"],
)
def test_template_errors_are_chinese_and_name_the_paragraph(
    runs: list[str], code: str, fragments: list[str]
) -> None:
    data = default_with(runs)
    with pytest.raises(TemplateError) as info:
        load_template(data)
    problem = info.value.problems[0]
    assert problem.code == code
    assert all(fragment in problem.message for fragment in fragments)
    assert "unsafe" not in problem.message and "No filter" not in problem.message
    report = check_template(data)
    assert not report.ok
    assert code in {p.code for p in report.problems}
    assert "template.no_donor_list" not in {p.code for p in report.problems}


def test_the_walk_visits_body_header_footer_and_properties() -> None:
    data = make_template(["{{ masthead }}"], header=["{{ org }}"], footer=["{{ date }}"], title="{{ title }}")
    walk = walk_template(data)
    found = {check.part.name: check.variables for check in walk.parts if check.variables}
    assert found == {"正文": {"masthead"}, "页眉": {"org"}, "页脚": {"date"}, "文档属性 title": {"title"}}
    assert [check.part.name for check in walk.parts][:3] == ["正文", "页眉", "页脚"]
    assert all(check.ast is not None and not check.errors for check in walk.parts)
    assert walk.used == {"masthead", "org", "date", "title"}


def test_jinja_globals_are_not_template_variables() -> None:
    walk = walk_template(make_template(["{% for i in range(2) %}{{ org }}{% endfor %}"]))
    assert walk.used == {"org"}


@pytest.mark.parametrize(
    ("template", "code", "part"),
    [
        (make_template(["{{ masthead }}"], header=["{{ org }"]), "template.syntax", "页眉"),
        (
            make_template(["{{ masthead }}"], footer=["{{ org|nosuchfilter }}"]),
            "template.unknown_filter",
            "页脚",
        ),
        (make_template(["{{ masthead }}"], title="{{ org.__class__ }}"), "template.unsafe", "文档属性 title"),
        (make_template(["{{ masthead }}"], header=["{{ nickname }}"]), "template.unknown_variable", ""),
    ],
    ids=["header-syntax", "footer-filter", "property-unsafe", "header-unknown"],
)
def test_load_and_check_find_the_same_problem_in_every_part(template: bytes, code: str, part: str) -> None:
    with pytest.raises(TemplateError) as info:
        load_template(template)
    problem = info.value.problems[0]
    assert problem.code == code
    assert part in problem.message
    report = check_template(template)
    assert not report.ok
    assert [p.code for p in report.problems if p.severity is Severity.ERROR] == [code]


def test_load_stops_at_the_first_part_with_a_problem_and_check_reports_them_all() -> None:
    data = make_template(["{{ masthead|nosuchfilter }}"], header=["{{ org }"], footer=["{{ org.__class__ }}"])
    with pytest.raises(TemplateError) as info:
        load_template(data)
    assert info.value.problems[0].code == "template.unknown_filter"  # the body comes first
    report = check_template(data)
    assert [p.code for p in report.problems] == [
        "template.syntax",  # syntax errors are listed first
        "template.unknown_filter",
        "template.unsafe",
    ]
