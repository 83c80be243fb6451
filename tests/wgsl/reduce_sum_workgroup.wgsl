// tree reduction in workgroup memory with barriers; one partial sum per group
@group(0) @binding(0) var<storage, read> input: array<f32>;
@group(0) @binding(1) var<storage, read_write> partial: array<f32>;
var<workgroup> scratch: array<f32, 64>;

@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32,
        @builtin(workgroup_id) gid: vec3<u32>,
        @builtin(global_invocation_id) id: vec3<u32>) {
    scratch[lid] = input[id.x];
    workgroupBarrier();
    for (var stride = 32u; stride > 0u; stride = stride / 2u) {
        if (lid < stride) {
            scratch[lid] += scratch[lid + stride];
        }
        workgroupBarrier();
    }
    if (lid == 0u) {
        partial[gid.x] = scratch[0];
    }
}
