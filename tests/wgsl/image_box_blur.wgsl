@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var dst: texture_storage_2d<rgba32float, write>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(src);
    if (id.x >= size.x || id.y >= size.y) { return; }
    var acc = vec4<f32>(0.0);
    for (var dy = -1; dy <= 1; dy++) {
        for (var dx = -1; dx <= 1; dx++) {
            let p = clamp(vec2<i32>(id.xy) + vec2(dx, dy), vec2(0), vec2<i32>(size) - 1);
            acc += textureLoad(src, p, 0);
        }
    }
    textureStore(dst, id.xy, acc / 9.0);
}
