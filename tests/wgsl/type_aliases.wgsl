alias Vec = vec3<f32>;
alias Index = u32;
alias Table = array<Vec, 4>;
@group(0) @binding(0) var<storage, read_write> out: array<f32>;

fn sum(t: Table) -> Vec {
    var s = Vec(0.0);
    for (var i: Index = 0u; i < 4u; i++) { s += t[i]; }
    return s;
}

@compute @workgroup_size(1)
fn main() {
    let t = Table(Vec(1.0), Vec(2.0, 3.0, 4.0), vec3(0.5), Vec());
    let s = sum(t);
    out[0] = s.x; out[1] = s.y; out[2] = s.z;
}
