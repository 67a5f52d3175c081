#include "core/buffer_pool.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/error.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ECOINFER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define ECOINFER_ASAN 1
#endif

namespace ecoinfer::buffer_pool {
namespace {

constexpr size_t kMinPooled = size_t{64} << 10;
#ifdef ECOINFER_ASAN
constexpr bool kEnabled = false;
#else
constexpr bool kEnabled = true;
#endif

// Sizes are rounded so that a request and its release agree on the class.
size_t rounded(size_t bytes) {
  const size_t unit = bytes >= kMinPooled ? size_t{4096} : size_t{64};
  return (std::max<size_t>(bytes, 1) + unit - 1) / unit * unit;
}

struct Pool {
  std::mutex mu;
  std::unordered_map<size_t, std::vector<void*>> free_lists;
  size_t cached = 0, capacity = size_t{1} << 30;
  size_t hits = 0, misses = 0;

  void shrink_to(size_t limit) {  // caller holds mu
    for (auto it = free_lists.begin(); it != free_lists.end() && cached > limit;) {
      while (!it->second.empty() && cached > limit) {
        std::free(it->second.back());
        it->second.pop_back();
        cached -= it->first;
      }
      it = it->second.empty() ? free_lists.erase(it) : std::next(it);
    }
  }
};

Pool& pool() {
  static Pool* p = new Pool;  // never destroyed: buffers may be released during static destruction
  return *p;
}

}  // namespace

bool enabled() { return kEnabled; }

void* acquire(size_t bytes) {
  const size_t size = rounded(bytes);
  if (kEnabled && size >= kMinPooled) {
    Pool& p = pool();
    std::lock_guard<std::mutex> lock(p.mu);
    auto it = p.free_lists.find(size);
    if (it != p.free_lists.end() && !it->second.empty()) {
      void* b = it->second.back();
      it->second.pop_back();
      p.cached -= size;
      ++p.hits;
      return b;
    }
    ++p.misses;
  }
  void* b = std::aligned_alloc(64, size);
  ECO_CHECK(b != nullptr, "out of memory allocating {} bytes", size);
  return b;
}

void release(void* b, size_t bytes) {
  if (!b) return;
  const size_t size = rounded(bytes);
  if (kEnabled && size >= kMinPooled) {
    Pool& p = pool();
    std::lock_guard<std::mutex> lock(p.mu);
    if (p.cached + size <= p.capacity) {
      p.free_lists[size].push_back(b);
      p.cached += size;
      return;
    }
  }
  std::free(b);
}

Stats stats() {
  Pool& p = pool();
  std::lock_guard<std::mutex> lock(p.mu);
  return Stats{p.cached, p.hits, p.misses};
}

void set_capacity(size_t bytes) {
  Pool& p = pool();
  std::lock_guard<std::mutex> lock(p.mu);
  p.capacity = bytes;
  p.shrink_to(bytes);
}

void trim() {
  Pool& p = pool();
  std::lock_guard<std::mutex> lock(p.mu);
  p.shrink_to(0);
}

}  // namespace ecoinfer::buffer_pool
