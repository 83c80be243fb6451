@group(0) @binding(0) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(1)
fn main() {
    var total = 0u;
    var i = 0u;
    loop {
        switch i % 3u {
            case 0u: { i += 1u; continue; }
            case 1u: { total += i; }
            default: { total += 10u * i; }
        }
        i += 1u;
        continuing {
            break if i >= 20u;
        }
    }
    out[0] = total;
    out[1] = i;
}
