#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ecoinfer {

// Element types the engine stores. The numeric values are our own; ONNX's TensorProto
// codes map to them here, beside the type, because ops (Cast's `to`, EyeLike's `dtype`)
// read those codes from attributes and must not depend on the importer.
enum class DType : uint8_t { f32, f64, f16, bf16, i8, u8, i16, i32, i64, boolean };

size_t dtype_size(DType t);
std::string_view dtype_name(DType t);
bool dtype_is_float(DType t);

// ONNX TensorProto.DataType codes (onnx.proto) of the types above; the importer
// static_asserts them against the generated enum.
inline constexpr int kOnnxFloat = 1, kOnnxUint8 = 2, kOnnxInt8 = 3, kOnnxInt16 = 5, kOnnxInt32 = 6, kOnnxInt64 = 7,
                     kOnnxBool = 9, kOnnxFloat16 = 10, kOnnxDouble = 11, kOnnxBfloat16 = 16;
// ONNX code -> DType; an unsupported code is an Error naming `what`.
DType dtype_from_onnx(int code, const std::string& what);
int dtype_to_onnx(DType t);

template <typename T> struct dtype_of;
template <> struct dtype_of<float> { static constexpr DType value = DType::f32; };
template <> struct dtype_of<double> { static constexpr DType value = DType::f64; };
template <> struct dtype_of<int8_t> { static constexpr DType value = DType::i8; };
template <> struct dtype_of<uint8_t> { static constexpr DType value = DType::u8; };
template <> struct dtype_of<int16_t> { static constexpr DType value = DType::i16; };
template <> struct dtype_of<int32_t> { static constexpr DType value = DType::i32; };
template <> struct dtype_of<int64_t> { static constexpr DType value = DType::i64; };
template <> struct dtype_of<bool> { static constexpr DType value = DType::boolean; };

}  // namespace ecoinfer
