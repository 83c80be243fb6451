@group(0) @binding(0) var<storage, read> input: array<i32>;
@group(0) @binding(1) var<storage, read_write> out: array<i32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let v = input[id.x];
    var r: i32;
    switch v % 5 {
        case 0: { r = 100; }
        case 1, 2: { r = 200 + v; }
        case -1, -2, default: { r = -1; }
        case 3 { r = 300; if (v > 10) { break; } r = 301; }
    }
    out[id.x] = r;
}
