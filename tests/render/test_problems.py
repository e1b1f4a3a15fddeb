"""toolkit.render.problems: what goes wrong in a template, in Chinese, with its code."""

from __future__ import annotations

import pytest
from jinja2.exceptions import SecurityError, TemplateRuntimeError

from toolkit.render.problems import render_error


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (
            SecurityError("access to attribute '__globals__' of 'function' object is unsafe."),
            "template.unsafe",
        ),
        (TemplateRuntimeError("No test named 'odd_ish' found."), "template.unknown_filter"),
        (TemplateRuntimeError("something else"), "template.render"),
    ],
)
def test_render_error_mapping(exc: TemplateRuntimeError, code: str) -> None:
    problem = render_error(exc).problems[0]
    assert problem.code == code
    assert str(exc) not in problem.message
