"""What the ``toolkit`` command line accepts: its commands, their options and their help, in Chinese.

Every text comes from `toolkit.messages`: a command's summary, description, examples and the help
of each option are one `CommandText` there, looked up by the command's name and the option's
``dest``. argparse's own texts (``usage:``, ``options``, ``unrecognized arguments``…) are translated
by the subclasses here, never by changing argparse itself: `HelpFormatter` gives the usage prefix
and the section headings and wraps help by display width (a Chinese character is two columns);
`Parser.error` translates an error through `messages.ARGPARSE` and exits with `EXIT_USAGE`.

The global options (``-v``, ``-q``, ``--config``) work on either side of the command's name
(``toolkit -v render`` and ``toolkit render -v``): the top level sets their defaults, and each
command accepts them again with no default of its own, so it only sets what is given after it.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

from toolkit import messages
from toolkit.messages import COMMANDS, GLOBAL_OPTIONS, CommandText
from toolkit.text import display_width, wrap_display

__all__ = [
    "EXIT_OK",
    "EXIT_REJECTED",
    "EXIT_USAGE",
    "HelpFormatter",
    "Parser",
    "UsageError",
    "make_parser",
    "translate",
]

EXIT_OK = 0
"""Every file rendered (or was unchanged); no error found."""
EXIT_REJECTED = 1
"""A file was rejected or failed, a PDF asked for was not made, or toolkit could not finish."""
EXIT_USAGE = 2
"""The command was given something unusable: an unknown option, a missing folder, a bad setting."""


class UsageError(Exception):
    """A command was given something it cannot use; its message is the Chinese sentence to print,
    and the command exits with `EXIT_USAGE`."""


_HELP_POSITION = 26
"""Column where an option's help starts; a longer option puts its help on the next line."""
_USAGE_MARGIN = 12
"""Columns kept free for the Chinese placeholders in a usage line, which argparse counts as one column."""


# ---------------------------------------------------------------- argparse's texts in Chinese


def _pattern(msgid: str) -> re.Pattern[str]:
    """A regex that matches what argparse makes of ``msgid``, one group per ``%`` field."""
    parts: list[str] = []
    position = 0
    for piece in re.split(r"(%\([a-z_]+\)[sr]|%[sr])", msgid):
        if piece.startswith("%(") and len(piece) > 3:
            parts.append(f"(?P<{piece[2:-2]}>.*?)")
        elif piece in ("%s", "%r"):
            parts.append(f"(?P<_{position}>.*?)")
            position += 1
        else:
            parts.append(re.escape(piece))
    return re.compile("".join(parts), re.DOTALL)


_TABLE = tuple((_pattern(msgid), chinese) for msgid, chinese in messages.ARGPARSE.items())
_LISTS = ("choices", "matches")


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _field(name: str, value: str) -> str:
    if name == "message":
        return translate(value)
    if name == "type":
        return messages.ARGPARSE_TYPES.get(value, value)
    if name in _LISTS:
        return "、".join(_unquote(item.strip()) for item in value.split(","))
    return _unquote(value)


def translate(message: str) -> str:
    """argparse's English ``message`` in Chinese (`messages.ARGPARSE`); unknown ones are kept as they are."""
    for pattern, chinese in _TABLE:
        match = pattern.fullmatch(message)
        if match is None:
            continue
        fields = {name: _field(name, value) for name, value in match.groupdict().items()}
        positional = [fields.pop(name) for name in sorted(n for n in fields if n.startswith("_"))]
        return chinese.format(*positional, **fields)
    return message


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Chinese usage prefix and headings; each option's help on its own line, wrapped by display width.

    Descriptions and examples come from `toolkit.messages` already laid out, and are kept as they are.
    """

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = _HELP_POSITION) -> None:
        width = max(shutil.get_terminal_size().columns - 2, 40)
        super().__init__(prog, indent_increment, max_help_position, width - _USAGE_MARGIN)
        self._help_width = width

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, translate("usage: ") if prefix is None else prefix)

    def start_section(self, heading: str | None) -> None:
        super().start_section(translate(heading) if heading else heading)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap_display(text, width + _USAGE_MARGIN)

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:  # measure the option as wide as it shows
            shown = display_width(self._format_action_invocation(action)) + self._current_indent
            self._action_max_length = max(self._action_max_length, shown)

    def _format_action(self, action: argparse.Action) -> str:
        if isinstance(action, argparse._SubParsersAction):
            # The section heading names the commands already: list them without the placeholder line.
            return "".join(self._format_action(choice) for choice in action._get_subactions())
        text = super()._format_action(action)
        # argparse pads an option to the help column by its length; a Chinese placeholder is wider.
        header = self._format_action_invocation(action)
        extra = display_width(header) - len(header)
        if extra > 0 and f"{header}{' ' * (extra + 2)}" in text:
            text = text.replace(f"{header}{' ' * extra}", header, 1)
        return text


class Parser(argparse.ArgumentParser):
    """An argparse parser that speaks Chinese: its help option, its usage and its errors.

    Attributes:
        global_options: the argument group of the options every command takes (``-h`` among them).
        commands: the parser of each of its commands, by name.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self.commands: dict[str, Parser] = {}
        self.command_dest: str | None = None
        self.global_options = self.add_argument_group(messages.GLOBAL_GROUP)
        self.global_options.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS, help=GLOBAL_OPTIONS["help"]
        )

    def parse_command_line(self, argv: Sequence[str]) -> argparse.Namespace:
        """Parse ``argv``; an argument no command knows is refused by that command, with its usage."""
        parsed, extras = self.parse_known_args(argv)
        if extras:
            owner: Parser = self
            while owner.command_dest and getattr(parsed, owner.command_dest, None) in owner.commands:
                owner = owner.commands[getattr(parsed, owner.command_dest)]
            owner.error(messages.ARGPARSE["unrecognized arguments: %s"].format(" ".join(extras)))
        return parsed

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error in Chinese; exit with `EXIT_USAGE`."""
        self.print_usage(sys.stderr)
        sys.stderr.write(messages.USAGE_ERROR.format(prog=self.prog, message=translate(message)) + "\n")
        raise SystemExit(EXIT_USAGE)


# ---------------------------------------------------------------- value types


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(messages.BAD_NUMBER.format(example="1 或 0.5")) from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(messages.BAD_NUMBER.format(example="1 或 0.5"))
    return value


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(messages.BAD_WHOLE_NUMBER.format(example="2")) from None


# ---------------------------------------------------------------- the commands


def _add(parser: argparse.ArgumentParser, text: CommandText, *flags: str, **kwargs: Any) -> argparse.Action:
    """Add an argument whose help (and placeholder) `toolkit.messages` gives for ``text``.

    Raises:
        KeyError: the catalogue has no help for this argument's ``dest``.
    """
    action = parser.add_argument(*flags, **kwargs)
    action.help = text.options[action.dest]
    if action.metavar is None and action.dest in text.metavars:
        action.metavar = text.metavars[action.dest]
    return action


def _global_options(parser: Parser, *, top: bool) -> None:
    """``--config``, ``-v`` and ``-q``: defaults at the top level, given-only in each command."""

    def default(value: object) -> object:
        return value if top else argparse.SUPPRESS

    group = parser.global_options
    group.add_argument(
        "--config",
        type=Path,
        default=default(None),
        metavar=messages.GLOBAL_METAVARS["config"],
        help=GLOBAL_OPTIONS["config"],
    )
    group.add_argument(
        "-v", "--verbose", action="store_true", default=default(False), help=GLOBAL_OPTIONS["verbose"]
    )
    group.add_argument(
        "-q", "--quiet", action="store_true", default=default(False), help=GLOBAL_OPTIONS["quiet"]
    )


def _command(
    owner: Parser,
    sub: argparse._SubParsersAction[Parser],
    name: str,
    build: Callable[[Parser, CommandText], None],
) -> Parser:
    text = COMMANDS[name]
    word = name.rsplit(" ", 1)[-1]
    parser = sub.add_parser(word, help=text.summary, description=text.description, epilog=text.epilog())
    build(parser, text)
    _global_options(parser, top=False)
    owner.commands[word] = parser
    return parser


def _folders(p: Parser, text: CommandText) -> None:
    _add(p, text, "--watched", type=Path, default=Path("watched"))
    _add(p, text, "--output", type=Path, default=Path("output"))
    _add(p, text, "--template", type=Path)


def _render(p: Parser, text: CommandText) -> None:
    _add(p, text, "workbooks", nargs="*", type=Path)
    _folders(p, text)
    _add(p, text, "--pdf", action="store_true")
    _add(p, text, "--issue")


def _check(p: Parser, text: CommandText) -> None:
    _add(p, text, "files", nargs="+", type=Path)
    _add(p, text, "--json", action="store_true")


def _capital(p: Parser, text: CommandText) -> None:
    _add(p, text, "amounts", nargs="*")
    _add(p, text, "--prefix", action="store_true")


def _watch(p: Parser, text: CommandText) -> None:
    _folders(p, text)
    _add(p, text, "--poll", action="store_true")
    _add(p, text, "--settle", type=_number, default=1.0)
    _add(p, text, "--interval", type=_number, default=5.0)


def _init(p: Parser, text: CommandText) -> None:
    _add(p, text, "file", type=Path)
    _add(p, text, "--groups", type=_whole, default=1)
    _add(p, text, "--kinds", action="store_true")


def _template(p: Parser, text: CommandText) -> None:
    actions = p.add_subparsers(dest="template_command", parser_class=Parser)
    p.command_dest = actions.dest
    actions.help = text.options[actions.dest]
    actions.metavar = text.metavars[actions.dest]
    _command(p, actions, "template check", _template_check)


def _template_check(p: Parser, text: CommandText) -> None:
    _add(p, text, "file", type=Path)


def _launcher(p: Parser, text: CommandText) -> None:
    _add(p, text, "folder", nargs="?", type=Path, default=Path("."))


def _setup(p: Parser, text: CommandText) -> None:
    for option in ("--masthead", "--office", "--issue"):
        _add(p, text, option)
    _add(p, text, "--distribution", action="append")
    for option in ("--organisation", "--receiver", "--supervisor"):
        _add(p, text, option)
    _add(p, text, "--no-input", action="store_true")


def _issue(p: Parser, text: CommandText) -> None:
    _add(p, text, "files", nargs="*", type=Path)
    _add(p, text, "--output", type=Path)


_BUILDERS: Mapping[str, Callable[[Parser, CommandText], None]] = {
    "render": _render,
    "check": _check,
    "capital": _capital,
    "watch": _watch,
    "init": _init,
    "template": _template,
    "launcher": _launcher,
    "setup": _setup,
    "issue": _issue,
}
"""How each top-level command's arguments are declared; its texts are `messages.COMMANDS`."""


def make_parser() -> Parser:
    """The ``toolkit`` command line: every command with its options, Chinese help and examples."""
    from toolkit.version import __version__

    text = messages.PROGRAM
    parser = Parser(prog="toolkit", description=text.description, epilog=text.epilog("常用："))
    parser.global_options.add_argument(
        "--version", action="version", version=f"toolkit {__version__}", help=GLOBAL_OPTIONS["version"]
    )
    _global_options(parser, top=True)
    heading = translate("subcommands")
    sub = parser.add_subparsers(dest="command", metavar=heading, title=heading, parser_class=Parser)
    parser.command_dest = sub.dest
    for name, build in _BUILDERS.items():
        _command(parser, sub, name, build)
    return parser
