"""The donor table as a template sees it: every donor as display text, and the table packed in groups.

`donor_list` turns the ledger's donations into a `DonorList` (serials, names, amounts and kinds as
text, cleaned once), and `PackedRows` lays it out ``groups`` groups side by side; numbering runs
down each group, then across. Both store the donors column by column, so 100,000 of them stay
cheap; the fast render reads the columns directly (`toolkit.render.fast`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import overload

from toolkit.records import Ledger
from toolkit.render.masking import masked_names
from toolkit.text import strip_xml_illegal

__all__ = ["EMPTY_CELL", "DonorLine", "DonorList", "PackedRows", "donor_list"]


@dataclass(frozen=True, slots=True)
class DonorLine:
    """One cell group of the donor table, every field display-ready text.

    Attributes:
        serial: the 序号 shown (``"1"``), ``""`` in padding cells.
        donor: the donor's name, ``""`` in padding cells; no tabs, newlines or XML-illegal characters.
        amount: the amount as shown (``"500"``, ``"15538.27"``), ``""`` in padding cells.
        kind: ``"个人"``, ``"单位"`` or ``""``.
    """

    serial: str
    donor: str
    amount: str
    kind: str = ""


EMPTY_CELL = DonorLine("", "", "", "")


@dataclass(frozen=True, slots=True)
class DonorList(Sequence[DonorLine]):
    """Every donor as display text, stored column by column; a `DonorLine` is built on access.

    Column storage keeps 100,000 donors cheap: the fast render reads the columns directly and
    never builds the per-donor records. All four columns have the same length.
    """

    serials: tuple[str, ...]
    names: tuple[str, ...]
    amounts: tuple[str, ...]
    kinds: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.serials)

    @overload
    def __getitem__(self, index: int) -> DonorLine: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[DonorLine, ...]: ...

    def __getitem__(self, index: int | slice) -> DonorLine | tuple[DonorLine, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        return DonorLine(self.serials[index], self.names[index], self.amounts[index], self.kinds[index])

    def __iter__(self) -> Iterator[DonorLine]:
        return map(DonorLine, self.serials, self.names, self.amounts, self.kinds)

    def column(self, name: str) -> tuple[str, ...]:
        """One field of every donor: ``serial``, ``donor``, ``amount`` or ``kind``."""
        return {"serial": self.serials, "donor": self.names, "amount": self.amounts, "kind": self.kinds}[name]


@dataclass(frozen=True, slots=True)
class PackedRows(Sequence[tuple[DonorLine, ...]]):
    """The donor table packed ``groups`` groups side by side, numbered down each group then across.

    There are ``ceil(len(donors) / groups)`` rows; cell ``g`` of row ``r`` is donor ``g * rows + r``
    (0-based), or `EMPTY_CELL` past the last donor.
    """

    donors: DonorList
    groups: int

    @property
    def height(self) -> int:
        return math.ceil(len(self.donors) / self.groups)

    def __len__(self) -> int:
        return self.height

    @overload
    def __getitem__(self, index: int) -> tuple[DonorLine, ...]: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[tuple[DonorLine, ...], ...]: ...

    def __getitem__(self, index: int | slice) -> tuple[DonorLine, ...] | tuple[tuple[DonorLine, ...], ...]:
        height = self.height
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(height)))
        if index < 0:
            index += height
        if not 0 <= index < height:
            raise IndexError(index)
        count = len(self.donors)
        return tuple(
            self.donors[g * height + index] if g * height + index < count else EMPTY_CELL
            for g in range(self.groups)
        )

    def __iter__(self) -> Iterator[tuple[DonorLine, ...]]:
        return (self[r] for r in range(self.height))

    def column(self, cell: int, name: str) -> list[str]:
        """Field ``name`` of cell ``cell`` in every row, top to bottom (``""`` for padding)."""
        height = self.height
        values = list(self.donors.column(name)[cell * height : (cell + 1) * height])
        return values + [""] * (height - len(values))


_WHITESPACE_CONTROLS = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def _clean(text: str) -> str:
    return strip_xml_illegal(text)[0]


def _clean_cells(values: list[str]) -> list[str]:
    """Clean many short strings at once: one pass over the joined text decides if any need work.

    Table cells also lose tabs and line breaks (a name is one line), so the plain and the fast
    render agree.
    """
    joined = "\n".join(values)
    _, changed = strip_xml_illegal(joined)
    if not changed and joined.count("\n") == len(values) - 1 and "\t" not in joined and "\r" not in joined:
        return values
    return [_clean(v).translate(_WHITESPACE_CONTROLS) for v in values]


def donor_list(ledger: Ledger, show: Callable[[Decimal], str], *, mask: bool = False) -> DonorList:
    """Every donor of ``ledger`` as display text; ``show`` formats an amount. With ``mask``,
    individuals' names are masked and organisations' kept whole (`toolkit.render.masking`)."""
    donations = ledger.donations
    # The workbook's own numbering when every row has one, else 1..N (never a mix of both). Lists
    # from several sheets or tables, or sections, each number from 1, and a starter workbook leaves
    # pre-numbered rows empty: they are numbered 1..N across them all, as the bulletin shows them.
    workbook_serials = [d.serial for d in donations]
    renumber = len(ledger.tables) > 1 or any(t.blank_serials for t in ledger.tables)
    if None in workbook_serials or renumber or _restarts(workbook_serials):
        serials = list(map(str, range(1, len(donations) + 1)))
    else:
        serials = list(map(str, workbook_serials))
    # formatting is cheaper than hashing a Decimal to reuse a result: no memo
    shown = list(map(show, [d.amount for d in donations]))
    names, kinds = [d.donor for d in donations], [d.kind for d in donations]
    return DonorList(
        serials=tuple(serials),
        names=tuple(_clean_cells(masked_names(names, kinds) if mask else names)),
        amounts=tuple(_clean_cells(shown)),
        kinds=tuple(_clean_cells([d.kind or "" for d in donations])),
    )


def _restarts(serials: Sequence[int | None]) -> bool:
    """The numbering goes back somewhere (1…6, then 1…14 in a second section)."""
    return any(b is not None and a is not None and b <= a for a, b in zip(serials, serials[1:], strict=False))
