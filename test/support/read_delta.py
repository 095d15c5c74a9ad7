"""Reads a Delta table with delta-rs (the `deltalake` package) for Humle's interoperability tests.

    read_delta.py TABLE_DIR [--version N] [--add-actions | --history]

Prints one JSON header line ({"version", "columns": [{"name", "type"}]}) and then one JSON array per row, rows in
a stable order (sorted by their JSON text). Values are written in Humle's canonical forms where JSON allows:
timestamps as integer microseconds since the epoch (UTC), decimals as exact strings with `scale` fraction digits,
dates as YYYY-MM-DD, binary as base64, and integers (microseconds included) beyond 2^53 as decimal strings (JSON
numbers would lose them in JavaScript). --add-actions prints the snapshot's add actions with delta-rs's parsed statistics instead of the
rows; --history prints the commit history (newest first) as one JSON array.
"""

import argparse
import base64
import json
import os
import sys

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import DeltaTable

MAX_SAFE_INTEGER = 2**53 - 1


def json_integer(value):
    return value if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER else str(value)


def plain_value(value, arrow_type):
    """A Python value of an Arrow column, in the JSON form described above."""
    if value is None:
        return None
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return [plain_value(item, arrow_type.value_type) for item in value]
    if pa.types.is_decimal(arrow_type):
        return format(value, "f")
    if pa.types.is_binary(arrow_type) or pa.types.is_large_binary(arrow_type):
        return base64.b64encode(value).decode("ascii")
    if pa.types.is_date(arrow_type):
        return value.isoformat()
    if pa.types.is_integer(arrow_type):
        return json_integer(value)
    return value


def column_values(column):
    """The values of a (chunked) Arrow column; timestamps become integer microseconds, whatever their unit."""
    arrow_type = column.type
    if pa.types.is_timestamp(arrow_type):
        micros = pc.cast(column, pa.timestamp("us", tz=arrow_type.tz)).cast(pa.int64())
        return [None if v is None else json_integer(v) for v in micros.to_pylist()]
    return [plain_value(v, arrow_type) for v in column.to_pylist()]


def arrow_table(data):
    """A pyarrow Table of what delta-rs returns (a pyarrow object, or an arro3 batch or table since deltalake 1.0)."""
    if isinstance(data, pa.Table):
        return data
    if hasattr(data, "__arrow_c_stream__"):
        return pa.table(data)
    return pa.Table.from_batches([pa.record_batch(data)])


def print_table(version, table):
    columns = [{"name": field.name, "type": str(field.type)} for field in table.schema]
    print(json.dumps({"version": version, "columns": columns}))
    values = [column_values(table.column(i)) for i in range(table.num_columns)]
    rows = [json.dumps(list(row)) for row in zip(*values)] if values else []
    for line in sorted(rows):
        print(line)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("table")
    parser.add_argument("--version", type=int)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--add-actions", action="store_true")
    mode.add_argument("--history", action="store_true")
    args = parser.parse_args()

    table = DeltaTable(args.table, version=args.version)
    if args.history:
        print(json.dumps(table.history(), default=str))
    elif args.add_actions:
        print_table(table.version(), arrow_table(table.get_add_actions(flatten=True)))
    else:
        print_table(table.version(), table.to_pyarrow_table())


if __name__ == "__main__":
    status = 0
    try:
        main()
    except Exception as error:  # noqa: BLE001 - the test prints whatever delta-rs refused, with its type
        print(f"delta-rs: {type(error).__name__}: {error}", file=sys.stderr)
        status = 1
    # Leave without the interpreter's shutdown: native thread pools (delta-rs's runtime, Arrow's) torn down there
    # abort the process now and then ("terminate called without an active exception", SIGABRT) after all the
    # output was written, which would fail a read that succeeded (delta-io/delta-rs#2184).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
    # Leave without the interpreter's teardown: the native runtimes under deltalake and pyarrow sometimes abort
    # while their threads are destroyed at exit ("terminate called without an active exception"), after the
    # output is complete, which would fail a read that succeeded.
    sys.stdout.flush()
    os._exit(0)
