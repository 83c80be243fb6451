@group(0) @binding(0) var<storage, read_write> outf: array<f32>;
@group(0) @binding(1) var<storage, read_write> outi: array<i32>;
@group(0) @binding(2) var<storage, read_write> outu: array<u32>;
const BIG = 4000000000;           // abstract-int beyond i32
const HALF = BIG / 2;
const PI = 3.14159265358979;
const ONE_THIRD = 1.0 / 3.0;
const V = vec3(1, 2, 3);          // abstract vector
const ARR = array(10, 20, 30, 40);

@compute @workgroup_size(1)
fn main() {
    outu[0] = BIG;                 // fits u32
    outu[1] = HALF + 1;
    outi[0] = HALF - 2000000000 - 7;
    outf[0] = PI * 2;              // abstract float * abstract int
    outf[1] = ONE_THIRD;
    let fv: vec3<f32> = V * 2.5;
    outf[2] = fv.z;
    let iv: vec3<i32> = V;
    outi[1] = iv.x + iv.y * iv.z;
    var idx = 2;
    outi[2] = ARR[idx];            // dynamic index into a const array
    outf[3] = 1 + 0.5;             // int + float -> abstract float
    outu[2] = 0xFFFFFFFFu;
    outi[3] = -2147483648;
    outf[4] = f32(7) / 2;
    outu[3] = u32(1e3);
    outi[4] = 1 << 30;
    outf[5] = 2e-3 * 1000;
}
