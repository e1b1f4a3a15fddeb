"""Bulletin settings: what ``toolkit.toml`` may set, with neutral defaults that name no organisation.

This module is pure: `parse_settings` takes the file's bytes. Reading the file is the job of
`toolkit.intake`. Every key is documented in `Settings`; an unknown key or a wrong type raises
`SettingsError` naming the key. The file may be UTF-8 (with or without a BOM), UTF-16 with a BOM,
or GBK as Notepad saves it on a Chinese Windows; anything else is refused in Chinese. A relative
``template`` path is taken relative to the settings file's folder, not the current folder.

Without a settings file the bulletin is a neutral 捐赠公示 whose issuing office is the workbook's
单位; ``examples/新疆质协.toml`` shows the look of the seed bulletin.
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import PurePath
from typing import Any, get_type_hints

from toolkit import codes, messages
from toolkit.errors import Problem, SettingsError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]

__all__ = [
    "MAX_GROUPS",
    "PLACEHOLDERS",
    "SETTINGS_FILE",
    "Settings",
    "allowed_placeholders",
    "parse_settings",
]

MAX_GROUPS = 6
"""Most 序号/姓名/金额 groups side by side (the least is 1): the ``groups`` setting, the bulletin's
donor table and ``toolkit init --groups`` (the starter workbook) all hold to it."""

PLACEHOLDERS: tuple[str, ...] = (
    "org",
    "date",
    "total",
    "capitals",
    "count",
    "personal",
    "company",
    "running",
)
"""The ``{name}`` placeholders text settings may use; `toolkit.render` fills each of them."""

SETTINGS_FILE = "toolkit.toml"
"""The settings file's name: looked for in the current folder, written there by ``toolkit setup``."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything about a bulletin that is not in the workbook.

    Text settings may use the `PLACEHOLDERS` ``{org}``, ``{date}``, ``{total}``, ``{capitals}``,
    ``{count}``, ``{personal}``, ``{company}`` and ``{running}``; they are filled from the workbook
    (``{running}`` from the output folder's register of bulletins).

    Attributes:
        masthead: the bulletin's name, printed large and red at the top.
        issue: the issue number of the first bulletin written into an output folder (``第八期``
            or ``8`` in ``toolkit.toml``). Each later new bulletin gets the next number, never
            below this one; a bulletin keeps the number it was first given, whatever this
            becomes. The issue line (``第八期``) is written from that number.
        office: the issuing office, printed left on the line under the issue; by default the
            workbook's 单位 (``{org}``).
        issue_date: the bulletin's date, printed right on that line; empty means the workbook's 日期.
        title: the article title; empty means ``{org}爱心捐款情况`` (or the workbook's title row).
        intro: the paragraph before the table.
        intro_kinds: sentence appended to ``intro`` when donors are typed 个人/单位.
        intro_running: sentence appended to ``intro`` when earlier bulletins are in the register,
            e.g. ``截至{date}，累计接收捐款{running}元。``; empty (the default) says nothing.
        caption: the caption under the donor table; empty prints none.
        distribution: the closing 报送/抄报/发送 lines as ``(label, text)`` pairs; empty (the
            default) hides the block.
        groups: 序号/姓名/金额 groups side by side in the donor table (1 to `MAX_GROUPS`).
        template: path of the Word template; empty means the built-in ``templates/bulletin.docx``.
            A relative path read from a settings file is made relative to that file's folder.
        receiver: default 收款人 when the workbook has none.
        supervisor: default 监督人 when the workbook has none.
        organisation: default 单位 when the workbook has none.
        max_unpacked_mb: refuse workbooks whose parts unpack to more than this many megabytes.
        max_rows: refuse sheets with more rows than this.
        history: earlier versions of each bulletin kept in the output folder's 历史版本 folder
            (0 keeps none).
        mask_names: mask individual donors' names in the bulletin (``张三`` → ``张*``) and keep
            organisations' whole, by the 类型 column or the rules of `toolkit.render.masking`.
            Reports and the change report always show names in full.
    """

    masthead: str = "捐赠公示"
    issue: int = 1
    office: str = "{org}"
    issue_date: str = ""
    title: str = ""
    intro: str = "截至{date}，{org}共计收到爱心捐款{total}元（大写：{capitals}），捐款共{count}笔。"
    intro_kinds: str = "其中个人捐款{personal}元，单位捐款{company}元。"
    intro_running: str = ""
    caption: str = ""
    distribution: tuple[tuple[str, str], ...] = ()
    groups: int = 4
    template: str = ""
    receiver: str = ""
    supervisor: str = ""
    organisation: str = ""
    max_unpacked_mb: int = 200
    max_rows: int = 1_048_576
    history: int = 5
    mask_names: bool = False

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **changes)


_KINDS = get_type_hints(Settings)
_TEXT_KEYS = frozenset(key for key, kind in _KINDS.items() if kind is str)
"""Text settings (they may use the placeholders), found by their type: a new one needs nothing here."""
_INT_KEYS = frozenset(key for key, kind in _KINDS.items() if kind is int)
"""Whole-number settings, found by their type."""
_BOOL_KEYS = frozenset(key for key, kind in _KINDS.items() if kind is bool)
"""Yes-or-no settings (``true`` / ``false``), found by their type."""
_INT_RANGES: dict[str, tuple[int, int | None]] = {"groups": (1, MAX_GROUPS), "history": (0, None)}
"""The least and most a whole-number setting may be (None: no most); any other is at least 1."""


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


_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
"""Byte-order marks Notepad writes (UTF-8, and UTF-16 for its "Unicode"), with their encodings."""


def _decode(data: bytes, source: str) -> str:
    """The text of a settings file: by its BOM, else UTF-8, else GBK (Notepad's ANSI on Chinese Windows).

    Raises:
        SettingsError: ``settings.encoding``, the bytes are none of those.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            candidates: tuple[str, ...] = (encoding,)
            data = data[len(bom) :]
            break
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SettingsError(
        Problem(
            codes.SETTINGS_ENCODING,
            "设置文件不是 UTF-8 或 GBK 编码的文字，无法读取。请用记事本打开它，"
            "“另存为”时把“编码”选为 UTF-8 再保存",
            file=source,
        )
    )


def parse_settings(
    data: bytes | str, source: str = SETTINGS_FILE, *, folder: PurePath | None = None
) -> Settings:
    """Parse ``toolkit.toml`` text into `Settings`; keys may sit at the top or under ``[bulletin]``.

    ``folder`` is the settings file's folder: a relative ``template`` path is joined to it, so the
    file means the same from whatever folder toolkit runs in.

    Raises:
        SettingsError: for an encoding toolkit cannot read, TOML syntax errors, unknown keys and
            values of the wrong type.
    """
    text = _decode(data, source) if isinstance(data, bytes) else data
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(
            Problem(codes.SETTINGS_SYNTAX, messages.toml_error(str(exc)), file=source, value=str(exc))
        ) from None
    table: dict[str, Any] = dict(doc.get("bulletin", {})) if isinstance(doc.get("bulletin"), dict) else {}
    table.update({k: v for k, v in doc.items() if k != "bulletin"})
    known = {f.name for f in fields(Settings)}
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            raise _bad(source, key, f"不认识这个设置项。可用的设置项有：{'、'.join(sorted(known))}")
        if key in _PARSERS:
            changes[key] = _PARSERS[key](source, value)
        elif key in _TEXT_KEYS:
            if not isinstance(value, str):
                raise _bad(source, key, f"应为文字（用引号括起来），实际是 {value!r}")
            _check_placeholders(source, key, value)
            changes[key] = value
        elif key in _BOOL_KEYS:
            if not isinstance(value, bool):
                raise _bad(source, key, f"应为 true 或 false（不加引号），实际是 {value!r}")
            changes[key] = value
        elif key in _INT_KEYS:
            if not isinstance(value, int) or isinstance(value, bool):
                raise _bad(source, key, f"应为整数，实际是 {value!r}")
            least, most = _INT_RANGES.get(key, (1, None))
            if most is not None and not least <= value <= most:
                raise _bad(source, key, f"应在 {least} 到 {most} 之间，实际是 {value}")
            if value < least:
                wanted = "应为正整数" if least == 1 else f"应不小于 {least}"
                raise _bad(source, key, f"{wanted}，实际是 {value}")
            changes[key] = value
    template = changes.get("template", "")
    if template and folder is not None and not PurePath(template).is_absolute():
        changes["template"] = str(folder / template)
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


def _parse_issue(source: str, value: Any) -> int:
    """``issue``: a number as a clerk writes it, ``第八期``, ``"8"`` or ``8``."""
    from toolkit.numerals import MAX_ISSUE, read_issue

    number = value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(value, str):
        number = read_issue(value)
    if number is None or not 1 <= number <= MAX_ISSUE:
        raise _bad(source, "issue", f'应为期号，如 "第八期" 或 8，实际是 {value!r}')
    return number


_PARSERS: dict[str, Callable[[str, Any], Any]] = {"distribution": _parse_distribution, "issue": _parse_issue}
"""Settings whose value is read by a parser of its own rather than by its type."""
