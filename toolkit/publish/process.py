"""Who is at work: this computer's name and whether a process on it is still alive.

Temp files and claims are named by host and process id, so that leftovers of a dead toolkit process
can be told from the work of a live one, even when several PCs share one output folder.
"""

from __future__ import annotations

import os
import sys

__all__ = ["hostname", "process_alive"]


def hostname() -> str:
    """This computer's network name (``localhost`` when it has none)."""
    import socket

    return socket.gethostname() or "localhost"


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this host (best effort on Windows)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
