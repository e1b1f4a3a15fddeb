"""What changed in a donor list since its bulletin was last written: what a 监督人 checks before signing.

Pure. `compare_donors` takes the donors of the last bulletin and of the workbook now, each as
``(name, amount)`` pairs in list order, and returns `Changes`: donors added and removed, amounts
changed, and the old and new totals. Donors are matched by name; a name that appears several times
is matched amount for amount first, then in list order, so a list where the same person gives
twice reads right. `Changes.lines` says it in Chinese, one line each, for the summary and for
``OUTPUT/<stem>.changes.txt`` (`changes_report`). Names are always shown in full.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from toolkit.money import format_amount

__all__ = ["Change", "Changes", "changes_report", "compare_donors"]

Donor = tuple[str, Decimal]
"""A donor of a list: the name as written, and the amount."""


@dataclass(frozen=True, slots=True)
class Change:
    """One change to the list.

    Attributes:
        name: the donor's name, in full.
        old: the amount before, or None for a donor added.
        new: the amount now, or None for a donor removed.
        cell: where the donor is now (``C14``), ``""`` for a donor removed or when not known.
    """

    name: str
    old: Decimal | None
    new: Decimal | None
    cell: str = ""

    def line(self) -> str:
        where = f"（{self.cell}）" if self.cell else ""
        if self.old is None and self.new is not None:
            return f"新增 {self.name} {format_amount(self.new)} 元{where}"
        if self.new is None and self.old is not None:
            return f"删除 {self.name} {format_amount(self.old)} 元"
        assert self.old is not None and self.new is not None
        return f"金额 {self.name} {format_amount(self.old)} 元 → {format_amount(self.new)} 元{where}"


@dataclass(frozen=True, slots=True)
class Changes:
    """The changes from one version of a list to the next.

    Attributes:
        added: donors in the list now and not before, in list order.
        removed: donors in the list before and not now, in the old list's order.
        changed: donors whose amount changed, in list order.
        old_total: the total before.
        new_total: the total now.
    """

    added: tuple[Change, ...]
    removed: tuple[Change, ...]
    changed: tuple[Change, ...]
    old_total: Decimal
    new_total: Decimal

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.old_total != self.new_total)

    def lines(self) -> list[str]:
        """Every change, one Chinese line each, the totals last."""
        lines = [c.line() for c in (*self.added, *self.removed, *self.changed)]
        difference = self.new_total - self.old_total
        more = "增加" if difference > 0 else "减少"
        tail = f"（{more} {format_amount(abs(difference))} 元）" if difference else "（不变）"
        lines.append(f"合计 {format_amount(self.old_total)} 元 → {format_amount(self.new_total)} 元{tail}")
        return lines

    def headline(self) -> str:
        """How much changed, in one line."""
        return f"新增 {len(self.added)} 位，删除 {len(self.removed)} 位，金额改动 {len(self.changed)} 处"


def compare_donors(old: Sequence[Donor], new: Sequence[Donor], cells: Sequence[str] | None = None) -> Changes:
    """The changes from the donors ``old`` to ``new``; ``cells[i]`` is where ``new[i]`` is (optional)."""
    where = list(cells) if cells is not None else [""] * len(new)
    before: dict[str, list[Decimal]] = defaultdict(list)
    for name, amount in old:
        before[name].append(amount)
    after: dict[str, list[tuple[int, Decimal]]] = defaultdict(list)
    for index, (name, amount) in enumerate(new):
        after[name].append((index, amount))
    added: list[tuple[int, Change]] = []
    changed: list[tuple[int, Change]] = []
    removed: list[Change] = []
    for name in dict.fromkeys([*after, *before]):
        shared = Counter(before[name]) & Counter(amount for _, amount in after[name])
        left_old = _unmatched(before[name], shared.copy(), lambda amount: amount)
        left_new = _unmatched(after[name], shared.copy(), lambda item: item[1])
        for (index, amount), was in zip(left_new, [*left_old, *[None] * len(left_new)], strict=False):
            change = Change(name, was, amount, where[index])
            (added if was is None else changed).append((index, change))
        removed += [Change(name, amount, None) for amount in left_old[len(left_new) :]]
    return Changes(
        added=tuple(c for _, c in sorted(added, key=lambda pair: pair[0])),
        removed=tuple(removed),
        changed=tuple(c for _, c in sorted(changed, key=lambda pair: pair[0])),
        old_total=sum((amount for _, amount in old), Decimal(0)),
        new_total=sum((amount for _, amount in new), Decimal(0)),
    )


T = TypeVar("T")


def _unmatched(items: list[T], shared: Counter[Decimal], amount_of: Callable[[T], Decimal]) -> list[T]:
    """``items`` without those whose amount the other list also has (each match used once)."""
    left: list[T] = []
    for item in items:
        amount = amount_of(item)
        if shared[amount] > 0:
            shared[amount] -= 1
        else:
            left.append(item)
    return left


def changes_report(file: str, changes: Changes) -> bytes:
    """``OUTPUT/<stem>.changes.txt``: UTF-8 with BOM and CRLF, like the other text reports."""
    lines = [
        f"变化报告：{file}",
        f"与上次生成的简报相比：{changes.headline()}。监督人签字前请逐条核对。",
        "",
        *changes.lines(),
    ]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")
