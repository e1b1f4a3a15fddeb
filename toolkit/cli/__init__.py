"""The ``toolkit`` command line: parse arguments, make one library call, print.

`main` reads the arguments with `toolkit.cli.parser` (the commands, their options and help) and
runs one command: each ``_cmd_*`` function makes one library call and prints the result. This
package imports no openpyxl, docxtpl, lxml or watchdog at import time, so ``toolkit --help`` and
``toolkit capital`` start fast. It is the only place that prints or configures logging.

Checks and policies live in the library: a missing folder is a `FolderMissing` from
``render_folder``, which PDFs to make is ``render_folder(pdf=True)``'s business. The exit code of
a failure is chosen by its exception's class (`_EXIT_CODES`), and results by their `Outcome` member.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from toolkit.cli.parser import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, make_parser
from toolkit.errors import FolderError, FolderMissing, SettingsError, TemplateError, ToolkitError
from toolkit.records import Outcome

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

_RESULT_WORDS = {
    Outcome.RENDERED: "已生成",
    Outcome.REJECTED: "有错误，未生成",
    Outcome.UNCHANGED: "未变化，跳过",
    Outcome.BUSY: "另一进程正在处理",
    Outcome.NOT_READY: "尚未就绪",
    Outcome.FAILED: "失败",
}


# ---------------------------------------------------------------- output helpers


def _safe_streams() -> None:
    """Never crash on a console that cannot show a character (e.g. a GBK console on Windows)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def _load_settings(config: Path | None) -> Settings:
    from toolkit.intake import read_settings
    from toolkit.settings import Settings, parse_settings

    try:
        data, source = read_settings(config)
    except OSError as exc:
        raise _UsageError(f"无法读取设置文件 {config}：{exc.strerror or exc}") from None
    return parse_settings(data, source) if data is not None else Settings()


class _UsageError(Exception):
    pass


def _problem_line(p: Problem, indent: str = "  ") -> str:
    kind = "错误" if p.is_error else "警告"
    where = " › ".join(x for x in (p.sheet, p.cell) if x)
    where = f"{where}：" if where else ""
    return f"{indent}{kind} {where}{p.message} [{p.code}]"


def _summary(result: FileResult) -> str:
    from toolkit.money import format_amount

    parts = [f"{result.file}: {result.outcome.value} {_RESULT_WORDS[result.outcome]}"]
    if result.outcome in (Outcome.RENDERED, Outcome.REJECTED):
        parts.append(f"{result.donors} 位捐赠人")
        if result.total is not None:
            parts.append(f"合计 {format_amount(result.total)} 元")
    if result.errors:
        parts.append(f"{len(result.errors)} 处错误")
    if result.reason:
        parts.append(result.reason)
    parts.append(f"{result.seconds:.2f} 秒")
    line = ", ".join(parts)
    if result.output is not None and result.outcome is Outcome.RENDERED:
        line += f" → {result.output}"
    return line


def _print_result(result: FileResult, *, quiet: bool, out: TextIO, max_lines: int = 30) -> None:
    if quiet and result.ok and not result.problems:
        return
    print(_summary(result), file=out, flush=True)
    shown = result.problems if result.outcome is not Outcome.UNCHANGED else ()
    for p in shown[:max_lines]:
        print(_problem_line(p), file=out)
    if len(shown) > max_lines:
        print(f"  …… 另有 {len(shown) - max_lines} 处，见报告文件", file=out)


def _print_pdf(result: PdfResult) -> None:
    from toolkit.publish.pdf import PdfOutcome

    if result.outcome is PdfOutcome.WRITTEN:
        print(f"{result.docx.name}: PDF → {result.pdf}")
    elif result.problem is not None and result.outcome is PdfOutcome.NO_LIBREOFFICE:
        print(result.problem.message, file=sys.stderr)
    elif result.problem is not None:
        print(f"{result.docx.name}: PDF 生成失败：{result.problem.message}", file=sys.stderr)


# ---------------------------------------------------------------- commands


def _cmd_render(args: argparse.Namespace) -> int:
    from toolkit.pipeline import render_folder

    results = render_folder(
        args.watched,
        args.output,
        settings=_load_settings(args.config),
        template_path=args.template,
        pdf=args.pdf,
        on_result=lambda r: _print_result(r, quiet=args.quiet, out=sys.stdout),
        on_pdf=_print_pdf,
    )
    if not results:
        print(
            f"{args.watched} 里没有表格文件（.xlsx、.xls、.et、.ods、.csv）。把捐款名单放进去后再运行 toolkit render。",
            file=sys.stderr,
        )
    if not args.quiet and len(results) > 1:
        counts: dict[Outcome, int] = {}
        for r in results:
            counts[r.outcome] = counts.get(r.outcome, 0) + 1
        summary = "，".join(f"{_RESULT_WORDS[k]} {v} 个" for k, v in counts.items())
        print(f"共 {len(results)} 个文件：{summary}")
    return EXIT_OK if all(r.ok for r in results) else EXIT_REJECTED


def _cmd_check(args: argparse.Namespace) -> int:
    from toolkit.pipeline import check_paths

    settings = _load_settings(args.config)
    problems = check_paths(args.files, settings)
    if args.json:
        print(json.dumps([p.to_json() for p in problems], ensure_ascii=False, indent=2))
    else:
        by_file: dict[str, list[Problem]] = {}
        for p in problems:
            by_file.setdefault(p.file, []).append(p)
        for path in args.files:
            found = by_file.get(path.name, [])
            errors = sum(1 for p in found if p.is_error)
            if not found:
                if not args.quiet:
                    print(f"{path.name}: 没有发现问题")
                continue
            print(f"{path.name}: {errors} 处错误，{len(found) - errors} 处警告")
            for p in found:
                print(_problem_line(p))
    return EXIT_REJECTED if any(p.is_error for p in problems) else EXIT_OK


def _cmd_capital(args: argparse.Namespace) -> int:
    from toolkit.errors import InvalidAmount
    from toolkit.money import parse_amount, to_capitals

    status = EXIT_OK
    out = sys.stdout

    def one(text: str) -> None:
        nonlocal status
        try:
            line = to_capitals(parse_amount(text), prefix=args.prefix)
        except InvalidAmount as exc:
            print(
                f"toolkit capital: {text.strip()!r}: {exc.reason} [{exc.code}]", file=sys.stderr, flush=True
            )
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

    settings = _load_settings(args.config)

    def on_result(result: FileResult) -> None:
        if args.quiet and result.ok and not result.problems:
            return
        if result.outcome is Outcome.UNCHANGED and not args.verbose:
            return  # a restart would otherwise print one line per file already done
        stamp = time.strftime("%H:%M:%S")
        print(f"[{stamp}] ", end="")
        _print_result(result, quiet=False, out=sys.stdout)

    def on_status(message: str) -> None:
        if not args.quiet:
            print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)

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
        print(f"toolkit: {path} 已存在，不会覆盖。请换一个文件名。", file=sys.stderr)
        return EXIT_USAGE
    if not path.name.lower().endswith(".xlsx"):
        print("toolkit: 文件名应以 .xlsx 结尾，例如 toolkit init 捐款名单.xlsx", file=sys.stderr)
        return EXIT_USAGE
    if not 1 <= args.groups <= MAX_GROUPS:
        print(f"toolkit: --groups 应在 1 到 {MAX_GROUPS} 之间", file=sys.stderr)
        return EXIT_USAGE
    if not path.parent.is_dir():
        print(f"toolkit: 文件夹 {path.parent} 不存在，请先建立它或换一个位置", file=sys.stderr)
        return EXIT_USAGE
    write_starter_workbook(path, groups=args.groups, kinds=args.kinds)
    print(f"已生成 {path}：填好捐赠人、金额和签名栏后放进 watched/，再运行 toolkit render")
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    from toolkit.intake import read_template_bytes
    from toolkit.render import check_template

    if args.template_command != "check":
        print("toolkit template: 请指定动作，例如 toolkit template check FILE.docx", file=sys.stderr)
        return EXIT_USAGE
    report = check_template(read_template_bytes(args.file))
    print(report.format(args.file.name))
    return EXIT_OK if report.ok else EXIT_REJECTED


_COMMANDS = {
    "render": _cmd_render,
    "check": _cmd_check,
    "capital": _cmd_capital,
    "watch": _cmd_watch,
    "init": _cmd_init,
    "template": _cmd_template,
}


def _exit_code(error: ToolkitError) -> int:
    return next((code for kind, code in _EXIT_CODES if isinstance(error, kind)), EXIT_REJECTED)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 rejected input, 2 usage error)."""
    _safe_streams()
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    _setup_logging(getattr(args, "verbose", False))
    try:
        return _COMMANDS[args.command](args)
    except _UsageError as exc:
        print(f"toolkit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ToolkitError as exc:
        for p in exc.problems:
            # A folder's message names the folder and the option to fix; it is shown without its code.
            line = p.message if isinstance(exc, FolderError) else p.format()
            print(f"toolkit: {line}", file=sys.stderr)
        return _exit_code(exc)
    except KeyboardInterrupt:
        print("toolkit: 已停止", file=sys.stderr)
        return EXIT_OK
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"toolkit: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_REJECTED
    except Exception as exc:  # a bug of ours: say so plainly, keep the traceback for --verbose
        logging.getLogger("toolkit").debug("unexpected error", exc_info=True)
        print(
            f"toolkit: 内部错误（{type(exc).__name__}: {exc}）。请用 -v 重新运行，并把输出和文件发给维护人员",
            file=sys.stderr,
        )
        return EXIT_REJECTED
