#!/usr/bin/env python3
"""Resident memory as distinct shaders come and go: N Computes of distinct
SPIR-V (one constant patched, no compile per shader), each created,
dispatched once and freed, RSS printed every `step` shaders; the growth per
shader after the warm-up is the figure (issue 12, item 7).

    python3 bench/memory_per_shader.py [--shaders 3000] [--step 500]
"""
import argparse
import os
import struct

import compushady as C
from compushady.shaders import hlsl

MAGIC = 0x5EED1234
SOURCE = ("RWStructuredBuffer<uint> d : register(u0);\n"
          "[numthreads(1, 1, 1)] void main() { d[0] = %du; }" % MAGIC)


def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shaders", type=int, default=3000)
    parser.add_argument("--step", type=int, default=500)
    args = parser.parse_args()
    spirv = hlsl.compile(SOURCE)
    words = list(struct.unpack("<%dI" % (len(spirv) // 4), spirv))
    at = words.index(MAGIC)
    target = C.Buffer(4, C.HEAP_DEFAULT, stride=4)
    print("device:", C.get_current_device().name)
    marks = []
    for k in range(args.shaders + 1):
        if k % args.step == 0:
            marks.append((k, rss()))
            print("%6d shaders: RSS %.1f MiB" % (k, marks[-1][1] / 2**20), flush=True)
        if k == args.shaders:
            break
        words[at] = k
        compute = C.Compute(struct.pack("<%dI" % len(words), *words), uav=[target])
        compute.dispatch(1, 1, 1)
        del compute
    (k0, r0), (k1, r1) = marks[len(marks) // 2], marks[-1]
    print("growth over the second half: %.2f KiB per shader" % ((r1 - r0) / 1024 / (k1 - k0)))


if __name__ == "__main__":
    main()
