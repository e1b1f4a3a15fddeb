"""Safekeeping: toolkit never destroys a person's work in the output folder.

Three rules, kept by `Keeper`:

- **Only its own bytes.** Every file toolkit writes is recorded with the sha256 of its bytes
  (`WrittenStore`, in ``OUTPUT/.toolkit/written``). Before it replaces or removes a file, it
  compares: a file whose bytes differ (the clerk edited the bulletin in Word) or that toolkit never
  wrote is left as it is, and the new version goes beside it under another name
  (``捐款名单（新版）.docx``); the caller says so.
- **History.** Before a bulletin (``.docx`` or ``.pdf``) toolkit wrote is replaced or removed, that
  version is kept in ``OUTPUT/历史版本`` as ``<name> <date> <time><suffix>``; the last ``history``
  versions of each name are kept, older ones go.
- **Frozen names.** A bulletin marked issued (``toolkit issue``) is never replaced, moved or removed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from toolkit.publish.files import HISTORY_DIR, STATE_DIR, remove_quietly, write_atomic

__all__ = ["BESIDE", "BULLETIN_SUFFIXES", "HISTORY_DIR", "Keeper", "WrittenStore", "sha256_of"]

BULLETIN_SUFFIXES = (".docx", ".pdf")
"""Outputs that are bulletins: kept in the history folder when replaced or removed."""

BESIDE = "（新版）"
"""Added to a name when the file there is not toolkit's own: ``捐款名单（新版）.docx``, then ``（新版2）``…"""

_CHUNK = 1 << 20


def sha256_of(path: Path) -> str | None:
    """Hex sha256 of a file's bytes, or None when there is no such file."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
    return digest.hexdigest()


class WrittenStore:
    """The sha256 of the bytes toolkit last wrote at each name in the output folder.

    One small JSON file per name (its key folds case, as Windows does), each written atomically.
    """

    def __init__(self, output: Path) -> None:
        self.output = output
        self.folder = output / STATE_DIR / "written"

    def _path(self, name: str) -> Path:
        key = hashlib.sha256(name.casefold().encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return self.folder / f"{key}.json"

    def get(self, name: str) -> str | None:
        """The sha256 recorded for ``name`` (a path relative to the output folder), if any."""
        try:
            raw = json.loads(self._path(name).read_text("utf-8"))
            return str(raw["sha256"]) if raw.get("name") == name else None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, name: str, sha256: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        body = json.dumps({"name": name, "sha256": sha256}, ensure_ascii=False).encode("utf-8")
        write_atomic(self._path(name), body)

    def forget(self, name: str) -> None:
        remove_quietly(self._path(name))

    def is_ours(self, path: Path) -> bool:
        """True when nothing is at ``path``, or its bytes are the ones toolkit last wrote there."""
        actual = sha256_of(path)
        if actual is None:
            return not path.exists()
        return actual == self.get(self.name_of(path))

    def name_of(self, path: Path) -> str:
        return path.relative_to(self.output).as_posix()


@dataclass
class Keeper:
    """Writes, replaces and removes outputs by the rules above, for one output folder.

    Attributes:
        output: the output folder.
        history: earlier versions of each bulletin name to keep (0 keeps none).
        frozen: names (in the output folder) that are never replaced, moved or removed.
    """

    output: Path
    history: int = 5
    frozen: Collection[str] = ()

    def __post_init__(self) -> None:
        self.store = WrittenStore(self.output)
        self._frozen = {name.casefold() for name in self.frozen}

    def is_frozen(self, name: str) -> bool:
        return name.casefold() in self._frozen

    def may_replace(self, path: Path) -> bool:
        """Whether toolkit may write over ``path``: it is free, or toolkit's own and not frozen."""
        return not self.is_frozen(path.name) and self.store.is_ours(path)

    def place(self, name: str, suffix: str) -> Path:
        """Where to write the output ``name`` (ending in ``suffix``): there, or the first name beside
        it (``<base>（新版）<suffix>``, ``（新版2）``…) that toolkit may write."""
        base = name[: -len(suffix)] if suffix and name.endswith(suffix) else name
        target = self.output / name
        number = 1
        while not self.may_replace(target):
            target = self.output / f"{base}{BESIDE if number == 1 else f'（新版{number}）'}{suffix}"
            number += 1
        return target

    def write(self, target: Path, data: bytes) -> None:
        """Write ``data`` at ``target`` (which `place` chose), keeping the version it replaces."""
        if target.suffix.lower() in BULLETIN_SUFFIXES and target.exists():
            self._to_history(target, move=False)
        write_atomic(target, data)
        self.store.put(self.store.name_of(target), hashlib.sha256(data).hexdigest())

    def retire(self, path: Path) -> bool:
        """Take a stale output away: a bulletin into the history folder, a report deleted.

        Only toolkit's own bytes are touched, never a frozen name. True if something went.

        Raises:
            OSError: the file could not be moved or removed (open in Word on Windows).
        """
        if not path.exists() or self.is_frozen(path.name) or not self.store.is_ours(path):
            return False
        if path.suffix.lower() in BULLETIN_SUFFIXES:
            self._to_history(path, move=True)
        elif not remove_quietly(path):
            return False
        self.store.forget(self.store.name_of(path))
        return True

    # ------------------------------------------------------------ history

    def _to_history(self, path: Path, *, move: bool) -> None:
        """Keep the version at ``path`` in the history folder (moved, or linked/copied while it
        stays), then keep only the newest `history` versions of that name."""
        sha = self.store.get(self.store.name_of(path))
        if self.history <= 0:
            if move:
                remove_quietly(path)
            return
        folder = self.output / HISTORY_DIR
        folder.mkdir(exist_ok=True)
        stamp = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H%M%S")
        stem, suffix = path.name[: -len(path.suffix)], path.suffix
        kept = folder / f"{stem} {stamp}{suffix}"
        number = 2
        while kept.exists():
            kept = folder / f"{stem} {stamp}-{number}{suffix}"
            number += 1
        if move:
            os.replace(path, kept)
        else:
            try:
                os.link(path, kept)
            except OSError:  # no hard links here (FAT, some shares): copy the bytes
                write_atomic(kept, path.read_bytes())
        if sha is not None:
            self.store.put(self.store.name_of(kept), sha)
        self._prune(folder, stem, suffix)

    def _prune(self, folder: Path, stem: str, suffix: str) -> None:
        pattern = re.compile(
            re.escape(stem) + r" (\d{4}-\d\d-\d\d \d{6})(?:-(\d+))?" + re.escape(suffix) + "$"
        )
        versions: list[tuple[str, int, Path]] = []
        for entry in folder.iterdir():
            found = pattern.match(entry.name)
            if found:
                versions.append((found.group(1), int(found.group(2) or 1), entry))
        versions.sort()
        for _, _, old in versions[: max(0, len(versions) - self.history)]:
            if self.store.is_ours(old):
                with contextlib.suppress(OSError):
                    old.unlink()
                self.store.forget(self.store.name_of(old))
