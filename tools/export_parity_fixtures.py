#!/usr/bin/python3
"""Export small PyTorch parity fixtures for ecoinfer's ONNX importer.

For every architecture family this builds a *small* instance of the real
torchvision model class (shrunk through its constructor arguments, random
seeded weights, never downloaded), exports it to ONNX and writes, under
tests/fixtures/parity/<family>/:

    model.onnx   the exported graph (input "pixel_values", output "logits",
                 dynamic batch axis)
    input.npy    float32 input, batch 2, seeded standard normal
    output.npy   PyTorch's float32 logits for input.npy (model.eval())
    meta.json    family, torchvision class, constructor args, shapes, opset,
                 parameter count, ONNX op types with counts, versions

and tests/fixtures/parity/README.md with a table of all fixtures and the
op/attribute features they use.

Run with Debian's interpreter (torch 1.13, torchvision 0.14, onnx 1.12):

    /usr/bin/python3 tools/export_parity_fixtures.py [--out DIR] [--only NAME ...]

Re-running reproduces the same files byte for byte (seeded, one thread).
"""

import argparse
import collections
import io
import json
import os
import sys
import zlib
from functools import partial

import numpy as np
import onnx
import onnx.mapping
import onnx.numpy_helper
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models import convnext as tv_convnext
from torchvision.models import efficientnet as tv_efficientnet
from torchvision.models import mobilenetv3 as tv_mobilenetv3
from torchvision.models import regnet as tv_regnet
from torchvision.models import resnet as tv_resnet
from torchvision.models import squeezenet as tv_squeezenet
from torchvision.ops.misc import Conv2dNormActivation

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO, "tests", "fixtures", "parity")
NUM_CLASSES = 10
BATCH = 2


# ---------------------------------------------------------------------------
# Small instances of torchvision's architectures.
# Each builder returns (model, torchvision class name, constructor args for meta).
# ---------------------------------------------------------------------------


def cfg_repr(cfg):
    """Deterministic text for a torchvision block config (some have no __repr__)."""
    if type(cfg).__repr__ is not object.__repr__:
        return repr(cfg)
    return "%s(%s)" % (type(cfg).__name__, ", ".join("%s=%r" % kv for kv in vars(cfg).items()))


class SmallResNet(tv_resnet.ResNet):
    """torchvision ResNet with the stem and stage widths scaled down.

    torchvision's ResNet hard-codes 64/128/256/512 channels, so after the
    stock constructor we rebuild stem, stages and fc with the same code path
    (ResNet._make_layer, BasicBlock/Bottleneck) at base width `base`.
    forward() is torchvision's own.
    """

    def __init__(self, block, layers, base, num_classes, **kwargs):
        super().__init__(block, layers, num_classes=num_classes, **kwargs)
        norm = self._norm_layer
        self.inplanes = base
        self.dilation = 1
        dil = kwargs.get("replace_stride_with_dilation") or [False, False, False]
        self.conv1 = nn.Conv2d(3, base, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = norm(base)
        self.layer1 = self._make_layer(block, base, layers[0])
        self.layer2 = self._make_layer(block, base * 2, layers[1], stride=2, dilate=dil[0])
        self.layer3 = self._make_layer(block, base * 4, layers[2], stride=2, dilate=dil[1])
        self.layer4 = self._make_layer(block, base * 8, layers[3], stride=2, dilate=dil[2])
        self.fc = nn.Linear(base * 8 * block.expansion, num_classes)


def build_resnet():
    args = dict(block="BasicBlock", layers=[1, 1, 1, 1], base=8, num_classes=NUM_CLASSES)
    m = SmallResNet(tv_resnet.BasicBlock, [1, 1, 1, 1], base=8, num_classes=NUM_CLASSES)
    return m, "torchvision.models.resnet.ResNet (stage widths scaled to base=8)", args


def build_resnext():
    # Bottleneck blocks, grouped 3x3 convs, last stage dilated instead of strided.
    kw = dict(groups=4, width_per_group=16, replace_stride_with_dilation=[False, False, True])
    m = SmallResNet(tv_resnet.Bottleneck, [1, 1, 1, 1], base=8, num_classes=NUM_CLASSES, **kw)
    args = dict(block="Bottleneck", layers=[1, 1, 1, 1], base=8, num_classes=NUM_CLASSES, **kw)
    return m, "torchvision.models.resnet.ResNet (stage widths scaled to base=8)", args


class SmallMobileNetV2(torchvision.models.MobileNetV2):
    """torchvision MobileNetV2; its last 1x1 conv is fixed at >= 1280 channels,
    which alone would be ~0.4 MB, so it is rebuilt (same Conv2dNormActivation/ReLU6)
    at `last_channel` channels together with the classifier."""

    def __init__(self, last_channel, num_classes, **kwargs):
        super().__init__(num_classes=num_classes, **kwargs)
        in_ch = self.features[-1][0].in_channels
        self.features[-1] = Conv2dNormActivation(in_ch, last_channel, kernel_size=1,
                                                 norm_layer=nn.BatchNorm2d, activation_layer=nn.ReLU6)
        self.classifier[1] = nn.Linear(last_channel, num_classes)
        self.last_channel = last_channel


def build_mobilenet_v2():
    # torchvision's default [t, c, n, s] table with fewer repeats (n) per stage.
    setting = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 2, 2], [6, 64, 2, 2], [6, 96, 1, 1], [6, 160, 1, 2], [6, 320, 1, 1]]
    kw = dict(width_mult=0.25, inverted_residual_setting=setting, last_channel=128, num_classes=NUM_CLASSES)
    m = SmallMobileNetV2(**kw)
    return m, "torchvision.models.mobilenetv2.MobileNetV2 (last_channel 1280 -> 128)", kw


def build_mobilenet_v3():
    # reduced_tail/dilated as torchvision's segmentation backbones use it: the last
    # stage runs at stride 1 with dilation-2 depthwise convs.
    conf = dict(width_mult=0.25, reduced_tail=True, dilated=True)
    setting, last_channel = tv_mobilenetv3._mobilenet_v3_conf("mobilenet_v3_small", **conf)
    m = tv_mobilenetv3.MobileNetV3(setting, last_channel, num_classes=NUM_CLASSES)
    args = dict(arch="mobilenet_v3_small", **conf, last_channel=last_channel,
                num_classes=NUM_CLASSES, inverted_residual_setting=[cfg_repr(s) for s in setting])
    return m, "torchvision.models.mobilenetv3.MobileNetV3", args


def build_efficientnet():
    setting, last_channel = tv_efficientnet._efficientnet_conf("efficientnet_b0", width_mult=0.25, depth_mult=0.25)
    m = tv_efficientnet.EfficientNet(setting, dropout=0.2, last_channel=last_channel, num_classes=NUM_CLASSES)
    args = dict(arch="efficientnet_b0", width_mult=0.25, depth_mult=0.25, dropout=0.2,
                last_channel=last_channel, num_classes=NUM_CLASSES,
                inverted_residual_setting=[cfg_repr(s) for s in setting])
    return m, "torchvision.models.efficientnet.EfficientNet", args


def build_convnext():
    cfg = tv_convnext.CNBlockConfig
    setting = [cfg(16, 32, 2), cfg(32, 64, 1), cfg(64, None, 1)]
    m = tv_convnext.ConvNeXt(setting, layer_scale=0.5, num_classes=NUM_CLASSES)
    args = dict(block_setting=[cfg_repr(s) for s in setting], layer_scale=0.5, num_classes=NUM_CLASSES)
    return m, "torchvision.models.convnext.ConvNeXt", args


def build_regnet():
    init = dict(depth=4, w_0=8, w_a=8.0, w_m=2.0, group_width=8, se_ratio=0.25)
    params = tv_regnet.BlockParams.from_init_params(**init)
    m = tv_regnet.RegNet(params, num_classes=NUM_CLASSES, stem_width=8)
    args = dict(block_params=init, stem_width=8, num_classes=NUM_CLASSES,
                depths=params.depths, widths=params.widths, group_widths=params.group_widths)
    return m, "torchvision.models.regnet.RegNet (RegNetY-style, with SE)", args


def build_densenet():
    kw = dict(growth_rate=8, block_config=(2, 2, 2), num_init_features=16, bn_size=2, num_classes=NUM_CLASSES)
    m = torchvision.models.DenseNet(**kw)
    return m, "torchvision.models.densenet.DenseNet", kw


class SmallSqueezeNet(tv_squeezenet.SqueezeNet):
    """torchvision SqueezeNet 1.1 layout (Fire modules, ceil-mode pools) at 1/4 width."""

    def __init__(self, num_classes):
        super().__init__(version="1_1", num_classes=num_classes)
        fire = tv_squeezenet.Fire
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, kernel_size=3, stride=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            fire(16, 4, 16, 16),
            fire(32, 4, 16, 16),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            fire(32, 8, 32, 32),
            fire(64, 8, 32, 32),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            fire(64, 12, 48, 48),
            fire(96, 12, 48, 48),
            fire(96, 16, 64, 64),
            fire(128, 16, 64, 64),
        )
        self.classifier[1] = nn.Conv2d(128, num_classes, kernel_size=1)
        for mod in self.features.modules():  # torchvision's SqueezeNet init for the rebuilt convs
            if isinstance(mod, nn.Conv2d):
                nn.init.kaiming_uniform_(mod.weight)


def build_squeezenet():
    m = SmallSqueezeNet(NUM_CLASSES)
    args = dict(version="1_1", width="1/4 of 1_1 (Fire squeeze/expand and stem channels)", num_classes=NUM_CLASSES)
    return m, "torchvision.models.squeezenet.SqueezeNet (1_1 features at 1/4 width)", args


def build_shufflenet_v2():
    kw = dict(stages_repeats=[2, 2, 2], stages_out_channels=[8, 16, 32, 64, 128], num_classes=NUM_CLASSES)
    m = torchvision.models.ShuffleNetV2(**kw)
    return m, "torchvision.models.shufflenetv2.ShuffleNetV2", kw


def build_vit():
    kw = dict(image_size=32, patch_size=8, num_layers=2, num_heads=2, hidden_dim=32, mlp_dim=64,
              num_classes=NUM_CLASSES)
    m = torchvision.models.VisionTransformer(**kw)
    return m, "torchvision.models.vision_transformer.VisionTransformer", kw


def build_swin():
    kw = dict(patch_size=[4, 4], embed_dim=16, depths=[2, 2], num_heads=[2, 4], window_size=[4, 4],
              num_classes=NUM_CLASSES)
    m = torchvision.models.SwinTransformer(**kw)
    return m, "torchvision.models.swin_transformer.SwinTransformer", kw


# ---------------------------------------------------------------------------
# Small networks for the ops torchvision's classifiers do not use but older and
# dense-prediction-style classifiers do: Resize/Upsample (nearest, bilinear),
# PReLU and local response normalization (issue 17). Plain torch.nn modules.
# ---------------------------------------------------------------------------


class _LocalResponseNorm(torch.autograd.Function):
    """F.local_response_norm, exported as one ONNX LRN node.

    torch 1.13 has no ONNX symbolic for it and would trace its decomposition
    (3-D average pooling of the squares). Odd sizes only: for an even size,
    PyTorch's channel window c - size/2 .. c + size/2 - 1 is ONNX's mirrored.
    """

    @staticmethod
    def forward(ctx, x, size, alpha, beta, k):
        return F.local_response_norm(x, size, alpha, beta, k)

    @staticmethod
    def symbolic(g, x, size, alpha, beta, k):
        return g.op("LRN", x, size_i=size, alpha_f=alpha, beta_f=beta, bias_f=k)


class LocalResponseNorm(nn.LocalResponseNorm):
    def forward(self, x):
        assert self.size % 2 == 1
        return _LocalResponseNorm.apply(x, self.size, self.alpha, self.beta, self.k)


class ResampleNet(nn.Module):
    """Conv stem, then resampling between convolutions: nn.Upsample by 2, and
    F.interpolate to an explicit size (ONNX Resize with `sizes`) or by 1/2."""

    def __init__(self, mode, align_corners=None, to_size=True):
        super().__init__()
        self.mode, self.align_corners, self.to_size = mode, align_corners, to_size
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        self.up = nn.Upsample(scale_factor=2, mode=mode, align_corners=align_corners)
        self.mid = nn.Sequential(nn.Conv2d(8, 12, 3, padding=1), nn.ReLU())
        self.head = nn.Sequential(nn.Conv2d(12, 16, 3, stride=2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                                  nn.Linear(16, NUM_CLASSES))

    def forward(self, x):
        x = self.mid(self.up(self.stem(x)))
        if self.to_size:  # sizes a whole multiple of the input: nearest's floor is exact
            size = (x.shape[2] * 3 // 2, x.shape[3] * 3 // 2) if self.mode != "nearest" else (2 * x.shape[2], x.shape[3])
            x = F.interpolate(x, size=size, mode=self.mode, align_corners=self.align_corners)
        else:
            x = F.interpolate(x, scale_factor=0.5, mode=self.mode, align_corners=self.align_corners)
        return self.head(x)


def build_resample(mode, align_corners=None, to_size=True):
    def build():
        m = ResampleNet(mode, align_corners, to_size)
        args = dict(mode=mode, align_corners=align_corners, second_resample="sizes" if to_size else "scale 0.5",
                    num_classes=NUM_CLASSES)
        return m, "torch.nn (Conv2d, BatchNorm2d, nn.Upsample x2, F.interpolate, %s)" % mode, args
    return build


class PReLUNet(nn.Module):
    """nn.PReLU per channel (ONNX slope [C,1,1]) and shared (one slope)."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.BatchNorm2d(8), nn.PReLU(8),
            nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.PReLU(),
            nn.Conv2d(16, 16, 3, padding=1), nn.PReLU(16), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Sequential(nn.Linear(16, 16), nn.PReLU(16), nn.Linear(16, NUM_CLASSES))

    def forward(self, x):
        return self.fc(self.features(x))


def build_prelu():
    with torch.no_grad():
        m = PReLUNet()
        g = torch.Generator().manual_seed(7)
        for mod in m.modules():  # slopes spread around PyTorch's 0.25, some negative
            if isinstance(mod, nn.PReLU):
                mod.weight.copy_(torch.rand(mod.weight.shape, generator=g) - 0.25)
    return m, "torch.nn (Conv2d, nn.PReLU per channel and shared, Linear)", dict(num_classes=NUM_CLASSES)


class LRNNet(nn.Module):
    """AlexNet's and GoogLeNet's pattern: conv, ReLU, local response norm, max pool."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 12, 5, stride=2, padding=2), nn.ReLU(), LocalResponseNorm(5, alpha=0.5, beta=0.75, k=1.0),
            nn.MaxPool2d(3, 2),
            nn.Conv2d(12, 16, 3, padding=1), nn.ReLU(), LocalResponseNorm(3, alpha=2.0, beta=0.5, k=2.0),
            nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(16, NUM_CLASSES)

    def forward(self, x):
        return self.fc(self.features(x))


def build_lrn():
    args = dict(lrn=["size 5, alpha 0.5, beta 0.75, k 1", "size 3, alpha 2, beta 0.5, k 2"], num_classes=NUM_CLASSES)
    return LRNNet(), "torch.nn (Conv2d, ReLU, LocalResponseNorm exported as ONNX LRN, MaxPool2d)", args


# name, builder, input H=W, opset
FAMILIES = [
    ("resnet", build_resnet, 32, 17),
    ("resnext", build_resnext, 32, 17),
    ("mobilenet_v2", build_mobilenet_v2, 32, 17),
    ("mobilenet_v3", build_mobilenet_v3, 64, 17),
    ("efficientnet", build_efficientnet, 64, 17),
    ("convnext", build_convnext, 32, 17),
    ("regnet", build_regnet, 32, 17),
    ("densenet", build_densenet, 32, 17),
    ("squeezenet", build_squeezenet, 64, 17),
    ("shufflenet_v2", build_shufflenet_v2, 32, 17),
    ("vit", build_vit, 32, 17),
    # 40x40 input -> 10x10 tokens, 5x5 after merging: exercises Swin's padding to the window size.
    ("swin", build_swin, 40, 17),
    # Older opsets the importer must also read (11..17).
    ("resnet_opset11", build_resnet, 32, 11),
    ("shufflenet_v2_opset11", build_shufflenet_v2, 32, 11),
    ("mobilenet_v2_opset13", build_mobilenet_v2, 32, 13),
    ("squeezenet_opset13", build_squeezenet, 64, 13),
    ("vit_opset13", build_vit, 32, 13),
    # Resampling, PReLU and LRN (issue 17).
    ("upsample_nearest", build_resample("nearest"), 32, 17),
    ("upsample_bilinear", build_resample("bilinear", align_corners=False, to_size=False), 32, 17),
    ("upsample_bilinear_align_corners", build_resample("bilinear", align_corners=True), 32, 17),
    ("upsample_nearest_opset9", build_resample("nearest", to_size=False), 32, 9),
    ("prelu", build_prelu, 32, 17),
    ("lrn", build_lrn, 32, 17),
]


# ---------------------------------------------------------------------------
# Weights
# ---------------------------------------------------------------------------

def family_seed(name):
    # Variants of one architecture (e.g. *_opset13) share the base family's weights.
    base = name.split("_opset")[0]
    return zlib.crc32(base.encode()) & 0x7FFFFFFF


def randomize(model, seed, input_hw):
    """Seeded random weights with non-trivial normalization layers.

    Norm affine parameters are randomized, then BatchNorm running statistics
    are calibrated on random inputs (cumulative average over a few train-mode
    batches) so every BN sees realistic, non-identity statistics and
    activations stay O(1) through the depth of the network.
    """
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for mod in model.modules():
            if isinstance(mod, (nn.BatchNorm2d, nn.LayerNorm)) or type(mod).__name__ == "LayerNorm2d":
                if getattr(mod, "weight", None) is not None:
                    mod.weight.copy_(torch.rand(mod.weight.shape, generator=g) + 0.5)
                    mod.bias.copy_(torch.randn(mod.bias.shape, generator=g) * 0.2)
            if isinstance(mod, (nn.Conv2d, nn.Linear)) and mod.bias is not None:
                bound = 1.0 / max(1, mod.weight[0].numel()) ** 0.5
                mod.bias.copy_((torch.rand(mod.bias.shape, generator=g) * 2 - 1) * bound)
        # Transformer extras that torchvision initializes to zero / tiny values.
        for name, p in model.named_parameters():
            leaf = name.rsplit(".", 1)[-1]
            if leaf in ("class_token", "pos_embedding", "relative_position_bias_table"):
                p.copy_(torch.randn(p.shape, generator=g) * 0.5)
        # Layers torchvision initializes with zeros or a tiny std (ViT head, MobileNetV3 /
        # Swin / ConvNeXt linears, SqueezeNet's final conv): N(0, 1/fan_in) instead.
        for mod in model.modules():
            if isinstance(mod, (nn.Conv2d, nn.Linear)) and (
                mod.weight.abs().max() == 0 or (mod.weight.std() < 0.02 and mod.weight.numel() > 100)
            ):
                fan_in = mod.weight[0].numel()
                mod.weight.copy_(torch.randn(mod.weight.shape, generator=g) / fan_in ** 0.5)

        bns = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
        if bns:
            saved = [bn.momentum for bn in bns]
            for bn in bns:
                bn.reset_running_stats()
                bn.momentum = None  # cumulative moving average
            model.train()
            for _ in range(4):
                model(torch.randn(8, 3, input_hw, input_hw, generator=g))
            for bn, mom in zip(bns, saved):
                bn.momentum = mom
    model.eval()


# ---------------------------------------------------------------------------
# ONNX summary helpers
# ---------------------------------------------------------------------------

def op_counts(model):
    return dict(sorted(collections.Counter(n.op_type for n in model.graph.node).items()))


def _attr_value(a):
    v = onnx.helper.get_attribute_value(a)
    if isinstance(v, bytes):
        return v.decode()
    if isinstance(v, onnx.TensorProto):
        return "tensor(%s%s)" % (onnx.TensorProto.DataType.Name(v.data_type).lower(),
                                 list(v.dims) if v.dims else "")
    if isinstance(v, list):
        return [x.decode() if isinstance(x, bytes) else x for x in v]
    return v


# Ops whose small constant inputs (axes, starts/ends/steps, clip bounds, ...) are listed by value.
VALUE_OPS = {"Slice", "Unsqueeze", "Squeeze", "Gather", "Clip", "Dropout", "Split", "ReduceMean",
             "ReduceSum", "Pad", "Expand", "Range", "Mod", "Softmax", "Pow", "Div"}


def op_features(model):
    """Per op type: the distinct attribute values used and input arity."""
    feats = collections.defaultdict(lambda: collections.defaultdict(set))
    consts = {n.output[0]: onnx.numpy_helper.to_array(n.attribute[0].t)
              for n in model.graph.node if n.op_type == "Constant" and n.attribute[0].name == "value"}
    inits = {i.name for i in model.graph.initializer}
    for n in model.graph.node:
        f = feats[n.op_type]
        f["#inputs"].add(sum(1 for i in n.input if i))
        f["#outputs"].add(len(n.output))
        # Where do the non-data inputs come from? Values for the small shape-like ones.
        for k, name in enumerate(n.input[1:], 1):
            if not name:
                src = "absent"
            elif name in inits:
                src = "initializer"
            elif name in consts:
                v = consts[name]
                src = "const " + json.dumps(v.tolist()) if n.op_type in VALUE_OPS and v.size <= 6 else "const"
            else:
                src = "computed"
            f["in%d" % k].add(src)
        for a in n.attribute:
            if n.op_type == "Constant":
                f[a.name].add(_attr_value(a) if a.name != "value" else "tensor(%s)" %
                              onnx.TensorProto.DataType.Name(a.t.data_type).lower())
            else:
                f[a.name].add(json.dumps(_attr_value(a)))
    out = {}
    for op in sorted(feats):
        out[op] = {k: sorted(str(x) for x in v) for k, v in sorted(feats[op].items())}
    return out



# ---------------------------------------------------------------------------
# Independent check: a small NumPy interpreter for the ops these graphs use.
# onnx 1.12 has no reference evaluator and onnxruntime is not packaged in
# Debian, so this is what confirms each exported graph really computes
# output.npy (and stays correct for other batch sizes).
# ---------------------------------------------------------------------------

try:
    from scipy.special import erf as _erf
except ImportError:  # pragma: no cover
    import math
    _erf = np.vectorize(math.erf, otypes=[np.float32])


def _attrs(node):
    return {a.name: _attr_value(a) if a.type != onnx.AttributeProto.TENSOR
            else onnx.numpy_helper.to_array(a.t) for a in node.attribute}


def _pool_pads(x, kernel, strides, pads, ceil_mode, dilations=None, fill=0.0):
    """Pad x (N,C,H,W) for a pooling/conv window; returns padded x and output size."""
    nd = len(kernel)
    dil = dilations or [1] * nd
    out, extra = [], []
    for i in range(nd):
        size = x.shape[2 + i] + pads[i] + pads[i + nd]
        eff = (kernel[i] - 1) * dil[i] + 1
        if ceil_mode:
            o = -(-(size - eff) // strides[i]) + 1
            if (o - 1) * strides[i] >= x.shape[2 + i] + pads[i]:  # window must start inside
                o -= 1
        else:
            o = (size - eff) // strides[i] + 1
        out.append(o)
        extra.append(max(0, (o - 1) * strides[i] + eff - size))
    width = [(0, 0), (0, 0)] + [(pads[i], pads[i + nd] + extra[i]) for i in range(nd)]
    return np.pad(x, width, constant_values=fill), out


def _windows(xp, kernel, strides, out, dil):
    """(N, C, oh, ow, kh, kw) view of the sliding windows."""
    n, c = xp.shape[:2]
    sn, sc, sh, sw = xp.strides
    return np.lib.stride_tricks.as_strided(
        xp, (n, c, out[0], out[1], kernel[0], kernel[1]),
        (sn, sc, sh * strides[0], sw * strides[1], sh * dil[0], sw * dil[1]), writeable=False)


def _conv(x, w, b, a):
    k = list(w.shape[2:])
    strides, dil = a.get("strides", [1, 1]), a.get("dilations", [1, 1])
    pads, group = a.get("pads", [0, 0, 0, 0]), a.get("group", 1)
    assert a.get("auto_pad", "NOTSET") == "NOTSET"
    xp, out = _pool_pads(x, k, strides, pads, False, dil)
    win = _windows(xp, k, strides, out, dil)  # N C oh ow kh kw
    n, c = x.shape[:2]
    m = w.shape[0]
    cg, mg = c // group, m // group
    win = win.reshape(n, group, cg, out[0], out[1], k[0], k[1])
    wg = w.reshape(group, mg, cg, k[0], k[1])
    y = np.einsum("ngchwij,gmcij->ngmhw", win, wg, optimize=True).reshape(n, m, out[0], out[1])
    if b is not None:
        y = y + b.reshape(1, -1, 1, 1)
    return y.astype(np.float32)


def _pool(x, a, kind):
    k, strides = a["kernel_shape"], a.get("strides", [1, 1])
    pads, ceil = a.get("pads", [0, 0, 0, 0]), a.get("ceil_mode", 0)
    fill = -np.inf if kind == "max" else 0.0
    xp, out = _pool_pads(x, k, strides, pads, ceil, fill=fill)
    win = _windows(xp, k, strides, out, [1, 1])
    if kind == "max":
        return win.max(axis=(4, 5))
    assert a.get("count_include_pad", 0) == 1 or pads == [0, 0, 0, 0], "exclude-pad average not implemented"
    return win.mean(axis=(4, 5)).astype(np.float32)


def _slice(x, starts, ends, axes=None, steps=None):
    axes = list(range(len(starts))) if axes is None else [int(v) % x.ndim for v in axes]
    steps = [1] * len(starts) if steps is None else steps
    idx = [slice(None)] * x.ndim
    for st, en, ax, sp in zip(starts, ends, axes, steps):
        b, e, t = slice(int(st), int(en), int(sp)).indices(x.shape[ax])
        idx[ax] = slice(b, None if e < 0 else e, t)  # e == -1: run past index 0 when stepping back
    return x[tuple(idx)]


def run_onnx_numpy(model, feeds):
    env = {i.name: onnx.numpy_helper.to_array(i) for i in model.graph.initializer}
    env.update(feeds)
    opset = model.opset_import[0].version
    for node in model.graph.node:
        a = _attrs(node)
        i = [env[n] if n else None for n in node.input]
        op = node.op_type
        if op == "Constant":
            r = a["value"]
        elif op in ("Identity",):
            r = i[0]
        elif op == "Dropout":
            ratio = float(i[1]) if len(i) > 1 and i[1] is not None else a.get("ratio", 0.5)
            training = bool(i[2]) if len(i) > 2 and i[2] is not None else False
            assert ratio == 0.0 or not training, "Dropout active"
            r = (i[0], np.ones(i[0].shape, bool))
        elif op in ("Add", "Sub", "Mul", "Div", "Pow", "Equal", "Mod"):
            x, y = i
            if op == "Div" and np.issubdtype(x.dtype, np.integer):
                r = x // y
            elif op == "Mod":
                assert a.get("fmod", 0) == 0
                r = np.mod(x, y)
            else:
                r = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide,
                     "Pow": np.power, "Equal": np.equal}[op](x, y)
            if r.dtype == np.float64:
                r = r.astype(np.float32)
        elif op == "Not":
            r = np.logical_not(i[0])
        elif op == "Sqrt":
            r = np.sqrt(i[0])
        elif op == "Relu":
            r = np.maximum(i[0], 0)
        elif op == "Clip":
            lo = i[1] if len(i) > 1 and i[1] is not None else a.get("min", -np.inf)
            hi = i[2] if len(i) > 2 and i[2] is not None else a.get("max", np.inf)
            r = np.clip(i[0], lo, hi)
        elif op == "Sigmoid":
            r = (1 / (1 + np.exp(-i[0]))).astype(np.float32)
        elif op == "HardSigmoid":
            r = np.clip(a.get("alpha", 0.2) * i[0] + a.get("beta", 0.5), 0, 1).astype(np.float32)
        elif op == "HardSwish":
            r = (i[0] * np.clip(i[0] / 6 + 0.5, 0, 1)).astype(np.float32)
        elif op == "Erf":
            r = _erf(i[0]).astype(np.float32)
        elif op == "Softmax":
            ax = a.get("axis", -1 if opset >= 13 else 1)
            assert opset >= 13 or ax == i[0].ndim - 1
            e = np.exp(i[0] - i[0].max(axis=ax, keepdims=True))
            r = e / e.sum(axis=ax, keepdims=True)
        elif op == "Conv":
            r = _conv(i[0], i[1], i[2] if len(i) > 2 else None, a)
        elif op == "MaxPool":
            assert len(node.output) == 1 and a.get("dilations", [1, 1]) == [1, 1]
            r = _pool(i[0], a, "max")
        elif op == "AveragePool":
            r = _pool(i[0], a, "avg")
        elif op == "GlobalAveragePool":
            r = i[0].mean(axis=(2, 3), keepdims=True)
        elif op == "BatchNormalization":
            x, sc, bi, mean, var = i
            assert a.get("training_mode", 0) == 0 and len(node.output) == 1
            sh = (1, -1) + (1,) * (x.ndim - 2)
            r = ((x - mean.reshape(sh)) / np.sqrt(var.reshape(sh) + a.get("epsilon", 1e-5))
                 * sc.reshape(sh) + bi.reshape(sh)).astype(np.float32)
        elif op == "LayerNormalization":
            ax = a.get("axis", -1) % i[0].ndim
            axes = tuple(range(ax, i[0].ndim))
            mu = i[0].mean(axis=axes, keepdims=True)
            var = ((i[0] - mu) ** 2).mean(axis=axes, keepdims=True)
            r = (i[0] - mu) / np.sqrt(var + a.get("epsilon", 1e-5)) * i[1]
            if len(i) > 2 and i[2] is not None:
                r = r + i[2]
            r = r.astype(np.float32)
        elif op == "Gemm":
            x, w = i[0], i[1]
            x = x.T if a.get("transA", 0) else x
            w = w.T if a.get("transB", 0) else w
            r = a.get("alpha", 1.0) * (x @ w)
            if len(i) > 2 and i[2] is not None:
                r = r + a.get("beta", 1.0) * i[2]
            r = r.astype(np.float32)
        elif op == "MatMul":
            r = np.matmul(i[0], i[1])
        elif op == "Reshape":
            shape = [int(v) for v in i[1]]
            assert not a.get("allowzero", 0)
            shape = [i[0].shape[k] if v == 0 else v for k, v in enumerate(shape)]
            r = i[0].reshape(shape)
        elif op == "Flatten":
            ax = a.get("axis", 1)
            r = i[0].reshape(int(np.prod(i[0].shape[:ax])), -1)
        elif op == "Transpose":
            r = np.transpose(i[0], a.get("perm"))
        elif op in ("Unsqueeze", "Squeeze"):
            axes = a["axes"] if "axes" in a else [int(v) for v in i[1]]
            if op == "Unsqueeze":
                nd = i[0].ndim + len(axes)
                r = i[0].reshape(_unsqueezed_shape(i[0].shape, [v % nd for v in axes], nd))
            else:
                r = np.squeeze(i[0], axis=tuple(v % i[0].ndim for v in axes))
        elif op == "Concat":
            r = np.concatenate([v for v in i if v is not None], axis=a["axis"])
        elif op == "Split":
            ax = a.get("axis", 0)
            split = a.get("split") if "split" in a else (list(i[1]) if len(i) > 1 and i[1] is not None else None)
            if split is None:
                r = tuple(np.split(i[0], len(node.output), axis=ax))
            else:
                r = tuple(np.split(i[0], np.cumsum(split)[:-1], axis=ax))
        elif op == "Slice":
            if opset < 10:
                r = _slice(i[0], a["starts"], a["ends"], a.get("axes"))
            else:
                r = _slice(i[0], i[1], i[2], i[3] if len(i) > 3 else None, i[4] if len(i) > 4 else None)
        elif op == "Gather":
            r = np.take(i[0], i[1].astype(np.int64), axis=a.get("axis", 0))
        elif op == "Expand":
            r = i[0] * np.ones([int(v) for v in i[1]], dtype=i[0].dtype)
        elif op == "Pad":
            assert a.get("mode", "constant") == "constant"
            pads = [int(v) for v in (i[1] if opset >= 11 else a["pads"])]
            cval = i[2] if len(i) > 2 and i[2] is not None else 0
            nd = i[0].ndim
            assert min(pads) >= 0
            r = np.pad(i[0], [(pads[k], pads[k + nd]) for k in range(nd)], constant_values=cval)
        elif op == "Shape":
            r = np.array(i[0].shape, dtype=np.int64)
        elif op == "ConstantOfShape":
            val = a.get("value", np.zeros(1, np.float32))
            r = np.full([int(v) for v in i[0]], val.reshape(-1)[0], dtype=val.dtype)
        elif op == "Range":
            r = np.arange(i[0], i[1], i[2]).astype(i[0].dtype)
        elif op == "Cast":
            to = onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[a["to"]]
            r = i[0].astype(to)
        elif op == "Where":
            r = np.where(i[0], i[1], i[2])
        elif op in ("ReduceMean", "ReduceSum", "ReduceMax"):
            axes = a.get("axes") if "axes" in a else (list(i[1]) if len(i) > 1 and i[1] is not None else None)
            fn = {"ReduceMean": np.mean, "ReduceSum": np.sum, "ReduceMax": np.max}[op]
            r = fn(i[0], axis=None if axes is None else tuple(axes), keepdims=bool(a.get("keepdims", 1)))
            r = np.asarray(r, dtype=i[0].dtype)
        elif op == "PRelu":
            r = np.where(i[0] < 0, i[0] * i[1], i[0]).astype(np.float32)
        elif op == "LRN":
            r = _lrn(i[0], a)
        elif op in ("Resize", "Upsample"):
            r = _resize(node, a, i, opset)
        elif op == "ScatterND":
            assert a.get("reduction", "none") == "none"
            r = i[0].copy()
            idx = i[1].astype(np.int64)
            upd = i[2]
            for pos in np.ndindex(idx.shape[:-1]):
                r[tuple(idx[pos])] = upd[pos]
        else:
            raise NotImplementedError("numpy check: op %s" % op)
        outs = r if isinstance(r, tuple) else (r,)
        for name, val in zip(node.output, outs):
            env[name] = np.asarray(val)
    return [env[o.name] for o in model.graph.output]


def _lrn(x, a):
    """ONNX LRN: window c - (size-1)//2 .. c + ceil((size-1)/2), in float64."""
    size, alpha, beta, bias = a["size"], a.get("alpha", 1e-4), a.get("beta", 0.75), a.get("bias", 1.0)
    sq = x.astype(np.float64) ** 2
    c = x.shape[1]
    lo, hi = (size - 1) // 2, size - 1 - (size - 1) // 2
    acc = np.stack([sq[:, max(0, k - lo):min(c, k + hi + 1)].sum(axis=1) for k in range(c)], axis=1)
    return (x / (bias + alpha / size * acc) ** beta).astype(np.float32)


def _resize(node, a, i, opset):
    """Resize / Upsample, nearest and linear, separably per axis (float64)."""
    x = i[0].astype(np.float64)
    legacy = node.op_type == "Upsample" or opset < 11
    if legacy:
        scales = [float(v) for v in (i[1] if len(i) > 1 else a["scales"])]
        sizes = [int(np.floor(d * s)) for d, s in zip(x.shape, scales)]
    elif len(i) > 3 and i[3] is not None and i[3].size:
        sizes = [int(v) for v in i[3]]
        scales = [o / d for o, d in zip(sizes, x.shape)]
    else:
        scales = [float(v) for v in i[2]]
        sizes = [int(np.floor(d * s)) for d, s in zip(x.shape, scales)]
    mode = {"bilinear": "linear"}.get(a.get("mode", "nearest"), a.get("mode", "nearest"))
    coord = "asymmetric" if legacy else a.get("coordinate_transformation_mode", "half_pixel")
    nearest = "floor" if legacy else a.get("nearest_mode", "round_prefer_floor")
    for ax, (n_in, n_out, sc) in enumerate(zip(x.shape, sizes, scales)):
        if n_in == n_out and sc == 1:
            continue
        o = np.arange(n_out, dtype=np.float64)
        src = {"half_pixel": (o + 0.5) / sc - 0.5,
               "pytorch_half_pixel": (o + 0.5) / sc - 0.5 if n_out > 1 else 0 * o,
               "align_corners": o * (n_in - 1) / max(1, n_out - 1),
               "asymmetric": o / sc}[coord]
        if mode == "nearest":
            assert nearest in ("floor", "round_prefer_floor"), nearest
            f = np.floor(src)
            idx = f if nearest == "floor" else np.where(src - f == 0.5, f, np.round(src))
            x = np.take(x, np.clip(idx.astype(np.int64), 0, n_in - 1), axis=ax)
        else:
            assert mode == "linear", mode
            f = np.floor(src)
            t = (src - f).reshape([-1 if k == ax else 1 for k in range(x.ndim)])
            lo = np.take(x, np.clip(f.astype(np.int64), 0, n_in - 1), axis=ax)
            hi = np.take(x, np.clip(f.astype(np.int64) + 1, 0, n_in - 1), axis=ax)
            x = lo * (1 - t) + hi * t
    return x.astype(np.float32)


def _unsqueezed_shape(shape, axes, nd):
    it = iter(shape)
    return [1 if k in axes else next(it) for k in range(nd)]


def rel_err(got, ref):
    return float(np.abs(got.astype(np.float64) - ref).max() / max(np.abs(ref).max(), 1e-12))


# ---------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------

def export_family(name, builder, hw, opset, out_root):
    seed = family_seed(name)
    torch.manual_seed(seed)
    np.random.seed(seed)
    model, cls_name, ctor_args = builder()
    randomize(model, seed, hw)

    x = np.random.RandomState(seed).standard_normal((BATCH, 3, hw, hw)).astype(np.float32)
    with torch.no_grad():
        y = model(torch.from_numpy(x)).numpy().astype(np.float32)
        # Same logits regardless of batch: the ONNX batch axis is dynamic.
        y1 = model(torch.from_numpy(x[:1])).numpy()
    assert np.allclose(y[:1], y1, rtol=1e-4, atol=1e-5), name
    assert np.isfinite(y).all(), name
    std, amax = float(y.std()), float(np.abs(y).max())
    if not (0.05 < std < 50 and amax < 200):
        raise RuntimeError("%s: logits not O(1): std=%g max|y|=%g" % (name, std, amax))

    buf = io.BytesIO()
    mode = torch.onnx.TrainingMode.PRESERVE
    torch.onnx.export(
        model, torch.from_numpy(x), buf,
        input_names=["pixel_values"], output_names=["logits"],
        dynamic_axes={"pixel_values": {0: "batch"}, "logits": {0: "batch"}},
        opset_version=opset, do_constant_folding=False, training=mode,
    )
    onnx_bytes = buf.getvalue()
    proto = onnx.load_from_string(onnx_bytes)
    onnx.checker.check_model(proto)

    # The graph must compute PyTorch's logits, also for another batch size.
    x3 = np.random.RandomState(seed + 1).standard_normal((3, 3, hw, hw)).astype(np.float32)
    with torch.no_grad():
        y3 = model(torch.from_numpy(x3)).numpy()
    err2 = rel_err(run_onnx_numpy(proto, {"pixel_values": x})[0], y)
    err3 = rel_err(run_onnx_numpy(proto, {"pixel_values": x3})[0], y3)
    if max(err2, err3) > 1e-5:
        raise RuntimeError("%s: NumPy evaluation of the ONNX graph differs: rel err %.3g / %.3g" % (name, err2, err3))

    d = os.path.join(out_root, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "model.onnx"), "wb") as f:
        f.write(onnx_bytes)
    np.save(os.path.join(d, "input.npy"), x)
    np.save(os.path.join(d, "output.npy"), y)

    n_params = sum(p.numel() for p in model.parameters())
    meta = dict(
        family=name,
        torchvision_class=cls_name,
        constructor_args=ctor_args,
        input_name="pixel_values",
        input_shape=list(x.shape),
        output_name="logits",
        output_shape=list(y.shape),
        dynamic_axes={"pixel_values": {"0": "batch"}, "logits": {"0": "batch"}},
        opset=opset,
        export_training_mode="PRESERVE (model.eval())",
        do_constant_folding=False,
        seed=seed,
        param_count=n_params,
        onnx_bytes=len(onnx_bytes),
        onnx_node_count=len(proto.graph.node),
        onnx_ops=op_counts(proto),
        onnx_op_features=op_features(proto),
        logits_std=round(std, 4),
        logits_max_abs=round(amax, 4),
        tolerance="max|onnx - output.npy| <= 1e-4 * max|output.npy| (relative)",
        numpy_check_rel_err={"batch2": float("%.2g" % err2), "batch3": float("%.2g" % err3)},
        torch_version=torch.__version__,
        torchvision_version=torchvision.__version__,
        onnx_version=onnx.__version__,
    )
    with open(os.path.join(d, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1, sort_keys=False)
        f.write("\n")
    print("%-22s params=%7d onnx=%7d B nodes=%4d std=%.3f max=%.3f numpy rel err %.1e/%.1e" % (
        name, n_params, len(onnx_bytes), len(proto.graph.node), std, amax, err2, err3), flush=True)
    return meta


def merge_features(metas):
    union = collections.defaultdict(lambda: collections.defaultdict(set))
    users = collections.defaultdict(set)
    for m in metas:
        for op, attrs in m["onnx_op_features"].items():
            users[op].add(m["family"])
            for k, vals in attrs.items():
                union[op][k].update(vals)
    return union, users


def write_readme(metas, out_root):
    lines = [
        "# Parity fixtures",
        "",
        "Small, randomly initialized instances of torchvision's image-classification",
        "architectures, exported to ONNX, with PyTorch's own output for a fixed input.",
        "The engine must import each `model.onnx`, run it on `input.npy` and match",
        "`output.npy` within 1e-4 relative (max |onnx - ref| <= 1e-4 * max |ref|).",
        "",
        "Each `<family>/` holds:",
        "",
        "- `model.onnx`: input `pixel_values` [batch, 3, H, W] float32, output `logits` [batch, 10];",
        "  the batch axis is dynamic. Exported with `do_constant_folding=False` and",
        "  `training=TrainingMode.PRESERVE` on an eval-mode model, so BatchNormalization stays",
        "  its own node (`training_mode=0`) as in the real models under /work/shared/models.",
        "- `input.npy`: float32, batch 2, seeded standard normal.",
        "- `output.npy`: float32 logits from PyTorch (`model.eval()`) for `input.npy`.",
        "- `meta.json`: torchvision class, constructor arguments, shapes, opset, parameter",
        "  count, ONNX op types with counts and the attribute values each op uses.",
        "",
        "The models are the real torchvision classes and blocks shrunk through their",
        "constructor arguments (ResNet and SqueezeNet hard-code their widths, so a thin",
        "subclass rebuilds the stages with torchvision's own `_make_layer`/`Fire` at a",
        "smaller width). Weights are seeded random, never downloaded. Norm-layer affine",
        "parameters are randomized and BatchNorm running statistics are calibrated on",
        "random inputs, so BatchNormalization is a real (non-identity) transform and",
        "activations stay O(1).",
        "",
        "Each export is checked with `onnx.checker.check_model` and then evaluated by a small",
        "NumPy interpreter in the script (onnx 1.12 has no reference evaluator, onnxruntime",
        "is not packaged) at batch 2 and batch 3 against PyTorch; `meta.json` records the",
        "relative error (all below 1e-5).",
        "",
        "## Things the importer has to get right",
        "",
        "- Swin (torchvision 0.14) calls `F.dropout(p=0.0)` without `training=`, so its graph",
        "  has `Dropout` with ratio 0.0 and `training_mode` = true (two outputs; the mask is",
        "  unused): an identity. It also builds the shifted-window mask in the graph with",
        "  `ScatterND`, `Mod`, `Not`, `Range`, `Where`, and pads to the window size with a",
        "  `Pad` whose pads are computed at run time.",
        "- `Pad`'s pads (torch's `F.pad`) are reordered in the graph by `Slice` with step -1",
        "  and end = INT64_MIN+1: clamp ends as the ONNX spec says (to -1 when stepping back).",
        "- Shape arithmetic (`Shape`/`Gather`/`Unsqueeze`/`Concat`/`Reshape`, `Div` on int64)",
        "  follows the dynamic batch; int64 `Div` truncates.",
        "- Opset 11 files use the attribute forms (`Unsqueeze` axes); 13+ take axes as inputs.",
        "",
        "## Regenerate",
        "",
        "    /usr/bin/python3 tools/export_parity_fixtures.py",
        "",
        "Needs Debian's python3-torch (1.13), python3-torchvision (0.14), python3-onnx",
        "(1.12) and numpy; runs on CPU in well under a minute and reproduces the files",
        "byte for byte. `--only NAME` re-exports single families.",
        "",
        "## Fixtures",
        "",
        "| family | torchvision class | input | opset | params | ONNX bytes | nodes | ops |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | --- |",
    ]
    for m in metas:
        ops = ", ".join("%s×%d" % (k, v) for k, v in m["onnx_ops"].items())
        lines.append("| %s | `%s` | %s | %d | %d | %d | %d | %s |" % (
            m["family"], m["torchvision_class"].split(" ")[0].split(".")[-1] +
            (" " + " ".join(m["torchvision_class"].split(" ")[1:]) if " " in m["torchvision_class"] else ""),
            "×".join(str(s) for s in m["input_shape"]), m["opset"], m["param_count"],
            m["onnx_bytes"], m["onnx_node_count"], ops))
    union, users = merge_features(metas)
    lines += [
        "",
        "## Op union and the attributes used",
        "",
        "Every op type that appears in any fixture, the fixtures that use it, and every",
        "distinct attribute value seen (`#inputs`/`#outputs`: the node arities seen).",
        "",
        "| op | used by | attributes seen |",
        "| --- | --- | --- |",
    ]
    for op in sorted(union):
        attrs = "; ".join("%s ∈ {%s}" % (k, ", ".join(sorted(v))) for k, v in sorted(union[op].items()))
        lines.append("| %s | %s | %s |" % (op, ", ".join(sorted(users[op])), attrs.replace("|", "\\|")))
    lines.append("")
    with open(os.path.join(out_root, "README.md"), "w") as f:
        f.write("\n".join(lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--only", nargs="*", help="export only these families (README is not rewritten)")
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(args.out, exist_ok=True)
    names = [f[0] for f in FAMILIES]
    for n in args.only or []:
        if n not in names:
            sys.exit("unknown family %r; known: %s" % (n, ", ".join(names)))

    metas, failed = [], []
    for name, builder, hw, opset in FAMILIES:
        if args.only and name not in args.only:
            continue
        try:
            metas.append(export_family(name, builder, hw, opset, args.out))
        except Exception as e:  # report and continue with the other families
            failed.append((name, "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")))
            print("FAILED %s: %s" % failed[-1], flush=True)
    if not args.only:
        write_readme(metas, args.out)
    total = sum(m["onnx_bytes"] for m in metas)
    print("total ONNX bytes: %d" % total)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
