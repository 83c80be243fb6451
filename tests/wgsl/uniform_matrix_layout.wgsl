// mat2x2<f32> columns are 8 bytes apart, mat3x2 too; mat2x3 16
struct M {
    a: mat2x2<f32>,   // @0, 16 bytes
    b: mat3x2<f32>,   // @16, 24 bytes
    c: mat2x3<f32>,   // @48 (align 16), 32 bytes
    d: f32,           // @80
}
@group(0) @binding(0) var<uniform> m: M;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(1)
fn main() {
    out[0] = m.a[1][0];
    out[1] = m.b[2][1];
    out[2] = m.c[1][2];
    out[3] = m.d;
    let v = m.b * vec3(1.0, 1.0, 1.0);
    out[4] = v.x + v.y;
}
