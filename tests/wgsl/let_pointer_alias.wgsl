struct S { a: array<u32, 4>, b: vec4<u32> }
@group(0) @binding(0) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(1)
fn main() {
    var s: S;
    let pa = &s.a;
    let pb = &s.b;
    for (var i = 0; i < 4; i++) {
        (*pa)[i] = u32(i) * 3u;
        (*pb)[i] = u32(i) + 10u;
    }
    let e = &(*pa)[2];
    *e += 100u;
    for (var i = 0u; i < 4u; i++) {
        out[i] = s.a[i];
        out[i + 4u] = pb[i];
    }
}
