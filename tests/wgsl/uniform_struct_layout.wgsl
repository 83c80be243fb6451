// uniform layout: vec3 then f32 share 16 bytes; array of vec4 stride 16
struct Params {
    offset: vec3<f32>,
    scale: f32,
    weights: array<vec4<f32>, 2>,
    count: u32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(1)
fn main() {
    out[0] = params.offset.x + params.offset.y + params.offset.z;
    out[1] = params.scale;
    out[2] = dot(params.weights[0], params.weights[1]);
    out[3] = f32(params.count);
}
