"""Process helpers: the host's name and whether a process is alive name temp files and claims."""

from __future__ import annotations

import os
import subprocess
import sys

from toolkit.publish.process import hostname, process_alive


def test_hostname_is_never_empty() -> None:
    assert hostname()


def test_this_process_is_alive() -> None:
    assert process_alive(os.getpid())


def test_no_process_has_id_zero_or_below() -> None:
    assert not process_alive(0)
    assert not process_alive(-1)


def test_a_finished_process_is_dead() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True
    )
    assert not process_alive(int(done.stdout))
