@group(0) @binding(0) var smp: sampler;
@group(0) @binding(1) var tex: texture_2d<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4<f32>>;

@compute @workgroup_size(3, 3)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    // the corner shared by texels (x, y), (x+1, y), (x, y+1), (x+1, y+1)
    let uv = vec2<f32>(id.xy + 1u) / 4.0;
    out[id.y * 3u + id.x] = textureGather(1, tex, smp, uv);
}
