#!/usr/bin/python3
"""Small images in the formats Pillow converts specially, and what Pillow makes of them.

For each NAME.{png,jpg} in tests/fixtures/decode/ this writes NAME.rgb.npy: the uint8 HWC
array of Image.open(file).convert("RGB") (Pillow, Debian python3-pil). ecoinfer's decoder
must give the same pixels. Cases: CMYK JPEG (Adobe-inverted), grayscale JPEG, a JPEG with
EXIF orientation 6 (not applied by Pillow's open), 16-bit gray/RGB PNG, RGBA and LA PNG
(alpha dropped, not composited), palette PNG with tRNS, 4-bit palette, 1-bit PNG, and a
PNG with a gAMA chunk (Pillow ignores it).

Usage: tools/make_decode_fixtures.py [OUT_DIR]
"""
import os
import struct
import sys

import numpy as np
from PIL import Image, PngImagePlugin

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                           "../tests/fixtures/decode")
os.makedirs(out, exist_ok=True)
rng = np.random.RandomState(7)


def smooth(h, w, c):
    y, x = np.mgrid[0:h, 0:w]
    planes = [(np.sin(x / (3 + k) + y / (5 + k)) * 0.5 + 0.5) for k in range(c)]
    return np.stack(planes, -1)


def save(name, im, **kw):
    path = os.path.join(out, name)
    im.save(path, **kw)
    rgb = np.array(Image.open(path).convert("RGB"))
    np.save(path.rsplit(".", 1)[0] + ".rgb.npy", rgb)
    print(name, Image.open(path).mode, rgb.shape)


save("cmyk.jpg", Image.fromarray((smooth(12, 17, 4) * 255).astype(np.uint8), "CMYK"), quality=92)
save("gray.jpg", Image.fromarray((smooth(9, 14, 1)[..., 0] * 255).astype(np.uint8), "L"), quality=90)
exif = Image.Exif()
exif[0x0112] = 6  # orientation: rotate 90 CW to display
save("exif_orientation6.jpg", Image.fromarray((smooth(10, 16, 3) * 255).astype(np.uint8), "RGB"), exif=exif.tobytes())
g16 = (smooth(7, 11, 1)[..., 0] * 700).astype(np.uint16)  # some values above 255: Pillow clips
save("gray16.png", Image.fromarray(g16))
rgb16 = (smooth(6, 9, 3) * 65535).astype(">u2")
# Pillow cannot write 16-bit RGB PNGs from arrays; write the file by hand.


def png_chunk(tag, data):
    import zlib
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xffffffff)


def write_png(path, w, h, depth, color, raw_rows, extra=b""):
    import zlib
    data = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color, 0, 0, 0)) + extra
    data += png_chunk(b"IDAT", zlib.compress(b"".join(b"\x00" + r for r in raw_rows))) + png_chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(data)


p = os.path.join(out, "rgb16.png")
write_png(p, 9, 6, 16, 2, [rgb16[y].tobytes() for y in range(6)])
np.save(p[:-4] + ".rgb.npy", np.array(Image.open(p).convert("RGB")))
print("rgb16.png", Image.open(p).mode)
rgba = (smooth(8, 8, 4) * 255).astype(np.uint8)
rgba[..., 3] = np.arange(64).reshape(8, 8) * 4
save("rgba.png", Image.fromarray(rgba, "RGBA"))
la = (smooth(5, 13, 2) * 255).astype(np.uint8)
save("la.png", Image.fromarray(la, "LA"))
pal = Image.fromarray(rng.randint(0, 6, (9, 10)).astype(np.uint8), "P")
pal.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 200, 100, 50, 7, 8, 9])
save("palette_trns.png", pal, transparency=2)
pal4 = Image.fromarray(rng.randint(0, 16, (7, 12)).astype(np.uint8), "P")
pal4.putpalette(list(rng.randint(0, 256, 48)))
save("palette4.png", pal4, bits=4)
save("bilevel.png", Image.fromarray(rng.randint(0, 2, (6, 11)).astype(bool)).convert("1"))
info = PngImagePlugin.PngInfo()
info.add(b"gAMA", struct.pack(">I", 100000))  # gamma 1.0: libpng's simplified API would re-encode
save("gamma.png", Image.fromarray((smooth(8, 9, 3) * 255).astype(np.uint8), "RGB"), pnginfo=info)
