"""``toolkit setup``: the command that makes each bulletin the organisation's own from the first run.

It makes one library call (`toolkit.settings_file.write_settings_file`) with what the options give
and, on a terminal, what the clerk answers. Every line it prints or asks comes from `toolkit.messages`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from toolkit import messages
from toolkit.cli.parser import EXIT_OK, EXIT_USAGE

__all__ = ["cmd_setup"]


def _distribution(lines: list[str]) -> tuple[tuple[str, str], ...] | None:
    """``报送：…`` lines as ``(label, text)`` pairs, or None when one has no label."""
    pairs: list[tuple[str, str]] = []
    for line in lines:
        label, sep, text = line.replace(":", "：").partition("：")
        if not sep or not label.strip():
            return None
        pairs.append((label.strip(), text.strip()))
    return tuple(pairs)


def _ask(values: dict[str, Any], ask: Callable[[str], str]) -> None:
    """Ask, in Chinese, for each setting ``values`` does not hold yet; Enter keeps the default."""
    from toolkit.settings import Settings

    defaults = Settings()
    print(messages.SETUP_INTRO)
    for key, question in messages.SETUP_QUESTIONS.items():
        if key in values:
            continue
        answer = ask(messages.setup_question(question, getattr(defaults, key))).strip()
        if answer:
            values[key] = answer
    if "distribution" not in values:
        print(messages.SETUP_DISTRIBUTION)
        lines: list[str] = []
        while line := ask("  ").strip():
            if _distribution([line]) is None:
                print("  " + messages.SETUP_DISTRIBUTION_BAD)
                continue
            lines.append(line)
        values["distribution"] = _distribution(lines) or ()


def _interactive() -> bool:
    isatty = getattr(sys.stdin, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (ValueError, OSError):  # a closed stdin
        return False


def cmd_setup(args: argparse.Namespace, *, ask: Callable[[str], str] | None = None) -> int:
    """``toolkit setup``: write the organisation's ``toolkit.toml``, asking on a terminal (``ask``,
    by default `input`) for what the options did not give."""
    from toolkit.settings import SETTINGS_FILE, Settings
    from toolkit.settings_file import SETUP_KEYS, write_settings_file

    path: Path = args.config or Path(SETTINGS_FILE)
    if path.exists():
        print(messages.prefixed(messages.setup_exists(path)), file=sys.stderr)
        return EXIT_USAGE
    if not path.parent.is_dir():
        print(messages.prefixed(messages.setup_no_folder(path.parent)), file=sys.stderr)
        return EXIT_USAGE
    values: dict[str, Any] = {
        key: getattr(args, key) for key in SETUP_KEYS if isinstance(getattr(args, key, None), str)
    }
    if args.distribution is not None:
        pairs = _distribution(args.distribution)
        if pairs is None:
            bad = next(line for line in args.distribution if _distribution([line]) is None)
            print(messages.prefixed(messages.setup_bad_distribution(bad)), file=sys.stderr)
            return EXIT_USAGE
        values["distribution"] = pairs
    if not args.no_input and _interactive():
        _ask(values, ask or input)
    write_settings_file(path, values)
    print(messages.setup_done(path, values.get("masthead", Settings().masthead)))
    return EXIT_OK
