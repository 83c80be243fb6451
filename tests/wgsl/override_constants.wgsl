override BLOCK: u32 = 32;
override GAIN: f32 = 2.5;
@id(7) override USE_GAIN: bool = true;
@group(0) @binding(0) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(BLOCK)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    var v = f32(id.x);
    if (USE_GAIN) { v *= GAIN; }
    out[id.x] = v;
}
