"""Spec of `toolkit.cli.console`: ``-v`` diagnostics in Chinese, nothing without it."""

from __future__ import annotations

import logging

import pytest

from toolkit.cli.console import setup_logging


def test_verbose_shows_toolkits_lines_with_chinese_levels(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging(True)
    try:
        logging.getLogger("toolkit.watch").info("监视的文件夹 %s 恢复访问", "watched")
    finally:
        setup_logging(False)
    assert capsys.readouterr().err == "信息 toolkit.watch：监视的文件夹 watched 恢复访问\n"


def test_without_verbose_nothing_is_shown(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging(False)
    logging.getLogger("toolkit.watch").warning("不应显示")
    assert capsys.readouterr().err == ""
