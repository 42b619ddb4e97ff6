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


def test_the_versions_are_stored_out_of_zlib_and_the_former_blob_is_read():
    """Since issue 23: the versions (digests, which zlib does not shrink) follow the
    compressed part as they are; a cursor stored before (all of it zlib, each kind's
    versions after its ids) is still read."""
    import datetime

    held = Held.of(
        {"person:3": "c" * 16, "person:9": "d" * 16, "membership:4": "e" * 16, "loan:1": "f" * 16},
        scope="s1",
        big_kinds=BIG,
    )
    held.day, held.figures_run = datetime.date(2026, 3, 2), 12
    blob = held.pack()
    assert blob.startswith(b"H2")
    assert blob.endswith(bytes.fromhex("c" * 16 + "d" * 16 + "e" * 16))  # not compressed
    back = Held.unpack(blob, big_kinds=BIG)
    assert (back.day, back.figures_run) == (datetime.date(2026, 3, 2), 12)
    assert list(back.big["person"].items()) == [(3, "c" * 16), (9, "d" * 16)]
    assert list(back.big["membership"].items()) == [(4, "e" * 16)]
    # the former blob, built as it was
    head = json.dumps(
        {"scope": "s1", "small": {"loan": {"1": "f" * 16}}, "big": {"person": 2}}
    ).encode()
    ids = (3).to_bytes(8, "little") + (9).to_bytes(8, "little")
    raw = b"H1" + len(head).to_bytes(4, "big") + head + ids + bytes.fromhex("c" * 16 + "d" * 16)
    former = Held.unpack(zlib.compress(raw), big_kinds=BIG)
    assert list(former.big["person"].items()) == [(3, "c" * 16), (9, "d" * 16)]
    assert former.small == {"loan": {1: "f" * 16}} and former.figures_run is None


def test_a_delta_applied_to_its_base_gives_what_was_held_and_carries_its_ids_on():
    base = Held.of(
        {f"person:{pk}": f"{pk:016x}" for pk in range(1, 50)} | {"loan:1": "a" * 16},
        scope="s1",
        big_kinds=BIG,
    )
    blob = base.pack()
    held = Held.unpack(blob, big_kinds=BIG)
    assert held.touched() == 0
    held.big["person"].put(7, "e" * 16)  # changed
    held.big["person"].remove(8)  # gone
    held.big["person"].put(500, "f" * 16)  # new
    held.small["loan"] = {1: "b" * 16}
    held.day = __import__("datetime").date(2026, 3, 2)
    delta = held.pack_delta()
    assert delta.startswith(b"D1") and len(delta) < len(blob) / 5
    back = Held.unpack_delta(blob, delta, big_kinds=BIG)
    assert list(back.big["person"].items()) == list(held.big["person"].items())
    assert back.small == {"loan": {1: "b" * 16}} and back.day == held.day
    assert back.big["person"].touched == {7, 8, 500}  # the next delta carries them on
    back.big["person"].put(9, "d" * 16)
    again = Held.unpack_delta(blob, back.pack_delta(), big_kinds=BIG)
    assert again.big["person"].get(9) == "d" * 16 and again.big["person"].get(500) == "f" * 16
    assert 8 not in again.big["person"] and again.touched() == 4
    # a kind computed whole keeps the ids it differs by
    column = again.big["person"].replaced_by({1: "0" * 16}, [1])
    assert column.touched == {1, 7, 8, 9, 500}
