"""Generated WGSL integer expressions, compiled and run, against a Python
model of WGSL's rules (32-bit wrapping, division and remainder by zero,
i32::MIN / -1, shift amounts taken modulo 32, arithmetic shifts of i32).
A class of lowering bugs (operator semantics, precedence, conversions)
shows up here as a mismatch. COMPUSHADY_LONG_TESTS=1 tries many more."""

import os

import numpy as np
from hypothesis import given, settings, strategies as st

from compushady import HEAP_DEFAULT, HEAP_READBACK, HEAP_UPLOAD, Buffer, Compute
from compushady.shaders import wgsl

LONG = bool(os.environ.get("COMPUSHADY_LONG_TESTS"))
N = 16
EDGES_I = [0, 1, -1, 2, -2, 31, 32, 33, 2 ** 31 - 1, -2 ** 31, 7, -7, 100, -100, 65536, 3]


def wrap(x, signed):
    x &= 0xFFFFFFFF
    return x - (1 << 32) if signed and x >= 1 << 31 else x


def trunc_div(a, b):
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def apply(op, a, b, signed):
    if op == "+":
        return wrap(a + b, signed)
    if op == "-":
        return wrap(a - b, signed)
    if op == "*":
        return wrap(a * b, signed)
    if op in ("/", "%"):
        bad = b == 0 or (signed and a == -2 ** 31 and b == -1)
        if op == "/":
            return a if bad else wrap(trunc_div(a, b), signed)
        return 0 if bad else wrap(a - b * trunc_div(a, b), signed)
    if op == "&":
        return wrap(a & b, signed)
    if op == "|":
        return wrap(a | b, signed)
    if op == "^":
        return wrap(a ^ b, signed)
    if op == "<<":
        return wrap(a << ((b & 0xFFFFFFFF) % 32), signed)
    if op == ">>":
        return wrap(a >> ((b & 0xFFFFFFFF) % 32), signed)  # Python >> is arithmetic
    if op == "min":
        return min(a, b)
    if op == "max":
        return max(a, b)
    if op == "sel<":
        return a if a < b else b
    raise AssertionError(op)


OPS = ["+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "min", "max", "sel<"]


def expressions(depth):
    leaf = st.sampled_from(["a", "b", "k"])
    if depth == 0:
        return leaf
    sub = expressions(depth - 1)
    return st.one_of(leaf, st.tuples(st.sampled_from(OPS), sub, sub),
                     st.tuples(st.just("neg"), sub))


def to_wgsl(e, t):
    if isinstance(e, str):
        return e
    if e[0] == "neg":
        inner = to_wgsl(e[1], t)
        return "(-{0})".format(inner) if t == "i32" else "(0u - {0})".format(inner)
    op, x, y = e
    x, y = to_wgsl(x, t), to_wgsl(y, t)
    if op in ("min", "max"):
        return "{0}({1}, {2})".format(op, x, y)
    if op == "sel<":
        return "select({1}, {0}, {0} < {1})".format(x, y)
    if op in ("<<", ">>"):
        return "({0} {1} u32({2}))".format(x, op, y)
    return "({0} {1} {2})".format(x, op, y)


def evaluate(e, env, signed):
    if isinstance(e, str):
        return env[e]
    if e[0] == "neg":
        return wrap(-evaluate(e[1], env, signed), signed)
    return apply(e[0], evaluate(e[1], env, signed), evaluate(e[2], env, signed), signed)


def run(source, a, b, dtype):
    spirv = wgsl.compile(source)
    buffers = []
    for data in (a, b):
        staging = Buffer(data.nbytes, HEAP_UPLOAD)
        staging.upload(data.tobytes())
        buffers.append(staging)
    out = Buffer(N * 4, HEAP_DEFAULT)
    Compute(spirv, srv=buffers, uav=[out]).dispatch(1, 1, 1)
    readback = Buffer(N * 4, HEAP_READBACK)
    out.copy_to(readback)
    return np.frombuffer(readback.readback(N * 4), dtype)


@settings(max_examples=300 if LONG else 25, deadline=None)
@given(st.sampled_from(["i32", "u32"]), expressions(4), st.integers(-2 ** 31, 2 ** 31 - 1),
       st.lists(st.integers(-2 ** 31, 2 ** 31 - 1), min_size=N, max_size=N),
       st.lists(st.integers(-2 ** 31, 2 ** 31 - 1), min_size=N, max_size=N))
def test_generated_integer_expressions_follow_wgsl_rules(t, expr, k, xs, ys):
    signed = t == "i32"
    dtype = np.int32 if signed else np.uint32
    xs = [wrap(v, signed) for v in (EDGES_I if k % 3 == 0 else xs)]
    ys = [wrap(v, signed) for v in (list(reversed(EDGES_I)) if k % 5 == 0 else ys)]
    k = wrap(k, signed)
    literal = ("{0}i".format(k) if k != -2 ** 31 else "i32(-2147483648)") if signed else "{0}u".format(k)
    source = """
@group(0) @binding(0) var<storage, read> A: array<{t}>;
@group(0) @binding(1) var<storage, read> B: array<{t}>;
@group(0) @binding(2) var<storage, read_write> OUT: array<{t}>;
@compute @workgroup_size({n})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {{
    let a = A[id.x];
    let b = B[id.x];
    let k = {literal};
    OUT[id.x] = {expr};
}}
""".format(t=t, n=N, literal=literal, expr=to_wgsl(expr, t))
    got = run(source, np.array(xs, dtype), np.array(ys, dtype), dtype)
    want = [evaluate(expr, {"a": x, "b": y, "k": k}, signed) for x, y in zip(xs, ys)]
    assert list(got) == want, source
