"""Reads the safetensors format with the standard library and torch only.

The `safetensors` package is not part of Debian's PyTorch, and the format is small enough to read by hand:

    8 bytes      N, the header length, unsigned little-endian
    N bytes      JSON: {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
                        "__metadata__": {"key": "value"}}   (offsets count from the end of the header)
    the rest     the tensors' raw little-endian bytes

transformer4j writes model weights as F32 and reads F32, F16 and BF16; its batch files (`t4j bench train
--save-batches`) hold I32 token ids.
"""

import json
import struct

import torch

DTYPES = {
    "F32": torch.float32,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "I32": torch.int32,
    "I64": torch.int64,
}


class SafetensorsError(ValueError):
    """A file that is not a valid safetensors file, said in one line."""


def read_safetensors(path):
    """Returns ({name: tensor}, metadata), every tensor in its stored dtype."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise SafetensorsError(f"{path}: {len(data)} bytes, shorter than the 8-byte header length")
    (header_length,) = struct.unpack("<Q", data[:8])
    if 8 + header_length > len(data):
        raise SafetensorsError(f"{path}: header length {header_length} does not fit a file of {len(data)} bytes")
    try:
        header = json.loads(data[8:8 + header_length].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SafetensorsError(f"{path}: the header is not valid JSON ({e})") from None
    metadata = header.pop("__metadata__", {}) or {}
    body = memoryview(data)[8 + header_length:]

    tensors = {}
    for name, entry in header.items():
        dtype = DTYPES.get(entry.get("dtype"))
        if dtype is None:
            raise SafetensorsError(f"{path}: tensor {name} has dtype {entry.get('dtype')}; this reader knows "
                                   f"{', '.join(DTYPES)}")
        shape = [int(d) for d in entry["shape"]]
        begin, end = (int(o) for o in entry["data_offsets"])
        count = 1
        for d in shape:
            count *= d
        itemsize = torch.tensor([], dtype=dtype).element_size()
        if begin < 0 or end > len(body) or end - begin != count * itemsize:
            raise SafetensorsError(f"{path}: tensor {name} of shape {shape} spans bytes {begin}..{end} of "
                                   f"{len(body)}, which is not {count * itemsize} bytes")
        if count == 0:
            tensors[name] = torch.zeros(shape, dtype=dtype)
            continue
        # A bytearray copy of the tensor's bytes becomes its (writable) storage: frombuffer does not copy again.
        tensors[name] = torch.frombuffer(bytearray(body[begin:end]), dtype=dtype).reshape(shape)
    return tensors, metadata

