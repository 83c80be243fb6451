@group(0) @binding(0) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> packed: array<u32>;
@group(0) @binding(2) var<storage, read_write> unpacked: array<vec4<f32>>;

@compute @workgroup_size(8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let v = a[id.x];
    let p = pack4x8unorm(v);
    packed[id.x * 4u] = p;
    packed[id.x * 4u + 1u] = pack4x8snorm(v * 2.0 - 1.0);
    packed[id.x * 4u + 2u] = pack2x16float(v.xy);
    packed[id.x * 4u + 3u] = pack2x16unorm(v.zw);
    unpacked[id.x] = unpack4x8unorm(p);
}
