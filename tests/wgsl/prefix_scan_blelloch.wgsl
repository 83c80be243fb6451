// exclusive scan (Blelloch) of 128 values by 64 invocations
@group(0) @binding(0) var<storage, read> input: array<i32, 128>;
@group(0) @binding(1) var<storage, read_write> output: array<i32, 128>;
var<workgroup> t: array<i32, 128>;

@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32) {
    t[2u * lid] = input[2u * lid];
    t[2u * lid + 1u] = input[2u * lid + 1u];
    var offset = 1u;
    for (var d = 64u; d > 0u; d >>= 1u) {
        workgroupBarrier();
        if (lid < d) {
            let ai = offset * (2u * lid + 1u) - 1u;
            let bi = offset * (2u * lid + 2u) - 1u;
            t[bi] += t[ai];
        }
        offset *= 2u;
    }
    if (lid == 0u) { t[127] = 0; }
    for (var d = 1u; d < 128u; d *= 2u) {
        offset >>= 1u;
        workgroupBarrier();
        if (lid < d) {
            let ai = offset * (2u * lid + 1u) - 1u;
            let bi = offset * (2u * lid + 2u) - 1u;
            let tmp = t[ai];
            t[ai] = t[bi];
            t[bi] += tmp;
        }
    }
    workgroupBarrier();
    output[2u * lid] = t[2u * lid];
    output[2u * lid + 1u] = t[2u * lid + 1u];
}
