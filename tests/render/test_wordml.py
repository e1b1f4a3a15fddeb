"""toolkit.render.wordml: strict parsing of rendered XML."""

from __future__ import annotations

import pytest

from toolkit.errors import RenderFailed
from toolkit.render.wordml import parse_strict


def test_fast_gate_refuses_a_malformed_sentinel_document() -> None:
    with pytest.raises(RenderFailed) as info:
        parse_strict(b"<w:document><w:body>")
    assert info.value.problems[0].code == "render.invalid_xml"
