"""What the ``toolkit`` command line accepts: its commands, their options and their help.

Every command's help ends with an example, and its description states the exit codes, defined here:
`EXIT_OK`, `EXIT_REJECTED` and `EXIT_USAGE`. argparse's usage errors exit with `EXIT_USAGE` and one
clear line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["EXIT_OK", "EXIT_REJECTED", "EXIT_USAGE", "make_parser"]

EXIT_OK = 0
"""Every file rendered (or was unchanged); no error found."""
EXIT_REJECTED = 1
"""A file was rejected or failed, or toolkit could not finish."""
EXIT_USAGE = 2
"""The command was given something unusable: an unknown option, a missing folder, a bad setting."""


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese-friendly errors: usage problems exit 2 with one clear line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: 参数错误 (usage error): {message}\n")
        raise SystemExit(EXIT_USAGE)


def make_parser() -> argparse.ArgumentParser:
    """The ``toolkit`` command line: every command with its options, Chinese help and an example."""
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
