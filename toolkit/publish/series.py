"""What a bulletin's place in its series means for one run: notes for the clerk from the register.

A bulletin is one of a numbered series in its output folder (`toolkit.publish.register`). Two
things about the others can make what a bulletin says wrong or confusing, and the clerk is told
under its summary line:

- `running_notes`: the running total it states (``intro_running``) is out of date, because an
  earlier bulletin's total changed since. One not issued is rendered again instead (the pipeline
  asks `Register.stale_running`); an issued one is never rewritten, so the note says how to make
  its correction.
- `shared_number_notes`: its issue number is also another bulletin's (two file names stating
  ``第9期``, or ``--issue 9``). It is kept, since a number stated by the clerk wins, but never
  silently.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit import messages
from toolkit.numerals import issue_line
from toolkit.publish.register import BulletinRecord, Register

if TYPE_CHECKING:
    from toolkit.settings import Settings

__all__ = ["in_issue_order", "running_notes", "shared_number_notes", "shows_running"]


def shows_running(settings: Settings, variables: Collection[str]) -> bool:
    """Whether bulletins state a running total: a text setting holds ``{running}`` (such as
    ``intro_running``), or the template (using ``variables``) prints ``running_total``."""
    texts = (getattr(settings, f.name) for f in fields(settings))
    return "running_total" in variables or any(isinstance(t, str) and "{running}" in t for t in texts)


def in_issue_order(register: Register, paths: Sequence[Path]) -> list[Path]:
    """``paths`` with the workbooks of earlier issues first, and new ones last, each in their order:
    rendered in this order, a bulletin's running total follows the totals just written before it."""
    numbers = {r.source: r.number for r in register.records()}
    return sorted(paths, key=lambda p: numbers.get(p.name, 1 << 62))


def running_notes(register: Register, record: BulletinRecord) -> tuple[str, ...]:
    """What to say about the running total ``record``'s last bulletin states when it no longer
    holds (`Register.stale_running`); empty while it holds or is not known."""
    from toolkit.money import format_amount

    stale = register.stale_running(record)
    if stale is None:
        return ()
    stated, now = stale
    return (
        messages.note_running_stale(
            record.bulletin,
            issue_line(record.number, record.correction),
            format_amount(stated),
            format_amount(now),
            record.source,
            register.next_correction_name(record),
        ),
    )


def shared_number_notes(register: Register, source: str, number: int) -> tuple[str, ...]:
    """What to say when issue ``number``, just given to ``source``'s bulletin, is another's too."""
    others = [r.bulletin or r.source for r in register.sharing(BulletinRecord(source, number))]
    return (messages.note_shared_number(issue_line(number), others, source),) if others else ()
