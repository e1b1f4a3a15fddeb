"""The ``toolkit`` command line: parse arguments, make one library call, print.

`main` reads the arguments with `toolkit.cli.parser` (the commands, their options and help) and
runs one command: each ``_cmd_*`` function makes one library call and prints the result. Every
line printed comes from `toolkit.messages`. This package imports no openpyxl, docxtpl, lxml or
watchdog at import time, so ``toolkit --help`` and ``toolkit capital`` start fast. It is the only
place that prints or configures logging: without ``-v`` nothing is logged to the console.

Checks and policies live in the library: a missing folder is a `FolderMissing` from
``render_folder``, which PDFs to make is ``render_folder(pdf=True)``'s business. The exit code of
a failure is chosen by its exception's class (`_EXIT_CODES`), and results by their `Outcome` member.
A fault of toolkit's own prints one Chinese sentence naming a crash file that holds the traceback
(in the output folder, or the temp folder for a command without one); ``-v`` prints it as well.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from toolkit import messages
from toolkit.cli.console import safe_streams, setup_logging
from toolkit.cli.parser import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, make_parser
from toolkit.cli.parser import UsageError as _UsageError
from toolkit.cli.setup_issue import cmd_issue, cmd_setup, render_issues
from toolkit.errors import FolderError, FolderMissing, Outcome, SettingsError, TemplateError, ToolkitError

if TYPE_CHECKING:
    from toolkit.errors import Problem
    from toolkit.pipeline import FileResult
    from toolkit.publish.pdf import PdfResult
    from toolkit.settings import Settings

__all__ = ["main"]

_EXIT_CODES: tuple[tuple[type[ToolkitError], int], ...] = (
    (FolderMissing, EXIT_USAGE),
    (SettingsError, EXIT_USAGE),
    (TemplateError, EXIT_USAGE),
)
"""The exit code of each `ToolkitError` that stops a command; any other stops it with `EXIT_REJECTED`."""

_MAX_LINES = 30
"""Problems printed under one file's summary; the report files hold them all."""


# ---------------------------------------------------------------- output helpers


def _say(line: str) -> None:
    """A line for the error output: ``toolkit：…``."""
    print(messages.prefixed(line), file=sys.stderr, flush=True)


def _load_settings(config: Path | None, *, notice: bool = False) -> Settings:
    """The settings of ``--config`` or ``toolkit.toml``; with ``notice``, say so when there is none."""
    from toolkit.intake import read_settings
    from toolkit.settings import Settings, parse_settings

    try:
        data, path = read_settings(config)
    except OSError as exc:
        raise _UsageError(
            messages.settings_unreadable(config or Path("toolkit.toml"), messages.os_reason(exc))
        ) from None
    if data is None or path is None:
        if notice:
            _say(messages.NO_SETTINGS)
        return Settings()
    return parse_settings(data, path.name, folder=path.parent)


def _summary(result: FileResult) -> str:
    from toolkit.money import format_amount

    return messages.file_summary(
        result.file,
        result.outcome,
        donors=result.donors,
        total=format_amount(result.total) if result.total is not None else None,
        errors=len(result.errors),
        warnings=len(result.warnings),
        reason=result.reason,
        seconds=result.seconds,
        output=result.output,
        edition=result.edition,
    )


def _print_result(result: FileResult, *, quiet: bool, out: TextIO, prefix: str = "") -> None:
    if quiet and result.ok and not result.problems:
        return
    print(prefix + _summary(result), file=out, flush=True)
    for line in messages.notes_and_changes(result.notes, result.changes, limit=_MAX_LINES):
        print(line, file=out)
    shown = result.problems if result.outcome is not Outcome.UNCHANGED else ()
    for p in shown[:_MAX_LINES]:
        print(messages.problem_line(p), file=out)
    if len(shown) > _MAX_LINES:
        print(messages.more_problems(len(shown) - _MAX_LINES), file=out)


def _print_pdf(result: PdfResult) -> bool:
    """Say what became of one PDF; True when it was written."""
    from toolkit.publish.pdf import PdfOutcome

    if result.outcome is PdfOutcome.WRITTEN and result.pdf is not None:
        print(messages.pdf_written(result.docx.name, result.pdf))
        return True
    if result.problem is not None and result.outcome is PdfOutcome.NO_LIBREOFFICE:
        print(result.problem.message, file=sys.stderr)
    elif result.problem is not None:
        print(messages.pdf_failed(result.docx.name, result.problem.message), file=sys.stderr)
    return False


# ---------------------------------------------------------------- commands


def _cmd_render(args: argparse.Namespace) -> int:
    from toolkit.pipeline import render_folder

    missing_pdfs = 0

    def on_pdf(result: PdfResult) -> None:
        nonlocal missing_pdfs
        missing_pdfs += not _print_pdf(result)

    results = render_folder(
        args.watched,
        args.output,
        settings=_load_settings(args.config, notice=True),
        template_path=args.template,
        pdf=args.pdf,
        on_result=lambda r: _print_result(r, quiet=args.quiet, out=sys.stdout),
        on_pdf=on_pdf,
        workbooks=args.workbooks,
        issues=render_issues(args),
    )
    if not results:
        print(messages.no_spreadsheets(args.watched), file=sys.stderr)
    if not args.quiet and len(results) > 1:
        print(messages.render_total(len(results), [r.outcome for r in results]))
    if missing_pdfs:
        _say(messages.pdf_missing(missing_pdfs))
    return EXIT_OK if all(r.ok for r in results) and not missing_pdfs else EXIT_REJECTED


def _cmd_check(args: argparse.Namespace) -> int:
    from toolkit.pipeline import check_paths

    settings = _load_settings(args.config)
    problems = check_paths(args.files, settings)
    if args.json:
        text = json.dumps([p.to_json() for p in problems], ensure_ascii=False, indent=2)
        try:
            text.encode(sys.stdout.encoding or "utf-8")
        except (UnicodeEncodeError, LookupError):  # a GBK console: escapes keep every character
            text = json.dumps([p.to_json() for p in problems], ensure_ascii=True, indent=2)
        print(text)
    else:
        by_file: dict[str, list[Problem]] = {}
        for p in problems:
            by_file.setdefault(p.file, []).append(p)
        for path in args.files:
            found = by_file.get(path.name, [])
            errors = sum(1 for p in found if p.is_error)
            if not found:
                if not args.quiet:
                    print(messages.check_clean(path.name))
                continue
            print(messages.check_found(path.name, errors, len(found) - errors))
            for p in found:
                print(messages.problem_line(p))
    return EXIT_REJECTED if any(p.is_error for p in problems) else EXIT_OK


def _stdin_is_a_terminal() -> bool:
    isatty = getattr(sys.stdin, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (ValueError, OSError):  # a closed stdin
        return False


def _cmd_capital(args: argparse.Namespace) -> int:
    from toolkit.errors import InvalidAmount
    from toolkit.money import parse_amount, to_capitals

    if not args.amounts and _stdin_is_a_terminal():
        # Nothing given and nothing piped in: say how to use it instead of waiting for input.
        sys.stderr.write(make_parser().commands["capital"].format_usage())
        print(messages.CAPITAL_USAGE, file=sys.stderr)
        return EXIT_USAGE
    status = EXIT_OK
    out = sys.stdout

    def one(text: str) -> None:
        nonlocal status
        try:
            line = to_capitals(parse_amount(text), prefix=args.prefix)
        except InvalidAmount as exc:
            print(messages.capital_refused(text.strip(), exc.reason, exc.code), file=sys.stderr, flush=True)
            line = ""
            status = EXIT_REJECTED
        out.write(line + "\n")
        out.flush()

    if args.amounts:
        for amount in args.amounts:
            one(amount)
    else:
        for raw in sys.stdin:
            text = raw.rstrip("\r\n")
            if not text.strip():
                out.write("\n")
                out.flush()
                continue
            one(text)
    return status


def _cmd_watch(args: argparse.Namespace) -> int:
    import time

    from toolkit.watch import watch_folder

    settings = _load_settings(args.config, notice=True)

    def stamp() -> str:
        return messages.timestamped(time.strftime("%H:%M:%S"), "")

    def on_result(result: FileResult) -> None:
        if args.quiet and result.ok and not result.problems:
            return
        if result.outcome is Outcome.UNCHANGED and not args.verbose:
            return  # a restart would otherwise print one line per file already done
        _print_result(result, quiet=False, out=sys.stdout, prefix=stamp())

    def on_status(message: str) -> None:
        if not args.quiet:
            print(stamp() + message, flush=True)

    watch_folder(
        args.watched,
        args.output,
        settings=settings,
        template_path=args.template,
        poll=args.poll,
        settle=args.settle,
        interval=args.interval,
        on_result=on_result,
        on_status=on_status,
    )
    return EXIT_OK


def _cmd_init(args: argparse.Namespace) -> int:
    from toolkit.settings import MAX_GROUPS
    from toolkit.starter import write_starter_workbook

    path: Path = args.file
    if path.exists():
        raise _UsageError(messages.init_exists(path))
    if not path.name.lower().endswith(".xlsx"):
        raise _UsageError(messages.INIT_NOT_XLSX)
    if not 1 <= args.groups <= MAX_GROUPS:
        raise _UsageError(messages.init_groups(MAX_GROUPS))
    if not path.parent.is_dir():
        raise _UsageError(messages.init_no_folder(path.parent))
    from toolkit.intake import read_settings

    write_starter_workbook(path, groups=args.groups, kinds=args.kinds)
    print(messages.init_done(path, settings=read_settings(None) != (None, None)))
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    from toolkit.intake import read_template_bytes
    from toolkit.render import check_template

    if args.template_command != "check":
        raise _UsageError(messages.TEMPLATE_NO_ACTION)
    report = check_template(read_template_bytes(args.file))
    print(report.format(args.file.name))
    return EXIT_OK if report.ok else EXIT_REJECTED


def _cmd_launcher(args: argparse.Namespace) -> int:
    from toolkit.launcher import console_code_page, launcher_files
    from toolkit.publish.launchers import write_launchers

    folder: Path = args.folder
    if not folder.is_dir():
        raise _UsageError(messages.launcher_no_folder(folder))
    # Not resolved: a virtual environment's python is a link, and only the link sees its packages.
    python = os.path.abspath(sys.executable)
    written, created = write_launchers(folder, launcher_files(python, code_page=console_code_page()))
    print(messages.launcher_done(folder.resolve(), [p.name for p in written], created))
    return EXIT_OK


_COMMANDS = {
    "render": _cmd_render,
    "check": _cmd_check,
    "capital": _cmd_capital,
    "watch": _cmd_watch,
    "init": _cmd_init,
    "template": _cmd_template,
    "launcher": _cmd_launcher,
    "setup": cmd_setup,
    "issue": cmd_issue,
}


def _exit_code(error: ToolkitError) -> int:
    return next((code for kind, code in _EXIT_CODES if isinstance(error, kind)), EXIT_REJECTED)


def _crash(args: argparse.Namespace, argv: Sequence[str], exc: Exception) -> int:
    """Say in one sentence that toolkit failed, write the traceback to a crash file, name it."""
    import traceback

    from toolkit.publish.crash import crash_text, write_crash_file

    text = crash_text(messages.crash_command(argv))
    output = getattr(args, "output", None)
    folders = [output] if isinstance(output, Path) else []
    folders.append(Path(tempfile.gettempdir()))
    crash: Path | None = None
    problem = ""
    for folder in folders:
        try:
            crash = write_crash_file(folder, text)
            break
        except OSError as error:
            problem = messages.os_reason(error)
    if args.verbose:
        print(traceback.format_exc(), file=sys.stderr, end="")
    _say(messages.internal_error(type(exc).__name__, crash, problem))
    return EXIT_REJECTED


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 rejected input, 2 usage error)."""
    safe_streams()
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = make_parser()
    try:
        args = parser.parse_command_line(arguments)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    setup_logging(args.verbose)
    try:
        return _COMMANDS[args.command](args)
    except _UsageError as exc:
        _say(str(exc))
        return EXIT_USAGE
    except ToolkitError as exc:
        for p in exc.problems:
            # A folder's message names the folder and the option to fix; it is shown without its code.
            _say(p.message if isinstance(exc, FolderError) else p.format())
        return _exit_code(exc)
    except KeyboardInterrupt:
        _say(messages.STOPPED)
        return EXIT_OK
    except BrokenPipeError:  # the reader went away (toolkit check … | head): stop quietly
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_REJECTED
    except OSError as exc:
        _say(messages.os_error(exc.filename, messages.os_reason(exc)))
        return EXIT_REJECTED
    except Exception as exc:  # a fault of ours: one sentence, the details in a crash file
        return _crash(args, arguments, exc)
    finally:
        logging.captureWarnings(False)
