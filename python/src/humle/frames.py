"""DataFrames on the wire: Arrow IPC streams out of pandas or pyarrow, and back into the type a caller asked for.

Arrow is the wire format both ways because it carries exact types: timestamps as UTC microseconds, 64-bit integers,
dates, binary and lists arrive as they are stored, which JSON or CSV would turn into text. On the way back, pandas
gets nullable integer and boolean dtypes (``Int64``, ``Int32``, ``boolean``) so a column keeps its type whether or
not it holds nulls, and timestamps stay ``datetime64[us, UTC]``. Decimals come as the server sends them in Arrow:
their exact text.
"""

from __future__ import annotations

from typing import Any, Literal, Union, get_args

import pandas as pd
import pyarrow as pa

DataFrameType = Literal["default", "pandas", "pyarrow", "python"]
"""HSFS's ``dataframe_type``: ``default`` and ``pandas`` give a pandas DataFrame, ``pyarrow`` a ``pyarrow.Table``,
``python`` a list of rows, each a list of values."""

Frame = Union[pd.DataFrame, pa.Table, list[list[Any]]]

# Nullable pandas dtypes, so that a column's dtype does not depend on whether it holds a null.
_PANDAS_TYPES: dict[pa.DataType, Any] = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}

DATAFRAME_TYPES: tuple[str, ...] = get_args(DataFrameType)


def to_arrow(data: pd.DataFrame | pa.Table | pa.RecordBatch) -> pa.Table:
    """A pandas DataFrame or pyarrow table as a pyarrow Table; a pandas index is not data (HSFS ignores it too)."""
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    if isinstance(data, pd.DataFrame):
        return pa.Table.from_pandas(data, preserve_index=False)
    raise TypeError(f"expected a pandas DataFrame or a pyarrow Table, not {type(data).__name__}")


def arrow_ipc(table: pa.Table) -> bytes:
    """A table as one Arrow IPC stream, the body of an insert."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def read_ipc(body: bytes) -> pa.Table:
    """An Arrow IPC stream answer as a table."""
    return pa.ipc.open_stream(pa.py_buffer(body)).read_all()


def check_dataframe_type(dataframe_type: str) -> None:
    if dataframe_type not in DATAFRAME_TYPES:
        raise ValueError(f"dataframe_type must be one of {', '.join(DATAFRAME_TYPES)}, not {dataframe_type!r}")


def to_frame(table: pa.Table, dataframe_type: DataFrameType) -> Frame:
    """A table as the DataFrame type asked for."""
    check_dataframe_type(dataframe_type)
    if dataframe_type == "pyarrow":
        return table
    if dataframe_type == "python":
        columns = [column.to_pylist() for column in table.columns]
        return [list(row) for row in zip(*columns)] if columns else []
    return to_pandas(table)


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """A table as pandas with nullable integer and boolean dtypes, and time units as they are (microseconds)."""
    return table.to_pandas(types_mapper=_PANDAS_TYPES.get, coerce_temporal_nanoseconds=False)
