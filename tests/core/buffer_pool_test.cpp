// Large tensor buffers are recycled by exact size, aligned, and the cache respects its cap.
#include <gtest/gtest.h>

#include <cstdint>

#include "core/buffer_pool.h"
#include "core/tensor.h"

namespace ecoinfer::test {
namespace {

TEST(BufferPool, LargeBuffersAreReusedBySize) {
  if (!buffer_pool::enabled()) GTEST_SKIP() << "sanitizer build: the pool is bypassed";
  buffer_pool::trim();
  const size_t big = size_t{3} << 20;
  void* a = buffer_pool::acquire(big);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(a) % 64, 0u);
  buffer_pool::release(a, big);
  EXPECT_EQ(buffer_pool::stats().cached_bytes, big);
  void* other = buffer_pool::acquire(big + (size_t{1} << 20));  // another size: a fresh block
  EXPECT_NE(other, a);
  void* again = buffer_pool::acquire(big);
  EXPECT_EQ(again, a);
  EXPECT_EQ(buffer_pool::stats().cached_bytes, 0u);
  buffer_pool::release(again, big);
  buffer_pool::release(other, big + (size_t{1} << 20));
  buffer_pool::trim();
  EXPECT_EQ(buffer_pool::stats().cached_bytes, 0u);
}

TEST(BufferPool, CapacityBoundsTheCache) {
  if (!buffer_pool::enabled()) GTEST_SKIP() << "sanitizer build: the pool is bypassed";
  buffer_pool::trim();
  buffer_pool::set_capacity(size_t{1} << 20);
  void* a = buffer_pool::acquire(size_t{768} << 10);
  void* b = buffer_pool::acquire(size_t{768} << 10);
  buffer_pool::release(a, size_t{768} << 10);
  buffer_pool::release(b, size_t{768} << 10);  // would exceed 1 MiB: freed
  EXPECT_EQ(buffer_pool::stats().cached_bytes, size_t{768} << 10);
  buffer_pool::set_capacity(size_t{1} << 30);
  buffer_pool::trim();
}

TEST(BufferPool, TensorsRecycleTheirStorage) {
  if (!buffer_pool::enabled()) GTEST_SKIP() << "sanitizer build: the pool is bypassed";
  buffer_pool::trim();
  const void* first;
  {
    Tensor t = Tensor::empty(DType::f32, {512, 512});
    first = t.raw();
  }
  Tensor u = Tensor::empty(DType::f32, {256, 1024});  // same byte size
  EXPECT_EQ(u.raw(), first);
  // Below 64 KiB the pool is not asked at all: no hit, no miss, nothing cached on release,
  // whether the size was seen before or not.
  const buffer_pool::Stats before = buffer_pool::stats();
  for (int round = 0; round < 2; ++round) {
    Tensor small = Tensor::zeros(DType::f32, {3});
    EXPECT_EQ(small.data<float>()[2], 0.f);
    Tensor just_below = Tensor::empty(DType::u8, {(64 << 10) - 4096});
  }
  const buffer_pool::Stats after = buffer_pool::stats();
  EXPECT_EQ(after.hits, before.hits);
  EXPECT_EQ(after.misses, before.misses);
  EXPECT_EQ(after.cached_bytes, before.cached_bytes);
}

}  // namespace
}  // namespace ecoinfer::test
