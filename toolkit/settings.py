"""Bulletin settings: what ``toolkit.toml`` may set, with defaults that reproduce the seed bulletin.

This module is pure: `parse_settings` takes the file's bytes. Reading the file is the job of
`toolkit.intake`. Every key is documented in `Settings`; an unknown key or a wrong type raises
`SettingsError` naming the key.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, fields, replace
from typing import Any, get_type_hints

from toolkit import codes
from toolkit.errors import Problem, SettingsError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]

__all__ = [
    "DEFAULT_DISTRIBUTION",
    "MAX_GROUPS",
    "PLACEHOLDERS",
    "Settings",
    "allowed_placeholders",
    "parse_settings",
]

MAX_GROUPS = 6
"""Most 序号/姓名/金额 groups side by side (the least is 1): the ``groups`` setting, the bulletin's
donor table and ``toolkit init --groups`` (the starter workbook) all hold to it."""

PLACEHOLDERS: tuple[str, ...] = ("org", "date", "total", "capitals", "count", "personal", "company")
"""The ``{name}`` placeholders text settings may use; `toolkit.render` fills each of them."""

DEFAULT_DISTRIBUTION: tuple[tuple[str, str], ...] = (
    ("报送", "国资委协会党建局、协会党委、协会抗击疫情领导小组"),
    ("抄报", "民政部社会组织管理局"),
    ("发送", "协会各党支部、全国质协系统、协会会员单位"),
)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything about a bulletin that is not in the workbook.

    Text settings may use the `PLACEHOLDERS` ``{org}``, ``{date}``, ``{total}``, ``{capitals}``,
    ``{count}``, ``{personal}`` and ``{company}``; they are filled from the workbook.

    Attributes:
        masthead: the bulletin's name, printed large and red at the top.
        issue: the issue line under the masthead, e.g. ``第八期``.
        office: the issuing office, printed left on the line under the issue.
        issue_date: the bulletin's date, printed right on that line; empty means the workbook's 日期.
        title: the article title; empty means ``{org}爱心捐款情况`` (or the workbook's title row).
        intro: the paragraph before the table.
        intro_kinds: sentence appended to ``intro`` when donors are typed 个人/单位.
        caption: the caption under the donor table.
        distribution: the closing 报送/抄报/发送 lines as ``(label, text)`` pairs; empty hides the block.
        groups: 序号/姓名/金额 groups side by side in the donor table (1 to `MAX_GROUPS`).
        template: path of the Word template; empty means the built-in ``templates/bulletin.docx``.
        receiver: default 收款人 when the workbook has none.
        supervisor: default 监督人 when the workbook has none.
        organisation: default 单位 when the workbook has none.
        max_unpacked_mb: refuse workbooks whose parts unpack to more than this many megabytes.
        max_rows: refuse sheets with more rows than this.
    """

    masthead: str = "全国质协系统抗击疫情防控工作 简报"
    issue: str = "第八期"
    office: str = "中国质量协会宣传部"
    issue_date: str = ""
    title: str = ""
    intro: str = "截至{date}，{org}共计收到爱心捐款{total}元（大写：{capitals}），捐款共{count}笔。"
    intro_kinds: str = "其中个人捐款{personal}元，单位捐款{company}元。"
    caption: str = "图2 {org}爱心捐款名单"
    distribution: tuple[tuple[str, str], ...] = DEFAULT_DISTRIBUTION
    groups: int = 4
    template: str = ""
    receiver: str = ""
    supervisor: str = ""
    organisation: str = ""
    max_unpacked_mb: int = 200
    max_rows: int = 1_048_576

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **changes)


_KINDS = get_type_hints(Settings)
_TEXT_KEYS = frozenset(key for key, kind in _KINDS.items() if kind is str)
"""Text settings (they may use the placeholders), found by their type: a new one needs nothing here."""
_INT_KEYS = frozenset(key for key, kind in _KINDS.items() if kind is int)
"""Whole-number settings, found by their type."""


def allowed_placeholders() -> str:
    """The placeholders as a clerk reads them in a message: ``{org}、{date}、…``."""
    return "、".join("{" + name + "}" for name in PLACEHOLDERS)


def _bad(source: str, key: str, message: str) -> SettingsError:
    return SettingsError(Problem(codes.SETTINGS_INVALID, f"设置项 {key}：{message}", file=source))


def _check_placeholders(source: str, key: str, text: str) -> None:
    import string

    try:
        fields = [
            (name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text) if name is not None
        ]
    except ValueError:
        raise _bad(
            source, key, "花括号不成对，占位符请写成 {org} 这样；要显示花括号本身请写 {{ 和 }}"
        ) from None
    for name, spec, conv in fields:
        if spec or conv:
            raise _bad(
                source,
                key,
                f"占位符只能写成 {{{name}}} 这样，不能带格式（{{{name}!{conv or ''}:{spec or ''}}}）",
            )
    names = {name for name, _, _ in fields}
    unknown = sorted(n for n in names if n not in PLACEHOLDERS)
    if unknown:
        raise _bad(source, key, f"未知占位符 {{{unknown[0]}}}，可用的有 {allowed_placeholders()}")


def parse_settings(data: bytes | str, source: str = "toolkit.toml") -> Settings:
    """Parse ``toolkit.toml`` text into `Settings`; keys may sit at the top or under ``[bulletin]``.

    Raises:
        SettingsError: for TOML syntax errors, unknown keys and values of the wrong type.
    """
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(
            Problem(codes.SETTINGS_SYNTAX, f"设置文件格式错误：{exc}。请检查引号和等号", file=source)
        ) from None
    table: dict[str, Any] = dict(doc.get("bulletin", {})) if isinstance(doc.get("bulletin"), dict) else {}
    table.update({k: v for k, v in doc.items() if k != "bulletin"})
    known = {f.name for f in fields(Settings)}
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            raise _bad(source, key, f"不认识这个设置项。可用的设置项有：{'、'.join(sorted(known))}")
        if key in _TEXT_KEYS:
            if not isinstance(value, str):
                raise _bad(source, key, f"应为文字（用引号括起来），实际是 {value!r}")
            _check_placeholders(source, key, value)
            changes[key] = value
        elif key in _INT_KEYS:
            if not isinstance(value, int) or isinstance(value, bool):
                raise _bad(source, key, f"应为整数，实际是 {value!r}")
            if key == "groups" and not 1 <= value <= MAX_GROUPS:
                raise _bad(source, key, f"应在 1 到 {MAX_GROUPS} 之间，实际是 {value}")
            if key != "groups" and value <= 0:
                raise _bad(source, key, f"应为正整数，实际是 {value}")
            changes[key] = value
        elif key == "distribution":
            changes[key] = _parse_distribution(source, value)
    return Settings(**changes)


def _parse_distribution(source: str, value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list):
        raise _bad(source, "distribution", '应为列表，如 [["报送", "……"], ["抄报", "……"]]')
    lines: list[tuple[str, str]] = []
    for item in value:
        if isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item):
            lines.append((item[0], item[1]))
        elif isinstance(item, str) and ("：" in item or ":" in item):
            label, _, text = item.replace(":", "：").partition("：")
            lines.append((label.strip(), text.strip()))
        else:
            raise _bad(
                source,
                "distribution",
                f'每一行应为 ["报送", "单位名单"] 或 "报送：单位名单"，实际是 {item!r}',
            )
    return tuple(lines)
