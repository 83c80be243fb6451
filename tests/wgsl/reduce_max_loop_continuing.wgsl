@group(0) @binding(0) var<storage, read> input: array<i32>;
@group(0) @binding(1) var<storage, read_write> result: array<i32>;
var<workgroup> scratch: array<i32, 64>;

@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32) {
    scratch[lid] = input[lid];
    workgroupBarrier();
    var stride = 32u;
    loop {
        if (lid < stride) {
            scratch[lid] = max(scratch[lid], scratch[lid + stride]);
        }
        workgroupBarrier();
        continuing {
            stride = stride >> 1u;
            break if stride == 0u;
        }
    }
    if (lid == 0u) { result[0] = scratch[0]; }
}
