"""The double-click launchers (`toolkit.launcher`): what each file says, and in which bytes."""

from __future__ import annotations

import pytest

from toolkit import messages
from toolkit.launcher import launcher_files

PYTHON = r"C:\Users\clerk\toolkit\.venv\Scripts\python.exe"


def files(python: str = PYTHON, code_page: int | None = 936) -> dict[str, tuple[bytes, str, bool]]:
    return {f.name: (f.data, f.encoding, f.executable) for f in launcher_files(python, code_page=code_page)}


def test_three_launchers_one_per_system() -> None:
    assert list(files()) == ["生成简报.cmd", "生成简报.command", "生成简报.sh"]
    assert [executable for _, _, executable in files().values()] == [False, True, True]


def test_the_cmd_uses_crlf_and_the_console_code_page_when_its_text_fits() -> None:
    data, encoding, _ = files()["生成简报.cmd"]
    assert encoding == "cp936"
    assert data.count(b"\r\n") == data.count(b"\n") and data.endswith(b"\r\n")
    assert not data.startswith(b"\xef\xbb\xbf")  # cmd.exe would run the BOM as part of the first command
    lines = data.decode("gbk").split("\r\n")
    assert lines[0] == "@echo off" and "chcp" not in data.decode("gbk")
    assert 'cd /d "%~dp0"' in lines  # it renders its own folder, wherever it was double-clicked from
    assert f'set "TOOLKIT_PYTHON={PYTHON}"' in lines
    assert '"%TOOLKIT_PYTHON%" -m toolkit render' in lines
    assert "call toolkit render" in lines  # the toolkit on the PATH when that Python is gone
    assert f"echo {messages.LAUNCHER_MISSING[0]}" in lines
    assert lines[-3:] == [f"echo {messages.LAUNCHER_PRESS_KEY}", "pause >nul", ""]


@pytest.mark.parametrize(
    ("python", "code_page"),
    [
        (PYTHON, None),  # not made on Windows: the code page is not known
        (PYTHON, 437),  # an English Windows: the Chinese lines do not fit its code page
        (r"C:\Users\Zoë ✓\python.exe", 936),  # a path GBK cannot write
    ],
)
def test_the_cmd_switches_to_utf8_when_the_console_code_page_cannot_hold_it(
    python: str, code_page: int | None
) -> None:
    data, encoding, _ = files(python, code_page)["生成简报.cmd"]
    assert encoding == "utf-8"
    first, second, *_ = data.split(b"\r\n")
    assert (first, second) == (b"@echo off", b"chcp 65001 >nul")  # ASCII, read before the switch
    assert f'set "TOOLKIT_PYTHON={python}"'.encode() in data


def test_the_cmd_on_a_utf8_console_needs_no_switch() -> None:
    data, encoding, _ = files(code_page=65001)["生成简报.cmd"]
    assert encoding == "utf-8" and b"chcp" not in data


def test_special_characters_of_a_path_stay_literal_in_the_cmd() -> None:
    data, _, _ = files(r"C:\Program Files (x86)\A&B 100%\python.exe")["生成简报.cmd"]
    assert rb'set "TOOLKIT_PYTHON=C:\Program Files (x86)\A&B 100%%\python.exe"' in data


def test_the_shell_scripts_run_their_folder_and_wait_for_a_key() -> None:
    data, encoding, _ = files("/Users/o'brien/venv/bin/python")["生成简报.command"]
    assert encoding == "utf-8" and b"\r" not in data
    text = data.decode("utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert 'cd "$(dirname "$0")" || exit 1' in text
    assert "TOOLKIT_PYTHON='/Users/o'\\''brien/venv/bin/python'" in text
    assert '"$TOOLKIT_PYTHON" -m toolkit render' in text and "    toolkit render" in text
    assert f"read -r -s -n 1 -p '{messages.LAUNCHER_PRESS_KEY}'" in text
    assert files()["生成简报.sh"][0] == files()["生成简报.command"][0]
