@group(0) @binding(0) var<storage, read_write> out: array<i32>;
const x = 1;

@compute @workgroup_size(1)
fn main() {
    let a = x;
    var r = a;
    {
        let x = 10;
        r += x;
        {
            var x = 100;
            x += 1;
            r += x;
        }
    }
    let main_ = 5;
    let float = 2;        // a GLSL keyword is a fine WGSL name
    let texture = 3;
    let gl_x = 1;
    r += main_ + float * texture + gl_x;
    out[0] = r;
}
