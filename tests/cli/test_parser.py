"""The command line's declaration (`toolkit.cli.parser`): every command, with Chinese help and examples."""

from __future__ import annotations

import argparse
import ast
import inspect
import re
from pathlib import Path

import pytest

from toolkit import messages
from toolkit.cli import main
from toolkit.cli.parser import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, make_parser, translate

COMMANDS = ["render", "check", "capital", "watch", "init", "template", "launcher", "setup", "issue"]
ENGLISH = ("usage:", "options:", "positional arguments", "optional arguments", "show this help", "error:")
CJK = re.compile("[\u4e00-\u9fff]")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- help


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_chinese_help_with_chinese_examples(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run([command, "--help"], capsys)
    assert code == 0
    assert out.startswith(f"用法：toolkit {command} ")
    examples = out.split("\n例子：\n", 1)[1].splitlines()
    assert any(line.strip().startswith(f"toolkit {command}") for line in examples)
    assert all(CJK.search(line) for line in examples if line.strip() and not line.startswith("    "))
    assert not [word for word in ENGLISH if word in out]


def test_top_level_help_lists_every_command_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--help"], capsys)
    assert code == 0
    assert out.startswith("用法：toolkit ")
    for command in COMMANDS:
        assert re.search(rf"^  {command} +{re.escape(messages.COMMANDS[command].summary)}$", out, re.M)
    assert "render_folder" not in out and "(example)" not in out
    assert not [word for word in ENGLISH if word in out]


def test_help_aligns_chinese_placeholders_by_display_width(capsys: pytest.CaptureFixture[str]) -> None:
    from toolkit.text import display_width

    _, out, _ = run(["watch", "--help"], capsys)
    options = out.split("\n选项:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    columns = {display_width(line) - display_width(line.split("  ")[-1].lstrip()) for line in options}
    assert len(options) == 6 and len(columns) == 1, options


def test_every_catalogue_command_is_a_command_and_every_option_has_its_text() -> None:
    parser = make_parser()
    declared: dict[str, set[str]] = {}
    for name, command in parser.commands.items():
        declared[name] = {a.dest for a in command._actions}
        for sub, subcommand in command.commands.items():
            declared[f"{name} {sub}"] = {a.dest for a in subcommand._actions}
    assert set(declared) == set(messages.COMMANDS)
    shared = {"help", "config", "verbose", "quiet"}
    for name, dests in declared.items():
        assert dests - shared == set(messages.COMMANDS[name].options), name


# ---------------------------------------------------------------- global options on either side


@pytest.mark.parametrize(
    "argv",
    [
        ["-v", "-q", "--config", "a.toml", "render"],
        ["render", "-v", "-q", "--config", "a.toml"],
        ["-v", "render", "-q", "--config", "a.toml"],
        ["--config", "a.toml", "capital", "-v", "-q", "1"],
    ],
)
def test_global_options_work_on_either_side_of_the_command(argv: list[str]) -> None:
    args = make_parser().parse_command_line(argv)
    assert (args.verbose, args.quiet, args.config) == (True, True, Path("a.toml"))


def test_global_options_default_when_given_nowhere() -> None:
    args = make_parser().parse_command_line(["check", "a.xlsx"])
    assert (args.verbose, args.quiet, args.config) == (False, False, None)


# ---------------------------------------------------------------- errors in Chinese


@pytest.mark.parametrize(
    ("argv", "prog", "message"),
    [
        (["render", "--frobnicate"], "toolkit render", "不认识的参数：--frobnicate"),
        (["template", "check", "a.docx", "b.docx"], "toolkit template check", "不认识的参数：b.docx"),
        (
            ["rendr"],
            "toolkit",
            "命令：没有“rendr”，可以写：render、check、capital、watch、init、template、launcher、setup、issue",
        ),
        (["check"], "toolkit check", "缺少必须写的参数：表格"),
        (["render", "--watched"], "toolkit render", "--watched：后面要写一个值"),
        (["init", "a.xlsx", "--groups", "x"], "toolkit init", "--groups：要写一个整数，例如 2"),
        (["watch", "--settle", "soon"], "toolkit watch", "--settle：要写一个数字，例如 1 或 0.5"),
        (["--ver"], "toolkit", "--ver 不明确，可能是：--version、--verbose"),
    ],
)
def test_usage_errors_are_chinese_and_exit_2(
    argv: list[str], prog: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(argv, capsys)
    assert (code, out) == (EXIT_USAGE, "")
    usage, said, hint = err.splitlines()[-3:]
    assert err.startswith(f"用法：{prog} ")
    assert said == f"{prog}：命令写得不对：{message}"
    assert hint == f"请看 {prog} --help"
    assert not [word for word in ENGLISH if word in err]


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("argument --groups: invalid int value: 'x'", "--groups：“x”不是整数"),
        ("argument --template: invalid Path value: ''", "--template：“”不是路径"),
        (
            "argument 命令: invalid choice: 'x' (choose from 'render', 'check')",
            "命令：没有“x”，可以写：render、check",
        ),
        (
            "argument 命令: invalid choice: 'x' (choose from render, check)",
            "命令：没有“x”，可以写：render、check",
        ),
        ("the following arguments are required: 表格, 模板.docx", "缺少必须写的参数：表格, 模板.docx"),
        ("argument --pdf: ignored explicit argument 'yes'", "--pdf：这个选项后面不能写值（写了“yes”）"),
        ("argument --x: expected 2 arguments", "--x：后面要写 2 个值"),
        ("something argparse may say one day", "something argparse may say one day"),
    ],
)
def test_translate(english: str, chinese: str) -> None:
    assert translate(english) == chinese


_NOT_FOR_USERS = {
    # mistakes in declaring a parser, never made by toolkit's (a test would fail first)
    "%r is not callable",
    "'required' is an invalid argument for positionals",
    ".__call__() not defined",
    'argument "-" with mode %r',
    "cannot have multiple subparser arguments",
    "cannot merge actions - two groups are named %r",
    "conflicting option string: %s",
    "conflicting option strings: %s",
    "conflicting subparser: %s",
    "conflicting subparser alias: %s",
    "dest= is required for options like %r",
    "invalid conflict_resolution value: %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "mutually exclusive arguments must be optional",
    "unexpected option string: %s",
    # features toolkit does not use: deprecation, default values in help, fromfile_prefix_chars
    "argument '%(argument_name)s' is deprecated",
    "command '%(parser_name)s' is deprecated",
    "option '%(option)s' is deprecated",
    "%(prog)s: warning: %(message)s\n",
    " (default: %(default)s)",
    # replaced as a whole: Parser.error prints its own line; headings keep argparse's colon
    "%(prog)s: error: %(message)s\n",
    "%(heading)s:",
}


def test_every_message_argparse_can_show_a_user_is_translated() -> None:
    """Run on each Python from 3.10 to 3.13: a new wording in argparse fails here first."""
    tree = ast.parse(inspect.getsource(argparse))
    said = {
        arg.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("_", "ngettext")
        for arg in node.args
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
    }
    assert said - _NOT_FOR_USERS - set(messages.ARGPARSE) == set()


def test_exit_codes_are_the_documented_ones() -> None:
    """README.md: 0 when every file rendered, 1 when any was rejected or failed, 2 for usage errors."""
    assert (EXIT_OK, EXIT_REJECTED, EXIT_USAGE) == (0, 1, 2)
