@group(0) @binding(0) var<storage, read> sel: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

fn table() -> array<f32, 5> {
    return array<f32, 5>(1.5, 2.5, 3.5, 4.5, 5.5);
}

@compute @workgroup_size(8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    var t = table();
    t[0] = -1.0;
    let k = array(array(1.0, 2.0), array(3.0, 4.0));
    out[id.x] = t[sel[id.x] % 5u] + k[id.x % 2u][(id.x / 2u) % 2u];
}
