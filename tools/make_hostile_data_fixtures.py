#!/usr/bin/env python3
"""Writes tests/fixtures/hostile/data/: the seed corpus of fuzz/dataset_index_fuzz.cpp
(valid MNIST, CIFAR and list inputs, plus the crash cases of issue 11: a truncated MNIST
.gz, a gzip bomb, list lines naming /dev/zero and a symlink loop) and a junk .jpg for the
image-decoder corpus. Deterministic; standard library only. Each seed starts with the
fuzz target's mode byte: 0 MNIST (then 4 bytes: where the images end), 1 CIFAR-10,
2 CIFAR-100, 3 list text. The large hostile inputs (a 4 GiB bomb, a 1.5 GB sparse file)
are made at test time by tests/cli/hostile_data_test.cpp, not committed."""
import gzip
import os
import struct

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "hostile", "data")


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def idx_images(n, rows=4, cols=4):
    return struct.pack(">IIII", 0x803, n, rows, cols) + bytes((i * 7) % 256 for i in range(n * rows * cols))


def idx_labels(n):
    return struct.pack(">II", 0x801, n) + bytes(i % 10 for i in range(n))


def mnist_seed(images, labels):
    return b"\x00" + struct.pack("<I", len(images)) + images + labels


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    write("seed_mnist_raw.bin", mnist_seed(idx_images(3), idx_labels(3)))
    write("seed_mnist_gz.bin", mnist_seed(gz(idx_images(3)), gz(idx_labels(3))))
    # Finding 3: a truncated .gz (the error used to print freed memory).
    full = gz(idx_images(40, 28, 28))
    write("seed_mnist_truncated_gz.bin", mnist_seed(full[: len(full) // 2], gz(idx_labels(40))))
    # Finding 4: a gzip bomb: a header declaring one 28x28 image, then 16 MiB of zeros in
    # concatenated members (each 1 MiB of zeros is about 1 KiB compressed).
    zeros = gz(bytes(1 << 20))
    bomb = gz(struct.pack(">IIII", 0x803, 1, 28, 28)) + zeros * 16
    write("seed_mnist_bomb_gz.bin", mnist_seed(bomb, gz(idx_labels(1))))
    # A header declaring 2^32-1 images of 4096x4096: refused before anything is inflated.
    write("seed_mnist_huge_header.bin",
          mnist_seed(gz(struct.pack(">IIII", 0x803, 0xFFFFFFFF, 4096, 4096)) + zeros, idx_labels(1)))
    cifar10 = b"".join(bytes([i % 10]) + bytes((i + j) % 256 for j in range(3072)) for i in range(2))
    write("seed_cifar10.bin", b"\x01" + cifar10)
    write("seed_cifar10_gz.bin", b"\x01" + gz(cifar10))
    write("seed_cifar100.bin", b"\x02" + bytes([3, 42]) + bytes(range(256)) * 12)
    write("seed_list.bin", b"\x03# comment\ncat/0.jpg\tcat\ndog/1.png\t1\r\n\nn01440764_x.JPEG\tn01440764\n")
    # Finding 5: a list line naming /dev/zero; finding 25: a path through a symlink loop.
    write("seed_list_dev_zero.bin", b"\x03/dev/zero\t0\n")
    write("seed_list_symlink_loop.bin", b"\x03loop/loop/loop/x.jpg\t0\n")
    # Finding 26: binary data given as a list (a JPEG header).
    write("seed_list_binary.bin", b"\x03\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    # Finding 5 for the image decoder: a file named .jpg that is not an image.
    write("junk.jpg", b"\x00junk that is no image\xff\xfe" * 4)


if __name__ == "__main__":
    main()
