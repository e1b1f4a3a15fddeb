"""Tests for `toolkit.read.cfb`: the compound file container, and every size it declares checked."""

from __future__ import annotations

import struct

import pytest

from tests.read.biff import compound_file
from toolkit.read.cfb import CompoundFile, CompoundFileError

SMALL = b"small stream " * 10  # under 4096 bytes: lives in the mini stream
LARGE = bytes(range(256)) * 40  # 10 KB: regular sectors


def test_streams_small_and_large_read_back() -> None:
    container = CompoundFile(compound_file({"Workbook": LARGE, "\x05SummaryInformation": SMALL}))
    assert container.names() == {"Workbook", "\x05SummaryInformation"}
    for name, content in (("Workbook", LARGE), ("\x05SummaryInformation", SMALL)):
        entry = container.stream(name)
        assert entry is not None
        assert container.read(entry) == content
    assert container.stream("Book") is None


@pytest.mark.parametrize("content", [SMALL, LARGE])
def test_locate_maps_every_stream_byte_to_the_file(content: bytes) -> None:
    data = compound_file({"Workbook": content})
    container = CompoundFile(data)
    entry = container.stream("Workbook")
    assert entry is not None
    offsets, unit = container.locate(entry)
    assert bytes(data[offsets[i // unit] + i % unit] for i in range(len(content))) == content


def _field(data: bytes, offset: int, value: int, fmt: str = "<I") -> bytes:
    patched = bytearray(data)
    struct.pack_into(fmt, patched, offset, value)
    return bytes(patched)


BASE = compound_file({"Workbook": LARGE, "Small": SMALL})
_WORKBOOK_ENTRY = BASE.index("Workbook".encode("utf-16-le"))


def _read_all(data: bytes) -> None:
    container = CompoundFile(data)
    for name in ("Workbook", "Small"):
        entry = container.stream(name)
        assert entry is not None
        container.read(entry)


@pytest.mark.parametrize(
    ("data", "truncated"),
    [
        (BASE[:700], True),
        (BASE[: len(BASE) - 600], True),
        (_field(BASE, 44, 0x7FFFFFFF), False),  # FAT sectors
        (_field(BASE, 40, 0x7FFFFFFF), False),  # directory sectors
        (_field(BASE, 64, 0x7FFFFFFF), False),  # mini FAT sectors
        (_field(BASE, 30, 0x14, "<H"), False),  # sector shift
        (_field(BASE, _WORKBOOK_ENTRY + 120, 0xFFFFFF00), False),  # stream size beyond the file
        (_field(BASE, 48, 5000), True),  # directory starts outside the file
    ],
)
def test_inconsistent_files_raise_instead_of_allocating(data: bytes, truncated: bool) -> None:
    with pytest.raises(CompoundFileError) as caught:
        _read_all(data)
    assert caught.value.truncated is truncated


def test_a_chain_that_loops_is_refused() -> None:
    data = bytearray(BASE)
    container = CompoundFile(BASE)
    entry = container.stream("Workbook")
    assert entry is not None
    fat_sector = struct.unpack_from("<I", BASE, 76)[0]
    # Point the stream's second sector back to its first.
    struct.pack_into("<I", data, (fat_sector + 1) * 512 + 4 * (entry.start + 1), entry.start)
    with pytest.raises(CompoundFileError):
        _read_all(bytes(data))
