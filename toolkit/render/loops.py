"""Which donor loops of a template the fast table writer may expand (`fast_loops`).

The fast writer (`toolkit.render.fast`) renders the template once with a single sentinel row and
repeats that row's XML for every donor. That is only the same document a plain render gives when
the row cannot depend on anything but the donor's own fields; this module proves it from the
template's Jinja syntax tree.
"""

from __future__ import annotations

from collections.abc import Sequence

from jinja2 import nodes

__all__ = ["CELL_FIELDS", "SENTINEL_LOOPS", "fast_loops", "iter_name"]

SENTINEL_LOOPS = ("rows", "donors")
"""The context variables holding the donor list (packed rows, or one donor per item)."""

CELL_FIELDS = ("serial", "donor", "amount", "kind")
"""The fields of one donor cell (`toolkit.render.context.DonorLine`)."""


def fast_loops(ast: nodes.Template) -> tuple[str, ...]:
    """The sentinel loops (``rows``/``donors``) the fast render may expand, or ``()`` to fall back.

    Eligible only when every use of ``rows`` and ``donors`` is the iterable of a plain ``for``
    (no ``else``, filter, recursion or ``loop`` variable) whose body prints donor fields verbatim
    (``{{ g.donor }}``) or values that do not depend on the loop; so one rendered row, with markers
    in place of the values, is exactly the pattern every real row follows.
    """
    loops = [loop for loop in ast.find_all(nodes.For) if iter_name(loop) in SENTINEL_LOOPS]
    uses = [n for n in ast.find_all(nodes.Name) if n.name in SENTINEL_LOOPS and n.ctx == "load"]
    if not loops or len(uses) != len(loops) or not all(map(_constant_loop, loops)):
        return ()
    names = {iter_name(loop) for loop in loops}
    return tuple(name for name in SENTINEL_LOOPS if name in names)


def iter_name(loop: nodes.For) -> str | None:
    """``rows`` for ``{% for row in rows %}``; None when the loop runs over an expression."""
    return loop.iter.name if isinstance(loop.iter, nodes.Name) else None


def _loop_variable(loop: nodes.For) -> str | None:
    """The variable of a plain ``for`` (one name; no ``else``, filter or recursion), else None."""
    if isinstance(loop.target, nodes.Name) and not loop.else_ and loop.test is None and not loop.recursive:
        return loop.target.name
    return None


def _constant_loop(loop: nodes.For) -> bool:
    """True when every row ``loop`` renders follows one pattern (see `fast_loops`)."""
    variable = _loop_variable(loop)
    return variable is not None and _constant_rows(loop.body, {variable}, depth=0)


def _constant_rows(body: Sequence[nodes.Node], loop_vars: set[str], depth: int) -> bool:
    for node in body:
        if isinstance(node, nodes.Output):
            if not all(_verbatim(expr, loop_vars) for expr in node.nodes):
                return False
        elif isinstance(node, nodes.For):
            # an inner column loop over the row: {%tc for g in row %}
            variable = _loop_variable(node)
            if (
                depth > 0
                or variable is None
                or iter_name(node) not in loop_vars
                or not _constant_rows(node.body, {variable}, depth + 1)
            ):
                return False
        else:
            return False
    return True


def _verbatim(expr: nodes.Node, loop_vars: set[str]) -> bool:
    if isinstance(expr, nodes.TemplateData):
        return True
    if (
        isinstance(expr, nodes.Getattr)
        and isinstance(expr.node, nodes.Name)
        and expr.node.name in loop_vars
        and expr.attr in CELL_FIELDS
    ):
        return True
    names = {n.name for n in expr.find_all(nodes.Name)}
    return not names & (loop_vars | {"loop", *SENTINEL_LOOPS})
