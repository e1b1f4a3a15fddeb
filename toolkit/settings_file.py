"""The settings file ``toolkit setup`` writes: a commented UTF-8 ``toolkit.toml`` in the clerk's words.

`SETUP_KEYS` are the settings that make a bulletin the organisation's own (masthead, office, issue,
distribution, signatories); `settings_text` writes them, each under a Chinese comment saying what
it is, and lists the other settings in comments. The text always loads back through
`toolkit.settings.parse_settings` into the same values. `settings_text` is pure;
`write_settings_file` is the one function that writes, and never replaces an existing file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from toolkit.numerals import issue_line
from toolkit.settings import Settings, parse_settings

__all__ = ["SETUP_KEYS", "settings_text", "write_settings_file"]

SETUP_KEYS: tuple[str, ...] = (
    "masthead",
    "office",
    "issue",
    "distribution",
    "organisation",
    "receiver",
    "supervisor",
)
"""The settings ``toolkit setup`` asks for and writes, in this order."""

_COMMENTS: dict[str, str] = {
    "masthead": "报头：简报名称，印在第一页顶端的红色大字",
    "office": "发文单位：期号下一行左侧；{org} 表示用表格里写的单位",
    "issue": "第一份简报的期号；以后每份新简报自动顺延，已生成的简报期号不再改变",
    "distribution": "报送、抄报、发送：印在简报末尾，每行一条；写成 [] 则不印",
    "organisation": "单位全称：表格没有写单位时使用",
    "receiver": "收款人：表格没有写收款人时使用；留空则在简报上留出签名线",
    "supervisor": "监督人：表格没有写监督人时使用；留空则在简报上留出签名线",
}
"""The Chinese comment written above each key of `SETUP_KEYS`."""

_HEADER = (
    "# toolkit 设置文件（UTF-8 编码）。用记事本修改后保存即可，下次生成简报时生效。",
    "# 每一项都可以省略；省略的项用默认值。文字请放在英文双引号里。",
    "# 文字里可以用占位符：{org} 单位，{date} 日期，{total} 合计，{capitals} 大写，{count} 笔数，",
    "# {personal} 个人捐款合计，{company} 单位捐款合计。全部设置项见 README 的 Settings 一节。",
)


def _toml_string(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes and control characters escaped."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _toml_string(value)
    lines = [f"    {_distribution_line(label, text)}," for label, text in value]
    return "[\n" + "\n".join(lines) + "\n]" if lines else "[]"


def _distribution_line(label: str, text: str) -> str:
    """``"报送：…"`` as a clerk writes it, or ``["报送", "…"]`` when that form would not read back exactly."""
    plain = all(":" not in part and part == part.strip() for part in (label, text)) and "：" not in label
    if plain and label:
        return _toml_string(f"{label}：{text}")
    return f"[{_toml_string(label)}, {_toml_string(text)}]"


def settings_text(values: Mapping[str, Any]) -> str:
    """A commented ``toolkit.toml`` that sets ``values`` (keys of `SETUP_KEYS`; others are defaults).

    The other settings are listed, commented out, with their defaults, so a clerk can see them.

    Raises:
        SettingsError: a value would not load back (an unknown ``{placeholder}``, a wrong type).
    """
    unknown = sorted(set(values) - set(SETUP_KEYS))
    if unknown:
        raise ValueError(f"not a setup key: {unknown[0]}")
    chosen = Settings().with_overrides(**values)
    lines = [*_HEADER, "", "[bulletin]"]
    for key in SETUP_KEYS:
        value = getattr(chosen, key)
        shown = _toml_string(issue_line(value)) if key == "issue" else _toml_value(value)  # 第八期
        lines += ["", f"# {_COMMENTS[key]}", f"{key} = {shown}"]
    lines += ["", "# 其他设置（去掉行首的 # 即可启用）："]
    for field in fields(Settings):
        if field.name not in SETUP_KEYS:
            lines.append(f"# {field.name} = {_toml_value(getattr(Settings(), field.name))}")
    text = "\n".join(lines) + "\n"
    loaded = parse_settings(text)
    assert all(getattr(loaded, key) == getattr(chosen, key) for key in SETUP_KEYS), "settings_text round trip"
    return text


def write_settings_file(path: Path, values: Mapping[str, Any]) -> None:
    """Write `settings_text` of ``values`` to ``path`` as UTF-8, complete or not at all.

    Writing is `toolkit.publish.files.write_new`'s job: an existing file is never replaced.

    Raises:
        FileExistsError: ``path`` already exists.
        SettingsError: a value would not load back.
        OSError: the folder cannot be written.
    """
    from toolkit.publish.files import write_new

    write_new(path, settings_text(values).encode("utf-8"))
