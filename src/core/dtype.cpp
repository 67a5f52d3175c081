#include "core/dtype.h"

#include "core/error.h"

namespace ecoinfer {

DType dtype_from_onnx(int code, const std::string& what) {
  switch (code) {
    case kOnnxFloat: return DType::f32;
    case kOnnxDouble: return DType::f64;
    case kOnnxFloat16: return DType::f16;
    case kOnnxBfloat16: return DType::bf16;
    case kOnnxInt8: return DType::i8;
    case kOnnxUint8: return DType::u8;
    case kOnnxInt16: return DType::i16;
    case kOnnxInt32: return DType::i32;
    case kOnnxInt64: return DType::i64;
    case kOnnxBool: return DType::boolean;
    default: fail("{}: unsupported ONNX element type {}", what, code);
  }
}

int dtype_to_onnx(DType t) {
  switch (t) {
    case DType::f32: return kOnnxFloat;
    case DType::f64: return kOnnxDouble;
    case DType::f16: return kOnnxFloat16;
    case DType::bf16: return kOnnxBfloat16;
    case DType::i8: return kOnnxInt8;
    case DType::u8: return kOnnxUint8;
    case DType::i16: return kOnnxInt16;
    case DType::i32: return kOnnxInt32;
    case DType::i64: return kOnnxInt64;
    case DType::boolean: return kOnnxBool;
  }
  return 0;
}

}  // namespace ecoinfer
