"""Claims: one process at a time renders a version of an input, even across PCs on one share."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from toolkit.publish.claims import break_dead_claims, try_claim, wait_for_claim
from toolkit.publish.files import STATE_DIR
from toolkit.publish.process import hostname


def test_claim_is_exclusive_until_released(tmp_path: Path) -> None:
    first = try_claim(tmp_path, "k")
    assert first is not None
    assert try_claim(tmp_path, "k") is None
    first.release()
    second = try_claim(tmp_path, "k")
    assert second is not None
    second.release()


def test_claim_of_a_dead_local_process_is_broken(tmp_path: Path) -> None:
    folder = tmp_path / STATE_DIR / "claims"
    folder.mkdir(parents=True)
    (folder / "k.claim").write_text(json.dumps({"host": hostname(), "pid": 999999999, "time": 0}))
    claim = try_claim(tmp_path, "k")
    assert claim is not None
    claim.release()


def test_claim_from_another_host_expires_after_the_lease(tmp_path: Path) -> None:
    folder = tmp_path / STATE_DIR / "claims"
    folder.mkdir(parents=True)
    path = folder / "k.claim"
    path.write_text(json.dumps({"host": "other-pc", "pid": 1, "time": 0}))
    assert try_claim(tmp_path, "k", lease=20) is None  # fresh: respected
    old = time.time() - 21
    os.utime(path, (old, old))
    claim = try_claim(tmp_path, "k", lease=20)
    assert claim is not None
    claim.release()


def test_break_dead_claims_removes_only_this_hosts_dead_ones(tmp_path: Path) -> None:
    folder = tmp_path / STATE_DIR / "claims"
    folder.mkdir(parents=True)
    (folder / "dead.claim").write_text(json.dumps({"host": hostname(), "pid": 999999999, "time": 0}))
    (folder / "alive.claim").write_text(json.dumps({"host": hostname(), "pid": os.getpid(), "time": 0}))
    (folder / "other.claim").write_text(json.dumps({"host": "other-pc", "pid": 999999999, "time": 0}))
    assert break_dead_claims(tmp_path) == 1
    assert sorted(p.name for p in folder.iterdir()) == ["alive.claim", "other.claim"]


def test_wait_for_claim_waits_for_the_holder_and_says_so_after_two_seconds(tmp_path: Path) -> None:
    held = try_claim(tmp_path, "input-a")
    assert held is not None
    now = [0.0]
    told: list[float] = []

    def sleep(seconds: float) -> None:
        now[0] += seconds
        if now[0] >= 2.5:
            held.release()

    claim = wait_for_claim(
        tmp_path, "input-a", on_wait=told.append, poll=0.5, clock=lambda: now[0], sleep=sleep
    )
    assert claim is not None
    claim.release()
    assert told == [2.0]  # once past two seconds, not at every poll


def test_wait_for_claim_gives_up_after_its_time(tmp_path: Path) -> None:
    held = try_claim(tmp_path, "input-a")
    assert held is not None
    now = [0.0]
    told: list[float] = []

    def sleep(seconds: float) -> None:
        now[0] += seconds

    with held:
        found = wait_for_claim(
            tmp_path, "input-a", seconds=40, on_wait=told.append, poll=1, clock=lambda: now[0], sleep=sleep
        )
    assert found is None
    assert told == [2.0, 17.0, 32.0]
