@group(0) @binding(0) var<storage, read_write> out: array<i32>;

fn bump(p: ptr<function, i32>, by: i32) {
    *p = *p + by;
}
fn swap(a: ptr<function, vec2<i32>>) {
    let t = (*a).x;
    (*a).x = (*a).y;
    (*a).y = t;
}
var<private> counter: i32 = 100;
fn count(p: ptr<private, i32>) -> i32 {
    *p += 1;
    return *p;
}

@compute @workgroup_size(1)
fn main() {
    var x = 5;
    bump(&x, 3);
    bump(&x, -1);
    var v = vec2(1, 2);
    swap(&v);
    out[0] = x;
    out[1] = v.x;
    out[2] = v.y;
    out[3] = count(&counter);
    out[4] = count(&counter);
    let p = &x;
    *p = 42;
    out[5] = x;
}
