struct Data { count: u32, scale: f32, values: array<f32> }
@group(0) @binding(0) var<storage, read_write> data: Data;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    if (id.x < data.count && id.x < arrayLength(&data.values)) {
        data.values[id.x] = data.values[id.x] * data.scale;
    }
}
