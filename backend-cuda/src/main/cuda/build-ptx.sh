#!/usr/bin/env bash
# Compiles our CUDA kernels to PTX for compute_80 (A100, H100, H200 and later run it through the driver's JIT)
# and writes it where the jar takes it from. The PTX is committed, so neither the build nor users need a CUDA
# toolkit; rerun this after changing t4j_kernels.cu (PtxMatchesSourceTest fails until you do, where nvcc is).
#
# PTX records the PTX ISA version of the nvcc that wrote it, and a driver loads PTX up to the version it knows:
# PTX from nvcc 13.0 (ISA 9.0) needs a CUDA 13 driver (r580 or later); nvcc 11.8 (ISA 7.8) would serve drivers
# from r520 on.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out="$here/../resources/org/transformer4j/backend/cuda/t4j_kernels.ptx"
nvcc -ptx -arch=compute_80 -o "$out" "$here/t4j_kernels.cu"
echo "wrote $out ($(grep -c '^.entry\|\.entry ' "$out") kernels, $(grep -m1 'Cuda compilation tools' "$out" | sed 's#// ##'))"
