"""What the lines around one sheet's tables say: the signature, roles, notes, and lines nobody reads.

`toolkit.parse.footer` fills a `SheetFacts` for each sheet as it reads the rows under its tables;
`toolkit.parse.sheets` turns it into the ledger's `Signature`, notes and warnings. A signature label
left without a value (``收款人：`` and nothing else) is reported at its cell by `empty_label_problems`
when its item is found nowhere else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from toolkit import codes
from toolkit.parse.cells import SheetCells
from toolkit.parse.lines import is_bank, organisation_name
from toolkit.parse.vocabulary import DATE, ORGANISATION, RECEIVER, SUPERVISOR
from toolkit.records import CellValue

__all__ = ["SheetFacts", "empty_label_problems"]


@dataclass(slots=True)
class SheetFacts:
    """What the lines around one sheet's tables say: the signature, roles, notes, lines read by nobody.

    The first value of each kind wins (收款人, 监督人, 单位 label, 日期).
    """

    values: dict[str, str] = field(default_factory=dict)
    date: dt.date | None = None
    date_row: int | None = None
    date_unreadable: bool = False
    roles: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    organisations: list[tuple[int, str]] = field(default_factory=list)
    unrecognised: list[tuple[int, int, str]] = field(default_factory=list)
    empty: dict[str, tuple[int, int, CellValue]] = field(default_factory=dict)
    """Signature labels with nothing after them, by kind: ``(row, col, the label's text)``."""

    def organisation(self) -> str | None:
        """The 单位 label's value, else the organisation line nearest above the date, else the first;
        its stamp mark removed (``X协会（盖章）``).

        A bank's line (``中国农业银行某某支行`` under ``捐款账户``) names where the money is kept: it is
        the organisation only when no other line names one.
        """
        if ORGANISATION in self.values:
            return organisation_name(self.values[ORGANISATION])
        lines = [(row, text) for row, text in self.organisations if not is_bank(text)] or self.organisations
        if not lines:
            return None
        if self.date_row is not None:
            above = [text for row, text in lines if row < self.date_row]
            if above:
                return organisation_name(above[-1])
        return organisation_name(lines[0][1])


_EMPTY_LABELS = {
    RECEIVER: ("receiver", codes.SIGNATURE_MISSING_RECEIVER, "收款人", "姓名"),
    SUPERVISOR: ("supervisor", codes.SIGNATURE_MISSING_SUPERVISOR, "监督人", "姓名"),
    ORGANISATION: ("organisation", codes.SIGNATURE_MISSING_ORGANISATION, "单位", "单位名称"),
    DATE: ("date", codes.SIGNATURE_MISSING_DATE, "日期", "日期（如 2020年2月5日）"),
}
"""For a signature label left without a value: the `Signature` field, the code, the label, what to write."""


def empty_label_problems(cells: SheetCells, facts: SheetFacts, missing: Collection[str]) -> set[str]:
    """A warning at each signature label of ``facts`` left without a value whose item is in
    ``missing`` (`Signature` field names); return the names reported."""
    reported: set[str] = set()
    for kind, (r, c, value) in facts.empty.items():
        rule = _EMPTY_LABELS.get(kind)
        if rule is None or rule[0] not in missing:
            continue
        name, code, label, what = rule
        reported.add(name)
        cells.problem(
            code,
            f"“{label}”后面没有填写{what}，简报中这一项将留出空白横线，请手写；"
            f"如要自动填写，请在“{label}”后面或右边的单元格写上{what}",
            r,
            c,
            value,
            warn=True,
        )
    return reported
