@group(0) @binding(0) var src: texture_storage_2d<r32uint, read>;
@group(0) @binding(1) var dst: texture_storage_2d<r32uint, write>;

fn at(p: vec2<i32>) -> i32 {
    let s = vec2<i32>(textureDimensions(src));
    return i32(textureLoad(src, clamp(p, vec2(0), s - 1)).x);
}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let p = vec2<i32>(id.xy);
    let gx = at(p + vec2(1, -1)) + 2 * at(p + vec2(1, 0)) + at(p + vec2(1, 1))
           - at(p + vec2(-1, -1)) - 2 * at(p + vec2(-1, 0)) - at(p + vec2(-1, 1));
    let gy = at(p + vec2(-1, 1)) + 2 * at(p + vec2(0, 1)) + at(p + vec2(1, 1))
           - at(p + vec2(-1, -1)) - 2 * at(p + vec2(0, -1)) - at(p + vec2(1, -1));
    textureStore(dst, id.xy, vec4<u32>(u32(abs(gx) + abs(gy))));
}
