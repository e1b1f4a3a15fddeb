"""toolkit.render.document: the docxtpl render and the gate that proves a plain render complete."""

from __future__ import annotations

import pytest

from tests.render.helpers import (
    make_ledger,
    make_template,
    numbered,
)
from toolkit.errors import RenderFailed
from toolkit.render import (
    BulletinTemplate,
    build_context,
    load_template,
    render_bulletin,
)
from toolkit.render.document import gate
from toolkit.settings import Settings


def test_gate_refuses_a_bulletin_that_drops_donors() -> None:
    data = make_template(
        ["{%p for d in donors %}"], ['{% if d.serial == "1" %}{{ d.donor }}{% endif %}'], ["{%p endfor %}"]
    )
    with pytest.raises(RenderFailed) as info:
        render_bulletin(make_ledger(numbered(3)), Settings(), load_template(data))
    assert info.value.problems[0].code == "render.donor_missing"
    assert "捐赠人2" in info.value.problems[0].message


def test_gate_refuses_malformed_xml(default_template: BulletinTemplate) -> None:
    context = build_context(make_ledger(numbered(1)), Settings())
    with pytest.raises(RenderFailed) as info:
        gate(b"<w:document><w:body>", context, default_template)
    assert info.value.problems[0].code == "render.invalid_xml"
