"""A PDF writer that writes each object as soon as it is copied, so memory stays bounded by one attachment.

pypdf's PdfWriter keeps every copied object (scanned page images included) until write(): with 1 GB of
attachments that is 1 GB of memory. Here pypdf still parses the sources and serialises each object, but objects are
streamed out one by one with their new numbers, and a source's number map is dropped once that source is done.
Sources are read through open file handles (pypdf reads a file given by name wholly into memory).
"""

from __future__ import annotations

import hashlib
from typing import BinaryIO

from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
)

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
SKIP_KEYS = frozenset({"/Length"})  # recomputed when the stream is written


class CountingWriter:
    """File wrapper that counts what passes through: the offsets of the cross-reference table."""

    def __init__(self, handle: BinaryIO):
        self.handle = handle
        self.position = 0

    def write(self, data: bytes) -> int:
        self.handle.write(data)
        self.position += len(data)
        return len(data)


class Space:
    """The number map for one source document: (generation, idnum) -> number in the output."""

    def __init__(self, reader):
        self.reader = reader
        self.numbers: dict[tuple[int, int], int] = {}
        self.pending: list[tuple[IndirectObject, int]] = []  # numbered, to be copied and written


class StreamingPdf:
    def __init__(self, handle: BinaryIO, identity: bytes = b""):
        """`identity`: what the output is made of (its inputs' fingerprints): the file's /ID is derived from it, so
        equal inputs give equal bytes. Hashing the output itself cost about 2 s of CPU time per GB of attachments."""
        self.out = CountingWriter(handle)
        self.identity = identity
        self.offsets: dict[int, int] = {}
        self.next_number = 1
        self.out.write(HEADER)

    def reserve(self) -> int:
        number = self.next_number
        self.next_number += 1
        return number

    @staticmethod
    def ref(number: int) -> IndirectObject:
        return IndirectObject(number, 0, None)

    def write(self, number: int, obj: PdfObject) -> IndirectObject:
        self.offsets[number] = self.out.position
        self.out.write(f"{number} 0 obj\n".encode())
        obj.write_to_stream(self.out)
        self.out.write(b"\nendobj\n")
        return self.ref(number)

    def add(self, obj: PdfObject) -> IndirectObject:
        return self.write(self.reserve(), obj)

    def stream(self, data: bytes, entries: dict | None = None) -> IndirectObject:
        obj = DecodedStreamObject()
        obj.set_data(data)
        for key, value in (entries or {}).items():
            obj[NameObject(key)] = value
        return self.add(obj)

    def copy(self, obj, space: Space):
        """A copy of `obj` whose indirect references point into the output; referenced objects are written now.

        They are written from a work list, not by recursion: an outline is a /Next chain as long as the dossier has
        bookmarks, and following it recursively broke Python's recursion limit at about 250 attachments."""
        copied = self._copy(obj, space)
        while space.pending:
            self._write_pending(*space.pending.pop(), space)
        return copied

    def _copy(self, obj, space: Space):
        if isinstance(obj, IndirectObject):
            return self._copy_indirect(obj, space)
        if isinstance(obj, StreamObject):
            raise ValueError("direct stream")  # streams are always indirect in a valid PDF
        if isinstance(obj, DictionaryObject):
            return self._copy_dict(obj, space, DictionaryObject())
        if isinstance(obj, ArrayObject):
            return ArrayObject(self._copy(item, space) for item in obj)
        return obj  # names, numbers, strings, booleans, null: immutable

    def _copy_dict(self, source: DictionaryObject, space: Space, target: DictionaryObject) -> DictionaryObject:
        for key, value in source.items():
            if key not in SKIP_KEYS:
                target[NameObject(key)] = self._copy(value, space)
        return target

    def _copy_indirect(self, ref: IndirectObject, space: Space) -> IndirectObject:
        key = (ref.generation, ref.idnum)
        if key in space.numbers:
            return self.ref(space.numbers[key])
        number = self.reserve()
        space.numbers[key] = number  # before it is copied: cycles (outline /Parent, /Prev) end here
        space.pending.append((ref, number))
        return self.ref(number)

    def _write_pending(self, ref: IndirectObject, number: int, space: Space) -> None:
        target = space.reader.get_object(ref)
        if isinstance(target, StreamObject):
            copied = DecodedStreamObject()
            copied._data = target._data  # the raw (still encoded) bytes; the copied /Filter still applies
            self._copy_dict(target, space, copied)
        else:
            copied = self._copy(target, space) if target is not None else NullObject()
        self.write(number, copied)

    def finish(self, root: IndirectObject, info: IndirectObject | None) -> None:
        """Cross-reference table and trailer; the /ID is derived from the inputs, so equal input, equal bytes."""
        xref_at = self.out.position
        count = self.next_number
        lines = [f"xref\n0 {count}\n".encode(), b"0000000000 65535 f \n"]
        for number in range(1, count):
            offset = self.offsets.get(number)
            lines.append(f"{offset:010d} 00000 n \n".encode() if offset is not None else b"0000000000 65535 f \n")
        self.out.write(b"".join(lines))
        file_id = ByteStringObject(hashlib.md5(self.identity, usedforsecurity=False).digest())
        trailer = DictionaryObject({NameObject("/Size"): NumberObject(count), NameObject("/Root"): root,
                                    NameObject("/ID"): ArrayObject([file_id, file_id])})
        if info is not None:
            trailer[NameObject("/Info")] = info
        self.out.write(b"trailer\n")
        trailer.write_to_stream(self.out)
        self.out.write(f"\nstartxref\n{xref_at}\n%%EOF\n".encode())
