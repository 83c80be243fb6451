@group(0) @binding(0) var<storage, read> a: array<i32>;
@group(0) @binding(1) var<storage, read> b: array<i32>;
@group(0) @binding(2) var<storage, read_write> q: array<i32>;
@group(0) @binding(3) var<storage, read_write> r: array<i32>;

@compute @workgroup_size(16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    // WGSL: x / 0 == x, x % 0 == 0, MIN / -1 == MIN; % truncates
    q[id.x] = a[id.x] / b[id.x];
    r[id.x] = a[id.x] % b[id.x];
}
