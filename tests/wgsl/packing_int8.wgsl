@group(0) @binding(0) var<storage, read> a: array<vec4<i32>>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<storage, read_write> back: array<vec4<i32>>;

@compute @workgroup_size(8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let v = a[id.x];
    let p = pack4xI8(v);
    out[id.x * 3u] = p;
    out[id.x * 3u + 1u] = pack4xU8Clamp(vec4<u32>(abs(v)));
    out[id.x * 3u + 2u] = dot4U8Packed(p, 0x01020304u);
    back[id.x] = unpack4xI8(pack4xI8Clamp(v));
}
