@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

fn square(x: f32) -> f32 { return x * x; }
fn poly(x: f32) -> f32 { return square(x) * 3.0 - x + 1.0; }
fn classify(x: f32) -> i32 {
    if (x < 0.0) { return -1; } else if (x == 0.0) { return 0; }
    return 1;
}

@compute @workgroup_size(16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    out[id.x] = poly(a[id.x]) + f32(classify(a[id.x]));
}
