"""``toolkit template check``: everything one walk of a template finds, as a report for the clerk.

`check_template` never stops at the first problem: it reports every part's syntax errors and
render-time errors (`toolkit.render.template.walk_template`), unknown variables, tags Word split into
runs of different formatting (docxtpl merges them, but a clerk editing the template should know),
tags typed with full-width braces (``｛｛ ｝｝``, a Chinese input method's), a template without a donor
list (no loop over ``rows`` or ``donors``) and a list printed instead of looped over. Its report lists
every variable a template may use, with its meaning; its words are `toolkit.messages`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from jinja2 import nodes

from toolkit import codes, messages
from toolkit.errors import Problem, Severity
from toolkit.render import problems as template_problems
from toolkit.render.context import TEMPLATE_VARIABLES
from toolkit.render.loops import SENTINEL_LOOPS, fast_loops, iter_name
from toolkit.render.template import Part, PartCheck, walk_template
from toolkit.render.wordml import W_P, W_T

__all__ = ["TemplateReport", "check_template"]


@dataclass(frozen=True, slots=True)
class TemplateReport:
    """What ``toolkit template check FILE`` prints about a template.

    Attributes:
        variables: template variables the template uses, sorted.
        unknown: used variables toolkit does not provide, sorted.
        available: every variable toolkit provides (`TEMPLATE_VARIABLES`).
        split_tags: text of each paragraph where Word split a ``{{ }}``/``{% %}`` tag across runs.
        syntax_errors: one message per tag syntax error, naming the paragraph.
        fast: True when the fast render applies to this template's donor table.
        errors: other errors that stop the template from rendering (``template.unknown_filter``,
            ``template.unsafe``, ``template.unsupported``), each naming the paragraph.
        warnings: the template renders but the bulletin would be wrong (``template.no_donor_list``,
            ``template.prints_list``, ``template.fullwidth_braces``).
    """

    variables: tuple[str, ...]
    unknown: tuple[str, ...]
    available: tuple[str, ...]
    split_tags: tuple[str, ...]
    syntax_errors: tuple[str, ...]
    fast: bool
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the template can render (split tags and `warnings` are only warnings)."""
        return not self.unknown and not self.syntax_errors and not self.errors

    @property
    def problems(self) -> tuple[Problem, ...]:
        found = [Problem(codes.TEMPLATE_SYNTAX, message) for message in self.syntax_errors]
        found.extend(self.errors)
        if self.unknown:
            found.extend(template_problems.unknown_variables(self.unknown).problems)
        found.extend(map(template_problems.split_tag, self.split_tags))
        found.extend(self.warnings)
        return tuple(found)

    def format(self, file: str = "") -> str:
        """Lines for the clerk: the verdict (可以使用 only with nothing to say), the variables used,
        one line per problem, then every variable a template may use and what it holds."""
        problems = self.problems
        errors = sum(1 for p in problems if p.is_error)
        lines = [
            messages.template_verdict(
                file or messages.TEMPLATE_NAME, errors=errors, warnings=len(problems) - errors, fast=self.fast
            ),
            messages.TEMPLATE_USED + ("、".join(self.variables) or messages.TEMPLATE_NONE),
            *(problem.located(file).format() for problem in problems),
            "",
            messages.TEMPLATE_AVAILABLE,
            *messages.template_variables(self.available),
        ]
        return "\n".join(lines)


_NO_DONOR_LIST = Problem(
    codes.TEMPLATE_NO_DONOR_LIST,
    "Word 模板里没有捐赠名单：没有用到 rows 或 donors，生成的简报不会列出任何捐赠人。"
    "请参照内置模板 templates/bulletin.docx 加入名单表格（{%tr for row in rows %} … {%tr endfor %}）",
    Severity.WARNING,
)


def check_template(data: bytes) -> TemplateReport:
    """Lint a template without rendering it.

    Raises:
        TemplateError: the bytes are not a readable .docx (``template.unreadable``).
    """
    walk = walk_template(data)
    # a part that does not parse has exactly one error, its syntax error
    syntax = [check.errors[0].problems[0].message for check in walk.parts if check.ast is None]
    errors = [error.problems[0] for check in walk.parts if check.ast is not None for error in check.errors]
    warnings = [warning for check in walk.parts for warning in _printed_lists(check)]
    warnings += [
        template_problems.fullwidth_braces(text) for check in walk.parts for text in _fullwidth(check.part)
    ]
    used = walk.used
    if not syntax and not any(_loops_over_donors(check) for check in walk.parts):
        warnings.append(_NO_DONOR_LIST)
    return TemplateReport(
        variables=tuple(sorted(used)),
        unknown=tuple(sorted(used - set(TEMPLATE_VARIABLES))),
        available=TEMPLATE_VARIABLES,
        split_tags=tuple(text for check in walk.parts for text in _split_tags(check.part)),
        syntax_errors=tuple(syntax),
        fast=bool(walk.body is not None and fast_loops(walk.body)),
        errors=tuple(errors),
        warnings=tuple(warnings),
    )


def _printed_lists(check: PartCheck) -> Iterator[Problem]:
    """Warnings for ``{{ donors }}``, ``{{ rows }}`` or a whole row/cell printed as is.

    Printed directly they show Python's text for a list (``DonorList(serials=(…``), not a table.
    """
    if check.ast is None:
        return
    records = set(SENTINEL_LOOPS)
    for loop in check.ast.find_all(nodes.For):
        name, variable = iter_name(loop), loop.target
        if name in records and isinstance(variable, nodes.Name):
            records.add(variable.name)
    for output in check.ast.find_all(nodes.Output):
        for expr in output.nodes:
            if isinstance(expr, nodes.Name) and expr.name in records:
                location, where = check.part.where(expr.lineno)
                yield Problem(
                    codes.TEMPLATE_PRINTS_LIST,
                    f"Word 模板{location}直接显示了 {{{{ {expr.name} }}}}，简报里会出现一串程序文字而不是名单。"
                    "名单要用循环逐行显示，例如 {%tr for row in rows %} 里的 {%tc for g in row %}，"
                    "每格写 {{ g.serial }}、{{ g.donor }}、{{ g.amount }}",
                    Severity.WARNING,
                    value=where,
                )


def _loops_over_donors(check: PartCheck) -> bool:
    """Whether the part has a loop over ``rows`` or ``donors``: a donor table (or list) to fill."""
    return check.ast is not None and any(
        iter_name(loop) in SENTINEL_LOOPS for loop in check.ast.find_all(nodes.For)
    )


_FULLWIDTH_TAG = re.compile(r"｛[{｛%％#＃]|\{[｛％＃]|[}｝%％#＃]｝|[％＃]\}")
"""A tag's opening or closing pair typed, all or in part, with full-width characters."""


def _fullwidth(part: Part) -> Iterator[str]:
    """Paragraphs of the part holding a tag typed with full-width braces (``｛｛ org ｝｝``)."""
    if part.tree is None:
        return
    for paragraph in part.tree.iter(W_P):
        text = "".join(t.text or "" for t in paragraph.iter(W_T))
        if _FULLWIDTH_TAG.search(text):
            yield text


_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def _split_tags(part: Part) -> Iterator[str]:
    """Paragraphs of the part as Word saved it whose tag starts in one ``<w:t>`` and ends in another."""
    if part.tree is None:
        return
    for paragraph in part.tree.iter(W_P):
        pieces = [t.text or "" for t in paragraph.iter(W_T)]
        if _splits_a_tag(pieces):
            yield "".join(pieces)


def _splits_a_tag(pieces: Sequence[str]) -> bool:
    """True when a tag in the joined text starts in one piece and ends in another."""
    text = "".join(pieces)
    if "{" not in text:
        return False
    owner = [i for i, piece in enumerate(pieces) for _ in piece]
    return any(owner[match.start()] != owner[match.end() - 1] for match in _TAG.finditer(text))
