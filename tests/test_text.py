"""Text hygiene: characters XML 1.0 forbids never reach a docx."""

from __future__ import annotations

import pytest

from toolkit.text import strip_xml_illegal


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
