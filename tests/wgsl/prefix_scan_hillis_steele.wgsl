// inclusive prefix sum within one workgroup of 64
@group(0) @binding(0) var<storage, read> input: array<u32>;
@group(0) @binding(1) var<storage, read_write> output: array<u32>;
var<workgroup> buf: array<array<u32, 64>, 2>;

@compute @workgroup_size(64)
fn main(@builtin(local_invocation_id) lid3: vec3<u32>) {
    let lid = lid3.x;
    var src = 0u;
    buf[0][lid] = input[lid];
    workgroupBarrier();
    for (var offset = 1u; offset < 64u; offset <<= 1u) {
        let dst = 1u - src;
        if (lid >= offset) {
            buf[dst][lid] = buf[src][lid] + buf[src][lid - offset];
        } else {
            buf[dst][lid] = buf[src][lid];
        }
        src = dst;
        workgroupBarrier();
    }
    output[lid] = buf[src][lid];
}
