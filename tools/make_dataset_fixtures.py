#!/usr/bin/python3
"""Tiny datasets in every layout ecoinfer reads, for tests/data/dataset_test.cpp.

Writes tests/fixtures/datasets/:
  classes/{cat,dog}/*.png        class folders named by label (id2label or sorted order)
  wnid_folders/n01440764/, n15075141/   class folders named by ImageNet wnid
  flat/n01530575_brambling.png … one folder, wnid at the start of each file name
  cifar10/test_batch.bin + batches.meta.txt   3 CIFAR-10 records (label byte + 3072)
  cifar100/test.bin              2 CIFAR-100 records (coarse, fine + 3072)
  mnist/t10k-{images-idx3,labels-idx1}-ubyte   3 images of 4x5
  list/list.txt                  path<TAB>label lines, paths relative to list/
Every image's first pixel encodes its expected label so tests can check pairing.

Usage: tools/make_dataset_fixtures.py [OUT_DIR]
"""
import os
import shutil
import struct
import sys

import numpy as np
from PIL import Image

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                           "../tests/fixtures/datasets")
shutil.rmtree(out, ignore_errors=True)


def png(path, label):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    a = np.full((3, 4, 3), 7, np.uint8)
    a[0, 0] = [label % 256, label // 256, 1]
    Image.fromarray(a).save(path)


for i, cls in enumerate(["cat", "dog"]):
    for k in range(2):
        png(f"{out}/classes/{cls}/{k}.png", i)
png(f"{out}/wnid_folders/n01440764/a.png", 0)
png(f"{out}/wnid_folders/n15075141/b.png", 999)
png(f"{out}/flat/n01530575_brambling.png", 10)
png(f"{out}/flat/n02123045_tabby.png", 281)

os.makedirs(f"{out}/cifar10")
with open(f"{out}/cifar10/test_batch.bin", "wb") as f:
    for label in (3, 0, 9):
        planes = np.zeros((3, 32, 32), np.uint8)
        planes[0, 0, 0], planes[1, 0, 0], planes[2, 0, 0] = label, 100, 200
        f.write(bytes([label]) + planes.tobytes())
with open(f"{out}/cifar10/batches.meta.txt", "w") as f:
    f.write("\n".join(["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]) + "\n\n")
os.makedirs(f"{out}/cifar100")
with open(f"{out}/cifar100/test.bin", "wb") as f:
    for coarse, fine in ((4, 72), (17, 5)):
        planes = np.zeros((3, 32, 32), np.uint8)
        planes[0, 0, 0] = fine
        f.write(bytes([coarse, fine]) + planes.tobytes())

os.makedirs(f"{out}/mnist")
with open(f"{out}/mnist/t10k-images-idx3-ubyte", "wb") as f:
    f.write(struct.pack(">IIII", 0x803, 3, 4, 5))
    for label in (7, 2, 1):
        a = np.zeros((4, 5), np.uint8)
        a[0, 0] = label
        f.write(a.tobytes())
with open(f"{out}/mnist/t10k-labels-idx1-ubyte", "wb") as f:
    f.write(struct.pack(">II", 0x801, 3) + bytes([7, 2, 1]))

png(f"{out}/list/images/x.png", 1)
png(f"{out}/list/images/y.png", 0)
png(f"{out}/list/images/z.png", 207)
with open(f"{out}/list/list.txt", "w") as f:
    f.write("# path<TAB>label\nimages/x.png\t1\n\nimages/y.png\tcat\nimages/z.png\tn02099601\n")
print("wrote", out)
