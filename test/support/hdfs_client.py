"""Drives a Humle server with the `hdfs` package (HdfsCLI), a WebHDFS client written for HDFS.

usage: hdfs_client.py URL (insecure USER | token KEY | header KEY) ROOT
Runs a fixed scenario under ROOT and prints one JSON object with what the client saw; a client error is printed as
{"error": {"type": ..., "message": ...}} and exits 1.
"""
import json
import sys

import requests
from hdfs import InsecureClient, TokenClient, Client
from hdfs.util import HdfsError


def client_for(url, mode, credential):
    if mode == "insecure":
        return InsecureClient(url, user=credential)
    if mode == "token":
        # HDFS delegation-token style: delegation=<key> on every request.
        return TokenClient(url, credential)
    session = requests.Session()
    session.headers["X-API-KEY"] = credential
    return Client(url, session=session)


def scenario(client, root):
    seen = {}
    client.makedirs(f"{root}/data", permission="750")
    client.write(f"{root}/data/hello.txt", data="hello, humle\n", encoding="utf-8")
    big = bytes(range(256)) * 4096 * 3  # 3 MiB: past the database tiers, into blocks
    client.write(f"{root}/data/big.bin", data=big)
    with client.read(f"{root}/data/hello.txt", encoding="utf-8") as reader:
        seen["hello"] = reader.read()
    with client.read(f"{root}/data/big.bin", offset=1000, length=5000) as reader:
        seen["bigSliceOk"] = reader.read() == big[1000:6000]
    with client.read(f"{root}/data/big.bin") as reader:
        seen["bigOk"] = reader.read() == big
    client.write(f"{root}/data/hello.txt", data="again\n", append=True, encoding="utf-8")
    with client.read(f"{root}/data/hello.txt", encoding="utf-8") as reader:
        seen["appended"] = reader.read()
    seen["list"] = client.list(f"{root}/data")
    status = client.status(f"{root}/data/hello.txt")
    seen["status"] = {k: status[k] for k in ("type", "length", "permission", "owner", "group", "pathSuffix")}
    seen["dirStatus"] = client.status(f"{root}/data")["permission"]
    seen["missing"] = client.status(f"{root}/nope", strict=False)
    content = client.content(f"{root}/data")
    seen["content"] = {k: content[k] for k in ("directoryCount", "fileCount", "length")}
    client.set_permission(f"{root}/data/hello.txt", "600")
    seen["permissionAfter"] = client.status(f"{root}/data/hello.txt")["permission"]
    client.makedirs(f"{root}/archive")
    client.rename(f"{root}/data/hello.txt", f"{root}/archive")  # into the directory, as HDFS renames
    seen["archive"] = client.list(f"{root}/archive")
    seen["walk"] = sorted(path for path, _dirs, _files in client.walk(root))
    client.delete(f"{root}/data", recursive=True)
    seen["afterDelete"] = client.list(root)
    return seen


def main():
    url, mode, credential, root = sys.argv[1:5]
    client = client_for(url, mode, credential)
    try:
        result = scenario(client, root)
    except HdfsError as error:
        print(json.dumps({"error": {"type": type(error).__name__, "message": str(error), "exception": getattr(error, "exception", None)}}))
        sys.exit(1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
