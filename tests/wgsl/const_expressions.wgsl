const N = 4;
const SIZES = array<u32, N>(1u, 2u, 4u, 8u);
const MASK = (1u << 5u) - 1u;
const NEG = -(3 + 4) * 2;
const F = f32(N) / 8.0;
const B = N > 3 && MASK == 31u;
const_assert N * 2 == 8;
@group(0) @binding(0) var<storage, read_write> out: array<f32, 8>;

@compute @workgroup_size(1)
fn main() {
    const LOCAL = SIZES[3] + MASK;
    out[0] = f32(LOCAL);
    out[1] = f32(NEG);
    out[2] = F;
    out[3] = select(0.0, 1.0, B);
    out[4] = f32(min(N, 2) + max(-1, abs(-6)));
    out[5] = f32(SIZES[1]);
    out[6] = f32(vec3(1, 2, 3).z);
    out[7] = f32(clamp(10, 0, N));
}
