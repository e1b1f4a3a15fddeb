"""The lists a workbook held, and the people under them, as items a template can loop over.

A workbook may hold several donor lists (one sheet per bank account, several tables in a sheet):
the bulletin shows all their donors in one table, numbered 1…N across them, and `table_lines` gives
one line per list (its name, count and total) for the intro and for templates. `role_lines` gives the
people named under the list besides 收款人 and 监督人 (经手人, 审核人…).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from toolkit.records import Ledger
from toolkit.text import strip_xml_illegal

__all__ = ["WAN", "RoleLine", "TableLine", "role_lines", "table_lines"]

WAN = "万元"
"""The unit `toolkit.parse` converts amounts from (``Ledger.units``)."""


@dataclass(frozen=True, slots=True)
class TableLine:
    """One donor list of the workbook (a sheet, or a table in a sheet).

    Attributes:
        name: the sheet's name, or the list's title when one sheet holds several lists.
        count: its number of donors, as text.
        total: its exact total as shown (``300``).
    """

    name: str
    count: str
    total: str


@dataclass(frozen=True, slots=True)
class RoleLine:
    """A person named under the list besides 收款人 and 监督人: ``经手人`` ``王丽``."""

    role: str
    name: str


def table_lines(ledger: Ledger, show: Callable[[Decimal], str]) -> tuple[TableLine, ...]:
    """One line per donor list: named after its sheet, or its title when a sheet holds several."""
    tables = ledger.donor_tables()
    sheets = [table.sheet for table in tables]
    lines: list[TableLine] = []
    for index, table in enumerate(tables):
        name = table.sheet
        if sheets.count(table.sheet) > 1:
            name = table.title or f"{table.sheet}第{sheets[: index + 1].count(table.sheet)}张名单"
        lines.append(TableLine(_clean(name), str(len(table.donations)), _clean(show(table.total))))
    return tuple(lines)


def role_lines(ledger: Ledger) -> tuple[RoleLine, ...]:
    """经手人, 审核人… as the signature block read them, cleaned."""
    return tuple(RoleLine(_clean(role), _clean(name)) for role, name in ledger.signature.roles)


def _clean(text: str) -> str:
    return strip_xml_illegal(text)[0]
