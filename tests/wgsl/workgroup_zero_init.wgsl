@group(0) @binding(0) var<storage, read_write> out: array<u32>;
var<workgroup> flags: array<u32, 64>;
var<workgroup> total: atomic<u32>;

@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32) {
    // WGSL zero-fills workgroup memory: only even lanes write
    if (lid % 2u == 0u) { flags[lid] = lid; }
    workgroupBarrier();
    atomicAdd(&total, flags[lid]);
    workgroupBarrier();
    if (lid == 0u) { out[0] = atomicLoad(&total); }
}
