#pragma once
// Recycles large tensor buffers (64 KiB and more) by exact size. glibc serves such blocks
// with mmap and returns them to the kernel on free, so an executor that allocates a fresh
// output per node would page-fault all of its activations in again on every run (measured:
// up to 22,000 faults per ViT-CIFAR batch-32 eager run; its p50 moved between 51 and 69 ms
// with nothing but the allocation order changed). Inference repeats the same sizes run after
// run, so exact-size free lists hit. Cached bytes are capped; sanitizer builds bypass the
// pool so that AddressSanitizer still sees every use after free.
#include <cstddef>

namespace ecoinfer::buffer_pool {

// 64-byte aligned storage of at least `bytes` bytes; throws ecoinfer::Error when out of memory.
void* acquire(size_t bytes);
// Gives back a buffer from acquire() with the same `bytes`.
void release(void* p, size_t bytes);

struct Stats {
  size_t cached_bytes = 0;
  size_t hits = 0, misses = 0;
};
Stats stats();
bool enabled();
// Cap on cached bytes (default 1 GiB); lowering it frees what no longer fits.
void set_capacity(size_t bytes);
// Frees every cached buffer.
void trim();

}  // namespace ecoinfer::buffer_pool
