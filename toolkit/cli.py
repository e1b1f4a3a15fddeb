"""The ``toolkit`` command line: parse arguments, make one library call, print.

This module imports no openpyxl, docxtpl, lxml or watchdog at import time, so ``toolkit --help``
and ``toolkit capital`` start fast. It is the only place that prints or configures logging.
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

if TYPE_CHECKING:
    from toolkit.errors import Problem
    from toolkit.pipeline import FileResult
    from toolkit.settings import Settings

__all__ = ["main"]

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2

_RESULT_WORDS = {
    "rendered": "已生成",
    "rejected": "有错误，未生成",
    "unchanged": "未变化，跳过",
    "busy": "另一进程正在处理",
    "not_ready": "尚未就绪",
    "failed": "失败",
}


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese-friendly errors: usage problems exit 2 with one clear line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: 参数错误 (usage error): {message}\n")
        raise SystemExit(EXIT_USAGE)


def _make_parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    parser = _Parser(
        prog="toolkit",
        formatter_class=fmt,
        description=(
            "把捐款名单表格（.xlsx、.xls、WPS 表格、.ods、.csv）做成 Word 捐款简报（.docx）：\n"
            "捐赠人表格、合计金额及其大写、收款人、监督人、单位和日期。\n"
            "Turn donation workbooks into Word donation bulletins."
        ),
        epilog=(
            "常用 (examples):\n"
            "  toolkit render                    # watched/ 里的每个表格 → output/*.docx\n"
            "  toolkit check 捐款名单.xlsx        # 只检查，不生成\n"
            "  toolkit watch                     # 一直运行，放入或保存表格即自动生成\n"
            "  toolkit capital 50000             # 打印 伍万元整\n"
            "\n"
            "每个命令都有自己的帮助，例如 toolkit render --help"
        ),
    )
    from toolkit.version import __version__

    parser.add_argument("--version", action="version", version=f"toolkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def folders(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--watched",
            type=Path,
            default=Path("watched"),
            metavar="DIR",
            help="放捐款表格的文件夹（默认 watched/）",
        )
        p.add_argument(
            "--output",
            type=Path,
            default=Path("output"),
            metavar="DIR",
            help="输出文件夹（默认 output/，不存在会自动创建）",
        )
        p.add_argument(
            "--template", type=Path, metavar="FILE", help="Word 模板（默认用内置的 templates/bulletin.docx）"
        )

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--config", type=Path, metavar="FILE", help="设置文件；默认是当前目录下的 toolkit.toml（若存在）"
        )
        p.add_argument("-v", "--verbose", action="store_true", help="显示更多过程信息")
        p.add_argument("-q", "--quiet", action="store_true", help="只显示问题，不显示成功的文件")

    p = sub.add_parser(
        "render",
        formatter_class=fmt,
        help="把文件夹里的每个捐款表格生成 Word 简报 (render_folder)",
        description=(
            "把 --watched 文件夹顶层的每个表格（.xlsx/.xlsm/.xls/.et/.ods/.csv）生成 Word 简报，写到 --output 文件夹：\n"
            "  合格的表格 → OUTPUT/<文件名>.docx（有警告时另写 <文件名>.warnings.txt）\n"
            "  有错误的表格 → OUTPUT/<文件名>.errors.txt，逐条写明工作表、单元格、找到的值和改法\n"
            "输入文件从不被修改、移动或删除。内容、模板和设置都没变的文件会显示“未变化”并跳过。\n"
            "退出码：0 全部成功；1 有文件出错；2 参数错误（如文件夹不存在）。"
        ),
        epilog="例子 (example):\n  toolkit render\n  toolkit render --watched 收件箱 --output 简报 --template 我的模板.docx",
    )
    folders(p)
    p.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 生成 PDF（需已安装 LibreOffice）")
    common(p)

    p = sub.add_parser(
        "check",
        formatter_class=fmt,
        help="只检查表格，不生成简报 (check_workbook)",
        description=(
            "检查一个或多个捐款表格，列出所有错误和警告（工作表、单元格、代码、找到的值、改法），\n"
            "不生成任何文件。退出码：0 没有错误（可有警告）；1 有错误；2 参数错误。"
        ),
        epilog="例子 (example):\n  toolkit check watched/捐款名单.xlsx\n  toolkit check *.xlsx --json",
    )
    p.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="要检查的表格文件（.xlsx、.xls、.et、.ods、.csv）"
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="以 JSON 列表输出：{file, sheet, cell, code, severity, value, message}",
    )
    common(p)

    p = sub.add_parser(
        "capital",
        formatter_class=fmt,
        help="把金额写成人民币大写 (to_capitals)",
        description=(
            "按中国人民银行《正确填写票据和结算凭证的基本规定》把金额写成大写，每个金额一行。\n"
            "不给金额时从标准输入逐行读取（可以一次处理很多行）。标准输出只有大写结果；\n"
            "无效的金额在标准错误输出说明原因，标准输出留一空行以保持对齐，最后退出码为 1。"
        ),
        epilog=(
            "例子 (example):\n"
            "  toolkit capital 50000            → 伍万元整\n"
            "  toolkit capital 1409.50 --prefix → 人民币壹仟肆佰零玖元伍角整\n"
            "  seq 1 100 | toolkit capital"
        ),
    )
    p.add_argument("amounts", nargs="*", metavar="AMOUNT", help="金额，如 50000、1,409.50、¥325.04")
    p.add_argument("--prefix", action="store_true", help="前面加“人民币”")

    p = sub.add_parser(
        "watch",
        formatter_class=fmt,
        help="一直运行：表格一放入或保存就自动生成简报 (watch_folder)",
        description=(
            "监视 --watched 文件夹，表格放入或在 Excel/WPS 中保存后自动生成简报，输出与 render 相同。\n"
            "启动时先处理文件夹里已有的文件；同一内容不会重复生成。按 Ctrl-C 停止。\n"
            "网络共享文件夹（SMB/NFS）上请加 --poll。"
        ),
        epilog="例子 (example):\n  toolkit watch\n  toolkit watch --watched //server/捐款 --output //server/简报 --poll",
    )
    folders(p)
    p.add_argument("--poll", action="store_true", help="用轮询代替系统通知（网络共享文件夹必须加）")
    p.add_argument(
        "--settle",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="文件大小和时间保持不变多久才算写完（默认 1 秒）",
    )
    p.add_argument(
        "--interval", type=float, default=5.0, metavar="SECONDS", help="定期全量扫描的间隔（默认 5 秒）"
    )
    common(p)

    p = sub.add_parser(
        "init",
        formatter_class=fmt,
        help="生成一个待填写的捐款表格 (write_starter_workbook)",
        description="生成一个格式正确、可直接填写的捐款表格：标题、表头、数据校验、合计公式、签名栏和打印设置。",
        epilog="例子 (example):\n  toolkit init 新捐款名单.xlsx        # 填好后再放进 watched/",
    )
    p.add_argument("file", type=Path, metavar="FILE.xlsx", help="要生成的文件（已存在时不会覆盖）")
    p.add_argument("--groups", type=int, default=1, metavar="N", help="每行并排几组 序号/姓名/金额（默认 1）")
    p.add_argument("--kinds", action="store_true", help="加一列“类型”（个人/单位）")

    p = sub.add_parser(
        "template",
        formatter_class=fmt,
        help="检查 Word 模板 (check_template)",
        description="检查 Word 模板：列出用到的变量，标出未知变量、被 Word 拆开的标签和语法错误。",
        epilog="例子 (example):\n  toolkit template check templates/bulletin.docx",
    )
    tsub = p.add_subparsers(dest="template_command", metavar="ACTION", parser_class=_Parser)
    tp = tsub.add_parser(
        "check",
        formatter_class=fmt,
        help="检查模板",
        description="检查 Word 模板并列出可用变量。",
        epilog="例子 (example):\n  toolkit template check templates/bulletin.docx",
    )
    tp.add_argument("file", type=Path, metavar="FILE.docx")
    return parser


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


def _summary(result: FileResult, output_root: Path | None = None) -> str:
    from toolkit.money import format_amount

    parts = [f"{result.file}: {result.outcome.value} {_RESULT_WORDS.get(result.outcome.value, '')}"]
    if result.outcome.value in ("rendered", "rejected"):
        parts.append(f"{result.donors} 位捐赠人")
        if result.total is not None:
            parts.append(f"合计 {format_amount(result.total)} 元")
    if result.errors:
        parts.append(f"{len(result.errors)} 处错误")
    if result.reason:
        parts.append(result.reason)
    parts.append(f"{result.seconds:.2f} 秒")
    line = ", ".join(parts)
    if result.output is not None and result.outcome.value == "rendered":
        line += f" → {result.output}"
    return line


def _print_result(result: FileResult, *, quiet: bool, out: TextIO, max_lines: int = 30) -> None:
    if quiet and result.ok and not result.problems:
        return
    print(_summary(result), file=out, flush=True)
    shown = result.problems if result.outcome.value != "unchanged" else ()
    for p in shown[:max_lines]:
        print(_problem_line(p), file=out)
    if len(shown) > max_lines:
        print(f"  …… 另有 {len(shown) - max_lines} 处，见报告文件", file=out)


# ---------------------------------------------------------------- commands


def _cmd_render(args: argparse.Namespace) -> int:
    from toolkit.pipeline import render_folder

    watched: Path = args.watched
    if not watched.is_dir():
        print(f"toolkit: 找不到文件夹 {watched}（请用 --watched 指定放捐款表格的文件夹）", file=sys.stderr)
        return EXIT_USAGE
    if args.output.exists() and not args.output.is_dir():
        print(
            f"toolkit: {args.output} 是一个文件，不是文件夹（请用 --output 指定输出文件夹）", file=sys.stderr
        )
        return EXIT_USAGE
    settings = _load_settings(args.config)
    results = render_folder(
        watched,
        args.output,
        settings=settings,
        template_path=args.template,
        on_result=lambda r: _print_result(r, quiet=args.quiet, out=sys.stdout),
    )
    if not results:
        print(
            f"{watched} 里没有表格文件（.xlsx、.xls、.et、.ods、.csv）。把捐款名单放进去后再运行 toolkit render。",
            file=sys.stderr,
        )
    if args.pdf:
        from toolkit.publish import pdf_is_stale

        _write_pdfs([r.output for r in results if r.output is not None and pdf_is_stale(r.output)])
    ok = all(r.ok for r in results)
    if not args.quiet and len(results) > 1:
        counts: dict[str, int] = {}
        for r in results:
            counts[r.outcome.value] = counts.get(r.outcome.value, 0) + 1
        summary = "，".join(f"{_RESULT_WORDS.get(k, k)} {v} 个" for k, v in counts.items())
        print(f"共 {len(results)} 个文件：{summary}")
    return EXIT_OK if ok else EXIT_REJECTED


def _write_pdfs(docs: Sequence[Path]) -> None:
    from toolkit.publish import convert_to_pdf

    for doc in docs:
        try:
            pdf = convert_to_pdf(doc)
        except FileNotFoundError as exc:
            print(str(exc), file=sys.stderr)
            return
        except RuntimeError as exc:
            print(f"{doc.name}: PDF 生成失败：{exc}", file=sys.stderr)
            continue
        print(f"{doc.name}: PDF → {pdf}")


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

    if not args.watched.is_dir():
        print(f"toolkit: 找不到文件夹 {args.watched}（请用 --watched 指定要监视的文件夹）", file=sys.stderr)
        return EXIT_USAGE
    if args.output.exists() and not args.output.is_dir():
        print(
            f"toolkit: {args.output} 是一个文件，不是文件夹（请用 --output 指定输出文件夹）", file=sys.stderr
        )
        return EXIT_USAGE
    settings = _load_settings(args.config)

    def on_result(result: FileResult) -> None:
        if args.quiet and result.ok and not result.problems:
            return
        if result.outcome.value == "unchanged" and not args.verbose:
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
    from toolkit.starter import write_starter_workbook

    path: Path = args.file
    if path.exists():
        print(f"toolkit: {path} 已存在，不会覆盖。请换一个文件名。", file=sys.stderr)
        return EXIT_USAGE
    if not path.name.lower().endswith(".xlsx"):
        print("toolkit: 文件名应以 .xlsx 结尾，例如 toolkit init 捐款名单.xlsx", file=sys.stderr)
        return EXIT_USAGE
    if not 1 <= args.groups <= 6:
        print("toolkit: --groups 应在 1 到 6 之间", file=sys.stderr)
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 rejected input, 2 usage error)."""
    _safe_streams()
    parser = _make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    _setup_logging(getattr(args, "verbose", False))
    from toolkit.errors import ToolkitError

    try:
        return _COMMANDS[args.command](args)
    except _UsageError as exc:
        print(f"toolkit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ToolkitError as exc:
        for p in exc.problems:
            print(f"toolkit: {p.format()}", file=sys.stderr)
        return (
            EXIT_USAGE
            if exc.problems and exc.problems[0].code.startswith(("settings.", "template."))
            else EXIT_REJECTED
        )
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
