@group(0) @binding(0) var img: texture_storage_2d<r32float, read_write>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let v = textureLoad(img, id.xy);
    textureStore(img, id.xy, vec4(1.0 - v.x, 0.0, 0.0, 1.0));
}
