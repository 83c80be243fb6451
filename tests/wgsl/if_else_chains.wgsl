@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let x = a[id.x];
    var band: u32;
    if x < -1.0 { band = 0u; }
    else if x < 0.0 { band = 1u; }
    else if x < 1.0 { band = 2u; }
    else { band = 3u; }
    let positive = x > 0.0;
    if (!positive || x > 100.0) { band += 10u; }
    out[id.x] = band;
}
