struct Padded {
    a: u32,
    @align(16) b: u32,
    @size(12) c: u32,
    d: u32,
}
@group(0) @binding(0) var<storage, read_write> items: array<Padded>;

@compute @workgroup_size(4)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let i = id.x;
    items[i].a = i;
    items[i].b = i * 10u;
    items[i].c = i * 100u;
    items[i].d = i * 1000u;
}
