"""Lossless JSON encoding of extraction records (for the store and ``--json`` output)."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any

from storyline import records
from storyline.records import Extraction


def to_dict(obj: Any) -> Any:
    """Dataclass records -> plain JSON-able values (tuples become lists)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.init}
    if isinstance(obj, (list, tuple)):
        return [to_dict(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_dict(v) for k, v in obj.items()}
    return obj


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(records))


def from_dict(cls: Any, data: Any) -> Any:
    """Rebuild a value of type ``cls`` (a records dataclass or a typing form) from ``to_dict`` output."""
    return _decoder(cls)(data)


def _same(data: Any) -> Any:
    return data


@cache
def _decoder(cls: Any) -> Callable[[Any], Any]:
    """The function that rebuilds values of ``cls``, worked out once per type: a stored extraction has about a
    thousand nested records, and asking the type hints of each one again cost most of its decoding."""
    origin = typing.get_origin(cls)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(cls) if a is not type(None)]
        return _decoder(args[0]) if len(args) == 1 else _same
    if origin is tuple:
        return _tuple_decoder(typing.get_args(cls)[0])
    if origin is dict or cls is dict:
        return lambda data: None if data is None else dict(data)
    if dataclasses.is_dataclass(cls):
        return _record_decoder(cls)
    return _same


def _tuple_decoder(item: Any) -> Callable[[Any], Any]:
    def decode(data: Any) -> Any:
        if data is None:
            return None
        inner = _decoder(item)
        return tuple(data) if inner is _same else tuple(inner(v) for v in data)

    return decode


def _record_decoder(cls: Any) -> Callable[[Any], Any]:
    # filled on first use: a record may contain its own type
    fields: list[tuple[str, Callable[[Any], Any]]] = []

    def decode(data: Any) -> Any:
        if data is None:
            return None
        if not fields:
            hints = _hints(cls)
            fields.extend((f.name, _decoder(hints[f.name])) for f in dataclasses.fields(cls) if f.init)
        return cls(**{name: fn(data[name]) for name, fn in fields if name in data})

    return decode


def extraction_to_dict(extraction: Extraction) -> dict:
    return to_dict(extraction)


def extraction_from_dict(data: dict) -> Extraction:
    return from_dict(Extraction, data)
