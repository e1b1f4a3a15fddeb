"""What can go wrong in a Word template, in the clerk's words: one builder per problem code.

Each builder returns a `TemplateError` (or a `Problem`) whose message is Chinese and says what to
change; ``location`` names the part and paragraph (``正文段落“合计：{{ total }”``) and ``where`` is the
paragraph alone, kept as the problem's value. Jinja's own English text never reaches the message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from jinja2 import TemplateError as JinjaTemplateError
from jinja2.exceptions import SecurityError, UndefinedError

from toolkit import codes, messages
from toolkit.errors import Problem, Severity, TemplateError
from toolkit.render.context import TEMPLATE_VARIABLES

__all__ = [
    "expression_error",
    "fullwidth_braces",
    "render_error",
    "render_syntax_error",
    "split_tag",
    "syntax_error",
    "template_problem",
    "unknown_filter",
    "unknown_variables",
    "unsafe",
    "unsupported",
]

# Jinja's compile-time message for an unknown filter or test
_UNKNOWN_FILTER = re.compile(r"No (filter|test) named '([^']*)'")


def template_problem(code: str, message: str, value: str = "") -> TemplateError:
    return TemplateError(Problem(code, message, value=value))


def syntax_error(location: str, where: str, message: str | None) -> TemplateError:
    """A tag Jinja cannot parse or compile (an unknown filter at compile time is named as such)."""
    unknown = _unknown_filter_in(location, where, message)
    if unknown is not None:
        return unknown
    return template_problem(
        codes.TEMPLATE_SYNTAX,
        f"Word 模板{location}中的模板标记有语法错误：{messages.jinja_error(message)}。"
        "请检查 {{ }} 与 {% %} 是否成对、完整",
        value=where,
    )


def render_syntax_error(message: str | None) -> TemplateError:
    """A syntax error found only while docxtpl renders (its own tags, such as ``{%tr %}``)."""
    unknown = _unknown_filter_in("", "", message)
    if unknown is not None:
        return unknown
    return template_problem(
        codes.TEMPLATE_SYNTAX, f"Word 模板标记有语法错误：{messages.jinja_error(message)}"
    )


def _unknown_filter_in(location: str, where: str, message: str | None) -> TemplateError | None:
    unknown = _UNKNOWN_FILTER.match(message or "")
    return None if unknown is None else unknown_filter(location, where, unknown.group(1), unknown.group(2))


def unknown_filter(location: str, where: str, kind: str, name: str) -> TemplateError:
    """``kind`` is ``filter`` (``{{ x|name }}``) or ``test`` (``{% if x is name %}``)."""
    if kind == "filter":
        what, common = "过滤器（| 后面的词）", "常用的过滤器有 length、default、upper、lower、replace、round"
    else:
        what, common = "判断（is 后面的词）", "常用的判断有 defined、none、number、string"
    return template_problem(
        codes.TEMPLATE_UNKNOWN_FILTER,
        f"Word 模板{location}用了不存在的{what}“{name}”。请改正拼写或删去它；{common}",
        value=where,
    )


def unsafe(location: str, attr: str, where: str = "") -> TemplateError:
    """An attribute the sandbox refuses (``__class__`` and every name starting with ``_``)."""
    return template_problem(
        codes.TEMPLATE_UNSAFE,
        f"{location}访问了不允许使用的内容“{attr}”。模板只能显示 toolkit 提供的变量和名单字段"
        "（serial、donor、amount、kind），请删去这个标记",
        value=where or attr,
    )


def unsupported(location: str, keyword: str, where: str) -> TemplateError:
    """A reference to another template: ``{% include %}``, ``{% extends %}``, ``{% import %}``."""
    return template_problem(
        codes.TEMPLATE_UNSUPPORTED,
        f"Word 模板{location}用了 {{% {keyword} %}}，toolkit 的模板不能引用其他模板。"
        "请把需要的内容直接写进这个 Word 模板",
        value=where,
    )


def unknown_variables(unknown: Iterable[str]) -> TemplateError:
    names = "、".join(sorted(unknown))
    available = "、".join(TEMPLATE_VARIABLES)
    return template_problem(
        codes.TEMPLATE_UNKNOWN_VARIABLE,
        f"Word 模板使用了未知的变量 {names}。可用的变量有：{available}",
        value=names,
    )


def split_tag(text: str) -> Problem:
    """A warning for a paragraph whose tag Word split into runs of different formatting."""
    return Problem(
        codes.TEMPLATE_SPLIT_TAG,
        f"段落“{text}”中的模板标记被 Word 拆成了几段格式不同的文字；"
        "请选中整个标记，清除格式后重新输入，或整段重新键入",
        Severity.WARNING,
        value=text,
    )


def render_error(exc: JinjaTemplateError) -> TemplateError:
    """A Jinja error raised while the bulletin is filled in."""
    if isinstance(exc, SecurityError):
        found = re.search(r"attribute '([^']*)'", exc.message or "")
        return unsafe("Word 模板", found.group(1) if found else "")
    if isinstance(exc, UndefinedError):
        available = "、".join(TEMPLATE_VARIABLES)
        return template_problem(
            codes.TEMPLATE_UNDEFINED,
            f"Word 模板用到了没有的值：{exc.message}。可用的变量有：{available}；"
            "名单中每格可用 serial、donor、amount、kind",
            value=str(exc.message),
        )
    unknown = _unknown_filter_in("", "", exc.message)
    return unknown if unknown is not None else expression_error(exc)


def expression_error(exc: Exception) -> TemplateError:
    """A tag that failed while the bulletin was filled in, in Chinese (Jinja's text as the value)."""
    detail = f"{type(exc).__name__}: {exc}"
    return template_problem(
        codes.TEMPLATE_RENDER,
        "Word 模板中有一个标记在生成简报时出错（例如数字过大、类型不符或除以零）。"
        "请用 toolkit template check 检查模板，并核对 {{ }} 和 {% %} 里的写法",
        value=detail,
    )


def fullwidth_braces(paragraph: str) -> Problem:
    """``template.fullwidth_braces``: a tag typed with a Chinese input method's ｛ ｝ or ％, which
    Word keeps as text: the bulletin would show it as it is."""
    return Problem(
        codes.TEMPLATE_FULLWIDTH_BRACES,
        f"段落“{paragraph}”里的模板标记用了全角符号（｛ ｝ ％），简报里会原样印出这些字，不会填入内容。"
        "请切换到英文输入法，用半角符号重新输入，如 {{ org }}、{%tr for row in rows %}",
        Severity.WARNING,
        value=paragraph,
    )
