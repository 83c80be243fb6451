@group(0) @binding(0) var<storage, read_write> slots: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read_write> won: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    // every invocation tries to claim slot id % 8; exactly one wins each
    let r = atomicCompareExchangeWeak(&slots[id.x % 8u], 0u, id.x + 1u);
    won[id.x] = select(0u, 1u, r.exchanged);
    if (id.x == 0u) {
        atomicStore(&slots[8], 77u);
        atomicSub(&slots[9], 5u);
        atomicOr(&slots[10], 6u);
        atomicAnd(&slots[11], 12u);
        let old = atomicExchange(&slots[12], 3u);
        atomicAdd(&slots[13], old);
    }
}
