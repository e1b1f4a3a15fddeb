"""Text hygiene: characters XML 1.0 forbids never reach a docx."""

from __future__ import annotations

import pytest

from toolkit.text import display_width, strip_xml_illegal, wrap_display


@pytest.mark.parametrize(
    ("text", "clean", "changed"),
    [
        ("张三", "张三", False),
        ("tab\tnew\nline\r", "tab\tnew\nline\r", False),
        ("a\x0bb\x00c", "abc", True),
        ("\ufffe\uffff", "", True),
        ("\ud800x", "x", True),
        ("emoji 😀", "emoji 😀", False),
    ],
)
def test_strip_xml_illegal(text: str, clean: str, changed: bool) -> None:
    assert strip_xml_illegal(text) == (clean, changed)


@pytest.mark.parametrize(("text", "width"), [("张三", 4), ("abc", 3), ("１２", 4), ("a张", 3)])
def test_display_width_counts_wide_characters_twice(text: str, width: int) -> None:
    assert display_width(text) == width


def test_wrap_display_fits_the_width_and_keeps_words_and_punctuation() -> None:
    text = "把 --watched 文件夹里的每个表格做成 Word 简报，写进 --output 文件夹。"
    lines = wrap_display(text, 20)
    assert all(display_width(line) <= 20 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert any("--watched" in line for line in lines) and any("--output" in line for line in lines)
    assert not any(line.startswith(("，", "。")) for line in lines)


def test_wrap_display_cuts_a_word_longer_than_a_line() -> None:
    assert wrap_display("abcdefghij", 4) == ["abcd", "efgh", "ij"]
