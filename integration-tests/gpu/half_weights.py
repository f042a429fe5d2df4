#!/usr/bin/python3
"""Rewrites a safetensors file with its F32 tensors as F16 (transformer4j reads both), for the GPU kit.

    python3 integration-tests/gpu/half_weights.py IN.safetensors OUT.safetensors

The header keeps its metadata; offsets are recomputed. Values beyond float16's range would become infinite: the
script refuses them rather than write a different model silently.
"""

import json
import struct
import sys
from array import array


def main():
    source, target = sys.argv[1], sys.argv[2]
    with open(source, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    out_header, chunks, offset = {}, [], 0
    for name, entry in header.items():
        if name == "__metadata__":
            out_header[name] = entry
            continue
        begin, end = entry["data_offsets"]
        raw = data[begin:end]
        if entry["dtype"] == "F32":
            values = array("f")
            values.frombytes(raw)
            if sys.byteorder != "little":
                values.byteswap()
            if any(abs(v) > 65504.0 for v in values):
                sys.exit(f"half_weights: {name} holds values beyond float16's range")
            raw = struct.pack(f"<{len(values)}e", *values)
            entry = dict(entry, dtype="F16")
        out_header[name] = dict(entry, data_offsets=[offset, offset + len(raw)])
        chunks.append(raw)
        offset += len(raw)
    encoded = json.dumps(out_header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)  # the data starts 8-byte aligned, as the format recommends
    with open(target, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for raw in chunks:
            f.write(raw)


if __name__ == "__main__":
    main()
