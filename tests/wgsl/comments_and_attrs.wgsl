/* block comment /* nested */ still comment */
// line comment
enable f16;
@group(0) @binding(0)
var<storage, read_write> out: array<u32>;   // trailing

@compute
@workgroup_size(2, 1, 1,)
fn main(
    @builtin(global_invocation_id) id: vec3<u32>,
) {
    let h: f16 = 1.5h;
    out[id.x] = u32(f32(h) * 2.0) + id.x;
}
