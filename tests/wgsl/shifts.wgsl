@group(0) @binding(0) var<storage, read> a: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<storage, read_write> outi: array<i32>;

@compute @workgroup_size(16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let s = id.x * 3u;          // up to 45: WGSL masks the shift to 5 bits
    out[id.x] = a[id.x] << s;
    out[id.x + 16u] = a[id.x] >> s;
    outi[id.x] = bitcast<i32>(a[id.x]) >> s;  // arithmetic shift
}
