@group(0) @binding(0) var<storage, read_write> out: array<u32>;
var<private> seed: u32 = 12345u;
var<private> history: array<u32, 4>;

fn next() -> u32 {
    seed = seed * 1664525u + 1013904223u;
    return seed;
}

@compute @workgroup_size(4)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    seed += id.x;
    for (var i = 0; i < 4; i++) { history[i] = next(); }
    out[id.x] = history[0] ^ history[3];
}
