"""The cursor's packed form of what a device holds (sync/held.py)."""

import json
import zlib

from sync.held import Column, Held
from sync.marks import Mark

BIG = ("cooperative", "person", "membership")


def test_packed_and_read_back_the_same():
    versions = {f"person:{pk}": f"{pk:016x}" for pk in (5, 3, 900_000_000_001)}
    versions |= {"loan:7": "a" * 16, "cooperative:2": "b" * 16}
    held = Held.of(versions, scope="s1", big_kinds=BIG)
    back = Held.unpack(held.pack(), big_kinds=BIG)
    assert back.scope == "s1"
    assert back.small == {"loan": {7: "a" * 16}}
    assert list(back.big["person"].items()) == [
        (3, f"{3:016x}"),
        (5, f"{5:016x}"),
        (900_000_000_001, f"{900_000_000_001:016x}"),
    ]
    assert back.kind("cooperative").get(2) == "b" * 16 and len(back.big["membership"]) == 0
    assert back.marks is None  # none given: none kept


def test_the_history_marks_are_kept_in_the_header():
    held = Held.of({"person:3": "c" * 16}, scope="s1", big_kinds=BIG)
    held.marks = {"person": Mark(40, [[37, 38, 1_770_000_000]]), "area": Mark(2)}
    back = Held.unpack(held.pack(), big_kinds=BIG)
    assert back.marks == held.marks
    assert back.kind("person").get(3) == "c" * 16


def test_a_column_is_updated_in_place_and_stays_sorted():
    column = Column.of({10: "0" * 16, 30: "1" * 16})
    column.put(20, "2" * 16)
    column.put(30, "3" * 16)
    column.remove(10)
    column.remove(99)  # not held: nothing
    assert list(column.items()) == [(20, "2" * 16), (30, "3" * 16)]
    assert 20 in column and 10 not in column and column.get(10) is None


def test_a_cursor_of_the_former_format_is_read():
    old = {"person:4": "c" * 16, "loan:1": "d" * 16, "scope": "s0"}
    held = Held.unpack(zlib.compress(json.dumps(old).encode()), big_kinds=BIG)
    assert held.scope == "s0"
    assert held.kind("person").get(4) == "c" * 16 and held.small["loan"] == {1: "d" * 16}
