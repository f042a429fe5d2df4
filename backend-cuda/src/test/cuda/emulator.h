// A CPU emulator for our CUDA kernels, for tests on machines without a GPU.
//
// It runs a kernel's blocks one after another, each as blockDim.x real threads (std::thread) that share the
// kernel's __shared__ arrays (function statics) and meet at __syncthreads() (a std::barrier). That is enough for
// kernels written as ours are: grid-stride loops, shared-memory tree reductions, no warp shuffles, no atomics.
// It checks the arithmetic and the indexing, including every thread's share of a row and the barriers' placement
// (a missing __syncthreads() shows up as a wrong sum or a deadlock); it says nothing about speed, memory
// coalescing or the device's own expf (within 2 ulp of the C library's).
#pragma once

#include <barrier>
#include <cmath>
#include <math.h>
#include <thread>
#include <vector>

struct dim3 {
    unsigned x = 1, y = 1, z = 1;
};

inline thread_local dim3 threadIdx;
inline thread_local dim3 blockIdx;
inline dim3 blockDim;
inline dim3 gridDim;
inline std::barrier<>* t4j_emulator_barrier = nullptr;

#define __global__
#define __device__
#define __shared__ static

inline void __syncthreads() {
    t4j_emulator_barrier->arrive_and_wait();
}

// Runs kernel() as grid blocks of block threads.
template <class Kernel>
void emulate(unsigned grid, unsigned block, Kernel kernel) {
    gridDim = {grid, 1, 1};
    blockDim = {block, 1, 1};
    for (unsigned b = 0; b < grid; b++) {
        std::barrier<> barrier(block);
        t4j_emulator_barrier = &barrier;
        std::vector<std::thread> threads;
        threads.reserve(block);
        for (unsigned t = 0; t < block; t++) {
            threads.emplace_back([&kernel, b, t] {
                blockIdx = {b, 1, 1};
                threadIdx = {t, 1, 1};
                kernel();
            });
        }
        for (auto& thread : threads) {
            thread.join();
        }
    }
}
