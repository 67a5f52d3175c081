#!/usr/bin/env python3
"""Writes the crafted hostile ONNX models of issue 11 into tests/fixtures/hostile/models/,
and copies the ones that crashed or exhausted memory into the loader fuzz corpus.

Generation only (never needed at run time or in CI): Debian's python3-onnx and python3-numpy,
    /usr/bin/python3 tools/gen_hostile_models.py
Each model is a few hundred bytes: the hostile part is an attribute or a constant, never
data. Files, FIFOs and links for external data are made by the tests themselves.
"""
import os
import shutil

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "tests", "fixtures", "hostile", "models")
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
INT64_MIN = -(2**63)


def save(name, nodes, inputs, outputs, inits=(), opset=13):
    g = helper.make_graph(nodes, name, inputs, outputs, initializer=list(inits))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], producer_name="ecoinfer-hostile")
    m.ir_version = 8
    path = os.path.join(OUT, name + ".onnx")
    with open(path, "wb") as f:
        f.write(m.SerializeToString())
    return path


def f32(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def i64(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def classifier(name, input_shape, output_shape):
    """pixel_values -> GlobalAveragePool -> Flatten -> Gemm: 3 channels to 10 classes."""
    w = numpy_helper.from_array(np.linspace(-1, 1, 30, dtype=np.float32).reshape(3, 10), "w")
    b = numpy_helper.from_array(np.linspace(0, 0.9, 10, dtype=np.float32), "b")
    nodes = [
        helper.make_node("GlobalAveragePool", ["pixel_values"], ["pooled"], name="pool"),
        helper.make_node("Flatten", ["pooled"], ["flat"], name="flatten"),
        helper.make_node("Gemm", ["flat", "w", "b"], ["logits"], name="classifier"),
    ]
    return save(name, nodes, [f32("pixel_values", input_shape)], [f32("logits", output_shape)], [w, b])


def main():
    os.makedirs(OUT, exist_ok=True)
    crash_cases = []

    # Finding 1: constant-foldable int64 Div and Mod of INT64_MIN by -1 (x86 traps: SIGFPE).
    a, m1 = i64("int_min", [INT64_MIN, 7]), i64("minus_one", [-1, -1])
    crash_cases.append(save("div_int64_min", [
        helper.make_node("Div", ["int_min", "minus_one"], ["quotient"], name="div_int_min"),
        helper.make_node("Mod", ["int_min", "minus_one"], ["remainder"], name="mod_int_min", fmod=0),
        helper.make_node("Mod", ["int_min", "minus_one"], ["c_remainder"], name="fmod_int_min", fmod=1),
        helper.make_node("Add", ["quotient", "remainder"], ["sum1"], name="add1"),
        helper.make_node("Add", ["sum1", "c_remainder"], ["sum2"], name="add2"),
        helper.make_node("Cast", ["sum2"], ["as_float"], name="cast", to=TensorProto.FLOAT),
        helper.make_node("Add", ["x", "as_float"], ["y"], name="add_x"),
    ], [f32("x", [1, 2])], [f32("y", [1, 2])], [a, m1]))

    # Finding 2: Pad by ~1e12 on the last two axes.
    crash_cases.append(save("pad_huge", [
        helper.make_node("Pad", ["x", "pads"], ["y"], name="pad_huge", mode="constant"),
    ], [f32("x", [1, 3, 2, 2])], [f32("y", None)], [i64("pads", [0, 0, 10**12, 10**12, 0, 0, 10**12, 10**12])]))

    # Finding 18: Conv padded by 1e9 on every side.
    w = numpy_helper.from_array(np.ones((1, 3, 3, 3), dtype=np.float32), "w")
    crash_cases.append(save("conv_huge_pads", [
        helper.make_node("Conv", ["x", "w"], ["y"], name="conv_huge_pads", pads=[10**9] * 4, kernel_shape=[3, 3]),
    ], [f32("x", [1, 3, 4, 4])], [f32("y", None)], [w]))

    # Finding 19: a constant Expand to 4e11 floats: the size error must name the node and file.
    crash_cases.append(save("expand_huge", [
        helper.make_node("Expand", ["one", "big_shape"], ["big"], name="expand_huge"),
        helper.make_node("Identity", ["x"], ["y"], name="pass_through"),
    ], [f32("x", [1, 2])], [f32("y", [1, 2]), f32("big", None)],
        [numpy_helper.from_array(np.ones([1], dtype=np.float32), "one"), i64("big_shape", [100000, 100000, 10])]))

    # Finding 9: a negative ONNX dimension.
    save("negative_dim", [helper.make_node("Relu", ["x"], ["y"], name="relu")],
         [f32("x", [1, 3, -5, 32])], [f32("y", [1, 3, -5, 32])])

    # Findings 9, 12, 13, 20, 21, 22, 24: image classifiers with fixed, dynamic, batch-1 and
    # huge inputs (config.json / preprocessor_config.json are written by the tests).
    classifier("classifier", ["batch", 3, 32, 32], ["batch", 10])
    classifier("classifier_batch1", [1, 3, 32, 32], [1, 10])
    classifier("classifier_dynamic_hw", ["batch", 3, "height", "width"], ["batch", 10])
    classifier("classifier_huge_input", ["batch", 3, 60000, 60000], ["batch", 10])

    # Findings 7, 8, 17: a weight held as external data "weights.data" (16 bytes), with good
    # and bad offsets; the tests make weights.data a file, FIFO, folder or link.
    def external(name, offset):
        t = TensorProto()
        t.name, t.data_type = "w", TensorProto.FLOAT
        t.dims.extend([2, 2])
        t.data_location = TensorProto.EXTERNAL
        for k, v in (("location", "weights.data"), ("offset", offset), ("length", "16")):
            e = t.external_data.add()
            e.key, e.value = k, v
        return save(name, [helper.make_node("MatMul", ["x", "w"], ["y"], name="matmul")],
                    [f32("x", [1, 2])], [f32("y", [1, 2])], [t])

    crash_cases.append(external("external_weights", "0"))
    external("external_offset_not_number", "12abc")
    external("external_offset_int64_max", str(2**63 - 1))
    external("external_offset_too_big", "99999999999999999999")

    for path in crash_cases:
        shutil.copy(path, os.path.join(CORPUS, "hostile_" + os.path.basename(path)))


if __name__ == "__main__":
    main()
