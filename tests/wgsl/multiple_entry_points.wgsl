@group(0) @binding(0) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(1)
fn first() { out[0] = 1u; }

@compute @workgroup_size(1)
fn second() { out[0] = 2u; }

@compute @workgroup_size(1)
fn main() { out[0] = 3u; }
