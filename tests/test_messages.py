"""The message catalogue (`toolkit.messages`): every line toolkit prints, in Chinese, GBK-safe."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from toolkit import messages
from toolkit.errors import Problem, Severity
from toolkit.messages import CommandText
from toolkit.records import Outcome

REPO = Path(__file__).resolve().parent.parent
CJK = re.compile("[\u4e00-\u9fff]{2}")


def texts(value: object) -> Iterator[str]:
    """Every string inside a catalogue entry."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from texts(key)
            yield from texts(item)
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from texts(item)
    elif isinstance(value, CommandText):
        yield from texts([value.summary, value.description, value.examples, value.options, value.metavars])
        yield value.note


def catalogue() -> list[str]:
    return [t for name, value in vars(messages).items() if name.isupper() for t in texts(value)]


def test_every_catalogue_text_shows_on_a_gbk_console() -> None:
    for text in catalogue():
        text.encode("gbk")


def docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            found.add(id(body[0].value))
    return found


def test_every_chinese_text_in_the_code_shows_on_a_gbk_console() -> None:
    """Problem messages live beside their codes: none may hold ›, ▸, ¥… (GBK has no such character).

    A Chinese text is a string literal with two Chinese characters in a row (docstrings aside).
    """
    bad = []
    for path in sorted((REPO / "toolkit").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        skip = docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
                and CJK.search(node.value)
            ):
                try:
                    node.value.encode("gbk")
                except UnicodeEncodeError as exc:
                    bad.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.value[exc.start : exc.end]!r}")
    assert bad == []


def test_the_launchers_texts_are_safe_inside_a_batch_file_and_a_shell_script() -> None:
    for line in (messages.LAUNCHER_ABOUT, *messages.LAUNCHER_MISSING, messages.LAUNCHER_PRESS_KEY):
        assert not set(line) & set("<>|&^%'\"!"), line


def test_every_outcome_has_its_words() -> None:
    assert set(messages.OUTCOME_WORDS) == set(messages.OUTCOME_COUNTS) == set(Outcome)


def test_outcome_counts_follow_the_outcome_order_and_skip_zeros() -> None:
    outcomes = [Outcome.REJECTED, Outcome.RENDERED, Outcome.REJECTED, Outcome.RENDERED, Outcome.RENDERED]
    assert messages.outcome_counts(outcomes) == "已生成 3 个，有错误未生成 2 个"


def summary(outcome: Outcome, **kw: object) -> str:
    values: dict[str, object] = {
        "donors": 45,
        "total": "50000",
        "errors": 0,
        "warnings": 0,
        "reason": "",
        "seconds": 0.031,
        "output": Path("output/捐款名单.docx"),
    }
    values.update(kw)
    return messages.file_summary("捐款名单.xlsx", outcome, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("outcome", "kw", "line"),
    [
        (
            Outcome.RENDERED,
            {},
            "捐款名单.xlsx: 已生成，45 位捐赠人，合计 50000 元，0.03 秒 → output/捐款名单.docx",
        ),
        (
            Outcome.RENDERED,
            {"warnings": 2},
            "捐款名单.xlsx: 已生成，45 位捐赠人，合计 50000 元，2 处警告，0.03 秒 → output/捐款名单.docx",
        ),
        (
            Outcome.REJECTED,
            {"errors": 2, "warnings": 1, "donors": 2, "total": "800"},
            "捐款名单.xlsx: 有错误，未生成，共 3 处问题（2 处错误、1 处警告），0.03 秒",
        ),
        (Outcome.UNCHANGED, {}, "捐款名单.xlsx: 未变化，跳过，0.03 秒 → output/捐款名单.docx"),
        (Outcome.FAILED, {"reason": "磁盘已满"}, "捐款名单.xlsx: 未完成，磁盘已满，0.03 秒"),
    ],
)
def test_file_summary(outcome: Outcome, kw: dict[str, object], line: str) -> None:
    if outcome is Outcome.UNCHANGED:
        line = line.split(" → ")[0]  # an unchanged file points to nothing new
    assert summary(outcome, **kw) == line


def test_problem_line_starts_with_its_severity() -> None:
    problem = Problem(
        "amount.not_a_number", "金额不是数字", Severity.ERROR, "a.xlsx", "捐款名单", "C4", "abc"
    )
    assert messages.problem_line(problem) == "  错误 捐款名单 > C4：金额不是数字 [amount.not_a_number]"
    warning = Problem("signature.missing_date", "没有日期", Severity.WARNING, "a.xlsx")
    assert messages.problem_line(warning) == "  警告 没有日期 [signature.missing_date]"


def test_examples_line_up_by_display_width() -> None:
    text = CommandText("s", "d", (("toolkit a", "一"), ("toolkit 中文", "二")))
    assert text.epilog() == "例子：\n  toolkit a      一\n  toolkit 中文   二"


def test_every_template_variable_has_its_meaning() -> None:
    from toolkit.render import TEMPLATE_VARIABLES

    assert list(messages.TEMPLATE_VARIABLE_MEANINGS) == list(TEMPLATE_VARIABLES)


def test_the_lines_under_a_summary_hold_the_notes_then_at_most_so_many_changes() -> None:
    lines = messages.notes_and_changes(["a.docx 已发出"], [f"新增 甲{i} 1 元" for i in range(5)], limit=3)
    assert lines == [
        "  注意 a.docx 已发出",
        "  变化 新增 甲0 1 元",
        "  变化 新增 甲1 1 元",
        "  变化 新增 甲2 1 元",
        "  …… 另有 2 处变化，见输出文件夹里的 .changes.txt 变化报告",
    ]


@pytest.mark.parametrize(
    ("toml", "said"),
    [
        ('masthead = "x\n', "第 1 行第 14 列：有不允许的字符"),
        ('masthead = "a"\nmasthead = "b"\n', "第 2 行第 15 列：同一个设置项写了两次"),
        ("masthead 某某\n", "设置项名称后面缺少“="),
    ],
)
def test_a_toml_syntax_error_is_said_in_chinese(toml: str, said: str) -> None:
    import tomllib

    with pytest.raises(tomllib.TOMLDecodeError) as info:
        tomllib.loads(toml)
    text = messages.toml_error(str(info.value))
    assert said in text
    assert not any("a" <= ch.lower() <= "z" for ch in text.replace("toolkit.toml", ""))


def test_system_errors_are_said_in_chinese() -> None:
    import errno

    assert (
        messages.os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory"))
        == "文件或文件夹不存在"
    )
    assert messages.os_reason(OSError(errno.ENOSPC, "No space left on device")) == "磁盘已满"
    assert messages.os_reason(OSError(errno.EDOM, "odd")).startswith("系统错误：")


def test_template_syntax_errors_are_said_in_chinese() -> None:
    assert "缺少内容" in messages.jinja_error("Expected an expression, got 'end of statement block'")
    assert messages.jinja_error(None) == "标记的写法不对"
