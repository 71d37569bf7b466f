"""Values computed once per live object — a grammar, a table layout — keyed by identity.

A grammar is a plain (unhashable) dataclass, and a user's grammar must never get the
shipped grammar's derived data, so caches are keyed by ``id(obj)`` and checked with a
weak reference: an entry is trusted only while its object lives, and it is removed
when the object is freed (so a later object at the same address starts afresh).
"""
from __future__ import annotations

import weakref
from typing import Any, Callable, Generic, Optional, TypeVar

T = TypeVar("T")


class PerObject(Generic[T]):
    """``cache.get(obj, make)``: ``make()`` the first time for ``obj``, the same value after."""

    def __init__(self) -> None:
        self._entries: dict[int, tuple[weakref.ref[Any], T]] = {}

    def peek(self, obj: Any) -> Optional[T]:
        """The value kept for ``obj``, or None."""
        hit = self._entries.get(id(obj))
        return hit[1] if hit is not None and hit[0]() is obj else None

    def get(self, obj: Any, make: Callable[[], T]) -> T:
        hit = self._entries.get(id(obj))
        if hit is not None and hit[0]() is obj:
            return hit[1]
        value = make()
        key = id(obj)
        entries = self._entries

        def forget(ref: weakref.ref[Any]) -> None:
            cur = entries.get(key)
            if cur is not None and cur[0] is ref:
                del entries[key]

        entries[key] = (weakref.ref(obj, forget), value)
        return value

    def __len__(self) -> int:
        return len(self._entries)
