@group(0) @binding(0) var vol: texture_3d<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(4, 4, 4)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let d = textureDimensions(vol);
    let i = (id.z * d.y + id.y) * d.x + id.x;
    out[i] = textureLoad(vol, id, 0).x * 2u + d.x;
}
