"""Text shared by the stages: characters that XML 1.0 forbids never reach a docx, and console widths.

A console shows a Chinese character two columns wide; `display_width` and `wrap_display` count it
so, for help texts and aligned columns.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["display_width", "strip_xml_illegal", "wrap_display"]

# XML 1.0 Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]; what it leaves
# out, written as a positive class: the negated one costs ~20 ms to compile at every start-up.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def strip_xml_illegal(text: str) -> tuple[str, bool]:
    """Remove characters XML 1.0 forbids (control characters, lone surrogates, U+FFFE/FFFF).

    Returns the cleaned text and whether anything was removed.
    """
    cleaned = _ILLEGAL.sub("", text)
    return cleaned, len(cleaned) != len(text)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a console: 2 for a wide (CJK) or full-width character, else 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_NO_LINE_START = frozenset("，。、；：？！）》」』”’…%,.;:?!)]}")
_WORD = re.compile(r"[A-Za-z0-9_./\\:%+#~<>=$'\"*@&|^()\[\]{}-]+|\s+|.", re.DOTALL)


def wrap_display(text: str, width: int) -> list[str]:
    """Lines of ``text`` no wider than ``width`` console columns (CJK characters count 2).

    Chinese breaks between any two characters, never before closing punctuation (，。）…); runs of
    Latin letters, digits and path characters (an option, a file name) are never split unless
    alone they are wider than a line. White space is collapsed; spaces at a break are dropped.
    """
    width = max(width, 4)
    lines: list[str] = []
    line = ""
    space = False
    for token in _WORD.findall(text):
        if token.isspace():
            space = True
            continue
        joined = f"{line} {token}" if space and line else line + token
        space = False
        if display_width(joined) <= width:
            line = joined
            continue
        if token in _NO_LINE_START and len(line) > 1 and not joined[len(line) - 1].isspace():
            lines.append(line[:-1])  # keep the punctuation with the character before it
            line = line[-1] + token
        else:
            if line:
                lines.append(line)
            line = token
        while display_width(line) > width:  # one token wider than a whole line
            cut = len(line) - 1
            while cut > 1 and display_width(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line:
        lines.append(line)
    return lines
