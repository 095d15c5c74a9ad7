"""Single values in JSON, both ways: what the SDK sends (keys, filters, passed features, spines, times) and what
the server's JSON answers carry (feature vectors, online rows).

The server's JSON rule: timestamps ISO-8601 UTC with microseconds, dates ``YYYY-MM-DD``, decimals exact strings,
bigints numbers or strings past 2^53, binary base64. Sent values follow the same rule, so a ``datetime`` or a
``Decimal`` is never rounded on the way. Received values are decoded by their feature type into the Python values
an Arrow read gives for the same type (decimals stay their exact text, as there), so a vector and a batch read agree.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import math
import re
from typing import Any, Callable, Mapping

import pandas as pd
import pyarrow as pa

_DECIMAL = re.compile(r"^decimal\s*\(\s*\d+\s*,\s*\d+\s*\)$")
_ARRAY = re.compile(r"^array\s*<\s*([a-z]+)\s*>$")


def to_json(value: Any) -> Any:
    """A Python, numpy or pandas value in the form the server reads exactly (recursively for lists and dicts)."""
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, dt.datetime):
        return timestamp_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return to_json(value.tolist())
    raise TypeError(f"cannot send a {type(value).__name__} as a feature value")


def timestamp_text(value: dt.datetime) -> str:
    """ISO-8601 in UTC with microseconds; a naive datetime is taken as UTC (event times are UTC)."""
    utc = value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def time_json(value: dt.datetime | dt.date | str | int) -> str | int:
    """A point in time for a view read (start, end, split bounds): ISO text, or an int as epoch milliseconds (HSFS)."""
    if isinstance(value, bool):
        raise TypeError("a time is a datetime, a date, ISO-8601 text or epoch milliseconds, not a bool")
    if isinstance(value, dt.datetime):
        return timestamp_text(value)
    if isinstance(value, dt.date):
        return timestamp_text(dt.datetime(value.year, value.month, value.day))
    if isinstance(value, (str, int)):
        return value
    raise TypeError(f"a time is a datetime, a date, ISO-8601 text or epoch milliseconds, not {type(value).__name__}")


def decoder(feature_type: str) -> Callable[[Any], Any]:
    """The function that turns a JSON value of ``feature_type`` (HSFS text: ``bigint``, ``array<int>``) into Python."""
    kind = feature_type.strip().lower()
    array = _ARRAY.match(kind)
    if array is not None:
        element = decoder(array.group(1))
        return lambda v: None if v is None else [element(e) for e in v]
    scalar = _SCALARS.get(kind, _identity)
    return lambda v: None if v is None else scalar(v)


def arrow_type(feature_type: str) -> pa.DataType:
    """The Arrow type the server reads a feature type as (decimals as their text, as the server sends them)."""
    kind = feature_type.strip().lower()
    array = _ARRAY.match(kind)
    if array is not None:
        return pa.list_(arrow_type(array.group(1)))
    if _DECIMAL.match(kind):
        return pa.string()
    return _ARROW_TYPES.get(kind, pa.string())


def _identity(value: Any) -> Any:
    return value


def _timestamp(value: Any) -> dt.datetime:
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


_SCALARS: dict[str, Callable[[Any], Any]] = {
    "bigint": int,
    "int": int,
    "float": float,
    "double": float,
    "timestamp": _timestamp,
    "date": dt.date.fromisoformat,
    "binary": base64.b64decode,
}

_ARROW_TYPES: dict[str, pa.DataType] = {
    "boolean": pa.bool_(),
    "int": pa.int32(),
    "bigint": pa.int64(),
    "float": pa.float32(),
    "double": pa.float64(),
    "string": pa.string(),
    "binary": pa.binary(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us", tz="UTC"),
}
