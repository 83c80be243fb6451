const TILE: u32 = 8u;
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
var<workgroup> ta: array<array<f32, TILE>, TILE>;
var<workgroup> tb: array<array<f32, TILE>, TILE>;
const N = 16u;

@compute @workgroup_size(TILE, TILE, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    var acc: f32;
    for (var t = 0u; t < N / TILE; t++) {
        ta[lid.y][lid.x] = a[gid.y * N + t * TILE + lid.x];
        tb[lid.y][lid.x] = b[(t * TILE + lid.y) * N + gid.x];
        workgroupBarrier();
        for (var i = 0u; i < TILE; i++) {
            acc += ta[lid.y][i] * tb[i][lid.x];
        }
        workgroupBarrier();
    }
    c[gid.y * N + gid.x] = acc;
}
