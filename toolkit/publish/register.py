"""The register of bulletins: the issue number each one keeps, which are issued, and their totals.

Kept in ``OUTPUT/.toolkit/register``, beside the state, so that every PC sharing the output folder
sees one register:

- ``numbers/000008``: one file per issue number handed out, created with ``O_EXCL``. Creating it
  is what hands the number out: atomic on local disks and on SMB/NFS shares, so two processes,
  even on two PCs, can never hand out the same number twice. The next new bulletin gets the number
  after the highest one there (never below the ``issue`` setting).
- ``bulletins/<key>.json``: one `BulletinRecord` per workbook name: its number, where the number
  came from, its correction, the bulletin file last written, the ones issued and its total. A
  record is only written by the process that holds that workbook's claim
  (`toolkit.publish.claims`), so plain atomic replacement is safe.

A damaged record reads as none (the workbook gets a new number); a damaged number file still counts
as taken.
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from toolkit import codes
from toolkit.errors import Problem, RegisterError
from toolkit.numerals import correction_mark
from toolkit.publish.claims import input_key, try_claim
from toolkit.publish.files import STATE_DIR, write_atomic
from toolkit.publish.safekeeping import WrittenStore
from toolkit.records import Edition

__all__ = ["BulletinRecord", "Origin", "Register", "edited_by_hand", "mark_issued"]

_DIGITS = 6


class Origin(enum.Enum):
    """Where a bulletin's issue number came from. ``.value`` is stored in the record."""

    REGISTER = "register"
    """Handed out by the register: the next number."""
    WORKBOOK = "workbook"
    """Stated in the workbook's title or its file name (``第9期``)."""
    OPTION = "option"
    """Given with ``toolkit render FILE --issue N``; a later statement in the workbook does not change it."""


@dataclass(frozen=True, slots=True)
class BulletinRecord:
    """What the register knows about the bulletin of one workbook.

    Attributes:
        source: the workbook's file name.
        number: its issue number, at least 1.
        origin: where that number came from.
        correction: 0 until an issued version of it is changed; then the number of the 更正.
        bulletin: the file name (in the output folder) of the version last written, ``""`` if none.
        issued: the file names marked issued (``toolkit issue``); toolkit never touches them again.
        total: the total of the version last written, or None.
        workbook: sha256 of the workbook's bytes when that version was written, ``""`` if unknown.
        running: the running total that version states (`Register.running_total`), or None if unknown.
        stem: the output stem of its bulletins (``三月捐款``), ``""`` if unknown.
    """

    source: str
    number: int
    origin: Origin = Origin.REGISTER
    correction: int = 0
    bulletin: str = ""
    issued: tuple[str, ...] = ()
    total: Decimal | None = None
    workbook: str = ""
    running: Decimal | None = None
    stem: str = ""

    @property
    def current_is_issued(self) -> bool:
        """Whether the version last written has been issued (a change then needs a 更正)."""
        return bool(self.bulletin) and self.bulletin in self.issued

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "number": self.number,
            "origin": self.origin.value,
            "correction": self.correction,
            "bulletin": self.bulletin,
            "issued": list(self.issued),
            "total": None if self.total is None else str(self.total),
            "workbook": self.workbook,
            "running": None if self.running is None else str(self.running),
            "stem": self.stem,
        }

    @classmethod
    def from_json(cls, raw: dict[str, object]) -> BulletinRecord:
        total, running = raw.get("total"), raw.get("running")
        number, correction = raw["number"], raw.get("correction", 0)
        if not isinstance(number, int) or not isinstance(correction, int) or number < 1 or correction < 0:
            raise ValueError("bad number")
        issued = raw.get("issued", [])
        if not isinstance(issued, list):
            raise ValueError("bad issued")
        return cls(
            source=str(raw["source"]),
            number=number,
            origin=Origin(raw.get("origin", Origin.REGISTER.value)),
            correction=correction,
            bulletin=str(raw.get("bulletin", "")),
            issued=tuple(str(name) for name in issued),
            total=None if total is None else Decimal(str(total)),
            workbook=str(raw.get("workbook", "")),
            running=None if running is None else Decimal(str(running)),
            stem=str(raw.get("stem", "")),
        )


class Register:
    """The register of one output folder (see the module docstring)."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.folder = output / STATE_DIR / "register"
        self._numbers = self.folder / "numbers"
        self._records = self.folder / "bulletins"

    # ------------------------------------------------------------ records

    def _path(self, source: str) -> Path:
        key = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return self._records / f"{key}.json"

    def get(self, source: str) -> BulletinRecord | None:
        """The record of the workbook ``source``, or None when it has none (or it is damaged)."""
        return self._read(self._path(source), source)

    def _read(self, path: Path, source: str | None = None) -> BulletinRecord | None:
        try:
            record = BulletinRecord.from_json(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError, KeyError, TypeError, InvalidOperation):
            return None
        return record if source is None or record.source == source else None

    def records(self) -> list[BulletinRecord]:
        """Every readable record, by issue number and then workbook name."""
        if not self._records.is_dir():
            return []
        found = [r for r in map(self._read, sorted(self._records.glob("*.json"))) if r is not None]
        return sorted(found, key=lambda r: (r.number, r.source))

    def put(self, record: BulletinRecord) -> None:
        """Record ``record``; the caller holds the claim of its workbook."""
        self._records.mkdir(parents=True, exist_ok=True)
        body = json.dumps(record.to_json(), ensure_ascii=False).encode("utf-8")
        write_atomic(self._path(record.source), body)

    def holding(self, name: str) -> BulletinRecord | None:
        """The record whose last written or issued bulletin is the file ``name``, if any."""
        folded = name.casefold()
        for record in self.records():
            if folded in {n.casefold() for n in (record.bulletin, *record.issued) if n}:
                return record
        return None

    # ------------------------------------------------------------ numbers

    def taken(self) -> list[int]:
        """Every issue number handed out or stated so far, ascending."""
        if not self._numbers.is_dir():
            return []
        return sorted(int(p.name) for p in self._numbers.iterdir() if p.name.isdigit())

    def _take(self, number: int, source: str) -> bool:
        """Create the number's file with ``O_EXCL``: True if this call handed the number out."""
        self._numbers.mkdir(parents=True, exist_ok=True)
        path = self._numbers / f"{number:0{_DIGITS}d}"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "wb") as fh:
            fh.write(json.dumps({"source": source}, ensure_ascii=False).encode("utf-8"))
        return True

    def next_number(self, source: str, *, first: int = 1) -> int:
        """Hand out the next free number to ``source``: after the highest taken, at least ``first``."""
        taken = self.taken()
        number = max(first, taken[-1] + 1 if taken else 1)
        while not self._take(number, source):
            number += 1
        return number

    def number_for(
        self, source: str, *, stated: int | None = None, forced: int | None = None, first: int = 1
    ) -> BulletinRecord:
        """The record of ``source`` with its issue number, handing one out the first time.

        The number is, in this order: ``forced`` (``--issue``); the one given before by ``--issue``;
        ``stated`` in the workbook or its file name; the one the workbook already has; else the
        next free one (`next_number`). A number once given is kept, however the ``issue`` setting
        (``first``) changes. The record is stored before it is returned.
        """
        record = self.get(source)
        if forced is not None:
            number, origin = forced, Origin.OPTION
        elif record is not None and record.origin is Origin.OPTION:
            number, origin = record.number, Origin.OPTION
        elif stated is not None:
            number, origin = stated, Origin.WORKBOOK
        elif record is not None:
            number, origin = record.number, record.origin
        else:
            number, origin = self.next_number(source, first=first), Origin.REGISTER
        if origin is not Origin.REGISTER:
            self._take(number, source)  # stated numbers may be shared; the next new one follows them
        if record is None:
            record = BulletinRecord(source, number, origin)
        elif (record.number, record.origin) == (number, origin):
            return record
        else:
            record = replace(record, number=number, origin=origin)
        self.put(record)
        return record

    def running_total(self, record: BulletinRecord, total: Decimal) -> Decimal:
        """``total`` plus the last totals of every other bulletin numbered up to ``record``'s."""
        others = [
            r.total
            for r in self.records()
            if r.source != record.source and r.number <= record.number and r.total is not None
        ]
        return sum(others, total)

    def stale_running(self, record: BulletinRecord) -> tuple[Decimal, Decimal] | None:
        """``(stated, now)`` when the running total ``record``'s last bulletin states is no longer
        the one it would get (an earlier bulletin's total changed); None when it still holds or
        is not known."""
        if record.running is None or record.total is None or not record.bulletin:
            return None
        now = self.running_total(record, record.total)
        return (record.running, now) if now != record.running else None

    def sharing(self, record: BulletinRecord) -> list[BulletinRecord]:
        """The other workbooks whose bulletins have ``record``'s issue number."""
        return [r for r in self.records() if r.number == record.number and r.source != record.source]

    def next_correction_name(self, record: BulletinRecord) -> str:
        """The file name the next correction of ``record``'s issued bulletin is written under."""
        from toolkit.intake import safe_stem

        stem = record.stem or safe_stem(record.source)
        following = record.correction + 1 if record.current_is_issued else record.correction
        return f"{stem}{correction_mark(following)}.docx"

    def earlier_holder(self, name: str) -> BulletinRecord | None:
        """The record of the workbook that an earlier bulletin of the file ``name`` was written for:
        one toolkit wrote under that name (``<stem>.docx`` or a correction's), edited since or not,
        after which a newer version went beside it (``<stem>（新版）.docx``)."""
        from toolkit.intake import safe_stem

        if WrittenStore(self.output).get(name) is None or not (self.output / name).is_file():
            return None
        for record in self.records():
            stem = record.stem or safe_stem(record.source)
            names = {f"{stem}{correction_mark(k)}.docx".casefold() for k in range(record.correction + 1)}
            if name.casefold() in names:
                return record
        return None

    # ------------------------------------------------------------ one bulletin

    def edition_for(
        self,
        source: str,
        stem: str,
        total: Decimal,
        *,
        stated: int | None = None,
        forced: int | None = None,
        first: int = 1,
    ) -> tuple[Edition, str]:
        """The `Edition` of the bulletin about to be written for ``source``, and its file name.

        The number comes from `number_for`. While the version last written is not issued, the
        new one takes its place (``<stem>.docx``, or the correction's name); once it is issued,
        the new one is the next correction: ``<stem>（更正）.docx``, ``<stem>（第二次更正）.docx``…
        """
        record = self.number_for(source, stated=stated, forced=forced, first=first)
        correction = record.correction + 1 if record.current_is_issued else record.correction
        edition = Edition(record.number, correction, self.running_total(record, total))
        return edition, f"{stem}{correction_mark(correction)}.docx"

    def written(
        self, source: str, edition: Edition, bulletin: str, total: Decimal, workbook: str, stem: str = ""
    ) -> None:
        """Record that ``bulletin`` (a file name) was written for ``source`` as ``edition``, with the
        running total it states and the output ``stem`` of its bulletins."""
        record = self.get(source) or BulletinRecord(source, edition.number)
        self.put(
            replace(
                record,
                correction=edition.correction,
                bulletin=bulletin,
                total=total,
                workbook=workbook,
                running=edition.running_total,
                stem=stem or record.stem,
            )
        )

    def issued_unchanged(self, source: str, workbook: str) -> BulletinRecord | None:
        """The record of ``source`` when its last bulletin is issued and made from these very bytes
        (``workbook``, a sha256): nothing is written then, whatever the settings say now."""
        record = self.get(source)
        if record is not None and record.current_is_issued and record.workbook == workbook:
            return record
        return None

    def mark_issued(self, source: str, bulletin: str, *, current: bool = False) -> BulletinRecord:
        """Record ``bulletin`` of ``source`` as issued; the caller holds the workbook's claim. With
        ``current``, it also becomes the version a change corrects (an earlier one, `earlier_holder`)."""
        record = self.get(source)
        if record is None:
            raise KeyError(source)
        if bulletin not in record.issued or (current and record.bulletin != bulletin):
            issued = record.issued if bulletin in record.issued else (*record.issued, bulletin)
            record = replace(record, issued=issued, bulletin=bulletin if current else record.bulletin)
            self.put(record)
        return record


def edited_by_hand(folder: Path, name: str) -> bool:
    """Whether the file ``name`` in ``folder`` was written by toolkit and changed since (in Word)."""
    store = WrittenStore(folder)
    return store.get(name) is not None and not store.is_ours(folder / name)


def mark_issued(folder: Path, name: str) -> tuple[BulletinRecord, str]:
    """Mark a bulletin in ``folder`` issued: from then on toolkit never replaces, moves or removes it,
    and a changed workbook gets a correction (``<stem>（更正）.docx``) beside it.

    ``name`` is the bulletin's file name, or its workbook's name (its last bulletin is meant). An
    earlier bulletin of a workbook, kept because it was edited in Word while a newer version went
    beside it (``<stem>（新版）.docx``), may be issued too: it is the one the clerk sent, so a change
    to the workbook then gets a correction of it (`edited_by_hand` says whether it was edited).
    Returns the workbook's register record and the bulletin's file name.

    Raises:
        RegisterError: the register knows no such bulletin, or it is gone
            (``register.unknown_bulletin``); the workbook is being rendered right now
            (``register.busy``).
    """
    register = Register(folder)
    record, earlier = register.holding(name), False
    if record is not None:  # the name as the register spells it
        bulletin = next(n for n in (record.bulletin, *record.issued) if n.casefold() == name.casefold())
    elif (record := register.get(name)) is not None:
        bulletin = record.bulletin
    elif (record := register.earlier_holder(name)) is not None:
        bulletin, earlier = name, True
    else:
        bulletin = ""
    if record is None or not bulletin or not (folder / bulletin).is_file():
        raise RegisterError(
            Problem(
                codes.REGISTER_UNKNOWN_BULLETIN,
                f"{folder} 里没有 toolkit 生成的简报 {bulletin or name}。"
                "请写简报的文件名（如 output/捐款名单.docx）或它的表格名，并用 --output 指定输出文件夹",
                value=name,
            )
        )
    claim = try_claim(folder, input_key(record.source))
    if claim is None:
        raise RegisterError(
            Problem(
                codes.REGISTER_BUSY,
                f"{record.source} 正在生成简报，请几秒钟后再运行 toolkit issue",
                file=record.source,
            )
        )
    with claim:
        record = register.mark_issued(record.source, bulletin, current=earlier)
    return record, bulletin
