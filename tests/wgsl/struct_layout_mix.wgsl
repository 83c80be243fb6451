// constructors of structs whose WGSL layout needs padding, nested structs
// with @size, vec3 followed by a scalar, written whole into a buffer
struct Inner { @size(12) a: u32, b: u32 }          // a@0 (12 bytes), b@12: size 16
struct Outer {
    v: vec3<u32>,                                  // @0, 12 bytes
    s: u32,                                        // @12
    @align(32) inner: Inner,                       // @32
    tail: array<u32, 2>,                           // @48
}                                                  // size 64 (align 32)
@group(0) @binding(0) var<storage, read_write> out: array<Outer, 2>;

@compute @workgroup_size(2)
fn main(@builtin(local_invocation_index) i: u32) {
    var o = Outer(vec3(i, i + 1u, i + 2u), 7u, Inner(100u + i, 200u + i), array(9u, 10u + i));
    var copy = o;
    copy.inner.b += 1u;
    out[i] = copy;
}
