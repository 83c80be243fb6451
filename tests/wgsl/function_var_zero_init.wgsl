struct S { a: f32, b: vec2<i32>, c: array<u32, 3> }
@group(0) @binding(0) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(1)
fn main() {
    var s: S;
    var v: vec3<u32>;
    var x: i32;
    var m: mat2x2<f32>;
    out[0] = u32(s.a) + u32(s.b.x + s.b.y) + s.c[0] + s.c[2];
    out[1] = v.x + v.y + v.z + u32(x) + u32(m[1][1]);
    s.c[1] = 7u;
    out[2] = s.c[1];
}
