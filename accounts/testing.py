"""Test helpers for scoping: prove that each role sees exactly its scope."""

from __future__ import annotations

from collections.abc import Callable, Iterable


def assert_sees_exactly(selector: Callable, actor, expected: Iterable, **kwargs) -> None:
    """``selector(actor=actor, **kwargs)`` returns exactly ``expected`` (objects or ids)."""
    expected_ids = {getattr(o, "pk", o) for o in expected}
    seen_ids = set(selector(actor=actor, **kwargs).values_list("pk", flat=True))
    missing, extra = expected_ids - seen_ids, seen_ids - expected_ids
    assert not missing and not extra, (
        f"{selector.__name__} for {actor}: missing {sorted(missing)}, not in scope {sorted(extra)}"
    )
