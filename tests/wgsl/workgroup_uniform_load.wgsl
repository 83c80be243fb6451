@group(0) @binding(0) var<storage, read_write> out: array<u32>;
var<workgroup> shared_limit: u32;

@compute @workgroup_size(16)
fn main(@builtin(local_invocation_index) i: u32) {
    if (i == 0u) { shared_limit = 5u; }
    let limit = workgroupUniformLoad(&shared_limit);
    var acc = 0u;
    for (var k = 0u; k < limit; k++) { acc += k + i; }
    out[i] = acc;
}
