"""Spec of `toolkit.parse.units`: the unit, the currency and the direction of money a text states."""

from __future__ import annotations

import pytest

from toolkit.parse.units import foreign_named, outflow_title


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("美元账户", "美元"),
        ("海外侨胞捐款明细（美元）", "美元"),
        ("香港同胞捐款（港币）", "港币"),
        ("二、境外捐款（单位：USD）", "美元"),
        ("美元捐款（已折合人民币）", None),
        ("交通银行", None),
        ("美国华人协会捐款", None),
    ],
)
def test_foreign_named(text: str, currency: str | None) -> None:
    assert foreign_named(text) == currency


@pytest.mark.parametrize(
    ("title", "outflow"),
    [
        ("二、退款情况", True),
        ("某协会善款发放明细", True),
        ("捐赠款物使用情况公示", True),
        ("某协会接收捐赠款物和使用情况", False),  # says money came in too
        ("某协会捐款名单", False),
        (None, False),
    ],
)
def test_outflow_title(title: str | None, outflow: bool) -> None:
    assert outflow_title(title) is outflow
