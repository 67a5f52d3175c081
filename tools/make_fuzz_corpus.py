#!/usr/bin/env python3
"""Writes tiny seed models for the ONNX loader fuzzer into fuzz/corpus/.

Run with Debian's Python (python3-onnx, python3-numpy): /usr/bin/python3 tools/make_fuzz_corpus.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(__file__), "..", "fuzz", "corpus")
rng = np.random.default_rng(0)


def t(name, shape, dtype=np.float32):
    return numpy_helper.from_array(rng.standard_normal(shape).astype(dtype), name)


def save(name, nodes, inits, inp, out, opset=17):
    g = helper.make_graph(nodes, name, [inp], [out], initializer=inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], producer_name="ecoinfer-fuzz-seed")
    onnx.checker.check_model(m)
    with open(os.path.join(OUT, name + ".onnx"), "wb") as f:
        f.write(m.SerializeToString())


x4 = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3, 8, 8])
y2 = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 4])

save("conv_relu_gemm", [
    helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1], name="conv"),
    helper.make_node("Relu", ["c"], ["r"]),
    helper.make_node("GlobalAveragePool", ["r"], ["p"]),
    helper.make_node("Flatten", ["p"], ["f"], axis=1),
    helper.make_node("Gemm", ["f", "fc", "fb"], ["y"], transB=1),
], [t("w", (6, 3, 3, 3)), t("b", (6,)), t("fc", (4, 6)), t("fb", (4,))], x4, y2)

save("shape_subgraph", [
    helper.make_node("Shape", ["x"], ["s"]),
    helper.make_node("Gather", ["s", "zero"], ["n"], axis=0),
    helper.make_node("Unsqueeze", ["n", "ax0"], ["nu"]),
    helper.make_node("Concat", ["nu", "minus1"], ["target"], axis=0),
    helper.make_node("Reshape", ["x", "target"], ["flat"]),
    helper.make_node("MatMul", ["flat", "wm"], ["mm"]),
    helper.make_node("Softmax", ["mm"], ["y"], axis=-1),
], [numpy_helper.from_array(np.array(0, np.int64), "zero"), numpy_helper.from_array(np.array([0], np.int64), "ax0"),
    numpy_helper.from_array(np.array([-1], np.int64), "minus1"), t("wm", (192, 4))], x4, y2)

x3 = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 5, 8])
y3 = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 5, 8])
save("layernorm_gelu", [
    helper.make_node("LayerNormalization", ["x", "g", "bb"], ["ln"], axis=-1, epsilon=1e-5),
    helper.make_node("Div", ["ln", "sqrt2"], ["d"]),
    helper.make_node("Erf", ["d"], ["e"]),
    helper.make_node("Add", ["e", "one"], ["a"]),
    helper.make_node("Mul", ["ln", "a"], ["m"]),
    helper.make_node("Mul", ["m", "half"], ["y"]),
], [t("g", (8,)), t("bb", (8,)), numpy_helper.from_array(np.array(1.4142135, np.float32), "sqrt2"),
    numpy_helper.from_array(np.array(1.0, np.float32), "one"), numpy_helper.from_array(np.array(0.5, np.float32), "half")],
   x3, y3)

save("pool_slice_pad_opset11", [
    helper.make_node("MaxPool", ["x"], ["mp"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
    helper.make_node("Slice", ["mp", "st", "en", "axes"], ["sl"]),
    helper.make_node("Pad", ["sl", "pads"], ["pd"], mode="constant"),
    helper.make_node("ReduceMean", ["pd"], ["rm"], axes=[2, 3], keepdims=0),
    helper.make_node("Gemm", ["rm", "fc"], ["y"], transB=1),
], [numpy_helper.from_array(np.array([0], np.int64), "st"), numpy_helper.from_array(np.array([2], np.int64), "en"),
    numpy_helper.from_array(np.array([1], np.int64), "axes"),
    numpy_helper.from_array(np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64), "pads"), t("fc", (4, 2))], x4, y2, opset=11)
print("wrote", sorted(os.listdir(OUT)))
