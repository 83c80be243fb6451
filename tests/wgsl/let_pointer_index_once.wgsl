@group(0) @binding(0) var<storage, read_write> out: array<u32>;
var<private> calls: u32;

fn next_index() -> u32 {
    calls += 1u;
    return calls;
}

@compute @workgroup_size(1)
fn main() {
    var a = array<u32, 8>();
    var i = 2u;
    let p = &a[i];          // points at a[2] even after i changes
    i = 5u;
    *p = 7u;
    let q = &a[next_index()];  // next_index() runs once: q is &a[1]
    *q += 10u;
    *q += 10u;
    for (var k = 0u; k < 8u; k++) { out[k] = a[k]; }
    out[8] = calls;
}
