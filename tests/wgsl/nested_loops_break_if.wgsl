@group(0) @binding(0) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(1)
fn main() {
    var count = 0u;
    var a = 0u;
    loop {
        var b = 0u;
        loop {
            count += a ^ b;
            continuing {
                b++;
                break if b >= a;
            }
        }
        continuing {
            a++;
            break if a > 6u;
        }
    }
    out[0] = count;
}
