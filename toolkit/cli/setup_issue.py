"""The commands that make each bulletin the organisation's own: ``toolkit setup`` and ``toolkit issue``.

``toolkit setup`` makes one library call (`toolkit.settings_file.write_settings_file`) with what the
options give and, on a terminal, what the clerk answers. ``toolkit issue`` marks bulletins issued
(`toolkit.publish.mark_issued`) or lists the register. `render_issues` reads ``toolkit render``'s
``--issue``. Every line they print or ask comes from `toolkit.messages`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from toolkit import messages
from toolkit.cli.parser import EXIT_OK, EXIT_USAGE, UsageError

__all__ = ["cmd_issue", "cmd_setup", "render_issues"]


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
    from toolkit.numerals import issue_line, read_issue
    from toolkit.settings import Settings

    defaults = Settings()
    print(messages.SETUP_INTRO)
    for key, question in messages.SETUP_QUESTIONS.items():
        if key in values:
            continue
        default = issue_line(defaults.issue) if key == "issue" else getattr(defaults, key)
        while answer := ask(messages.setup_question(question, default)).strip():
            if key != "issue":
                values[key] = answer
                break
            if (number := read_issue(answer)) is not None:
                values[key] = number
                break
            print("  " + messages.setup_bad_issue(answer))
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
    if "issue" in values:
        from toolkit.numerals import read_issue

        if (number := read_issue(values["issue"])) is None:
            print(messages.prefixed("--issue：" + messages.setup_bad_issue(values["issue"])), file=sys.stderr)
            return EXIT_USAGE
        values["issue"] = number
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


def render_issues(args: argparse.Namespace) -> dict[str, int]:
    """The issue numbers ``toolkit render FILE --issue N`` gives, by workbook name (``{}`` without it).

    Raises:
        UsageError: ``--issue`` is not one number for one FILE.
    """
    from toolkit.numerals import read_issue

    if args.issue is None:
        return {}
    if len(args.workbooks) != 1:
        raise UsageError(messages.render_issue_one())
    number = read_issue(args.issue)
    if number is None:
        raise UsageError(messages.render_issue_bad(args.issue))
    return {args.workbooks[0].name: number}


def cmd_issue(args: argparse.Namespace) -> int:
    """``toolkit issue``: mark bulletins issued, or list the register."""
    from toolkit.numerals import issue_line
    from toolkit.publish import mark_issued
    from toolkit.publish.register import Register, edited_by_hand

    files: list[Path] = args.files
    if not files:
        folder = args.output or Path("output")
        records = Register(folder).records()
        if not records:
            print(messages.issue_list_empty(folder))
        for record in records:
            current = record.bulletin if record.bulletin and not record.current_is_issued else ""
            print(messages.issue_list_line(issue_line(record.number), record.source, record.issued, current))
        return EXIT_OK
    for file in files:
        docx = file.suffix.lower() in (".docx", ".pdf")
        folder = args.output or (file.parent if docx else Path("output"))
        name = file.with_suffix(".docx").name if docx else file.name
        already = {n.casefold() for r in Register(folder).records() for n in r.issued}
        record, bulletin = mark_issued(folder, name)
        line = issue_line(record.number, record.correction)
        if bulletin.casefold() in already:
            print(messages.issue_again(bulletin, line))
            continue
        if edited_by_hand(folder, bulletin):
            print(messages.issue_edited(bulletin))
        print(messages.issue_done(folder / bulletin, line, Register(folder).next_correction_name(record)))
    return EXIT_OK
