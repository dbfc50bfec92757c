"""Prints each tensor of a .safetensors file: name, dtype, shape, and its
first values, for FileCheck."""
import json
import struct
import sys

FORMATS = {"F32": "f", "F64": "d", "I64": "q", "I32": "i", "I8": "b",
           "U8": "B", "BOOL": "B", "I16": "h", "U16": "H"}

with open(sys.argv[1], "rb") as f:
    (size,) = struct.unpack("<Q", f.read(8))
    header = json.loads(f.read(size))
    data = f.read()
for name in sorted(k for k in header if k != "__metadata__"):
    entry = header[name]
    begin, end = entry["data_offsets"]
    fmt = FORMATS[entry["dtype"]]
    count = (end - begin) // struct.calcsize(fmt)
    values = struct.unpack("<%d%s" % (count, fmt), data[begin:end])
    print(name, entry["dtype"], entry["shape"], list(values[:6]))
