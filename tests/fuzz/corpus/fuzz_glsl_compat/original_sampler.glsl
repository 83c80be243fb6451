layout (local_size_x = 1) in;
layout(set = 0, binding = 0) uniform sampler sampler0;
layout(set = 0, binding = 1) uniform texture2D source0;
layout(set = 0, binding = 2, rgba8) uniform image2D target0;
layout(set = 0, binding = 3) uniform float multiplier;
layout(set = 0, binding = 4, r32ui) uniform image1D counts;
// uniform float commented;
#define U uniform float
struct S { float a; };
layout(binding = 5) uniform S s, t[2];
layout(binding = 6) uniform Block { float b; };
void main()
{
    vec4 color = textureLod(sampler2D(source0, sampler0), vec2(0.0), 0.0);
    imageStore(target0, ivec2(0), color * multiplier * s.a * b);
}
