@group(0) @binding(0) var<storage, read_write> out: array<vec4<u32>>;

@compute @workgroup_size(2, 2, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) lidx: u32,
        @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
    let flat = (gid.y * (nwg.x * 2u) + gid.x);
    out[flat * 2u] = vec4(gid.xy, lid.xy);
    out[flat * 2u + 1u] = vec4(lidx, wid.x, wid.y, nwg.x * 10u + nwg.y);
}
