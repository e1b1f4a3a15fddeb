"""toolkit.render.loops: which donor loops of a template the fast writer may expand."""

from __future__ import annotations

import pytest
from jinja2 import Environment

from tests.render.helpers import document_text, make_ledger, make_template, numbered
from toolkit.render import load_template, render_bulletin
from toolkit.render.loops import fast_loops
from toolkit.settings import Settings


@pytest.mark.parametrize(
    ("source", "loops"),
    [
        (
            "{% for row in rows %}{% for g in row %}{{ g.serial }}{{ g.donor }}{% endfor %}{% endfor %}",
            ("rows",),
        ),
        ("{% for d in donors %}{{ d.donor }}先生 {{ total }}{% endfor %}", ("donors",)),
        (
            "{% for d in donors %}{{ d.donor }}{% endfor %}{% for r in rows %}{{ org }}{% endfor %}",
            ("rows", "donors"),
        ),
        ("{{ total }}", ()),  # no donor list at all
        ("{% for d in donors %}{{ loop.index }}{% endfor %}", ()),  # the loop variable
        ("{% for d in donors %}{{ d.donor|upper }}{% endfor %}", ()),  # a field through a filter
        ("{% for d in donors %}{% if d.kind %}{{ d.donor }}{% endif %}{% endfor %}", ()),  # a condition
        ("{% for d in donors if d.kind %}{{ d.donor }}{% endfor %}", ()),  # a filtered loop
        ("{% for d in donors %}{{ d.donor }}{% else %}无{% endfor %}", ()),  # an else branch
        ("{% for d in donors %}{{ d.donor }}{% endfor %}共{{ donors|length }}人", ()),  # another use
        ("{% for d in donors %}{{ d.nickname }}{% endfor %}", ()),  # not a donor field
        ("{% for r in rows %}{% for g in r %}{% for x in g %}{% endfor %}{% endfor %}{% endfor %}", ()),
    ],
    ids=[
        "packed",
        "flat",
        "both",
        "none",
        "loop-variable",
        "filter",
        "condition",
        "filtered-loop",
        "else",
        "other-use",
        "unknown-field",
        "three-deep",
    ],
)
def test_fast_loops(source: str, loops: tuple[str, ...]) -> None:
    assert fast_loops(Environment().parse(source)) == loops


def test_loop_that_uses_loop_variables_is_not_fast() -> None:
    data = make_template(
        table=[["{%tr for d in donors %}"], ["{{ loop.index }} {{ d.donor }}"], ["{%tr endfor %}"]],
    )
    template = load_template(data)
    assert template.fast_loops == ()
    assert "2 捐赠人2" in document_text(render_bulletin(make_ledger(numbered(2)), Settings(), template))
