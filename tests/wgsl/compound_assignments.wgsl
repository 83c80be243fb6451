@group(0) @binding(0) var<storage, read_write> out: array<i32>;

@compute @workgroup_size(1)
fn main() {
    var x = 100;
    x += 5; out[0] = x;
    x -= 20; out[1] = x;
    x *= 3; out[2] = x;
    x /= 7; out[3] = x;
    x %= 6; out[4] = x;
    x |= 0x30; out[5] = x;
    x &= 0x1F; out[6] = x;
    x ^= 0xFF; out[7] = x;
    x <<= 2u; out[8] = x;
    x >>= 1u; out[9] = x;
    x++; out[10] = x;
    x--; x--; out[11] = x;
    var v = vec2(3, 4);
    v *= 2; v += vec2(1, 1); v /= vec2(0, 2);   // / 0 keeps the component
    out[12] = v.x; out[13] = v.y;
}
