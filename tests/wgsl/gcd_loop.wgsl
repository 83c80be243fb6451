@group(0) @binding(0) var<storage, read> a: array<vec2<u32>>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;

fn gcd(x0: u32, y0: u32) -> u32 {
    var x = x0;
    var y = y0;
    loop {
        if (y == 0u) { break; }
        let t = x % y;
        x = y;
        y = t;
    }
    return x;
}

@compute @workgroup_size(16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    out[id.x] = gcd(a[id.x].x, a[id.x].y);
}
