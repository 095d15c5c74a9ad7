"""Writes, reads, stats and lists files of the given names with the `hdfs` package (HdfsCLI), as the superuser.

usage: hdfs_names.py URL USER DIR NAMES_JSON
Prints one JSON object: {"read": {name: text}, "length": {name: n}, "list": [names]}; a client error is printed as
{"error": {"type": ..., "message": ...}} and exits 1.
"""
import json
import sys

from hdfs import InsecureClient
from hdfs.util import HdfsError


def main():
    url, user, root, names = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    client = InsecureClient(url, user=user)
    seen = {"read": {}, "length": {}}
    try:
        client.makedirs(root)
        for name in names:
            path = f"{root}/{name}"
            client.write(path, data=f"content of {name}", encoding="utf-8")
            with client.read(path, encoding="utf-8") as reader:
                seen["read"][name] = reader.read()
            seen["length"][name] = client.status(path)["length"]
        seen["list"] = client.list(root)
    except HdfsError as error:
        print(json.dumps({"error": {"type": type(error).__name__, "message": str(error)}}))
        sys.exit(1)
    print(json.dumps(seen))


main()
