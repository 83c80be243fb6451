@group(0) @binding(0) var<storage, read_write> out: array<u32>;
var<workgroup> counter: atomic<u32>;

@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3<u32>) {
    atomicAdd(&counter, lid);
    workgroupBarrier();
    if (lid == 0u) {
        out[wg.x] = atomicLoad(&counter);
    }
}
