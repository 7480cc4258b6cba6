#!/usr/bin/env python3
"""Exit 0 when tensor NAME is bit-identical in two safetensors files (with
--differ: when it is not), 1 otherwise; 2 when a file lacks it."""
import json
import struct
import sys


def tensor_bytes(path, name):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        if name not in header:
            print(f"{path}: no tensor {name}")
            sys.exit(2)
        start, end = header[name]["data_offsets"]
        f.seek(8 + n + start)
        return header[name]["shape"], f.read(end - start)


args = sys.argv[1:]
differ = "--differ" in args
a, b, name = [x for x in args if x != "--differ"]
same = tensor_bytes(a, name) == tensor_bytes(b, name)
if same == differ:
    print(f"{name}: {'identical' if same else 'different'} in {a} and {b}")
    sys.exit(1)
