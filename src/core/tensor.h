#pragma once
// A dense, contiguous, row-major tensor with shared, 64-byte aligned storage.
// Copies share storage; clone() copies the bytes.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/error.h"

namespace ecoinfer {

using Shape = std::vector<int64_t>;

int64_t shape_numel(const Shape& s);

// Ceiling on any single tensor allocation (default 16 GiB, far above any classifier's
// largest tensor): a corrupt or hostile file fails with an Error instead of exhausting
// memory. The fuzz targets lower it.
size_t max_tensor_bytes();
void set_max_tensor_bytes(size_t bytes);
std::string shape_str(const Shape& s);

class Tensor {
 public:
  Tensor() = default;
  static Tensor empty(DType dtype, Shape shape);
  static Tensor zeros(DType dtype, Shape shape);
  template <typename T>
  static Tensor from(Shape shape, std::span<const T> values) {
    Tensor t = empty(dtype_of<T>::value, std::move(shape));
    ECO_CHECK(static_cast<size_t>(t.numel()) == values.size(), "tensor value count {} does not match shape {}",
              values.size(), shape_str(t.shape()));
    std::copy(values.begin(), values.end(), t.data<T>());
    return t;
  }
  template <typename T>
  static Tensor scalar(T v) {
    Tensor t = empty(dtype_of<T>::value, {});
    *t.data<T>() = v;
    return t;
  }

  bool defined() const { return has_shape_; }
  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  int64_t dim(int i) const { return shape_[i < 0 ? i + rank() : i]; }
  int rank() const { return static_cast<int>(shape_.size()); }
  int64_t numel() const { return numel_; }
  size_t nbytes() const { return static_cast<size_t>(numel_) * dtype_size(dtype_); }

  void* raw() { return storage_.get(); }
  const void* raw() const { return storage_.get(); }
  template <typename T> T* data() { check_type<T>(); return static_cast<T*>(raw()); }
  template <typename T> const T* data() const { check_type<T>(); return static_cast<const T*>(raw()); }

  // A tensor over bytes [byte_offset, byte_offset + nbytes) of `base`'s storage, keeping
  // that storage alive (the planned executor's arena slots).
  static Tensor view(const Tensor& base, size_t byte_offset, DType dtype, Shape shape);
  // Whether this tensor's bytes lie inside `other`'s storage.
  bool storage_within(const Tensor& other) const;

  // Same storage, new shape with the same element count.
  Tensor reshaped(Shape shape) const;
  Tensor clone() const;
  // Values as int64 whatever the integer dtype (shape-like inputs).
  std::vector<int64_t> to_i64_vector() const;
  std::vector<float> to_f32_vector() const;

 private:
  template <typename T> void check_type() const {
    if constexpr (!std::is_same_v<T, void>) {
      ECO_CHECK(dtype_of<T>::value == dtype_, "tensor holds {}, accessed as {}", dtype_name(dtype_),
                dtype_name(dtype_of<T>::value));
    }
  }
  DType dtype_ = DType::f32;
  Shape shape_;
  int64_t numel_ = 0;
  bool has_shape_ = false;
  std::shared_ptr<std::byte> storage_;
};

}  // namespace ecoinfer
