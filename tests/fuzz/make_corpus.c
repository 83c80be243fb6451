/* make_corpus.c - writes the seed corpus of the fuzz targets: SPIR-V that
 * cs_shader_compile produces for a few representative shaders, and the
 * HLSL sources themselves. Run from the repository root (make
 * fuzz-corpus); the outputs are committed under tests/fuzz/corpus/. It
 * only writes its own files, so regression seeds added by hand stay.
 *
 *   fuzz_reflect/NAME.spv, fuzz_validate/NAME.spv   the module
 *   fuzz_layout/NAME.spv, NAME-keep.spv             the module, with the
 *       generator word's low bit (keep_cbuffer_offsets) clear and set
 *   fuzz_image_format/NAME.bin                      entries + the module
 *   fuzz_hlsl_compat/NAME.hlsl                      the HLSL source */
#include "compushady.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct shader {
    const char *name;
    cs_shader_language language;
    const char *source;
} shader;

static const shader shaders[] = {
    {"hlsl_structured", CS_SHADER_HLSL,
     "struct Particle { float3 position; float mass; float2x3 basis;\n"
     "  uint flags[3]; };\n"
     "StructuredBuffer<float3> positions : register(t0);\n"
     "RWStructuredBuffer<Particle> particles : register(u0);\n"
     "ByteAddressBuffer raw : register(t1);\n"
     "RWByteAddressBuffer raw_out : register(u1);\n"
     "[numthreads(64, 1, 1)]\n"
     "void main(uint3 id : SV_DispatchThreadID) {\n"
     "  Particle p = particles[id.x];\n"
     "  p.position += positions[id.x] * p.mass;\n"
     "  p.flags[id.x % 3] |= raw.Load(id.x * 4);\n"
     "  particles[id.x] = p;\n"
     "  raw_out.Store(id.x * 4, asuint(p.basis[1][2]));\n"
     "}\n"},
    {"hlsl_cbuffer", CS_SHADER_HLSL,
     "struct Light { float3 color; float intensity; float2 offsets[2]; };\n"
     "cbuffer Params : register(b0) {\n"
     "  float4 scale; float weights[4]; Light lights[2];\n"
     "  float3x3 rotation; row_major float2x3 skew; double3 origin;\n"
     "  float tail; };\n"
     "struct Extra { float3 dir; float intensity; float2 offsets[2]; };\n"
     "ConstantBuffer<Extra> extra : register(b1);\n"
     "RWStructuredBuffer<float4> output : register(u0);\n"
     "[numthreads(8, 8, 1)]\n"
     "void main(uint3 id : SV_DispatchThreadID) {\n"
     "  float3 c = mul(rotation, lights[id.x % 2].color) * weights[id.y % "
     "4];\n"
     "  c += mul(skew, float3(extra.offsets[1], tail)).xyy;\n"
     "  output[id.x] = float4(c + (float3)origin, lights[1].intensity) *\n"
     "    scale + extra.intensity;\n"
     "}\n"},
    {"hlsl_packoffset", CS_SHADER_HLSL,
     "cbuffer P : register(b0) { float pa[2] : packoffset(c0);\n"
     "  float pb : packoffset(c2); float4 px : packoffset(c3); };\n"
     "cbuffer Q : register(b1) { float4 qx : packoffset(c2);\n"
     "  float qy : packoffset(c0.y); };\n"
     "RWStructuredBuffer<float> o : register(u0);\n"
     "[numthreads(1, 1, 1)] void main() {\n"
     "  o[0] = pa[1] + pb + px.w + qx.z + qy; }\n"},
    {"hlsl_typed_buffers", CS_SHADER_HLSL,
     "Buffer<float4> src : register(t0);\n"
     "RWBuffer<uint> counts : register(u0);\n"
     "RWBuffer<float2> pairs : register(u1);\n"
     "[numthreads(32, 1, 1)]\n"
     "void main(uint3 id : SV_DispatchThreadID) {\n"
     "  float4 v = src[id.x];\n"
     "  InterlockedAdd(counts[0], (uint)v.x);\n"
     "  pairs[id.x] = v.yz;\n"
     "}\n"},
    {"hlsl_textures", CS_SHADER_HLSL,
     "Texture2D<float4> tex : register(t0);\n"
     "Texture2DArray<float> layers : register(t1);\n"
     "TextureCube<float4> cube : register(t2);\n"
     "Texture3D<uint4> volume : register(t3);\n"
     "Texture2D<float4> many[4] : register(t4);\n"
     "SamplerState linear_clamp : register(s0);\n"
     "SamplerState point_wrap : register(s1);\n"
     "RWTexture2D<float4> target : register(u0);\n"
     "RWTexture3D<uint> counters : register(u1);\n"
     "RWTexture2DArray<float2> slices : register(u2);\n"
     "[numthreads(8, 8, 1)]\n"
     "void main(uint3 id : SV_DispatchThreadID) {\n"
     "  float2 uv = id.xy / 64.0;\n"
     "  float4 c = tex.SampleLevel(linear_clamp, uv, 0);\n"
     "  c += layers.SampleLevel(point_wrap, float3(uv, 1), 0);\n"
     "  c += cube.SampleLevel(linear_clamp, float3(uv, 1), 0);\n"
     "  c += many[id.z % 4].Load(int3(id.xy, 0));\n"
     "  c.x += volume.Load(int4(id, 0)).x;\n"
     "  target[id.xy] = c;\n"
     "  InterlockedAdd(counters[id], 1);\n"
     "  slices[uint3(id.xy, 0)] = c.xy;\n"
     "}\n"},
    {"hlsl_push_constants", CS_SHADER_HLSL,
     "[[vk::push_constant]] cbuffer K { float ka[2]; float kb;\n"
     "  float4x4 transform; };\n"
     "RWStructuredBuffer<float4> o : register(u0);\n"
     "[numthreads(4, 4, 4)]\n"
     "void main(uint3 id : SV_DispatchThreadID) {\n"
     "  o[id.x] = mul(transform, float4(ka[id.y % 2], kb, 0, 1)); }\n"},
    {"hlsl_renamed", CS_SHADER_HLSL,
     "// names DXC takes and glslang reserves: texture, sampler, matrix\n"
     "RWStructuredBuffer<float> texture : register(u0); /* a buffer */\n"
     "Texture2D<float4> line : register(t0);\n"
     "float scaled(float matrix, vector<float, 2> point) {\n"
     "  precise float linear = matrix * point.x; return linear; }\n"
     "[numthreads(1, 1, 1)] void main() {\n"
     "  float triangle = (float)line.Load(int3(0, 0, 0)).x;\n"
     "  texture[0] = scaled(triangle, float2(1e5f, 0x1F)); }\n"},
    {"glsl_buffers", CS_SHADER_GLSL,
     "#version 450\n"
     "layout(local_size_x_id = 0, local_size_y = 2) in;\n"
     "struct S { vec3 v; float f; mat2x3 m; };\n"
     "layout(std140, binding = 0) uniform U { vec4 a; float arr[3];\n"
     "  S s[2]; mat3 r; } u;\n"
     "layout(std430, binding = 2048) buffer B { vec3 data[]; } b;\n"
     "layout(std430, binding = 1024) readonly buffer R { uvec2 k[4]; } r;\n"
     "layout(push_constant) uniform P { uint n; vec4 k; } p;\n"
     "void main() {\n"
     "  uint i = gl_GlobalInvocationID.x;\n"
     "  b.data[i] = u.r * (u.s[i % 2].v + u.s[1].m * vec2(u.arr[2])) +\n"
     "    u.a.xyz * p.k.xyz + float(p.n + r.k[i % 4].y);\n"
     "}\n"},
    {"glsl_images", CS_SHADER_GLSL,
     "#version 450\n"
     "layout(local_size_x = 16, local_size_y = 16) in;\n"
     "layout(rgba8, binding = 2048) uniform writeonly image2D color;\n"
     "layout(r32ui, binding = 2049) uniform uimage3D volume;\n"
     "layout(rgba32f, binding = 2050) uniform imageBuffer texels;\n"
     "layout(binding = 1024) uniform sampler2D combined;\n"
     "layout(binding = 1025) uniform texture2D separate;\n"
     "layout(binding = 1026) uniform samplerBuffer typed;\n"
     "layout(binding = 3072) uniform sampler nearest;\n"
     "void main() {\n"
     "  ivec2 p = ivec2(gl_GlobalInvocationID.xy);\n"
     "  vec4 c = texture(combined, vec2(p) / 16.0);\n"
     "  c += texture(sampler2D(separate, nearest), vec2(0.5));\n"
     "  c += texelFetch(typed, p.x) + imageLoad(texels, p.y);\n"
     "  imageStore(color, p, c);\n"
     "  imageAtomicAdd(volume, ivec3(p, 0), 1u);\n"
     "}\n"},
};

/* Text for the HLSL rewriter alone: comments, literals, pp-numbers, casts,
 * template arguments and keyword uses around the renamed names, ending in
 * an unterminated comment. */
static const char tricky_hlsl[] =
    "// texture in a comment\n"
    "/* matrix\n   vector */ float4 vector = \"sampler\\\"x\"; 'c'\n"
    "vector<float, 3> v; (matrix)m; precise float p; 1e5f 0x1Fline\n"
    "texture.x = sampler[0] + point(line) , triangleadj;lineadj\n"
    "centroid nointerpolation noperspective globallycoherent\r\n"
    "float f(float texture /* c */ , matrix < 2 > m) /* open";

/* SPIR-V ImageFormats given to the storage images of image format seeds:
 * Rgba8, R32f, Rgba16f, R32ui, Rg32f. */
static const uint8_t seed_formats[] = {4, 3, 2, 33, 6};

static int write_file(const char *directory, const char *name,
                      const char *extension, const void *header,
                      size_t header_size, const void *data, size_t size)
{
    char path[256];
    snprintf(path, sizeof path, "tests/fuzz/corpus/%s/%s%s", directory, name,
             extension);
    FILE *file = fopen(path, "wb");
    if (file == NULL) {
        fprintf(stderr,
                "make_corpus: cannot write %s (run from the "
                "repository root)\n",
                path);
        return 1;
    }
    bool ok = fwrite(header, 1, header_size, file) == header_size &&
              fwrite(data, 1, size, file) == size;
    ok = fclose(file) == 0 && ok;
    if (!ok)
        fprintf(stderr, "make_corpus: writing %s failed\n", path);
    return ok ? 0 : 1;
}

/* The fuzz_image_format input header: the storage images and storage
 * texel buffers of set 0 (at most 7), each with a format. */
static size_t image_format_header(const void *spirv, size_t size,
                                  uint8_t header[22])
{
    cs_shader_reflection reflection;
    size_t count = 0;
    if (cs_shader_reflect(spirv, size, &reflection) == CS_OK) {
        for (uint32_t i = 0; i < reflection.binding_count && count < 7; i++) {
            const cs_shader_binding *b = &reflection.bindings[i];
            if (b->set != 0 || (b->type != CS_BINDING_STORAGE_IMAGE &&
                                b->type != CS_BINDING_STORAGE_TEXEL_BUFFER))
                continue;
            uint8_t *entry = header + 1 + count * 3;
            entry[0] = (uint8_t)(b->binding & 0xff);
            entry[1] = (uint8_t)(b->binding >> 8);
            entry[2] = seed_formats[count % sizeof seed_formats];
            count++;
        }
        cs_shader_reflection_free(&reflection);
    }
    header[0] = (uint8_t)count;
    return 1 + count * 3;
}

int main(void)
{
    int failures = 0;
    for (size_t i = 0; i < sizeof shaders / sizeof shaders[0]; i++) {
        const shader *s = &shaders[i];
        cs_shader_compile_desc desc = {
            .language = s->language,
            .source = s->source,
            .file_name = s->name,
        };
        void *spirv = NULL;
        size_t size = 0;
        if (cs_shader_compile(&desc, &spirv, &size) != CS_OK) {
            fprintf(stderr, "make_corpus: %s: %s\n", s->name, cs_last_error());
            failures++;
            continue;
        }
        failures +=
            write_file("fuzz_reflect", s->name, ".spv", "", 0, spirv, size);
        failures +=
            write_file("fuzz_validate", s->name, ".spv", "", 0, spirv, size);
        uint32_t *words = spirv;
        words[2] &= ~1u;
        failures +=
            write_file("fuzz_layout", s->name, ".spv", "", 0, spirv, size);
        words[2] |= 1u;
        failures +=
            write_file("fuzz_layout", s->name, "-keep.spv", "", 0, spirv, size);
        uint8_t header[22];
        size_t header_size = image_format_header(spirv, size, header);
        failures += write_file("fuzz_image_format", s->name, ".bin", header,
                               header_size, spirv, size);
        if (s->language == CS_SHADER_HLSL)
            failures += write_file("fuzz_hlsl_compat", s->name, ".hlsl", "", 0,
                                   s->source, strlen(s->source));
        cs_free(spirv);
    }
    failures += write_file("fuzz_hlsl_compat", "tricky", ".hlsl", "", 0,
                           tricky_hlsl, strlen(tricky_hlsl));
    return failures ? 1 : 0;
}
