"""Double-click launchers: files a clerk opens to render a folder without ever typing a command.

`launcher_files` makes three small scripts for one folder, each of which goes to its own folder,
runs ``toolkit render`` (so ``watched/`` → ``output/``, with the folder's ``toolkit.toml``), shows
what it printed and waits for a key before its window closes:

- ``生成简报.cmd`` for Windows: CRLF line ends, and bytes in the code page cmd.exe reads it in;
- ``生成简报.command`` for macOS (Finder opens it in Terminal) and ``生成简报.sh`` for Linux: LF,
  UTF-8, executable.

Each runs the toolkit that wrote it: the absolute path of that Python is written inside (the file
is the clerk's, made on their PC, not the repository's). When that Python is gone, it runs
``toolkit`` from the PATH, and when there is none it says what to do.

cmd.exe reads a batch file line by line, decoding each in the console's code page at that moment:
the OEM code page (936, i.e. GBK, on Chinese Windows) unless ``chcp`` changed it. It does not
understand a UTF-8 byte order mark. So the ``.cmd`` is written in the console's code page when its
text fits (`console_code_page` tells it on Windows); otherwise, or when the code page is not known,
its first line, in ASCII, is ``chcp 65001`` and the rest is UTF-8, which cmd.exe reads from
Windows 10 on.

Pure: texts in, bytes out (`toolkit.publish.launchers` writes them).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from toolkit import messages
from toolkit.version import __version__

__all__ = ["LAUNCHER_STEM", "Launcher", "console_code_page", "launcher_files"]

LAUNCHER_STEM = "生成简报"
"""The launchers' file name without its ending."""

_UTF8_CODE_PAGE = 65001


@dataclass(frozen=True, slots=True)
class Launcher:
    """One launcher file.

    Attributes:
        name: its file name (``生成简报.cmd``).
        data: its bytes, line ends and encoding included.
        executable: whether it must be marked executable (the macOS and Linux scripts).
        encoding: the Python codec of ``data`` (``gbk``, ``utf-8``…).
    """

    name: str
    data: bytes
    executable: bool
    encoding: str


def console_code_page() -> int | None:
    """The code page cmd.exe reads a batch file in on this PC (Windows' OEM code page); None elsewhere."""
    if os.name != "nt":
        return None
    import ctypes

    windll = getattr(ctypes, "windll", None)
    if windll is None:  # pragma: no cover - Windows always has it
        return None
    code_page = int(windll.kernel32.GetOEMCP())
    return code_page or None


def _cmd_quote(path: str) -> str:
    """``path`` inside ``set "NAME=…"``: quotes keep ``&``, ``(`` and ``)`` literal; ``%`` is doubled."""
    return path.replace("%", "%%")


def _sh_quote(path: str) -> str:
    return "'" + path.replace("'", "'\\''") + "'"


def _cmd_text(python: str) -> list[str]:
    return [
        "@echo off",
        f"rem {messages.LAUNCHER_ABOUT}",
        f"rem {messages.launcher_made_by(__version__)}",
        'cd /d "%~dp0"',
        f'set "TOOLKIT_PYTHON={_cmd_quote(python)}"',
        'if exist "%TOOLKIT_PYTHON%" goto run',
        "where toolkit >nul 2>nul",
        "if errorlevel 1 goto missing",
        "call toolkit render",
        "goto end",
        ":run",
        '"%TOOLKIT_PYTHON%" -m toolkit render',
        "goto end",
        ":missing",
        *(f"echo {line}" for line in messages.LAUNCHER_MISSING),
        ":end",
        "echo.",
        f"echo {messages.LAUNCHER_PRESS_KEY}",
        "pause >nul",
    ]


def _sh_text(python: str) -> list[str]:
    return [
        "#!/usr/bin/env bash",
        f"# {messages.LAUNCHER_ABOUT}",
        f"# {messages.launcher_made_by(__version__)}",
        'cd "$(dirname "$0")" || exit 1',
        f"TOOLKIT_PYTHON={_sh_quote(python)}",
        'if [ -x "$TOOLKIT_PYTHON" ]; then',
        '    "$TOOLKIT_PYTHON" -m toolkit render',
        "elif command -v toolkit >/dev/null 2>&1; then",
        "    toolkit render",
        "else",
        *(f"    echo {_sh_quote(line)}" for line in messages.LAUNCHER_MISSING),
        "fi",
        "echo",
        f"read -r -s -n 1 -p {_sh_quote(messages.LAUNCHER_PRESS_KEY)}",
        "echo",
    ]


def _encode_cmd(lines: list[str], code_page: int | None) -> tuple[bytes, str]:
    """The ``.cmd`` bytes and their codec: the console's code page if the text fits, else chcp 65001 + UTF-8."""
    text = "\r\n".join(lines) + "\r\n"
    if code_page is not None and code_page != _UTF8_CODE_PAGE:
        codec = f"cp{code_page}"
        try:
            return text.encode(codec), codec
        except (UnicodeEncodeError, LookupError):
            pass
    switched = "\r\n".join([lines[0], f"chcp {_UTF8_CODE_PAGE} >nul", *lines[1:]]) + "\r\n"
    return (switched if code_page != _UTF8_CODE_PAGE else text).encode("utf-8"), "utf-8"


def launcher_files(python: str, *, code_page: int | None = None) -> tuple[Launcher, ...]:
    """The three launchers for a folder, running the Python at ``python`` (``sys.executable``).

    ``code_page`` is the one cmd.exe will read the ``.cmd`` in (`console_code_page`); None when not
    known, which gives the ``chcp 65001`` form.
    """
    cmd, codec = _encode_cmd(_cmd_text(python), code_page)
    sh = ("\n".join(_sh_text(python)) + "\n").encode("utf-8")
    return (
        Launcher(f"{LAUNCHER_STEM}.cmd", cmd, executable=False, encoding=codec),
        Launcher(f"{LAUNCHER_STEM}.command", sh, executable=True, encoding="utf-8"),
        Launcher(f"{LAUNCHER_STEM}.sh", sh, executable=True, encoding="utf-8"),
    )
