struct Pair { lo: f32, hi: f32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<Pair>;

fn minmax(x: f32, y: f32) -> Pair {
    return Pair(min(x, y), max(x, y));
}
fn widen(p: Pair, by: f32) -> Pair {
    var q = p;
    q.lo -= by;
    q.hi += by;
    return q;
}

@compute @workgroup_size(8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    out[id.x] = widen(minmax(a[2u * id.x], a[2u * id.x + 1u]), 0.5);
}
