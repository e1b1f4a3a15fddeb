"""The register: each bulletin keeps its issue number, and no number is ever handed out twice."""

from __future__ import annotations

import json
import multiprocessing
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from toolkit.publish.register import BulletinRecord, Origin, Register


def test_new_workbooks_get_consecutive_numbers_and_keep_them(tmp_path: Path) -> None:
    register = Register(tmp_path)
    assert register.number_for("a.xlsx").number == 1
    assert register.number_for("b.xlsx").number == 2
    assert register.number_for("a.xlsx").number == 1
    assert register.number_for("a.xlsx", first=8).number == 1  # a changed setting renumbers nothing
    assert register.taken() == [1, 2]


def test_the_first_number_is_a_floor_for_new_ones(tmp_path: Path) -> None:
    register = Register(tmp_path)
    assert register.number_for("a.xlsx", first=8).number == 8
    assert register.number_for("b.xlsx", first=8).number == 9
    assert register.number_for("c.xlsx", first=20).number == 20  # a later start wins for new ones


def test_a_stated_number_wins_and_the_next_new_one_follows_it(tmp_path: Path) -> None:
    register = Register(tmp_path)
    assert register.number_for("a.xlsx").number == 1
    record = register.number_for("第9期.xlsx", stated=9)
    assert (record.number, record.origin) == (9, Origin.WORKBOOK)
    assert register.number_for("b.xlsx").number == 10
    assert register.number_for("a.xlsx", stated=7).number == 7  # the workbook now states 7
    assert register.number_for("c.xlsx", stated=9).number == 9  # stated numbers may be shared


def test_a_number_given_by_option_outlasts_a_statement(tmp_path: Path) -> None:
    register = Register(tmp_path)
    assert register.number_for("a.xlsx", stated=7, forced=12).number == 12
    record = register.number_for("a.xlsx", stated=7)
    assert (record.number, record.origin) == (12, Origin.OPTION)


def test_a_damaged_record_reads_as_none_and_its_number_stays_taken(tmp_path: Path) -> None:
    register = Register(tmp_path)
    register.number_for("a.xlsx")
    for path in (register.folder / "bulletins").iterdir():
        path.write_text("{not json")
    assert register.get("a.xlsx") is None
    assert register.number_for("a.xlsx").number == 2


def test_records_round_trip_through_json(tmp_path: Path) -> None:
    register = Register(tmp_path)
    record = BulletinRecord(
        "a.xlsx", 8, Origin.WORKBOOK, 1, "a（更正）.docx", ("a.docx",), Decimal("50000.50"), "f" * 64
    )
    register.put(record)
    assert Register(tmp_path).get("a.xlsx") == record
    [path] = (register.folder / "bulletins").iterdir()
    assert json.loads(path.read_text("utf-8"))["total"] == "50000.50"
    assert register.holding("A.DOCX") == record
    assert register.holding("b.docx") is None


def test_the_running_total_adds_the_bulletins_numbered_up_to_this_one(tmp_path: Path) -> None:
    register = Register(tmp_path)
    for source, number, total in (("a.xlsx", 1, "100"), ("b.xlsx", 2, "250.5"), ("c.xlsx", 3, "1000")):
        register.put(BulletinRecord(source, number, total=Decimal(total)))
    b = register.get("b.xlsx")
    assert b is not None
    assert register.running_total(b, Decimal("300")) == Decimal("400")  # its own new total counts


def test_a_correction_follows_an_issued_version(tmp_path: Path) -> None:
    register = Register(tmp_path)
    edition, name = register.edition_for("捐款.xlsx", "捐款", Decimal(10))
    assert (edition.number, edition.correction, name) == (1, 0, "捐款.docx")
    register.written("捐款.xlsx", edition, name, Decimal(10), "sha-1")
    assert register.edition_for("捐款.xlsx", "捐款", Decimal(20))[1] == "捐款.docx"  # not issued: replaced
    register.mark_issued("捐款.xlsx", "捐款.docx")
    assert register.issued_unchanged("捐款.xlsx", "sha-1") is not None
    assert register.issued_unchanged("捐款.xlsx", "sha-2") is None
    edition, name = register.edition_for("捐款.xlsx", "捐款", Decimal(20))
    assert (edition.number, edition.correction, name) == (1, 1, "捐款（更正）.docx")
    register.written("捐款.xlsx", edition, name, Decimal(20), "sha-2")
    register.mark_issued("捐款.xlsx", name)
    edition, name = register.edition_for("捐款.xlsx", "捐款", Decimal(30))
    assert (edition.correction, name) == (2, "捐款（第二次更正）.docx")


def test_two_threads_never_get_the_same_number(tmp_path: Path) -> None:
    numbers: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def take(worker: int) -> None:
        register = Register(tmp_path)
        start.wait()
        for i in range(25):
            number = register.next_number(f"{worker}-{i}.xlsx")
            with lock:
                numbers.append(number)

    threads = [threading.Thread(target=take, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(numbers) == list(range(1, 201))


def _take_numbers(folder: str, worker: int, count: int, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    register = Register(Path(folder))
    queue.put([register.next_number(f"{worker}-{i}.xlsx") for i in range(count)])


@pytest.mark.timeout(60)
def test_two_processes_never_get_the_same_number(tmp_path: Path) -> None:
    """As two PCs sharing the output folder: each number file is created with O_EXCL."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=_take_numbers, args=(str(tmp_path), w, 40, queue)) for w in range(2)]
    for w in workers:
        w.start()
    numbers = [n for _ in workers for n in queue.get(timeout=50)]
    for w in workers:
        w.join(timeout=10)
    assert sorted(numbers) == list(range(1, 81))
    assert Register(tmp_path).taken() == list(range(1, 81))


def test_a_running_total_goes_stale_when_an_earlier_total_changes(tmp_path: Path) -> None:
    from toolkit.records import Edition

    register = Register(tmp_path)
    register.number_for("a.xlsx")
    register.written("a.xlsx", Edition(1, 0, Decimal(50000)), "a.docx", Decimal(50000), "sha-a")
    b = register.number_for("b.xlsx")
    register.written("b.xlsx", Edition(2, 0, Decimal(100000)), "b.docx", Decimal(50000), "sha-b", "b")
    b = register.get("b.xlsx")
    assert b is not None and (b.running, b.stem) == (Decimal(100000), "b")
    assert register.stale_running(b) is None
    register.written("a.xlsx", Edition(1, 0, Decimal(100)), "a.docx", Decimal(100), "sha-a2")
    assert register.stale_running(b) == (Decimal(100000), Decimal(50100))


def test_the_next_correction_is_named_after_the_stem_not_the_file_beside_an_edited_one(
    tmp_path: Path,
) -> None:
    from toolkit.records import Edition

    register = Register(tmp_path)
    register.number_for("三月捐款.xlsx")
    register.written("三月捐款.xlsx", Edition(1), "三月捐款（新版）.docx", Decimal(5), "sha", "三月捐款")
    record = register.mark_issued("三月捐款.xlsx", "三月捐款（新版）.docx")
    assert register.next_correction_name(record) == "三月捐款（更正）.docx"
    issued_again = BulletinRecord(
        "三月捐款.xlsx",
        1,
        correction=1,
        bulletin="三月捐款（更正）.docx",
        issued=("三月捐款（新版）.docx", "三月捐款（更正）.docx"),
    )
    assert register.next_correction_name(issued_again) == "三月捐款（第二次更正）.docx"


def test_an_edited_earlier_bulletin_can_be_issued_and_a_change_then_corrects_it(tmp_path: Path) -> None:
    from toolkit.publish.register import edited_by_hand, mark_issued
    from toolkit.publish.safekeeping import Keeper
    from toolkit.records import Edition

    register = Register(tmp_path)
    register.number_for("三月捐款.xlsx")
    Keeper(tmp_path).write(tmp_path / "三月捐款.docx", b"as toolkit wrote it")
    (tmp_path / "三月捐款.docx").write_bytes(b"edited in Word")
    Keeper(tmp_path).write(tmp_path / "三月捐款（新版）.docx", b"the newer version")
    register.written("三月捐款.xlsx", Edition(1), "三月捐款（新版）.docx", Decimal(5), "sha", "三月捐款")
    record, bulletin = mark_issued(tmp_path, "三月捐款.docx")
    assert bulletin == "三月捐款.docx" and record.issued == ("三月捐款.docx",)
    assert record.current_is_issued  # a change to the workbook now makes its correction
    assert edited_by_hand(tmp_path, "三月捐款.docx") and not edited_by_hand(tmp_path, "三月捐款（新版）.docx")
    edition, name = register.edition_for("三月捐款.xlsx", "三月捐款", Decimal(6))
    assert (edition.correction, name) == (1, "三月捐款（更正）.docx")


def test_a_file_toolkit_never_wrote_is_still_unknown(tmp_path: Path) -> None:
    from toolkit.errors import RegisterError
    from toolkit.publish.register import mark_issued

    Register(tmp_path).number_for("三月捐款.xlsx")
    (tmp_path / "三月捐款.docx").write_bytes(b"made by hand")
    with pytest.raises(RegisterError):
        mark_issued(tmp_path, "三月捐款.docx")


def test_workbooks_sharing_a_number(tmp_path: Path) -> None:
    register = Register(tmp_path)
    a = register.number_for("七月第9期.xlsx", stated=9)
    register.number_for("三月第9期.xlsx", stated=9)
    register.number_for("八月.xlsx")
    assert [r.source for r in register.sharing(a)] == ["三月第9期.xlsx"]
