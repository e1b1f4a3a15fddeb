"""The default template ``templates/bulletin.docx`` (built by ``templates/build_default.py``): its styles."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from tests.render.helpers import (
    REPO,
    W,
)


@pytest.mark.parametrize(
    ("style_id", "name", "east_asia"),
    [
        ("BulletinMasthead", "简报报头", "黑体"),
        ("BulletinTitle", "简报标题", "黑体"),
        ("BulletinBody", "简报正文", "仿宋"),
        ("TableText", "表格文字", "宋体"),
        ("TableAmount", "表格金额", "宋体"),
        ("Distribution", "分送", "仿宋"),
    ],
)
def test_default_template_styles_set_east_asian_fonts(style_id: str, name: str, east_asia: str) -> None:
    with zipfile.ZipFile(REPO / "templates" / "bulletin.docx") as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
    style = styles.find(f"{W}style[@{W}styleId='{style_id}']")
    assert style.find(f"{W}name").get(f"{W}val") == name
    fonts = style.find(f"{W}rPr/{W}rFonts")
    assert (fonts.get(f"{W}eastAsia"), fonts.get(f"{W}hint")) == (east_asia, "eastAsia")


def test_masthead_is_red_over_a_red_rule() -> None:
    with zipfile.ZipFile(REPO / "templates" / "bulletin.docx") as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
    masthead = styles.find(f"{W}style[@{W}styleId='BulletinMasthead']")
    assert masthead.find(f"{W}rPr/{W}color").get(f"{W}val") == "FF0000"
    rule = styles.find(f"{W}style[@{W}styleId='BulletinIssuer']/{W}pPr/{W}pBdr/{W}bottom")
    assert rule.get(f"{W}color") == "FF0000"
