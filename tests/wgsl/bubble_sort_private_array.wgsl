@group(0) @binding(0) var<storage, read_write> data: array<i32>;

@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) wg: vec3<u32>) {
    var local: array<i32, 8>;
    let base = wg.x * 8u;
    for (var i = 0u; i < 8u; i++) { local[i] = data[base + i]; }
    for (var i = 0u; i < 8u; i++) {
        for (var j = 0u; j + 1u < 8u - i; j++) {
            if (local[j] > local[j + 1u]) {
                let t = local[j];
                local[j] = local[j + 1u];
                local[j + 1u] = t;
            }
        }
    }
    for (var i = 0u; i < 8u; i++) { data[base + i] = local[i]; }
}
