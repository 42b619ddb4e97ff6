"""What a device holds, as a pull's cursor keeps it (docs/offline.md, "Only changes").

A department's device holds some 12,000 persons and memberships and a few hundred other
records. A pull of changes looks up only the few ids that changed, so the big kinds are
kept as two packed columns, the sorted ids (8 bytes each) and their versions (the 16 hex
digits of ``version_of`` as 8 bytes), looked up by bisection and updated in place; they
are never turned into one Python object per record. The small kinds are a JSON map.

The blob: ``MAGIC_SPLIT`` and the length (4 bytes) of a zlib-compressed part, that part,
then each big kind's versions as they are (digests: zlib would gain nothing). The
compressed part: ``MAGIC``, the length of a JSON header (4 bytes), the header (the scope's
digest, the small kinds' versions, the big kinds' counts, the history marks the pull read,
``sync/marks.py``, the pull's date, ``day``, and the nightly job's last run it had seen,
``figures_run``), then each big kind's ids. A cursor stored by a former format is read
too: zlib JSON of ``{"kind:id": version}``; all of it zlib-compressed with each kind's
versions after its ids; or without ``marks`` (``marks`` is then ``None``: the next pull
looks for changes by the time window once), ``day`` (the dated kinds, sync/pull.py
``DATED``, are then computed whole once) or ``figures_run`` (the loans, likewise).
"""

from __future__ import annotations

import datetime
import json
import sys
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable

from sync.marks import Mark

MAGIC = b"H1"
# The blob's start since the versions are kept out of zlib (never that of a zlib stream).
MAGIC_SPLIT = b"H2"
# A delta cursor's blob: the ids changed since its base cursor's (``PullCursor.base``).
MAGIC_DELTA = b"D1"
VERSION_BYTES = 8


class Column:
    """The ids (sorted) and versions of one kind a device holds."""

    __slots__ = ("ids", "versions", "touched")

    def __init__(self, ids: array | None = None, versions: bytearray | None = None):
        self.ids = ids if ids is not None else array("q")
        self.versions = versions if versions is not None else bytearray()
        # the ids put or removed since the column was read from its base cursor
        self.touched: set[int] = set()

    @classmethod
    def of(cls, pairs: dict[int, str]) -> Column:
        column = cls()
        for pk in sorted(pairs):
            column.ids.append(pk)
            column.versions += bytes.fromhex(pairs[pk])
        return column

    def _at(self, pk: int) -> int:
        i = bisect_left(self.ids, pk)
        return i if i < len(self.ids) and self.ids[i] == pk else -1

    def get(self, pk: int) -> str | None:
        i = self._at(pk)
        return None if i < 0 else self.versions[i * 8 : i * 8 + 8].hex()

    def __contains__(self, pk: int) -> bool:
        return self._at(pk) >= 0

    def __len__(self) -> int:
        return len(self.ids)

    def replaced_by(self, pairs: dict[int, str], touched: Iterable[int]) -> Column:
        """A column of ``pairs`` (a kind computed whole) that keeps this one's touched ids
        and ``touched`` (the ids it differs by)."""
        column = Column.of(pairs)
        column.touched = self.touched | set(touched)
        return column

    def put(self, pk: int, version: str) -> None:
        self.touched.add(pk)
        raw = bytes.fromhex(version)
        i = bisect_left(self.ids, pk)
        if i < len(self.ids) and self.ids[i] == pk:
            self.versions[i * 8 : i * 8 + 8] = raw
        else:
            self.ids.insert(i, pk)
            self.versions[i * 8 : i * 8] = raw

    def remove(self, pk: int) -> None:
        self.touched.add(pk)
        i = self._at(pk)
        if i >= 0:
            del self.ids[i]
            del self.versions[i * 8 : i * 8 + 8]

    def items(self):
        for i, pk in enumerate(self.ids):
            yield pk, self.versions[i * 8 : i * 8 + 8].hex()


class Held:
    """Per kind, what a device holds: a :class:`Column` for the big kinds, a dict of
    ``{id: version}`` for the others; the digest of the scope it was pulled for; and the
    history marks its pull read (``None``: a cursor of a former format)."""

    def __init__(
        self, scope: str = "", small=None, big=None, marks=None, day=None, figures_run=None
    ):
        self.scope = scope
        # the date of the pull that stored it (``None``: a cursor stored before it)
        self.day: datetime.date | None = day
        # the nightly job's last run that pull had seen (``credit.FiguresRun``; ``None``:
        # none, or a cursor stored before it)
        self.figures_run: int | None = figures_run
        # the cursor whose whole blob the big kinds were read from (``None``: computed)
        self.base_id: int | None = None
        self.small: dict[str, dict[int, str]] = small or {}
        self.big: dict[str, Column] = big or {}
        self.marks: dict[str, Mark] | None = marks

    @classmethod
    def of(cls, versions: dict[str, str], *, scope: str, big_kinds) -> Held:
        """From ``{"kind:id": version}`` (a whole pull)."""
        by_kind: dict[str, dict[int, str]] = {}
        for key, version in versions.items():
            kind, _sep, pk = key.partition(":")
            by_kind.setdefault(kind, {})[int(pk)] = version
        big = {k: Column.of(by_kind.pop(k, {})) for k in big_kinds}
        return cls(scope, by_kind, big)

    def kind(self, kind: str):
        """What is held of ``kind``: a Column or a dict (both answer ``get``)."""
        return self.big[kind] if kind in self.big else self.small.setdefault(kind, {})

    def _header(self) -> dict:
        header = {
            "scope": self.scope,
            "small": {k: {str(pk): v for pk, v in rows.items()} for k, rows in self.small.items()},
        }
        if self.marks is not None:
            header["marks"] = {name: mark.to_json() for name, mark in self.marks.items()}
        if self.day is not None:
            header["day"] = self.day.isoformat()
        if self.figures_run is not None:
            header["figures_run"] = self.figures_run
        return header

    def touched(self) -> int:
        """How many ids of the big kinds changed since the base was read."""
        return sum(len(c.touched) for c in self.big.values())

    def pack_delta(self) -> bytes:
        """What changed since the base cursor (every id touched since it was read: the
        delta of the cursor this one was read from included), and the rest of the header:
        a few kilobytes where the whole blob of a household-scale department is 2 MB."""
        header = self._header()
        header["delta"] = {
            kind: [[pk, column.get(pk)] for pk in sorted(column.touched)]
            for kind, column in self.big.items()
            if column.touched
        }
        return MAGIC_DELTA + zlib.compress(json.dumps(header, separators=(",", ":")).encode(), 1)

    @classmethod
    def unpack_delta(cls, base: bytes, delta: bytes, *, big_kinds) -> Held:
        """The base cursor's blob with a delta of :meth:`pack_delta` applied (its ids count as
        touched, so that the next delta carries them on)."""
        held = cls.unpack(base, big_kinds=big_kinds)
        header = json.loads(zlib.decompress(delta[len(MAGIC_DELTA) :]))
        for kind, rows in header["delta"].items():
            column = held.big.setdefault(kind, Column())
            for pk, version in rows:
                if version is None:
                    column.remove(pk)
                else:
                    column.put(pk, version)
        return cls._from_header(header, held.big, big_kinds)

    @classmethod
    def _from_header(cls, header: dict, big: dict, big_kinds) -> Held:
        small = {k: {int(pk): v for pk, v in rows.items()} for k, rows in header["small"].items()}
        for kind in big_kinds:  # a kind kept small by an earlier release
            if kind not in big:
                big[kind] = Column.of(small.pop(kind, {}))
        marks = header.get("marks")  # absent from a cursor stored before the marks
        if marks is not None:
            marks = {name: Mark.from_json(raw) for name, raw in marks.items()}
        day = header.get("day")  # absent from a cursor stored before it
        day = datetime.date.fromisoformat(day) if day else None
        return cls(header["scope"], small, big, marks, day, header.get("figures_run"))

    def pack(self) -> bytes:
        header = self._header()
        header["big"] = {k: len(c) for k, c in self.big.items()}
        head = json.dumps(header, separators=(",", ":")).encode()
        ids = [MAGIC, len(head).to_bytes(4, "big"), head]
        for column in self.big.values():
            packed = column.ids
            if sys.byteorder != "little":
                packed = array("q", packed)
                packed.byteswap()
            ids.append(packed.tobytes())
        # the versions are digests: zlib gains nothing on them and cost a department's pull
        # at household scale 34 ms of its 150 (208,000 records); kept as they are
        compressed = zlib.compress(b"".join(ids), 1)
        parts = [MAGIC_SPLIT, len(compressed).to_bytes(4, "big"), compressed]
        parts += [bytes(column.versions) for column in self.big.values()]
        return b"".join(parts)

    @classmethod
    def unpack(cls, blob: bytes, *, big_kinds) -> Held:
        split = blob.startswith(MAGIC_SPLIT)  # else all zlib (a former format)
        if split:
            size = int.from_bytes(blob[2:6], "big")
            raw, versions = zlib.decompress(blob[6 : 6 + size]), memoryview(blob)[6 + size :]
        else:
            raw = zlib.decompress(blob)
        if not raw.startswith(MAGIC):  # the first format: zlib JSON of every version
            versions = json.loads(raw)
            return cls.of(versions, scope=versions.pop("scope", ""), big_kinds=big_kinds)
        size = int.from_bytes(raw[2:6], "big")
        header = json.loads(raw[6 : 6 + size])
        big, at, at_version = {}, 6 + size, 0
        for kind, count in header["big"].items():
            ids = array("q")
            ids.frombytes(raw[at : at + 8 * count])
            if sys.byteorder != "little":
                ids.byteswap()
            at += 8 * count
            if split:
                end = at_version + VERSION_BYTES * count
                big[kind] = Column(ids, bytearray(versions[at_version:end]))
                at_version = end
            else:  # each kind's versions after its ids
                big[kind] = Column(ids, bytearray(raw[at : at + VERSION_BYTES * count]))
                at += VERSION_BYTES * count
        return cls._from_header(header, big, big_kinds)
