@group(0) @binding(0) var<storage, read_write> out: array<i32>;

@compute @workgroup_size(1)
fn main() {
    var i = 0;
    var evens = 0;
    var steps = 0;
    loop {
        if (i % 2 == 1) { continue; }
        evens += i;
        continuing {
            steps += 1;
            i += 1;
            break if i == 10;
        }
    }
    out[0] = evens;
    out[1] = steps;
    var j = 0;
    while (j < 100) {
        j += 7;
        if (j > 50) { break; }
    }
    out[2] = j;
    var k = 0;
    for (var a = 0; a < 5; a++) {
        for (var b = 0; b < 5; b++) {
            if (b > a) { break; }
            if (b == 1) { continue; }
            k += a * b;
        }
    }
    out[3] = k;
}
