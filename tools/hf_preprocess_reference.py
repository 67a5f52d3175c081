#!/usr/bin/python3
"""Reference outputs of Hugging Face image-processor semantics, for ecoinfer's tests.

transformers is not a dependency, so this re-implements what its (slow, NumPy/PIL)
image processors do, step by step, with Pillow and NumPy only (Debian: python3-pil,
python3-numpy):

  convert("RGB") -> np.array (uint8 HWC) -> resize: Image.fromarray(...).resize((w, h),
  resample) -> center crop (zero padding when the image is smaller) -> rescale -> normalize

Output sizes follow transformers' get_resize_output_image_size (shortest edge, long edge
truncated), get_size_with_aspect_ratio ({shortest_edge, longest_edge}) and
ConvNextImageProcessor.resize (crop_pct below 384, square warp at 384 and up).

Writes, for every style below and every photo in IMAGE_DIR:
  checksums.json     config per style; per image: output shape (H, W, C) and the CRC-32
                     of the uint8 HWC array before rescale/normalize
  <style>.npy        the full uint8 arrays (N, H, W, 3) of the first FULL_ARRAYS images
                     (sorted names), so that tests can also report a max abs difference
The fixtures are uint8 and before normalization: the acceptance tolerance is stated
there (1/255), and uint8 keeps the committed files small.

Usage: tools/hf_preprocess_reference.py [IMAGE_DIR] [OUT_DIR]
"""
import json
import math
import os
import sys
import zlib

import numpy as np
from PIL import Image

STYLES = {
    # ViT: bilinear straight to 224x224
    "vit": {"do_resize": True, "size": {"height": 224, "width": 224}, "resample": 2},
    # ConvNeXt: shortest edge 224 / crop_pct 0.875 = 256, bicubic, center crop 224
    "convnext": {"do_resize": True, "size": {"shortest_edge": 224}, "crop_pct": 0.875, "resample": 3},
    # ResNet (microsoft/resnet-50 style): shortest edge 256, center crop 224, bilinear
    "resnet": {"do_resize": True, "size": {"shortest_edge": 256}, "resample": 2, "do_center_crop": True,
               "crop_size": {"height": 224, "width": 224}},
    # the same with bicubic
    "resnet_bicubic": {"do_resize": True, "size": {"shortest_edge": 256}, "resample": 3, "do_center_crop": True,
                       "crop_size": {"height": 224, "width": 224}},
    # Smaller extra styles covering the other filters and size rules (checksums only).
    "nearest": {"do_resize": True, "size": {"height": 61, "width": 83}, "resample": 0},
    "lanczos_capped": {"do_resize": True, "size": {"shortest_edge": 96, "longest_edge": 120}, "resample": 1},
    "box_shortest": {"do_resize": True, "size": {"shortest_edge": 50}, "resample": 4},
    "hamming_crop_pad": {"do_resize": True, "size": {"height": 40, "width": 70}, "resample": 5,
                         "do_center_crop": True, "crop_size": {"height": 57, "width": 33}},
    "convnext_384": {"do_resize": True, "size": {"shortest_edge": 384}, "crop_pct": 0.875, "resample": 3},
}
FULL_ARRAYS = 1  # full arrays per acceptance style (224x224x3 uint8 = 150 KB each)
FULL_STYLES = ("vit", "convnext", "resnet", "resnet_bicubic")


def shortest_edge_size(h, w, size):
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = size, int(size * long / short)
    return (new_long, new_short) if w <= h else (new_short, new_long)


def capped_size(h, w, size, max_size):
    raw = None
    mn, mx = float(min(h, w)), float(max(h, w))
    if mx / mn * size > max_size:
        raw = max_size * mn / mx
        size = int(round(raw))
    if (h <= w and h == size) or (w <= h and w == size):
        return h, w
    if w < h:
        return (int(raw * h / w) if raw is not None else int(size * h / w)), size
    return size, (int(raw * w / h) if raw is not None else int(size * w / h))


def center_crop(img, ch, cw):
    """transformers.image_transforms.center_crop on an HWC array."""
    oh, ow = img.shape[:2]
    top, left = (oh - ch) // 2, (ow - cw) // 2
    bottom, right = top + ch, left + cw
    if top >= 0 and bottom <= oh and left >= 0 and right <= ow:
        return img[top:bottom, left:right]
    nh, nw = max(ch, oh), max(cw, ow)
    out = np.zeros((nh, nw) + img.shape[2:], dtype=img.dtype)
    tp, lp = math.ceil((nh - oh) / 2), math.ceil((nw - ow) / 2)
    out[tp:tp + oh, lp:lp + ow] = img
    top, bottom, left, right = top + tp, bottom + tp, left + lp, right + lp
    return out[max(0, top):min(nh, bottom), max(0, left):min(nw, right)]


def resize(img, h, w, resample):
    """transformers.image_transforms.resize for uint8 input: PIL round trip."""
    return np.array(Image.fromarray(img).resize((w, h), resample=resample))


def preprocess_uint8(path, cfg):
    im = Image.open(path)
    if im.mode != "RGB":
        im = im.convert("RGB")
    img = np.array(im)
    if cfg.get("do_resize"):
        size, resample = cfg["size"], cfg["resample"]
        h, w = img.shape[:2]
        if "height" in size:
            img = resize(img, size["height"], size["width"], resample)
        elif "crop_pct" in cfg:
            se = size["shortest_edge"]
            if se < 384:
                nh, nw = shortest_edge_size(h, w, int(se / cfg["crop_pct"]))
                img = center_crop(resize(img, nh, nw, resample), se, se)
            else:
                img = resize(img, se, se, resample)
        elif "longest_edge" in size:
            img = resize(img, *capped_size(h, w, size["shortest_edge"], size["longest_edge"]), resample)
        else:
            img = resize(img, *shortest_edge_size(h, w, size["shortest_edge"]), resample)
    if cfg.get("do_center_crop"):
        img = center_crop(img, cfg["crop_size"]["height"], cfg["crop_size"]["width"])
    return np.ascontiguousarray(img)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    image_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "../../shared/data/imagenet-samples")
    out_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "../tests/fixtures/hf_preprocess")
    os.makedirs(out_dir, exist_ok=True)
    names = sorted(f for f in os.listdir(image_dir) if f.lower().endswith((".jpeg", ".jpg", ".png")))
    result = {"pillow": Image.__version__, "images": names, "styles": {}}
    for style, cfg in STYLES.items():
        entries, full = [], []
        for i, name in enumerate(names):
            arr = preprocess_uint8(os.path.join(image_dir, name), cfg)
            entries.append({"shape": list(arr.shape), "crc32": zlib.crc32(arr.tobytes())})
            if style in FULL_STYLES and i < FULL_ARRAYS:
                full.append(arr)
        result["styles"][style] = {"config": cfg, "images": entries}
        if full:
            np.save(os.path.join(out_dir, style + ".npy"), np.stack(full))
        print(style, len(entries), "images")
    with open(os.path.join(out_dir, "checksums.json"), "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
