"""Lossless JSON encoding of extraction records (for the store and ``--json`` output)."""

from __future__ import annotations

import dataclasses
import types
import typing
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
    if data is None:
        return None
    origin = typing.get_origin(cls)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(cls) if a is not type(None)]
        return from_dict(args[0], data) if len(args) == 1 else data
    if origin is tuple:
        (item,) = typing.get_args(cls)[:1]
        return tuple(from_dict(item, v) for v in data)
    if origin is dict or cls is dict:
        return dict(data)
    if dataclasses.is_dataclass(cls):
        hints = _hints(cls)
        kwargs = {
            f.name: from_dict(hints[f.name], data[f.name]) for f in dataclasses.fields(cls) if f.init and f.name in data
        }
        return cls(**kwargs)
    return data


def extraction_to_dict(extraction: Extraction) -> dict:
    return to_dict(extraction)


def extraction_from_dict(data: dict) -> Extraction:
    return from_dict(Extraction, data)
