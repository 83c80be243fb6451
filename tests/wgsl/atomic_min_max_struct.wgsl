struct Stats { lo: atomic<i32>, hi: atomic<i32>, count: atomic<u32>, xor_all: atomic<u32> }
@group(0) @binding(0) var<storage, read> values: array<i32>;
@group(0) @binding(1) var<storage, read_write> stats: Stats;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let v = values[id.x];
    atomicMin(&stats.lo, v);
    atomicMax(&stats.hi, v);
    atomicAdd(&stats.count, 1u);
    atomicXor(&stats.xor_all, bitcast<u32>(v));
}
