"""OLE2 compound files ([MS-CFB]): the container of .xls, WPS .et and old Word files.

`CompoundFile` parses the header, the FAT, the mini FAT and the directory of a file held in memory,
and reads one stream. Every number the file declares is checked against the file's real size
before it is used: a sector outside the file, a chain that loops, a count larger than the file
could hold. So a damaged or hostile file raises `CompoundFileError` instead of making anyone
allocate what it declares. `CompoundFile.locate` tells where each byte of a stream lies in the
file, so a record can be patched in a copy of the bytes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

__all__ = ["CompoundFile", "CompoundFileError", "Entry"]

_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_END = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_MAX_REGULAR = 0xFFFFFFFA
_MINI_SECTOR = 64
_MINI_CUTOFF = 4096  # streams smaller than this live in the mini stream
_STREAM, _ROOT = 2, 5


class CompoundFileError(Exception):
    """The bytes are not a consistent compound file; ``truncated`` when they stop too early."""

    def __init__(self, detail: str, *, truncated: bool = False) -> None:
        super().__init__(detail)
        self.truncated = truncated


@dataclass(frozen=True, slots=True)
class Entry:
    """One directory entry: a stream (``kind`` 2), a storage (1) or the root (5)."""

    name: str
    kind: int
    start: int
    size: int


class CompoundFile:
    """The directory of a compound file, and its streams on demand."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(_MAGIC):
            raise CompoundFileError("not a compound file", truncated=data.startswith(_MAGIC))
        self.data = data
        major, _byte_order, shift, mini_shift = struct.unpack_from("<HHHH", data, 26)
        if shift not in (9, 12) or mini_shift != 6:
            raise CompoundFileError(f"sector shift {shift}/{mini_shift}")
        self.sector = 1 << shift
        self.wide_sizes = major == 4  # version 4 stores 64-bit stream sizes
        self.sectors = max(0, -(-(len(data) - self.sector) // self.sector))
        (
            dir_count,
            fat_count,
            dir_start,
            _sig,
            _cutoff,
            mini_fat_start,
            mini_fat_count,
            difat_start,
            difat_count,
        ) = struct.unpack_from("<IIIIIIIII", data, 40)
        for what, count in (
            ("FAT", fat_count),
            ("directory", dir_count),
            ("mini FAT", mini_fat_count),
            ("DIFAT", difat_count),
        ):
            if count > self.sectors:
                raise CompoundFileError(f"{what} declares {count} sectors in a file of {self.sectors}")
        self.fat = self._read_fat(difat_start)
        directory = self._chain_bytes(dir_start)
        self.entries = [self._entry(directory, offset) for offset in range(0, len(directory) - 127, 128)]
        if not self.entries or self.entries[0].kind != _ROOT:
            raise CompoundFileError("no root entry")
        root = self.entries[0]
        self.mini_stream_sectors = self._chain(root.start) if root.size else []
        if root.size > len(self.mini_stream_sectors) * self.sector:
            raise CompoundFileError("mini stream shorter than declared", truncated=True)
        mini_fat = self._chain_bytes(mini_fat_start) if mini_fat_start != _END else b""
        self.mini_fat = struct.unpack_from(f"<{len(mini_fat) // 4}I", mini_fat)

    # ------------------------------------------------------------------ public

    def stream(self, name: str) -> Entry | None:
        """The first stream entry called ``name`` (exact match), as the cell library finds it."""
        return next((e for e in self.entries if e.kind == _STREAM and e.name == name), None)

    def names(self) -> set[str]:
        return {entry.name for entry in self.entries if entry.kind in (1, _STREAM)}

    def read(self, entry: Entry) -> bytes:
        """The bytes of a stream."""
        offsets, unit = self.locate(entry)
        data = self.data
        return b"".join(data[o : o + unit] for o in offsets)[: entry.size]

    def locate(self, entry: Entry) -> tuple[list[int], int]:
        """File offsets of the stream's sectors in order, and the sector size they are in units of."""
        if entry.size >= _MINI_CUTOFF:
            sectors = self._chain(entry.start)
            if len(sectors) * self.sector < entry.size:
                raise CompoundFileError(f"stream {entry.name!r} shorter than declared", truncated=True)
            return [(s + 1) * self.sector for s in sectors], self.sector
        minis = self._chain(
            entry.start, self.mini_fat, len(self.mini_stream_sectors) * self.sector // _MINI_SECTOR
        )
        if len(minis) * _MINI_SECTOR < entry.size:
            raise CompoundFileError(f"stream {entry.name!r} shorter than declared", truncated=True)
        per_sector = self.sector // _MINI_SECTOR
        offsets = []
        for mini in minis:
            host = self.mini_stream_sectors[mini // per_sector]
            offsets.append((host + 1) * self.sector + (mini % per_sector) * _MINI_SECTOR)
        return offsets, _MINI_SECTOR

    # ------------------------------------------------------------------ parsing

    def _sector_bytes(self, sector: int) -> bytes:
        start = (sector + 1) * self.sector
        chunk = self.data[start : start + self.sector]
        if len(chunk) < self.sector:
            raise CompoundFileError(f"sector {sector} is past the end of the file", truncated=True)
        return chunk

    def _read_fat(self, difat_start: int) -> tuple[int, ...]:
        per_sector = self.sector // 4
        ids = list(struct.unpack_from("<109I", self.data, 76))
        sector, steps = difat_start, 0
        while sector not in (_END, _FREE):
            steps += 1
            if sector > _MAX_REGULAR or steps > self.sectors:
                raise CompoundFileError("DIFAT chain loops or leaves the file")
            words = struct.unpack(f"<{per_sector}I", self._sector_bytes(sector))
            ids.extend(words[:-1])
            sector = words[-1]
        fat: list[int] = []
        for sector in ids:
            if sector == _FREE:
                continue
            if sector > _MAX_REGULAR:
                raise CompoundFileError(f"bad FAT sector id {sector:#x}")
            fat.extend(struct.unpack(f"<{per_sector}I", self._sector_bytes(sector)))
            if len(fat) > (self.sectors + 1) * per_sector:
                raise CompoundFileError("more FAT sectors than the file has")
        return tuple(fat)

    def _chain(self, start: int, table: tuple[int, ...] | None = None, limit: int | None = None) -> list[int]:
        """Sector ids from ``start`` to the end of chain in ``table`` (the FAT by default)."""
        table = self.fat if table is None else table
        limit = self.sectors if limit is None else limit
        chain: list[int] = []
        sector = start
        while sector != _END:
            if sector >= len(table) or sector >= limit or len(chain) >= limit:
                raise CompoundFileError("sector chain loops or leaves the file", truncated=sector != _FREE)
            chain.append(sector)
            sector = table[sector]
        return chain

    def _chain_bytes(self, start: int) -> bytes:
        return b"".join(self._sector_bytes(s) for s in self._chain(start))

    def _entry(self, directory: bytes, offset: int) -> Entry:
        name_length, kind = struct.unpack_from("<HB", directory, offset + 64)
        name_length = min(name_length, 64) & ~1
        name = directory[offset : offset + max(0, name_length - 2)].decode("utf-16-le", "replace")
        start = struct.unpack_from("<I", directory, offset + 116)[0]
        size = struct.unpack_from("<Q" if self.wide_sizes else "<I", directory, offset + 120)[0]
        if kind in (_STREAM, _ROOT) and size > len(self.data):
            raise CompoundFileError(f"entry {name!r} declares {size} bytes in a file of {len(self.data)}")
        return Entry(name, kind, start, size)
