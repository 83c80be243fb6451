struct Dims { m: u32, n: u32, k: u32 }
@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let row = id.y;
    let col = id.x;
    if (row >= dims.m || col >= dims.n) { return; }
    var sum = 0.0;
    for (var i = 0u; i < dims.k; i++) {
        sum = fma(a[row * dims.k + i], b[i * dims.n + col], sum);
    }
    c[row * dims.n + col] = sum;
}
