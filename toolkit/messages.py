"""Every line toolkit prints for a person, in Chinese, in one place: the message catalogue.

What is here: the help of every command (its summary, description, examples and options), the
Chinese for argparse's own texts, the words for each `Outcome`, the lines ``toolkit render`` and
``toolkit check`` print, the settings notice and what ``toolkit setup`` asks, the watcher's log, the text reports (``.errors.txt``, ``.warnings.txt``), the
headings of the error workbook, the template check, the launcher's texts, and what an internal
error says. The modules that print take their texts from here and add nothing of their own.

What is not here: the message of each `Problem`. It is written where the problem is found (read,
parse, validate, render, publish), beside its code, because it quotes what was found there; it is
Chinese already and travels inside the `Problem`. Option names (``--watched``), problem codes
(``amount.not_a_number``) and ``--json`` stay English: scripts read them. Diagnostics shown only with
``-v`` (the ``toolkit`` logger) are Chinese and written where they are logged; tracebacks stay as
Python writes them. What the system or a library says in English (a missing file, a TOML or Jinja
syntax error) is said in Chinese by `os_reason`, `toml_error` and `jinja_error`.

Every text here encodes in GBK, so a Chinese Windows console shows it (``tests/test_messages.py``).

**To add a command's texts** add one `CommandText` to `COMMANDS` under the command's name (a
subcommand such as ``template check`` is spelled with its space): its summary, description,
examples and the help of each option it adds, keyed by the option's ``dest``. The parser
(`toolkit.cli.parser`) takes them from there, and ``tests/cli/test_parser.py`` fails while a
command or one of its options has no text. Lines the command prints go into a section below.

The module is longer than ~400 lines because it is a table: one entry per text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

from toolkit.errors import Outcome, Problem, Severity
from toolkit.text import display_width

if TYPE_CHECKING:
    from toolkit.records import Edition

__all__ = [
    "ARGPARSE",
    "jinja_error",
    "os_reason",
    "toml_error",
    "ARGPARSE_TYPES",
    "COMMANDS",
    "GLOBAL_OPTIONS",
    "OUTCOME_COUNTS",
    "OUTCOME_WORDS",
    "PROGRAM",
    "SEVERITY_WORDS",
    "CommandText",
]


# ==================================================================== outcomes and severities

OUTCOME_WORDS: Final[Mapping[Outcome, str]] = {
    Outcome.RENDERED: "已生成",
    Outcome.REJECTED: "有错误，未生成",
    Outcome.UNCHANGED: "未变化，跳过",
    Outcome.BUSY: "另一个 toolkit 进程正在处理",
    Outcome.NOT_READY: "尚未就绪",
    Outcome.FAILED: "未完成",
}
"""How one file ended, in its summary line (``捐款名单.xlsx: 已生成，45 位捐赠人……``)."""

OUTCOME_COUNTS: Final[Mapping[Outcome, str]] = {
    Outcome.RENDERED: "已生成",
    Outcome.REJECTED: "有错误未生成",
    Outcome.UNCHANGED: "未变化",
    Outcome.BUSY: "正被另一进程处理",
    Outcome.NOT_READY: "尚未就绪",
    Outcome.FAILED: "未完成",
}
"""The same, in a count of files (``已生成 3 个，有错误未生成 1 个``)."""

SEVERITY_WORDS: Final[Mapping[Severity, str]] = {Severity.ERROR: "错误", Severity.WARNING: "警告"}


def outcome_counts(outcomes: Sequence[Outcome]) -> str:
    """``已生成 3 个，有错误未生成 1 个``: how many files ended each way, in `Outcome` order."""
    return "，".join(
        f"{OUTCOME_COUNTS[o]} {n} 个" for o in Outcome if (n := sum(1 for x in outcomes if x is o))
    )


# ==================================================================== commands: help and examples


@dataclass(frozen=True, slots=True)
class CommandText:
    """The texts of one command.

    Attributes:
        summary: one line, shown beside the command in ``toolkit --help``.
        description: the paragraph at the top of the command's ``--help``, wrapped by hand.
        examples: ``(command line, what it does)`` pairs, shown under ``例子：``; at least one.
        options: help of each option or argument the command adds, keyed by its ``dest``.
        metavars: the placeholder shown for an option's value, keyed by ``dest`` (``--watched 文件夹``).
        note: a line under the examples.
    """

    summary: str
    description: str
    examples: tuple[tuple[str, str], ...]
    options: Mapping[str, str] = field(default_factory=dict)
    metavars: Mapping[str, str] = field(default_factory=dict)
    note: str = ""

    def epilog(self, heading: str = "例子：") -> str:
        """The examples, aligned in two columns by display width, and the note."""
        return heading + "\n" + _columns(self.examples) + (f"\n\n{self.note}" if self.note else "")


_LONG_EXAMPLE = 44
"""An example wider than this has its explanation on the next line."""


def _columns(pairs: Sequence[tuple[str, str]], indent: str = "  ") -> str:
    short = [display_width(left) for left, _ in pairs if display_width(left) <= _LONG_EXAMPLE]
    width = max(short, default=0)
    lines = []
    for left, right in pairs:
        shown = display_width(left)
        if shown > _LONG_EXAMPLE:
            lines += [f"{indent}{left}", f"{indent}{' ' * (width + 3)}{right}"]
        else:
            lines.append(f"{indent}{left}{' ' * (width - shown + 3)}{right}")
    return "\n".join(lines)


_EXIT_CODES = "退出码：0 全部成功；1 有文件出错或没有完成；2 命令写错了（如选项不对、文件夹不存在）。"

PROGRAM: Final = CommandText(
    summary="把捐款名单表格做成 Word 捐款简报",
    description=(
        "把捐款名单表格（.xlsx、.xls、WPS 表格、.ods、.csv）做成 Word 捐款简报（.docx）：\n"
        "捐赠人名单、合计金额及其大写、收款人、监督人、单位和日期。"
    ),
    examples=(
        ("toolkit render", "把 watched 文件夹里的每个表格做成简报，放进 output 文件夹"),
        ("toolkit check 捐款名单.xlsx", "只检查，不生成"),
        ("toolkit watch", "一直运行：表格一放进来或保存，就自动生成"),
        ("toolkit capital 50000", "打印 伍万元整"),
        ("toolkit launcher", "在当前文件夹放一个双击就能生成简报的文件"),
        ("toolkit setup", "填写本单位的报头、发文单位和报送名单"),
        ("toolkit issue output\\捐款名单.docx", "这份简报已经印发，以后不再改写"),
    ),
    note="每个命令都有自己的帮助，例如 toolkit render --help",
)
"""The texts of ``toolkit --help`` itself."""

GLOBAL_OPTIONS: Final[Mapping[str, str]] = {
    "help": "显示这段帮助，然后退出",
    "version": "显示 toolkit 的版本号，然后退出",
    "config": "设置文件；默认是当前文件夹里的 toolkit.toml（如果有）",
    "verbose": "显示更多过程信息；出内部错误时也显示详细记录",
    "quiet": "只显示问题，不显示成功的文件",
}
"""Options every command takes, before or after the command's name (``-h`` and ``--version`` too)."""

GLOBAL_METAVARS: Final[Mapping[str, str]] = {"config": "设置文件"}

GLOBAL_GROUP: Final = "全局选项（写在命令前后都可以）"

_FOLDERS: Final[Mapping[str, str]] = {
    "watched": "放捐款表格的文件夹（默认 watched）",
    "output": "放简报和报告的文件夹（默认 output，没有会自动建立）",
    "template": "Word 模板（默认用内置的简报模板）",
}
_FOLDER_METAVARS: Final[Mapping[str, str]] = {
    "watched": "文件夹",
    "output": "文件夹",
    "template": "模板.docx",
}

COMMANDS: Final[Mapping[str, CommandText]] = {
    "render": CommandText(
        summary="把文件夹里的每个捐款表格做成 Word 简报",
        description=(
            "把 --watched 文件夹里的每个表格（.xlsx、.xlsm、.xls、.et、.ods、.csv）做成 Word 简报，\n"
            "写进 --output 文件夹：\n"
            "  没有错误的表格 → <文件名>.docx（有警告时另写 <文件名>.warnings.txt）\n"
            "  有错误的表格   → <文件名>.errors.txt 和 <文件名>.errors.xlsx，逐条写明单元格和改法\n"
            "表格本身从不被修改、移动或删除。内容、模板和设置都没变的表格显示“未变化”并跳过。\n" + _EXIT_CODES
        ),
        examples=(
            ("toolkit render", "watched 里的每个表格 → output 里的简报"),
            ("toolkit render --watched 收件箱 --output 简报", "换成别的文件夹"),
            ("toolkit render --template 我的模板.docx --pdf", "用自己的模板，并另存一份 PDF"),
            ("toolkit render 三月捐款.xlsx --issue 12", "只做这一个表格，定为第十二期"),
        ),
        options={
            **_FOLDERS,
            "pdf": "同时用 LibreOffice 另存 PDF（没有安装 LibreOffice 时说明怎样安装，退出码为 1）",
            "workbooks": "只做这几个表格（路径，或 watched 里的文件名）；不写就做文件夹里的每个表格",
            "issue": "这份简报的期号，如 12 或 第十二期（要正好写一个表格）；以后保持不变",
        },
        metavars={**_FOLDER_METAVARS, "workbooks": "表格", "issue": "期号"},
    ),
    "check": CommandText(
        summary="只检查表格，不生成简报",
        description=(
            "检查一个或几个捐款表格，列出所有错误和警告（单元格、找到的值、改法和代码），\n"
            "不写任何文件。退出码：0 没有错误（可以有警告）；1 有错误；2 命令写错了。"
        ),
        examples=(
            ("toolkit check watched\\捐款名单.xlsx", "列出这个表格的所有问题"),
            ("toolkit check 一月.xlsx 二月.xlsx --json", "以 JSON 输出，给其他程序读"),
        ),
        options={
            "files": "要检查的表格文件（.xlsx、.xls、.et、.ods、.csv）",
            "json": "以 JSON 列表输出：{file, sheet, cell, code, severity, value, message}",
        },
        metavars={"files": "表格"},
    ),
    "capital": CommandText(
        summary="把金额写成人民币大写",
        description=(
            "按中国人民银行《正确填写票据和结算凭证的基本规定》把金额写成大写，每个金额一行。\n"
            "不写金额时，从管道逐行读取（一次可以换算很多行）。无效的金额在错误输出里说明原因，\n"
            "结果里留一个空行保持对齐，最后退出码为 1。"
        ),
        examples=(
            ("toolkit capital 50000", "打印 伍万元整"),
            ("toolkit capital 1409.50 --prefix", "打印 人民币壹仟肆佰零玖元伍角整"),
            ("type 金额.txt | toolkit capital", "逐行换算文件里的金额（macOS、Linux 用 cat）"),
        ),
        options={"amounts": "金额，如 50000、1,409.50、￥325.04", "prefix": "前面加“人民币”"},
        metavars={"amounts": "金额"},
    ),
    "watch": CommandText(
        summary="一直运行：表格一放进来或保存，就自动生成简报",
        description=(
            "监视 --watched 文件夹：表格放进来、或在 Excel、WPS 里保存后，自动生成简报，\n"
            "结果和 render 相同。启动时先处理文件夹里已有的表格；同一内容不会重复生成。\n"
            "还在复制的文件会等它复制完再读。按 Ctrl-C 停止。网络共享文件夹请加 --poll。"
        ),
        examples=(
            ("toolkit watch", "监视 watched，简报放进 output"),
            (
                "toolkit watch --watched \\\\server\\捐款 --output \\\\server\\简报 --poll --settle 5",
                "网络共享文件夹",
            ),
        ),
        options={
            **_FOLDERS,
            "poll": "定时查看文件夹，不依赖系统通知（网络共享文件夹必须加）",
            "settle": "文件大小和时间保持不变多少秒才算写完（默认 1 秒）",
            "interval": "每隔多少秒把整个文件夹查看一遍（默认 5 秒）",
        },
        metavars={**_FOLDER_METAVARS, "settle": "秒数", "interval": "秒数"},
    ),
    "init": CommandText(
        summary="生成一个待填写的捐款表格",
        description="生成一个格式正确、可以直接填写的捐款表格：标题、表头、数据校验、合计公式、签名栏和打印设置。",
        examples=(
            ("toolkit init 新捐款名单.xlsx", "填好后放进 watched 文件夹"),
            ("toolkit init 名单.xlsx --groups 3 --kinds", "每行并排三组，并加一列“类型”"),
        ),
        options={
            "file": "要生成的表格文件（已有同名文件时不会覆盖）",
            "groups": "每行并排几组 序号/姓名/金额（默认 1）",
            "kinds": "加一列“类型”（个人/单位）",
        },
        metavars={"file": "文件名.xlsx", "groups": "组数"},
    ),
    "template": CommandText(
        summary="检查 Word 模板",
        description="检查 Word 模板：列出能用的变量，标出写错的变量、被 Word 拆开的标记和语法错误。",
        examples=(("toolkit template check 我的模板.docx", "检查这个模板"),),
        options={"template_command": "要做的事：check（检查模板）"},
        metavars={"template_command": "动作"},
    ),
    "template check": CommandText(
        summary="检查模板",
        description="检查 Word 模板，并列出模板里能用的所有变量及其含义。",
        examples=(("toolkit template check 我的模板.docx", "检查这个模板"),),
        options={"file": "要检查的 Word 模板（.docx）"},
        metavars={"file": "模板.docx"},
    ),
    "setup": CommandText(
        summary="填写本单位的报头等设置，生成 toolkit.toml",
        description=(
            "在当前文件夹生成带中文注释的设置文件 toolkit.toml（UTF-8）：报头、发文单位、期号、\n"
            "报送/抄报/发送名单和签名人。在命令行窗口里运行时逐项用中文提问，直接回车表示用括号里的\n"
            "内容；也可以全部用选项给出（脚本里用）。已有的设置文件从不覆盖。\n"
            "退出码：0 已生成；2 文件已存在或命令写错了。"
        ),
        examples=(
            ("toolkit setup", "逐项提问"),
            (
                'toolkit setup --masthead "某某协会工作简报" --distribution "报送：市民政局" --no-input',
                "不提问，用选项给出的内容",
            ),
        ),
        options={
            "masthead": "报头：简报名称，如 某某协会工作简报",
            "office": "发文单位，如 某某协会办公室（默认用表格里的单位）",
            "issue": "第一份简报的期号，如 第一期",
            "distribution": "一行报送名单，如 报送：市民政局（可以写几次）",
            "organisation": "单位全称（表格没有写单位时使用）",
            "receiver": "收款人（表格没有写时使用）",
            "supervisor": "监督人（表格没有写时使用）",
            "no_input": "不提问，只用选项给出的内容和默认值",
        },
        metavars={
            "masthead": "文字",
            "office": "文字",
            "issue": "期号",
            "distribution": "一行",
            "organisation": "文字",
            "receiver": "姓名",
            "supervisor": "姓名",
        },
        note="--config 写别的文件名时，设置文件写到那里",
    ),
    "issue": CommandText(
        summary="把简报标记为已发出：以后不再改写，表格改了另出更正版",
        description=(
            "把已经印发的简报标记为“已发出”。此后 toolkit 不再改写、移动或删除这份简报；\n"
            "它的表格再有改动时，另外生成更正版，如 捐款名单（更正）.docx，原来的保持不变。\n"
            "可以写简报（如 output\\捐款名单.docx），也可以写它的表格（这时用 --output 指定输出文件夹）。\n"
            "什么都不写时，列出输出文件夹里每份简报的期号和状态。\n"
            "退出码：0 已标记；1 找不到这份简报，或它正在生成。"
        ),
        examples=(
            ("toolkit issue output\\捐款名单.docx", "第八期已经印发"),
            ("toolkit issue", "列出每份简报的期号"),
        ),
        options={
            "files": "已发出的简报（.docx），或它的表格",
            "output": "输出文件夹（默认：简报所在的文件夹；写表格名时是 output）",
        },
        metavars={"files": "简报", "output": "文件夹"},
    ),
    "launcher": CommandText(
        summary="放一个双击就能生成简报的文件",
        description=(
            "在文件夹里写入“生成简报.cmd”（Windows），以及“生成简报.command”（macOS）和\n"
            "“生成简报.sh”（Linux）。双击它，就会把这个文件夹里 watched 的表格做成简报、\n"
            "放进 output，显示结果，按任意键后关闭，不用打开命令行。没有 watched 文件夹时会建立它。"
        ),
        examples=(
            ("toolkit launcher", "写到当前文件夹"),
            ("toolkit launcher D:\\捐款", "写到 D:\\捐款 文件夹"),
        ),
        options={"folder": "要放启动文件的文件夹（默认当前文件夹）"},
        metavars={"folder": "文件夹"},
    ),
}
"""The texts of each command, by name; see the module docstring to add one."""


# ==================================================================== argparse's own texts

ARGPARSE: Final[Mapping[str, str]] = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "optional arguments": "选项",
    "subcommands": "命令",
    "show this help message and exit": GLOBAL_OPTIONS["help"],
    "show program's version number and exit": GLOBAL_OPTIONS["version"],
    "argument %(argument_name)s: %(message)s": "{argument_name}：{message}",
    "unrecognized arguments: %s": "不认识的参数：{0}",
    "the following arguments are required: %s": "缺少必须写的参数：{0}",
    "one of the arguments %s is required": "{0} 中必须写一个",
    "not allowed with argument %s": "不能和 {0} 一起用",
    "expected one argument": "后面要写一个值",
    "expected at least one argument": "后面至少要写一个值",
    "expected at most one argument": "后面最多写一个值",
    "expected %s argument": "后面要写 {0} 个值",
    "expected %s arguments": "后面要写 {0} 个值",
    "ignored explicit argument %r": "这个选项后面不能写值（写了“{0}”）",
    "invalid %(type)s value: %(value)r": "“{value}”不是{type}",
    "invalid choice: %(value)r (choose from %(choices)s)": "没有“{value}”，可以写：{choices}",
    "ambiguous option: %(option)s could match %(matches)s": "{option} 不明确，可能是：{matches}",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有“{parser_name}”这个命令，可以写：{choices}",
    "can't open '%(filename)s': %(error)s": "无法打开“{filename}”：{error}",
}
"""argparse's English texts (its gettext message ids, Python 3.10 to 3.13) and their Chinese.

``%s``-style fields become ``{0}`` or ``{name}``; a quoted value loses argparse's quotes, a list of
choices is joined with ``、``. `toolkit.cli.parser` translates through this table;
``tests/cli/test_parser.py`` checks that every message id the running Python's argparse can say to a
user is here.
"""

ARGPARSE_TYPES: Final[Mapping[str, str]] = {"int": "整数", "float": "数字", "Path": "路径"}
"""The type names in ``invalid %(type)s value``."""

USAGE_ERROR: Final = "{prog}：命令写得不对：{message}\n请看 {prog} --help"
BAD_NUMBER: Final = "要写一个数字，例如 {example}"
BAD_WHOLE_NUMBER: Final = "要写一个整数，例如 {example}"


# ==================================================================== render and check


def where(problem: Problem, *, with_file: bool = True) -> str:
    """``捐款.xlsx > Sheet1 > C7``: the known parts of a problem's location."""
    return problem.where() if with_file else " > ".join(x for x in (problem.sheet, problem.cell) if x)


def problem_line(problem: Problem, *, indent: str = "  ") -> str:
    """``  错误 捐款名单 > C4：金额“五百”…… [amount.not_a_number]`` under a file's summary."""
    place = where(problem, with_file=False)
    place = f"{place}：" if place else ""
    return f"{indent}{SEVERITY_WORDS[problem.severity]} {place}{problem.message} [{problem.code}]"


def file_summary(
    file: str,
    outcome: Outcome,
    *,
    donors: int,
    total: str | None,
    errors: int,
    warnings: int,
    reason: str,
    seconds: float,
    output: Path | None,
    edition: Edition | None = None,
) -> str:
    """One file's line in ``toolkit render`` and ``toolkit watch``; the bulletin's ``edition`` is
    shown after its path as its issue line (``第八期``).

    A rejected file shows its problems, never a donor count or total (nothing was made from them).
    """
    parts = [f"{file}: {OUTCOME_WORDS[outcome]}"]
    if outcome is Outcome.RENDERED:
        parts.append(f"{donors} 位捐赠人")
        if total is not None:
            parts.append(f"合计 {total} 元")
    if outcome is Outcome.REJECTED or errors:
        found = f"{errors} 处错误" + (f"、{warnings} 处警告" if warnings else "")
        parts.append(f"共 {errors + warnings} 处问题（{found}）")
    elif warnings and outcome is Outcome.RENDERED:
        parts.append(f"{warnings} 处警告")
    if reason:
        parts.append(reason)
    parts.append(f"{seconds:.2f} 秒")
    line = "，".join(parts)
    if output is not None and outcome is Outcome.RENDERED:
        line += f" → {output}"
        if edition is not None:
            from toolkit.numerals import issue_line

            line += f"（{issue_line(edition.number, edition.correction)}）"
    return line


def more_problems(count: int) -> str:
    return f"  …… 另有 {count} 处，见报告文件"


def render_total(count: int, outcomes: Sequence[Outcome]) -> str:
    """The last line of ``toolkit render`` over several files."""
    return f"共 {count} 个文件：{outcome_counts(outcomes)}"


def no_spreadsheets(folder: Path) -> str:
    return (
        f"{folder} 里没有表格文件（.xlsx、.xls、.et、.ods、.csv）。把捐款名单放进去后再运行 toolkit render。"
    )


def check_clean(file: str) -> str:
    return f"{file}: 没有发现问题"


def check_found(file: str, errors: int, warnings: int) -> str:
    return f"{file}: {errors} 处错误，{warnings} 处警告"


def pdf_written(docx: str, pdf: Path) -> str:
    return f"{docx}：PDF → {pdf}"


def pdf_failed(docx: str, message: str) -> str:
    return f"{docx}：PDF 没有生成：{message}"


def pdf_missing(count: int) -> str:
    return f"有 {count} 个 PDF 没有生成，所以退出码为 1；简报（.docx）都已生成"


# ==================================================================== why a file waits (FileResult.reason)

REASON_GONE: Final = "文件已不存在（可能正在保存或已被移走）"
REASON_STILL_WRITING: Final = "文件仍在写入"
REASON_INCOMPLETE: Final = "文件看起来还没有复制完"
REASON_BUSY: Final = "等它处理完"


def reason_waiting(seconds: float, limit: float) -> str:
    """``toolkit render`` waits for another process to finish a file (a progress line)."""
    return f"正在等它处理完（已等 {seconds:.0f} 秒，最多等 {limit:.0f} 秒）"


def reason_busy_waited(seconds: float) -> str:
    return f"等了 {seconds:.0f} 秒它仍没有处理完；请稍后再运行一次"


def reason_done_by_other(done: str) -> str:
    """A file another process was working on, once it finished: what it produced (``done``)."""
    return f"另一个 toolkit 进程刚处理完它：{done}"


def reason_still_rejected(report: str) -> str:
    """An unchanged workbook that had errors last time: it still has them."""
    return f"仍有上次发现的错误，简报没有生成；请按 {report} 修改后保存"


def reason_unreadable(detail: str) -> str:
    return f"暂时无法读取：{detail}"


def reason_unwritable(detail: str) -> str:
    return f"无法写入输出文件夹：{detail}"


def reason_internal(kind: str, crash: Path | None) -> str:
    """A file the pipeline failed on by a fault of toolkit's own."""
    if crash is None:
        return f"toolkit 内部错误（{kind}），请用 -v 重新运行，把显示的内容和这个表格发给维护人员"
    return f"toolkit 内部错误（{kind}），详细记录在 {crash}，请把它和这个表格发给维护人员"


# ==================================================================== a publish that stopped half-way

UNFINISHED_STATE: Final = "没能记下这次处理（输出文件夹里的状态文件）"


def unfinished_write(name: str) -> str:
    return f"没能写出 {name}"


def unfinished_remove(name: str) -> str:
    return f"没能删除旧文件 {name}"


def unfinished_step(step: str, detail: str) -> str:
    return f"{step}（{detail}）"


def reason_unfinished(step: str, *, bulletin: bool, earlier: bool, complete: bool) -> str:
    """Why a file whose outputs were written is not done (`toolkit.publish.PartlyPublished`):
    what is there and usable, what is not, and what the next run does."""
    if earlier:
        return f"简报上次已写好，可以使用；但{step}。下次运行会再试"
    if not bulletin:
        return f"报告已写出，但{step}。下次运行会重新检查这个表格"
    then = "下次运行会补上这一步，不会重新生成简报" if complete else "下次运行会重新生成"
    return f"简报已写好，可以使用；但{step}。{then}"


# ==================================================================== the watcher's log


def watch_banner(watched: Path, output: Path) -> str:
    return f"正在监视 {watched}，简报输出到 {output}。按 Ctrl-C 停止"


WATCH_STOPPED: Final = "已停止监视"
WATCH_OUTPUT_INSIDE: Final = "输出文件夹就是监视的文件夹：那里的 .errors.xlsx 报告不会被当成表格读取"
WATCH_OBSERVER_RESTARTED: Final = "文件监视线程意外停止，已自动重启并重新查看文件夹"
WATCH_WAITING: Final[Mapping[Outcome, str]] = {
    Outcome.FAILED: "暂时没有完成",
    Outcome.NOT_READY: "尚未就绪",
    Outcome.BUSY: "另一个 toolkit 进程正在处理",
}


def watch_folder_lost(folder: Path, detail: str, interval: float) -> str:
    return (
        f"找不到或无法打开监视的文件夹 {folder}（{detail}）。"
        f"如果是网络盘断开，恢复后会自动继续（每 {interval:g} 秒检查一次）"
    )


def watch_folder_back(folder: Path) -> str:
    return f"监视的文件夹 {folder} 已恢复，继续处理"


def watch_no_notifications(detail: str, interval: float) -> str:
    return f"无法启用文件变化通知（{detail}），改为每 {interval:g} 秒查看一次文件夹"


def watch_waiting(file: str, outcome: Outcome, reason: str) -> str:
    return f"{file}: {WATCH_WAITING.get(outcome, OUTCOME_WORDS[outcome])}（{reason}），稍后自动重试"


def watch_incomplete(file: str, seconds: float) -> str:
    return f"{file}: 文件看起来还没有复制完，最多再等 {seconds:g} 秒，复制完会自动处理"


def watch_progress(done: int, total: int) -> str:
    return f"正在处理 {done}/{total}"


def watch_round_done(outcomes: Sequence[Outcome]) -> str:
    """The end of a burst: how many files, and how each ended (rejected ones too)."""
    return f"本轮处理完毕，共 {len(outcomes)} 个文件：{outcome_counts(outcomes)}"


def timestamped(clock: str, line: str) -> str:
    return f"[{clock}] {line}"


# ==================================================================== text reports

REPORT_ERRORS: Final = "错误报告"
REPORT_WARNINGS: Final = "警告"


def report_lines(heading: str, file: str, problems: Sequence[Problem], note: str = "") -> list[str]:
    """The lines of ``<name>.errors.txt`` / ``<name>.warnings.txt``; each problem's line starts 错误 or 警告."""
    lines = [f"{heading}：{file}", f"共 {len(problems)} 处", *([note] if note else []), ""]
    for p in problems:
        found = f"（找到的值：{p.value}）" if p.value else ""
        place = p.where()
        place = f"{place}：" if place else ""
        lines.append(f"{SEVERITY_WORDS[p.severity]} {place}{p.message}{found} [{p.code}]")
    return lines


def report_bulletin_removed(names: Sequence[str]) -> str:
    return f"旧的简报 {'、'.join(names)} 已移到 {HISTORY_FOLDER} 文件夹：它对应修改前的表格。改正下列问题后会重新生成。"


HISTORY_FOLDER: Final = "历史版本"
"""The folder in the output folder that keeps earlier versions of the bulletins."""


def note_not_replaced(name: str, written: str) -> str:
    """Under a file's summary: a file toolkit did not write was left alone, the new one went beside it."""
    return f"{name} 不是 toolkit 生成时的样子（可能在 Word 中改过），没有覆盖；新版本写在 {written}"


def note_issued_unchanged(bulletin: str, number: int, correction: int) -> str:
    """An issued bulletin whose workbook is as it was: nothing is written, whatever the settings say."""
    from toolkit.numerals import issue_line

    return f"{bulletin}（{issue_line(number, correction)}）已发出，表格没有改动，保持原样"


def note_running_stale(bulletin: str, line: str, stated: str, now: str, workbook: str, following: str) -> str:
    """An issued bulletin whose 累计 figure an earlier bulletin's change made wrong: it is kept as sent."""
    return (
        f"{bulletin}（{line}）已发出，其中的累计金额 {stated} 元已过时：之前各期的合计变了，现在应为 {now} 元。"
        f"已发出的简报保持原样；要更正，请在 Excel 或 WPS 中打开 {workbook} 再保存一次，"
        f"toolkit 会另外生成更正版 {following}"
    )


def note_shared_number(line: str, others: Sequence[str], workbook: str) -> str:
    """A bulletin given an issue number another bulletin in the output folder already has."""
    return (
        f"{line}也是 {'、'.join(others)} 的期号，两份简报期号相同。若不是有意，请改正表格标题或文件名里的期号，"
        f"或用 toolkit render {workbook} --issue 期号 另定期号"
    )


def note_line(note: str) -> str:
    """A note under a file's summary (`note_not_replaced`…): ``  注意 …``."""
    return f"  注意 {note}"


def change_line(change: str) -> str:
    """A change to the donor list under a file's summary (`toolkit.changes`): ``  变化 新增 王五 300 元``."""
    return f"  变化 {change}"


def more_changes(count: int) -> str:
    return f"  …… 另有 {count} 处变化，见输出文件夹里的 .changes.txt 变化报告"


def notes_and_changes(notes: Sequence[str], changes: Sequence[str], *, limit: int) -> list[str]:
    """The lines under a file's summary: its notes (`note_line`), then at most ``limit`` changes to
    its donor list (`change_line`) and how many more the change report holds."""
    lines = [*map(note_line, notes), *map(change_line, changes[:limit])]
    return lines + ([more_changes(len(changes) - limit)] if len(changes) > limit else [])


def note_moved_to_history(names: Sequence[str]) -> str:
    return f"旧的 {'、'.join(names)} 已移到 {HISTORY_FOLDER} 文件夹"


# ==================================================================== the error workbook (.errors.xlsx)

PROBLEM_SHEET: Final = "问题清单"
"""Title of the sheet that lists every problem."""
PROBLEM_COLUMNS: Final = ("单元格", "说明", "级别", "工作表", "找到的值", "代码", "序号")
"""Its column headings, in order: where and what first, then the rest."""
OLD_COMMENT: Final = "——原批注——"


# ==================================================================== the template check (toolkit template check)

TEMPLATE_VARIABLE_MEANINGS: Final[Mapping[str, str]] = {
    "masthead": "简报名称（报头，大红字），如 全国质协系统抗击疫情防控工作 简报",
    "issue": "期号，如 第八期；更正版是 第八期（更正）",
    "issue_number": "期号的数字，如 8（每份简报第一次生成时定下，以后不变）",
    "correction": "0，或第几次更正（已发出的简报改过表格后另出的更正版）",
    "office": "编发单位，印在期号下一行左边",
    "issue_date": "简报日期，印在那一行右边（设置里没有时用表格的日期）",
    "title": "文章标题",
    "intro": "名单前的一段话（截至……共计收到爱心捐款……）",
    "heading": "名单上方的标题（表格的标题行）",
    "caption": "名单下方的图注，如 图2 ……爱心捐款名单",
    "org": "单位名称",
    "date": "表格里的日期，如 2020年2月5日；没有时为空",
    "receiver": "收款人；没有时为空（模板可留一条横线签名）",
    "supervisor": "监督人；没有时为空",
    "total": "合计金额，如 50000",
    "total_capitals": "合计金额的大写，如 伍万元整",
    "running_total": "这一期和之前各期合计的累计金额，如 50000",
    "count": "捐赠人数（笔数）",
    "personal_total": "个人捐款合计（表格有“类型”列时）",
    "company_total": "单位捐款合计（表格有“类型”列时）",
    "has_kinds": "表格是否分了 个人/单位",
    "groups": "名单每行并排几组",
    "group_numbers": "1 到组数，用于表头的 {%tc for g in group_numbers %}",
    "rows": "并排排好的名单行：{%tr for row in rows %} 里 {%tc for g in row %}，每格 g.serial、g.donor、g.amount",
    "donors": "逐个捐赠人的名单（每行一人）：d.serial、d.donor、d.amount、d.kind",
    "distribution": "文末的 报送/抄报/发送 各行：d.label、d.text",
    "source_file": "表格的文件名",
    "source_unit": "表格原来的金额单位：以万元填写时为“万元”（简报里已换算为元），否则为空",
    "tables": "表格里的每份名单（一个工作表或其中一个表）：t.name、t.count、t.total",
    "roles": "名单下方写的其他人（经手人、审核人……）：r.role、r.name",
    "notes": "名单下方“注：……”的各行",
}
"""What each template variable holds, for ``toolkit template check``; one entry per variable the
bulletin context offers (`toolkit.render.TEMPLATE_VARIABLES`, checked by ``tests/test_messages.py``)."""


def template_verdict(file: str, *, errors: int, warnings: int, fast: bool) -> str:
    """The first line of ``toolkit template check``: 可以使用 only when nothing was found."""
    if errors:
        also = f"，另有 {warnings} 处警告" if warnings else ""
        return f"{file}: 有错误（{errors} 处{also}），不能使用，请按下面的提示修改"
    if warnings:
        return f"{file}: 能生成简报，但有 {warnings} 处警告，生成的简报可能不对，请先按下面的提示检查"
    speed = "名单表格可快速生成" if fast else "名单表格按普通方式生成（大名单较慢）"
    return f"{file}: 可以使用（{speed}）"


TEMPLATE_NAME: Final = "Word 模板"
TEMPLATE_USED: Final = "用到的变量："
TEMPLATE_NONE: Final = "（无）"
TEMPLATE_AVAILABLE: Final = "模板里可以用的变量（写成 {{ 变量名 }}）："


def template_variables(names: Sequence[str]) -> list[str]:
    """One aligned line per variable: its name and what it holds."""
    width = max((len(name) for name in names), default=0)
    return [f"  {name.ljust(width)}   {TEMPLATE_VARIABLE_MEANINGS.get(name, '')}".rstrip() for name in names]


# ==================================================================== the launchers (toolkit launcher)

LAUNCHER_ABOUT: Final = "生成简报：双击后，把这个文件夹里 watched 中的捐款表格做成简报，放进 output。"
LAUNCHER_MISSING: Final = (
    "找不到 toolkit：生成这个文件的 toolkit 已被移走或卸载。",
    "请按说明重新安装 toolkit，然后在这个文件夹里运行一次 toolkit launcher。",
)
LAUNCHER_PRESS_KEY: Final = "按任意键关闭这个窗口……"
"""What the launchers say (inside a .cmd or a shell script: no ``<>|&^%`` and no quotes)."""


def launcher_made_by(version: str) -> str:
    return f"由 toolkit launcher 生成（toolkit {version}）。toolkit 换了位置后，再运行一次 toolkit launcher 即可。"


def launcher_done(folder: Path, names: Sequence[str], created_watched: bool) -> str:
    made = f"已在 {folder} 写入 {'、'.join(names)}。"
    watched = "并建立了 watched 文件夹。" if created_watched else ""
    return (
        f"{made}{watched}把捐款表格放进 watched 文件夹，然后双击“{names[0]}”"
        "（macOS 双击 .command 文件），简报会放进 output 文件夹。"
    )


def launcher_no_folder(folder: Path) -> str:
    return f"文件夹 {folder} 不存在，请先建立它，或换一个文件夹"


# ==================================================================== the CLI's own lines

STOPPED: Final = "已停止"
CAPITAL_USAGE: Final = (
    "请在命令后面写金额，例如 toolkit capital 50000；\n"
    "或者用管道一次换算很多行，例如 type 金额.txt | toolkit capital"
)


def capital_refused(text: str, reason: str, code: str) -> str:
    return f"toolkit capital：“{text}”：{reason} [{code}]"


def settings_unreadable(path: Path, detail: str) -> str:
    return f"无法读取设置文件 {path}：{detail}"


def init_exists(path: Path) -> str:
    return f"{path} 已存在，不会覆盖。请换一个文件名。"


INIT_NOT_XLSX: Final = "文件名要以 .xlsx 结尾，例如 toolkit init 捐款名单.xlsx"


def init_groups(limit: int) -> str:
    return f"--groups 要在 1 到 {limit} 之间"


def init_no_folder(folder: Path) -> str:
    return f"文件夹 {folder} 不存在，请先建立它，或换一个位置"


def init_done(path: Path, *, settings: bool = True) -> str:
    """What ``toolkit init`` says; without a settings file it points to ``toolkit setup`` too."""
    done = f"已生成 {path}：填好捐赠人、金额和签名栏后放进 watched 文件夹，再运行 toolkit render"
    return done if settings else f"{done}\n{INIT_NO_SETTINGS}"


TEMPLATE_NO_ACTION: Final = "请写要做的事，例如 toolkit template check 我的模板.docx"


# ==================================================================== the organisation's own bulletin

NO_SETTINGS: Final = (
    "没有找到设置文件 toolkit.toml，简报用中性的报头“捐赠公示”，发文单位取表格里的单位。"
    "运行 toolkit setup 填写本单位的报头、发文单位、报送名单和签名人。"
)
"""Printed by every ``toolkit render`` and ``toolkit watch`` while no settings file is found."""

INIT_NO_SETTINGS: Final = "这个文件夹还没有设置文件：运行 toolkit setup 填写本单位的报头、发文单位和报送名单，简报才会用本单位的名义。"

SETUP_INTRO: Final = "逐项填写本单位的设置，直接回车表示用括号里的内容。"

SETUP_QUESTIONS: Final[Mapping[str, str]] = {
    "masthead": "报头（简报名称，红色大字）",
    "office": "发文单位（期号下一行左侧；{org} 表示表格里的单位）",
    "issue": "第一份简报的期号",
    "organisation": "单位全称（表格没有写单位时使用）",
    "receiver": "收款人（表格没有写时使用，可留空）",
    "supervisor": "监督人（表格没有写时使用，可留空）",
}
"""The question ``toolkit setup`` asks for each text setting."""

SETUP_DISTRIBUTION: Final = "报送名单，每行一条（如 报送：市民政局），直接回车结束："
SETUP_DISTRIBUTION_BAD: Final = "请写成“报送：单位名单”这样，冒号前是报送、抄报或发送"


def setup_question(question: str, default: object) -> str:
    """One question of ``toolkit setup``, with the value Enter keeps: ``报头（……）［捐赠公示］：``."""
    return f"{question}［{default}］："


def setup_exists(path: Path) -> str:
    return f"{path} 已存在，不会覆盖。要修改请用记事本打开它，或换一个文件名（--config）"


def setup_no_folder(folder: Path) -> str:
    return f"文件夹 {folder} 不存在，请先建立它，或换一个位置"


def setup_bad_distribution(line: str) -> str:
    return f"--distribution “{line}”：{SETUP_DISTRIBUTION_BAD}"


def setup_bad_issue(value: str) -> str:
    return f"“{value}”不是期号，请写成 第一期 或 1"


def render_issue_one() -> str:
    return "--issue 要正好写一个表格，例如 toolkit render 三月捐款.xlsx --issue 12"


def render_issue_bad(value: str) -> str:
    return f"--issue：“{value}”不是期号，请写成 12 或 第十二期"


def issue_done(bulletin: Path, line: str, following: str) -> str:
    return f"已标记为已发出：{bulletin}（{line}）。以后不会再改写它；表格再有改动时，会另外生成 {following}。"


def issue_edited(bulletin: str) -> str:
    """``toolkit issue`` of a bulletin edited (in Word) after toolkit wrote it: the edited one is issued."""
    return f"注意 {bulletin} 在 toolkit 生成后改过（可能在 Word 中）；标记为已发出的是改过的这一份，也就是你发出的那份。"


def issue_again(bulletin: str, line: str) -> str:
    return f"{bulletin}（{line}）早已标记为已发出。"


def issue_list_empty(folder: Path) -> str:
    return f"{folder} 里还没有 toolkit 生成的简报。"


def issue_list_line(line: str, source: str, issued: Sequence[str], current: str) -> str:
    """One bulletin of ``toolkit issue``'s list: ``第八期  捐款名单.xlsx → 捐款名单.docx 已发出``."""
    states = [f"{name} 已发出" for name in issued] + ([f"{current} 当前"] if current else [])
    return f"{line}  {source} → {'，'.join(states)}"


def setup_done(path: Path, masthead: str) -> str:
    return (
        f"已生成 {path}（报头：{masthead}）。再运行 toolkit render，简报就会使用本单位的设置；"
        "要修改请用记事本打开它。"
    )


def internal_error(kind: str, crash: Path | None, detail: str = "") -> str:
    """The one sentence a clerk sees when toolkit itself fails; the traceback is in ``crash``."""
    if crash is not None:
        return f"toolkit 出了内部错误（{kind}），不是你操作的问题。详细记录已写入 {crash}，请把这个文件和你的表格发给维护人员"
    return (
        f"toolkit 出了内部错误（{kind}），不是你操作的问题。详细记录无法写入文件（{detail}），"
        "请用 -v 重新运行，把显示的内容和你的表格发给维护人员"
    )


def crash_report(version: str, python: str, platform: str, context: str, traceback: str) -> str:
    """The crash file's text: enough for a maintainer to reproduce the failure.

    ``context`` is one line saying what toolkit was doing (the command, or the file).
    """
    return "\n".join(
        [
            "toolkit 内部错误记录（请把这个文件和出错的表格一起发给维护人员）",
            f"toolkit {version}，Python {python}，{platform}",
            context,
            "",
            traceback.rstrip(),
            "",
        ]
    )


def os_error(filename: object, detail: str) -> str:
    """A file the system refused (``D:\\捐款：拒绝访问。``)."""
    return f"{filename}：{detail}" if filename else detail


def crash_command(argv: Sequence[str]) -> str:
    return "命令：toolkit " + " ".join(argv)


def crash_workbook(name: str) -> str:
    return f"表格：{name}"


def prefixed(line: str) -> str:
    """A line toolkit says on the error output: ``toolkit：…``."""
    return f"toolkit：{line}"


# ---------------------------------------------------------------- what the system and libraries say

_ERRNO_REASONS: Final = {
    "ENOENT": "文件或文件夹不存在",
    "EACCES": "没有权限",
    "EPERM": "没有权限",
    "ENOSPC": "磁盘已满",
    "EROFS": "磁盘是只读的",
    "EISDIR": "这是一个文件夹",
    "ENOTDIR": "路径中有一部分不是文件夹",
    "EBUSY": "文件正被别的程序占用",
    "ETXTBSY": "文件正被别的程序占用",
    "ENAMETOOLONG": "文件名或路径太长",
    "EEXIST": "文件已存在",
    "EMFILE": "同时打开的文件太多",
    "EIO": "读写磁盘出错",
}
_WINERROR_REASONS: Final = {32: "文件正被别的程序（如 Word 或 WPS）打开", 33: "文件的一部分被别的程序锁定"}


def os_reason(exc: OSError) -> str:
    """What the system refused, in Chinese (``文件或文件夹不存在``); the system's own words otherwise."""
    import errno

    winerror = getattr(exc, "winerror", None)
    if isinstance(winerror, int) and winerror in _WINERROR_REASONS:
        return _WINERROR_REASONS[winerror]
    name = errno.errorcode.get(exc.errno or -1, "")
    return _ERRNO_REASONS.get(name) or f"系统错误：{exc.strerror or exc}"


_TOML_REASONS: Final = (
    ("Illegal character", "有不允许的字符（常见原因：引号没有配对，或一段文字中间换了行）"),
    ("Cannot overwrite", "同一个设置项写了两次"),
    ("Cannot declare", "同一个设置项写了两次"),
    ("Expected '=' after a key", "设置项名称后面缺少“=”"),
    ("Invalid value", '值的写法不对：文字要用英文双引号括起来，如 masthead = "某某协会工作简报"'),
    ("Unclosed", "引号或括号没有配对"),
    ("Unterminated", "引号没有配对"),
    ("Invalid initial character", "这一行不是“名称 = 值”的写法"),
    ("Invalid statement", "这一行不是“名称 = 值”的写法"),
    ("Expected newline", "一行只能写一个设置项"),
)


def toml_error(message: str) -> str:
    """A TOML syntax error in Chinese: where (第 3 行第 14 列) and what (引号没有配对…)."""
    import re

    where = re.search(r"at line (\d+), column (\d+)", message)
    what = next((reason for key, reason in _TOML_REASONS if key in message), "写法不对")
    place = f"第 {where[1]} 行第 {where[2]} 列：" if where else ""
    return f"设置文件{place}{what}。请用记事本打开 toolkit.toml 改正（每行写“名称 = 值”，文字用英文双引号）"


_JINJA_REASONS: Final = (
    ("Expected an expression", "标记里缺少内容（如 {% if %} 后面没有写条件，或 {{ }} 里是空的）"),
    ("unexpected end of template", "标记没有写完：{{ }} 或 {% %} 不成对"),
    ("Unexpected end of template", "有 {% if %} 或 {% for %} 没有对应的 {% endif %} 或 {% endfor %}"),
    ("Encountered unknown tag", "有不认识的 {% %} 标签"),
    ("expected token", "标记里的写法不对"),
    ("unexpected", "标记里有多余或不成对的符号"),
)


def jinja_error(message: str | None) -> str:
    """A template syntax error in Chinese (``标记没有写完：{{ }} 或 {% %} 不成对``)."""
    text = message or ""
    return next((reason for key, reason in _JINJA_REASONS if key in text), "标记的写法不对")
