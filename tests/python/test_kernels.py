"""The kernels of examples/kernels (what bench/kernels.py times against
PyTorch) give numpy's answers: sizes around their tiles' edges, generated
sizes and values, and lists submitted again."""
import os
import sys

import numpy
import pytest
from hypothesis import given, settings, strategies as st

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "examples", "kernels"))
import kernels  # noqa: E402

SETTINGS = settings(max_examples=8, deadline=None)
rng = numpy.random.default_rng(20261206)


def blur_reference(image):
    weights = numpy.array([1, 4, 6, 4, 1], dtype=numpy.float64) / 16
    h, w = image.shape
    padded = numpy.pad(image.astype(numpy.float64), 2)
    return sum(weights[i] * weights[j] * padded[i:i + h, j:j + w]
               for i in range(5) for j in range(5))


@pytest.mark.parametrize("n", [1, 3, 4, 5, 1023, 1024, 1025, 262147])
def test_reduce_sum(n):
    data = rng.standard_normal(n).astype(numpy.float32)
    expected = data.sum(dtype=numpy.float64)
    assert kernels.reduce_sum(data) == pytest.approx(
        expected, rel=1e-5, abs=1e-3 * numpy.sqrt(n))


@pytest.mark.parametrize("n", [1, 2, 4095, 4096, 4097, 8192, 3 * 4096 + 17])
def test_inclusive_scan_tile_edges(n):
    data = rng.integers(0, 1 << 32, n, dtype=numpy.uint32)  # sums wrap
    assert numpy.array_equal(kernels.inclusive_scan(data),
                             numpy.cumsum(data, dtype=numpy.uint32))


@SETTINGS
@given(n=st.integers(1, 200000), high=st.sampled_from([1, 1000, 1 << 32]))
def test_inclusive_scan_generated(n, high):
    data = rng.integers(0, high, n, dtype=numpy.uint64).astype(numpy.uint32)
    assert numpy.array_equal(kernels.inclusive_scan(data),
                             numpy.cumsum(data, dtype=numpy.uint32))


@pytest.mark.parametrize("n", [1_000_000, 4_000_000])
def test_inclusive_scan_many_tiles(n):
    """Hundreds of tiles: the look-back walks many windows of tiles (as
    many as a wave has lanes) and meets tiles in every state."""
    data = rng.integers(0, 1 << 32, n, dtype=numpy.uint64).astype(numpy.uint32)
    for _ in range(3):
        assert numpy.array_equal(kernels.inclusive_scan(data),
                                 numpy.cumsum(data, dtype=numpy.uint32))


def test_inclusive_scan_list_submitted_again():
    # every run is a new epoch of the tiles' states: nothing is cleared
    data = rng.integers(0, 1000, 50000, dtype=numpy.uint32)
    scan = kernels.InclusiveScan(data)
    for _ in range(4):
        scan.run()
        assert numpy.array_equal(scan.result(), numpy.cumsum(data, dtype=numpy.uint32))


def test_inclusive_scan_counter_restarts_before_wrapping():
    data = rng.integers(0, 1000, 9000, dtype=numpy.uint32)  # 3 tiles
    scan = kernels.InclusiveScan(data)
    scan.runs = (1 << 32) // 3  # as if the ticket counter were near its end
    scan.run()
    assert scan.runs == 1
    assert numpy.array_equal(scan.result(), numpy.cumsum(data, dtype=numpy.uint32))


@SETTINGS
@given(n=st.integers(1, 100000), skew=st.booleans())
def test_histogram256(n, skew):
    if skew:  # one bin takes most bytes: the atomics contend
        data = numpy.where(rng.random(n) < 0.9, 7, rng.integers(0, 256, n)).astype(numpy.uint8)
    else:
        data = rng.integers(0, 256, n, dtype=numpy.uint8)
    histogram = kernels.Histogram256(data)
    for _ in range(2):  # the bins are cleared by the list itself
        histogram.run()
        assert numpy.array_equal(histogram.result(),
                                 numpy.bincount(data, minlength=256))


@SETTINGS
@given(height=st.integers(1, 70), width=st.integers(1, 70))
def test_blur5x5(height, width):
    image = rng.random((height, width), dtype=numpy.float32)
    assert numpy.allclose(kernels.blur5x5(image), blur_reference(image), atol=1e-6)


@SETTINGS
@given(m=st.integers(1, 150), k=st.integers(1, 40), n=st.integers(1, 150))
def test_matmul(m, k, n):
    a = rng.standard_normal((m, k)).astype(numpy.float32)
    b = rng.standard_normal((k, n)).astype(numpy.float32)
    assert numpy.allclose(kernels.matmul(a, b), a.astype(numpy.float64) @ b,
                          atol=1e-4 * k, rtol=1e-5)


def test_matmul_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"matmul needs \(M, K\) and \(K, N\) matrices, got \(2, 3\) and \(4, 5\)"):
        kernels.MatMul(numpy.zeros((2, 3)), numpy.zeros((4, 5)))


@SETTINGS
@given(rows=st.integers(1, 100), cols=st.integers(1, 100))
def test_transpose(rows, cols):
    matrix = rng.random((rows, cols), dtype=numpy.float32)
    assert numpy.array_equal(kernels.transpose(matrix), matrix.T)
