/*
 * test_shader.c - tests of the shader subsystem: compiling, HLSL/DXC
 * compatibility, D3D buffer layouts, reflection, image format patching.
 *
 * Build and run from the repository root:
 *
 *   cc -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -Iinclude \
 *      tests/c/test_shader.c src/shader/[a-z]*.c src/core/errors.c \
 *      /usr/lib/x86_64-linux-gnu/libshaderc_combined.a -lSPIRV -lglslang \
 *      -lMachineIndependent -lOSDependent -lGenericCodeGen -lHLSL \
 *      -lOGLCompiler -lSPIRV-Tools-opt -lSPIRV-Tools \
 *      -lglslang-default-resource-limits -lstdc++ -lpthread -lm \
 *      -o build/test_shader && build/test_shader
 *
 * Add -g -fsanitize=address,undefined to check memory safety (the
 * malformed-SPIR-V tests are meant for it). Prints "N passed, M failed";
 * exits non-zero when anything failed.
 */
#include "../../src/shader/shader_internal.h"

/* libspirv.h defines (not declares) kDefaultMaxIdBound, which C gives
 * external linkage: rename this file's copy so that it links with
 * validate.o, which includes the header too. */
#define kDefaultMaxIdBound test_shader_kDefaultMaxIdBound
#include <spirv-tools/libspirv.h>
#undef kDefaultMaxIdBound
#include <spirv/unified1/spirv.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

#define CHECK(condition, ...)                                                  \
    do {                                                                       \
        if (condition) {                                                       \
            passed++;                                                          \
        } else {                                                               \
            failed++;                                                          \
            printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #condition);        \
            printf(__VA_ARGS__);                                               \
            printf("\n");                                                      \
        }                                                                      \
    } while (0)

/* >>helpers */

typedef struct compiled {
    uint32_t *words;
    size_t word_count;
    cs_status status;
} compiled;

static compiled compile_with(cs_shader_language language, const char *source,
                             const char *entry_point, const char *target)
{
    cs_shader_compile_desc desc = {
        .language = language,
        .source = source,
        .entry_point = entry_point,
        .target = target,
    };
    void *spirv = NULL;
    size_t size = 0;
    compiled result = {0};
    result.status = cs_shader_compile(&desc, &spirv, &size);
    result.words = spirv;
    result.word_count = size / 4;
    return result;
}

static compiled compile_hlsl(const char *source)
{
    compiled result = compile_with(CS_SHADER_HLSL, source, NULL, NULL);
    CHECK(result.status == CS_OK, "%s", cs_last_error());
    return result;
}

static compiled compile_glsl(const char *source)
{
    compiled result = compile_with(CS_SHADER_GLSL, source, NULL, NULL);
    CHECK(result.status == CS_OK, "%s", cs_last_error());
    return result;
}

static bool validates(const uint32_t *words, size_t word_count)
{
    spv_context context = spvContextCreate(SPV_ENV_VULKAN_1_2);
    spv_validator_options options = spvValidatorOptionsCreate();
    spvValidatorOptionsSetScalarBlockLayout(options, true);
    spv_const_binary_t binary = {words, word_count};
    spv_diagnostic diagnostic = NULL;
    spv_result_t result =
        spvValidateWithOptions(context, options, &binary, &diagnostic);
    if (result != SPV_SUCCESS && diagnostic != NULL)
        printf("spirv-val: %s\n", diagnostic->error);
    spvDiagnosticDestroy(diagnostic);
    spvValidatorOptionsDestroy(options);
    spvContextDestroy(context);
    return result == SPV_SUCCESS;
}

static bool reflect(const compiled *shader, cs_shader_reflection *out)
{
    cs_status status =
        cs_shader_reflect(shader->words, shader->word_count * 4, out);
    CHECK(status == CS_OK, "%s", cs_last_error());
    return status == CS_OK;
}

static const cs_shader_binding *find_binding(const cs_shader_reflection *r,
                                             uint32_t binding)
{
    for (uint32_t i = 0; i < r->binding_count; i++)
        if (r->bindings[i].binding == binding)
            return &r->bindings[i];
    return NULL;
}

/* >>decoration reader: what the layout tests look at */

static const uint32_t *defining(const uint32_t *words, size_t count,
                                uint32_t id)
{
    for (size_t at = 5; at < count; at += words[at] >> 16) {
        uint32_t opcode = words[at] & 0xffff;
        if (opcode == SpvOpVariable && words[at + 2] == id)
            return words + at;
        if (opcode >= SpvOpTypeVoid && opcode <= SpvOpTypeForwardPointer &&
            words[at + 1] == id)
            return words + at;
    }
    return NULL;
}

static uint32_t decoration(const uint32_t *words, size_t count, uint32_t id,
                           uint32_t which)
{
    for (size_t at = 5; at < count; at += words[at] >> 16)
        if ((words[at] & 0xffff) == SpvOpDecorate && words[at + 1] == id &&
            words[at + 2] == which)
            return (words[at] >> 16) > 3 ? words[at + 3] : 1;
    return 0xffffffffu;
}

static uint32_t member_decoration(const uint32_t *words, size_t count,
                                  uint32_t id, uint32_t member, uint32_t which)
{
    for (size_t at = 5; at < count; at += words[at] >> 16)
        if ((words[at] & 0xffff) == SpvOpMemberDecorate &&
            words[at + 1] == id && words[at + 2] == member &&
            words[at + 3] == which)
            return (words[at] >> 16) > 4 ? words[at + 4] : 1;
    return 0xffffffffu;
}

/* The struct type of the buffer variable at binding. */
static uint32_t buffer_struct(const compiled *shader, uint32_t binding)
{
    const uint32_t *w = shader->words;
    size_t n = shader->word_count;
    for (size_t at = 5; at < n; at += w[at] >> 16) {
        if ((w[at] & 0xffff) != SpvOpVariable ||
            decoration(w, n, w[at + 2], SpvDecorationBinding) != binding)
            continue;
        const uint32_t *pointer = defining(w, n, w[at + 1]);
        return pointer ? pointer[3] : 0;
    }
    return 0;
}

/* Structured buffer at binding: its element type and array stride. */
static uint32_t element_of(const compiled *shader, uint32_t binding,
                           uint32_t *out_stride)
{
    const uint32_t *w = shader->words;
    size_t n = shader->word_count;
    const uint32_t *block = defining(w, n, buffer_struct(shader, binding));
    if (block == NULL)
        return 0;
    const uint32_t *array = defining(w, n, block[2]);
    if (array == NULL)
        return 0;
    *out_stride = decoration(w, n, array[1], SpvDecorationArrayStride);
    return array[2];
}

static uint32_t offset_of(const compiled *shader, uint32_t struct_id,
                          uint32_t member)
{
    return member_decoration(shader->words, shader->word_count, struct_id,
                             member, SpvDecorationOffset);
}

/* The type of member `member` of a struct, 0 when there is none. */
static uint32_t member_type(const compiled *shader, uint32_t struct_id,
                            uint32_t member)
{
    const uint32_t *inst =
        defining(shader->words, shader->word_count, struct_id);
    if (inst == NULL || (inst[0] & 0xffff) != SpvOpTypeStruct ||
        member + 2 >= (inst[0] >> 16))
        return 0;
    return inst[2 + member];
}

static uint32_t array_stride_of(const compiled *shader, uint32_t array_id)
{
    return decoration(shader->words, shader->word_count, array_id,
                      SpvDecorationArrayStride);
}

static uint32_t matrix_stride_of(const compiled *shader, uint32_t struct_id,
                                 uint32_t member)
{
    return member_decoration(shader->words, shader->word_count, struct_id,
                             member, SpvDecorationMatrixStride);
}

/* Checks the Offset of members 0..count-1 of a struct. */
static void expect_offsets(const compiled *shader, uint32_t struct_id,
                           const uint32_t *expected, uint32_t count,
                           const char *what)
{
    for (uint32_t m = 0; m < count; m++)
        CHECK(offset_of(shader, struct_id, m) == expected[m],
              "%s: member %u at %u, expected %u", what, m,
              offset_of(shader, struct_id, m), expected[m]);
}

/* >>compile */

static const char *all_kinds_hlsl =
    "cbuffer C0 : register(b0) { float4 x; };\n"
    "cbuffer C1 { float4 y; };\n"
    "StructuredBuffer<float> sb : register(t2);\n"
    "StructuredBuffer<float> sb2;\n"
    "ByteAddressBuffer bab;\n"
    "Buffer<float4> tb;\n"
    "Texture2D<float4> tex;\n"
    "Texture2DArray<float4> texa : register(t9);\n"
    "Texture3D<float> tex3[4] : register(t10);\n"
    "RWStructuredBuffer<float> rsb;\n"
    "RWByteAddressBuffer rbab : register(u5);\n"
    "RWBuffer<float4> rtb;\n"
    "RWTexture2D<float4> rtex;\n"
    "RWTexture3D<uint> rtex3;\n"
    "SamplerState s0;\n"
    "SamplerState s1 : register(s4);\n"
    "[numthreads(8, 4, 2)]\n"
    "void main(uint3 id : SV_DispatchThreadID) {\n"
    "  rsb[id.x] = sb[id.x] + sb2[id.x] + asfloat(bab.Load(0)) + tb[0].x\n"
    "    + x.x + y.x + tex.SampleLevel(s0, float2(0, 0), 0).x\n"
    "    + texa.SampleLevel(s1, float3(0, 0, 0), 0).x\n"
    "    + tex3[id.y].SampleLevel(s1, float3(0, 0, 0), 0);\n"
    "  rbab.Store(0, 1);\n"
    "  rtb[0] = 1; rtex[id.xy] = 2; rtex3[id] = 3;\n"
    "}\n";

typedef struct expected_binding {
    uint32_t binding;
    cs_binding_type type;
    bool read_only;
    cs_image_dim dim;
    bool arrayed;
    uint32_t array_size;
} expected_binding;

static void test_hlsl_bindings_and_reflection(void)
{
    /* explicit registers keep their number; the others take the lowest
     * free register of their class in declaration order, as DXC does */
    static const expected_binding expected[] = {
        {0, CS_BINDING_CONSTANT_BUFFER, false, CS_IMAGE_DIM_NONE, false, 1},
        {1, CS_BINDING_CONSTANT_BUFFER, false, CS_IMAGE_DIM_NONE, false, 1},
        {1024, CS_BINDING_STORAGE_BUFFER, true, CS_IMAGE_DIM_NONE, false, 1},
        {1025, CS_BINDING_STORAGE_BUFFER, true, CS_IMAGE_DIM_NONE, false, 1},
        {1026, CS_BINDING_STORAGE_BUFFER, true, CS_IMAGE_DIM_NONE, false, 1},
        {1027, CS_BINDING_UNIFORM_TEXEL_BUFFER, false, CS_IMAGE_DIM_BUFFER,
         false, 1},
        {1028, CS_BINDING_SAMPLED_IMAGE, false, CS_IMAGE_DIM_2D, false, 1},
        {1033, CS_BINDING_SAMPLED_IMAGE, false, CS_IMAGE_DIM_2D, true, 1},
        {1034, CS_BINDING_SAMPLED_IMAGE, false, CS_IMAGE_DIM_3D, false, 4},
        {2048, CS_BINDING_STORAGE_BUFFER, false, CS_IMAGE_DIM_NONE, false, 1},
        {2049, CS_BINDING_STORAGE_TEXEL_BUFFER, false, CS_IMAGE_DIM_BUFFER,
         false, 1},
        {2050, CS_BINDING_STORAGE_IMAGE, false, CS_IMAGE_DIM_2D, false, 1},
        {2051, CS_BINDING_STORAGE_IMAGE, false, CS_IMAGE_DIM_3D, false, 1},
        {2053, CS_BINDING_STORAGE_BUFFER, false, CS_IMAGE_DIM_NONE, false, 1},
        {3072, CS_BINDING_SAMPLER, false, CS_IMAGE_DIM_NONE, false, 1},
        {3076, CS_BINDING_SAMPLER, false, CS_IMAGE_DIM_NONE, false, 1},
    };
    size_t expected_count = sizeof expected / sizeof expected[0];
    compiled shader = compile_hlsl(all_kinds_hlsl);
    cs_shader_reflection r;
    if (shader.status != CS_OK || !reflect(&shader, &r))
        return;
    CHECK(validates(shader.words, shader.word_count), "all kinds validate");
    CHECK(strcmp(r.entry_point, "main") == 0, "entry %s", r.entry_point);
    CHECK(r.workgroup_size[0] == 8 && r.workgroup_size[1] == 4 &&
              r.workgroup_size[2] == 2,
          "workgroup %u %u %u", r.workgroup_size[0], r.workgroup_size[1],
          r.workgroup_size[2]);
    CHECK(r.push_constant_size == 0, "push %u", r.push_constant_size);
    CHECK(r.binding_count == expected_count, "%u bindings", r.binding_count);
    for (size_t i = 0; i < expected_count && i < r.binding_count; i++) {
        const cs_shader_binding *b = &r.bindings[i];
        const expected_binding *e = &expected[i];
        CHECK(b->set == 0 && b->binding == e->binding && b->type == e->type &&
                  b->read_only == e->read_only && b->dim == e->dim &&
                  b->arrayed == e->arrayed && b->array_size == e->array_size,
              "binding %zu: got %u type %d ro %d dim %d arrayed %d size %u, "
              "expected %u type %d ro %d dim %d arrayed %d size %u",
              i, b->binding, b->type, b->read_only, b->dim, b->arrayed,
              b->array_size, e->binding, e->type, e->read_only, e->dim,
              e->arrayed, e->array_size);
    }
    const cs_shader_binding *rtex3 = find_binding(&r, 2051);
    CHECK(rtex3 && rtex3->image_format == SpvImageFormatR32ui,
          "RWTexture3D<uint> format %u", rtex3 ? rtex3->image_format : 0);
    cs_shader_reflection_free(&r);
    free(shader.words);
}

static void test_glsl_compile_and_reflection(void)
{
    compiled shader = compile_glsl(
        "#version 450\n"
        "#extension GL_EXT_nonuniform_qualifier : require\n"
        "layout(local_size_x = 16, local_size_y = 2) in;\n"
        "layout(set = 0, binding = 3) readonly buffer In { float v[]; } i;\n"
        "layout(set = 0, binding = 1) buffer Out { vec3 v[]; } o;\n"
        "layout(set = 1, binding = 0) uniform sampler2D combined;\n"
        "layout(set = 0, binding = 7) uniform texture2D many[];\n"
        "layout(set = 0, binding = 8) uniform sampler smp;\n"
        "layout(set = 0, binding = 9, rgba8) uniform writeonly image2D img;\n"
        "layout(push_constant) uniform P { uint a; vec4 b; } p;\n"
        "void main() {\n"
        "  uint n = gl_GlobalInvocationID.x;\n"
        "  o.v[n] = vec3(i.v[n]) + textureLod(combined, vec2(0), 0).xyz\n"
        "    + textureLod(sampler2D(many[nonuniformEXT(n)], smp), vec2(0),\n"
        "                 0).xyz + p.b.xyz;\n"
        "  imageStore(img, ivec2(0), vec4(p.a));\n"
        "}\n");
    cs_shader_reflection r;
    if (shader.status != CS_OK || !reflect(&shader, &r))
        return;
    CHECK(r.workgroup_size[0] == 16 && r.workgroup_size[1] == 2 &&
              r.workgroup_size[2] == 1,
          "workgroup %u %u %u", r.workgroup_size[0], r.workgroup_size[1],
          r.workgroup_size[2]);
    CHECK(r.push_constant_size == 32, "push %u", r.push_constant_size);
    CHECK(r.binding_count == 6, "%u bindings", r.binding_count);
    if (r.binding_count == 6) {
        /* sorted by (set, binding) */
        CHECK(r.bindings[0].binding == 1 && r.bindings[5].set == 1,
              "order %u..%u", r.bindings[0].binding, r.bindings[5].set);
        CHECK(r.bindings[1].binding == 3 &&
                  r.bindings[1].type == CS_BINDING_STORAGE_BUFFER &&
                  r.bindings[1].read_only,
              "readonly buffer");
        CHECK(!r.bindings[0].read_only, "writable buffer");
        CHECK(r.bindings[2].type == CS_BINDING_SAMPLED_IMAGE &&
                  r.bindings[2].array_size == 0,
              "runtime texture array: type %d size %u", r.bindings[2].type,
              r.bindings[2].array_size);
        CHECK(r.bindings[3].type == CS_BINDING_SAMPLER, "sampler");
        CHECK(r.bindings[4].type == CS_BINDING_STORAGE_IMAGE &&
                  r.bindings[4].image_format == SpvImageFormatRgba8,
              "rgba8 image: format %u", r.bindings[4].image_format);
        CHECK(r.bindings[5].type == CS_BINDING_SAMPLED_IMAGE &&
                  r.bindings[5].dim == CS_IMAGE_DIM_2D,
              "combined image sampler");
    }
    /* GLSL keeps the layout its author chose (std430 vec3: 16 bytes) */
    uint32_t stride = 0;
    element_of(&shader, 1, &stride);
    CHECK(stride == 16, "GLSL std430 vec3 stride %u", stride);
    cs_shader_reflection_free(&r);
    free(shader.words);
}

static void test_workgroup_size_from_spec_constants(void)
{
    compiled shader =
        compile_glsl("#version 450\n"
                     "layout(local_size_x_id = 0, local_size_y = 3) in;\n"
                     "layout(binding = 0) buffer B { uint v[]; } b;\n"
                     "void main() { b.v[gl_LocalInvocationIndex] = 1; }\n");
    cs_shader_reflection r;
    if (shader.status != CS_OK || !reflect(&shader, &r))
        return;
    CHECK(r.workgroup_size[0] == 1 && r.workgroup_size[1] == 3 &&
              r.workgroup_size[2] == 1,
          "workgroup %u %u %u", r.workgroup_size[0], r.workgroup_size[1],
          r.workgroup_size[2]);
    cs_shader_reflection_free(&r);
    free(shader.words);
}

static void test_entry_point_and_targets(void)
{
    const char *source = "RWStructuredBuffer<uint> o;\n"
                         "[numthreads(2, 1, 1)]\n"
                         "void CSMain(uint3 id : SV_DispatchThreadID)\n"
                         "{ o[id.x] = id.x; }\n";
    const char *targets[] = {"cs_6_0", "cs_5_0", "cs_6_6", "cs_5_1"};
    for (size_t i = 0; i < 4; i++) {
        compiled shader =
            compile_with(CS_SHADER_HLSL, source, "CSMain", targets[i]);
        CHECK(shader.status == CS_OK, "target %s: %s", targets[i],
              cs_last_error());
        cs_shader_reflection r;
        if (shader.status == CS_OK && reflect(&shader, &r)) {
            CHECK(strcmp(r.entry_point, "CSMain") == 0, "entry %s",
                  r.entry_point);
            cs_shader_reflection_free(&r);
        }
        free(shader.words);
    }
    const char *bad_targets[] = {"ps_6_0", "cs", "cs_9_0", "vs_5_0", "cs_6"};
    for (size_t i = 0; i < 5; i++) {
        compiled shader =
            compile_with(CS_SHADER_HLSL, source, "CSMain", bad_targets[i]);
        CHECK(shader.status == CS_ERROR_INVALID_ARGUMENT &&
                  strstr(cs_last_error(), bad_targets[i]) != NULL,
              "target %s: %s", bad_targets[i], cs_last_error());
        free(shader.words);
    }
    compiled missing = compile_with(CS_SHADER_HLSL, source, "main", NULL);
    CHECK(missing.status == CS_ERROR_SHADER_COMPILE, "missing entry: %s",
          cs_last_error());
    free(missing.words);
}

static void test_invalid_arguments(void)
{
    void *spirv = NULL;
    size_t size = 0;
    cs_shader_compile_desc desc = {0};
    CHECK(cs_shader_compile(&desc, &spirv, &size) == CS_ERROR_INVALID_ARGUMENT,
          "NULL source");
    desc.source = "";
    CHECK(cs_shader_compile(&desc, &spirv, &size) ==
                  CS_ERROR_INVALID_ARGUMENT &&
              strstr(cs_last_error(), "empty"),
          "empty source: %s", cs_last_error());
    desc.source = "x";
    desc.language = (cs_shader_language)7;
    CHECK(cs_shader_compile(&desc, &spirv, &size) == CS_ERROR_INVALID_ARGUMENT,
          "bad language");
    CHECK(cs_shader_compile(NULL, &spirv, &size) == CS_ERROR_INVALID_ARGUMENT,
          "NULL desc");
}

static void test_compile_errors_carry_line_numbers(void)
{
    compiled hlsl = compile_with(CS_SHADER_HLSL,
                                 "RWStructuredBuffer<float> o;\n"
                                 "[numthreads(1, 1, 1)]\n"
                                 "void main() { o[0] = undefined_name; }\n",
                                 NULL, NULL);
    CHECK(hlsl.status == CS_ERROR_SHADER_COMPILE &&
              strstr(cs_last_error(), "shader:3:") &&
              strstr(cs_last_error(), "undefined_name"),
          "HLSL error: %s", cs_last_error());
    free(hlsl.words);
    compiled glsl = compile_with(CS_SHADER_GLSL,
                                 "#version 450\n"
                                 "layout(local_size_x = 1) in;\n"
                                 "void main() {\n"
                                 "  int a = ;\n"
                                 "}\n",
                                 NULL, NULL);
    CHECK(glsl.status == CS_ERROR_SHADER_COMPILE &&
              strstr(cs_last_error(), "shader:4:"),
          "GLSL error: %s", cs_last_error());
    free(glsl.words);
    cs_shader_compile_desc desc = {
        .source = "[numthreads(1,1,1)] void main() { x; }",
        .file_name = "kernel.hlsl",
    };
    void *spirv = NULL;
    size_t size = 0;
    CHECK(cs_shader_compile(&desc, &spirv, &size) == CS_ERROR_SHADER_COMPILE &&
              strstr(cs_last_error(), "kernel.hlsl:1:"),
          "file name: %s", cs_last_error());
}

/* >>DXC compatibility: each row of docs/hlsl-differences.md */

static void test_reserved_names_compile(void)
{
    compiled shader = compile_hlsl(
        "RWTexture2D<uint4> texture : register(u0);\n"
        "[numthreads(1, 1, 1)]\n"
        "void main() { texture[uint2(0, 0)] = uint4(1, 2, 3, 4); }\n");
    cs_shader_reflection r;
    if (shader.status == CS_OK && reflect(&shader, &r)) {
        CHECK(r.binding_count == 1 && r.bindings[0].binding == 2048 &&
                  r.bindings[0].type == CS_BINDING_STORAGE_IMAGE,
              "`texture` binding");
        cs_shader_reflection_free(&r);
    }
    free(shader.words);
    for (size_t i = 0; cs_hlsl_renamed_identifiers[i] != NULL; i++) {
        const char *name = cs_hlsl_renamed_identifiers[i];
        char source[512];
        snprintf(source, sizeof source,
                 "struct S { float %s; };\n"
                 "RWStructuredBuffer<S> o;\n"
                 "[numthreads(1, 1, 1)]\n"
                 "void main() {\n"
                 "  float %s = 1.0; /* %s in a comment */\n"
                 "  o[0].%s = %s;\n"
                 "}\n",
                 name, name, name, name, name);
        compiled named = compile_with(CS_SHADER_HLSL, source, NULL, NULL);
        CHECK(named.status == CS_OK, "`%s` as a name: %s", name,
              cs_last_error());
        free(named.words);
    }
}

static void test_keyword_uses_survive_renaming(void)
{
    compiled shader = compile_hlsl("RWStructuredBuffer<float> o;\n"
                                   "[numthreads(1, 1, 1)]\n"
                                   "void main() {\n"
                                   "  precise float a = 1.0;\n"
                                   "  vector<float, 3> v = 1;\n"
                                   "  matrix m = (matrix)0;\n"
                                   "  o[0] = a + v.x + m[0][0];\n"
                                   "}\n");
    free(shader.words);
}

static void test_renaming_keeps_lines_and_literals(void)
{
    const char *source = "// texture\n"
                         "float texture = 1; /* texture\n"
                         " texture */ float line;\n"
                         "#define S \"texture\"\n"
                         "float2 f = 1e5f; int texture2 = 0x1F;\n";
    char *out = NULL;
    size_t size = 0;
    CHECK(cs_hlsl_make_glslang_compatible(source, strlen(source), &out,
                                          &size) == CS_OK,
          "rewrite");
    if (out == NULL)
        return;
    const char *expected = "// texture\n"
                           "float texture_cs = 1; /* texture\n"
                           " texture */ float line_cs;\n"
                           "#define S \"texture\"\n"
                           "float2 f = 1e5f; int texture2 = 0x1F;\n";
    CHECK(strcmp(out, expected) == 0 && size == strlen(expected),
          "rewritten:\n%s", out);
    free(out);
    compiled error = compile_with(CS_SHADER_HLSL,
                                  "RWTexture2D<float4> texture;\n"
                                  "/* two\n lines */\n"
                                  "[numthreads(1, 1, 1)]\n"
                                  "void main() { texture[0] = oops; }\n",
                                  NULL, NULL);
    CHECK(error.status == CS_ERROR_SHADER_COMPILE &&
              strstr(cs_last_error(), "shader:5:"),
          "line after rename: %s", cs_last_error());
    free(error.words);
}

/* >>unbounded resource arrays and byte-address GetDimensions */

static size_t count_instructions(const compiled *shader, uint32_t opcode,
                                 uint32_t operand1)
{
    size_t found = 0;
    for (size_t at = 5; at < shader->word_count; at += shader->words[at] >> 16)
        if ((shader->words[at] & 0xffff) == opcode &&
            (operand1 == 0xffffffffu ||
             ((shader->words[at] >> 16) > 2 &&
              shader->words[at + 2] == operand1) ||
             ((shader->words[at] >> 16) > 1 && opcode == SpvOpCapability &&
              shader->words[at + 1] == operand1)))
            found++;
    return found;
}

static void test_unbounded_resource_arrays(void)
{
    compiled shader = compile_hlsl(
        "struct P { uint4 v; };\n"
        "ConstantBuffer<P> cbs[] : register(b0);\n"
        "Texture2D<float4> textures[ /* none */ ] : register(t0);\n"
        "RWBuffer<uint> buffers[] : register(u1);\n"
        "RWTexture2D<float4> images[] : register(u2);\n"
        "SamplerState samplers[] : register(s0);\n"
        "RWStructuredBuffer<uint> output : register(u0);\n"
        "static const float k[] = {1, 2};\n"
        "uint f(uint a[2]) { return a[1]; }\n"
        "[numthreads(4, 1, 1)]\n"
        "void main(uint3 tid : SV_DispatchThreadID) {\n"
        "  uint i = tid.x; uint a[] = {1, 2};\n"
        "  buffers[i][0] = 3; buffers[2][0] = f(a);\n"
        "  images[i][uint2(0, 0)] = 1;\n"
        "  float4 t = textures[NonUniformResourceIndex(i)].SampleLevel(\n"
        "      samplers[i], float2(0, 0), 0);\n"
        "  output[i] = cbs[i].v.x + asuint(t.x * k[1]);\n"
        "}\n");
    if (shader.status != CS_OK)
        return;
    CHECK(validates(shader.words, shader.word_count), "validates");
    cs_shader_reflection r;
    if (reflect(&shader, &r)) {
        static const uint32_t unbounded[] = {0, 1024, 2049, 2050, 3072};
        for (size_t i = 0; i < 5; i++) {
            const cs_shader_binding *b = find_binding(&r, unbounded[i]);
            CHECK(b && b->array_size == 0, "binding %u: array size %u",
                  unbounded[i], b ? b->array_size : 99);
        }
        const cs_shader_binding *out = find_binding(&r, 2048);
        CHECK(out && out->array_size == 1, "output is no array");
        cs_shader_reflection_free(&r);
    }
    CHECK(count_instructions(&shader, SpvOpCapability,
                             SpvCapabilityRuntimeDescriptorArray) == 1,
          "RuntimeDescriptorArray");
    CHECK(count_instructions(&shader, SpvOpCapability,
                             SpvCapabilityShaderNonUniform) == 1,
          "ShaderNonUniform");
    static const uint32_t per_kind[] = {
        SpvCapabilityUniformBufferArrayNonUniformIndexing,
        SpvCapabilitySampledImageArrayNonUniformIndexing,
        SpvCapabilityStorageImageArrayNonUniformIndexing,
        SpvCapabilityStorageTexelBufferArrayNonUniformIndexing,
    };
    for (size_t i = 0; i < 4; i++)
        CHECK(count_instructions(&shader, SpvOpCapability, per_kind[i]) == 1,
              "capability %u", per_kind[i]);
    CHECK(count_instructions(&shader, SpvOpExtension, 0xffffffffu) == 1,
          "SPV_EXT_descriptor_indexing");
    CHECK(count_instructions(&shader, SpvOpTypeRuntimeArray, 0xffffffffu) >= 5,
          "runtime arrays");
    /* dynamic indices: an access chain and a load (images, samplers) per
     * array; buffers[2] stays uniform */
    size_t nonuniform = 0;
    for (size_t at = 5; at < shader.word_count; at += shader.words[at] >> 16)
        if ((shader.words[at] & 0xffff) == SpvOpDecorate &&
            shader.words[at + 2] == SpvDecorationNonUniform)
            nonuniform++;
    CHECK(nonuniform >= 9, "%zu NonUniform decorations", nonuniform);
    free(shader.words);

    /* the rewrite keeps lines; `[]` elsewhere is left alone */
    const char *source =
        "Texture2D t[] : register(t0); float k[] = {1};\n"
        "void f(Texture2D p[]) {}\n"
        "cbuffer C { float c[2]; }; StructuredBuffer<uint> s[\n"
        "] : register(t1);\n"
        "RWByteAddressBuffer b; ByteAddressBuffer r[4];\n"
        "void g(uint n) { b.GetDimensions(n /* x\n */); s[0].GetDimensions(n);"
        " b . GetDimensions ( n ) ; }\n";
    char *out = NULL;
    size_t size = 0;
    CHECK(cs_hlsl_make_glslang_compatible(source, strlen(source), &out,
                                          &size) == CS_OK,
          "rewrite");
    if (out == NULL)
        return;
    const char *expected =
        "Texture2D t[750899685] : register(t0); float k[] = {1};\n"
        "void f(Texture2D p[]) {}\n"
        "cbuffer C { float c[2]; }; StructuredBuffer<uint> s[750899685\n"
        "] : register(t1);\n"
        "RWByteAddressBuffer b; ByteAddressBuffer r[4];\n"
        "void g(uint n) { (b.GetDimensions(n /* x\n */), (n  ) *= 4); "
        "s[0].GetDimensions(n); (b . GetDimensions ( n ), ( n ) *= 4) ; }\n";
    CHECK(strcmp(out, expected) == 0 && size == strlen(expected),
          "rewritten:\n%s", out);
    free(out);
}

static void test_byte_address_get_dimensions_in_bytes(void)
{
    compiled shader =
        compile_hlsl("RWByteAddressBuffer b : register(u0);\n"
                     "ByteAddressBuffer r : register(t0);\n"
                     "RWStructuredBuffer<uint> s : register(u1);\n"
                     "[numthreads(1, 1, 1)]\n"
                     "void main() {\n"
                     "  uint n, m, count, stride;\n"
                     "  b.GetDimensions(n); r.GetDimensions(m);\n"
                     "  s.GetDimensions(count, stride);\n"
                     "  b.Store(0, n); b.Store(4, m); b.Store(8, count);\n"
                     "}\n");
    if (shader.status != CS_OK)
        return;
    /* n and m are multiplied by 4, count is not */
    CHECK(count_instructions(&shader, SpvOpArrayLength, 0xffffffffu) == 3,
          "three lengths");
    CHECK(count_instructions(&shader, SpvOpIMul, 0xffffffffu) +
                  count_instructions(&shader, SpvOpShiftLeftLogical,
                                     0xffffffffu) ==
              2,
          "two scaled");
    free(shader.words);
}

/* >>layouts */

static void test_structured_buffer_layouts(void)
{
    compiled shader =
        compile_hlsl("struct A { float3 a; float b; };\n"
                     "struct B { float a; float3 b; };\n"
                     "struct C { float3 v[2]; float4x3 m; float x; };\n"
                     "struct D { double d; float f; };\n"
                     "RWStructuredBuffer<float3> f3 : register(u0);\n"
                     "RWStructuredBuffer<A> sa : register(u1);\n"
                     "StructuredBuffer<B> sb : register(t0);\n"
                     "RWStructuredBuffer<C> sc : register(u2);\n"
                     "RWStructuredBuffer<D> sd : register(u3);\n"
                     "cbuffer K : register(b0) { float3 ka[2]; float kb; };\n"
                     "[numthreads(1, 1, 1)]\n"
                     "void main(uint3 id : SV_DispatchThreadID) {\n"
                     "  f3[id.x] = sb[id.x].b + sa[0].a + ka[1] + sc[0].v[1]\n"
                     "    + sc[0].m[0].xyz;\n"
                     "  sa[id.x].b = kb + sc[0].x + sd[0].f + (float)sd[0].d;\n"
                     "}\n");
    if (shader.status != CS_OK)
        return;
    CHECK(validates(shader.words, shader.word_count), "layouts validate");
    uint32_t stride = 0, element;
    element_of(&shader, 2048, &stride);
    CHECK(stride == 12, "float3 stride %u", stride);
    element = element_of(&shader, 2049, &stride);
    CHECK(stride == 16 && offset_of(&shader, element, 1) == 12,
          "{float3 a; float b;}: stride %u, b at %u", stride,
          offset_of(&shader, element, 1));
    element = element_of(&shader, 1024, &stride);
    CHECK(stride == 16 && offset_of(&shader, element, 1) == 4,
          "{float a; float3 b;}: stride %u, b at %u", stride,
          offset_of(&shader, element, 1));
    element = element_of(&shader, 2050, &stride);
    CHECK(stride == 76 && offset_of(&shader, element, 1) == 24 &&
              offset_of(&shader, element, 2) == 72,
          "{float3 v[2]; float4x3 m; float x;}: stride %u, m at %u, x at %u",
          stride, offset_of(&shader, element, 1),
          offset_of(&shader, element, 2));
    element = element_of(&shader, 2051, &stride);
    CHECK(stride == 16 && offset_of(&shader, element, 1) == 8,
          "{double d; float f;}: stride %u, f at %u", stride,
          offset_of(&shader, element, 1));
    /* FXC/DXC packing: kb goes in the last array element's register
     * (glslang alone puts it at 32) */
    uint32_t cbuffer = buffer_struct(&shader, 0);
    CHECK(offset_of(&shader, cbuffer, 1) == 28,
          "cbuffer {float3 ka[2]; float kb;}: kb at %u",
          offset_of(&shader, cbuffer, 1));
    free(shader.words);
}

static void test_cbuffer_offsets(void)
{
    compiled shader = compile_hlsl(
        "cbuffer P : register(b0) { float3 a; float b; float2 c; float2 d; "
        "};\n"
        "cbuffer Q : register(b1) { float e; float3 f; float2 g; float3 h; "
        "};\n"
        "RWStructuredBuffer<float> o;\n"
        "[numthreads(1, 1, 1)]\n"
        "void main() { o[0] = a.x + b + c.x + d.y + e + f.z + g.x + h.y; }\n");
    if (shader.status != CS_OK)
        return;
    uint32_t p = buffer_struct(&shader, 0), q = buffer_struct(&shader, 1);
    CHECK(offset_of(&shader, p, 0) == 0 && offset_of(&shader, p, 1) == 12 &&
              offset_of(&shader, p, 2) == 16 && offset_of(&shader, p, 3) == 24,
          "a b c d at %u %u %u %u", offset_of(&shader, p, 0),
          offset_of(&shader, p, 1), offset_of(&shader, p, 2),
          offset_of(&shader, p, 3));
    /* float + float3 fill one 16-byte row; float2 + float3 would straddle
     * it, so h starts the next row */
    CHECK(offset_of(&shader, q, 1) == 4 && offset_of(&shader, q, 2) == 16 &&
              offset_of(&shader, q, 3) == 32,
          "f g h at %u %u %u", offset_of(&shader, q, 1),
          offset_of(&shader, q, 2), offset_of(&shader, q, 3));
    CHECK(validates(shader.words, shader.word_count), "cbuffers validate");
    free(shader.words);
}

/* FXC's cbuffer packing (DXIL, and DXC's -fvk-use-dx-layout): arrays,
 * structs and matrices start a register but are not padded at the end, so
 * the next member may pack into their last register. Expected values are
 * those FXC's reflection reports. */
static void test_cbuffer_arrays_pack_after_last_element(void)
{
    compiled shader = compile_hlsl(
        "cbuffer A : register(b0) { uint h[2]; uint i; float3 ka[2];\n"
        "  float kb; float2 v2[3]; float2 after_v2; float4 v4[2];\n"
        "  float after_v4; float s1[1]; float3 after_s1; float a3[3][2];\n"
        "  float after_a3; };\n"
        "RWStructuredBuffer<float> o;\n"
        "[numthreads(1, 1, 1)]\n"
        "void main() { o[0] = h[1] + i + ka[1].z + kb + v2[2].y + after_v2.x\n"
        "  + v4[1].w + after_v4 + s1[0] + after_s1.z + a3[2][1] + after_a3; "
        "}\n");
    if (shader.status != CS_OK)
        return;
    CHECK(validates(shader.words, shader.word_count),
          "cbuffer arrays validate");
    uint32_t a = buffer_struct(&shader, 0);
    /* h: 16 + 4 bytes, i packs after it; ka: 16 + 12, kb at ka + 28;
     * v2: 2 * 16 + 8, a float2 fits after; v4: 32; s1: 4, a float3 fits;
     * a3 (float[3][2]): inner 16 + 4 with stride 32, 2 * 32 + 20 = 84 */
    static const uint32_t expected[] = {0,   20,  32,  60,  64,  104,
                                        112, 144, 160, 164, 176, 260};
    expect_offsets(&shader, a, expected, 12, "cbuffer arrays");
    CHECK(array_stride_of(&shader, member_type(&shader, a, 0)) == 16 &&
              array_stride_of(&shader, member_type(&shader, a, 2)) == 16 &&
              array_stride_of(&shader, member_type(&shader, a, 4)) == 16 &&
              array_stride_of(&shader, member_type(&shader, a, 6)) == 16,
          "cbuffer array strides are whole registers");
    uint32_t a3 = member_type(&shader, a, 10);
    const uint32_t *outer = defining(shader.words, shader.word_count, a3);
    CHECK(array_stride_of(&shader, a3) == 32 && outer != NULL &&
              array_stride_of(&shader, outer[2]) == 16,
          "float[3][2]: strides %u and %u", array_stride_of(&shader, a3),
          outer ? array_stride_of(&shader, outer[2]) : 0);
    free(shader.words);
}

static void test_cbuffer_structs(void)
{
    compiled shader = compile_hlsl(
        "struct S { float4 p; float q; };\n"
        "struct N { float a; S s; float b; float3 c[2]; float d; };\n"
        "struct T { float t[2]; float u; };\n"
        "cbuffer B : register(b1) { float x; S s; float after_s; S sa[2];\n"
        "  float after_sa; N n; float after_n; };\n"
        "ConstantBuffer<T> ct : register(b2);\n"
        "RWStructuredBuffer<float> o;\n"
        "[numthreads(1, 1, 1)]\n"
        "void main() { o[0] = x + s.q + after_s + sa[1].q + after_sa + n.s.q\n"
        "  + n.b + n.c[1].y + n.d + after_n + ct.t[1] + ct.u; }\n");
    if (shader.status != CS_OK)
        return;
    CHECK(validates(shader.words, shader.word_count),
          "cbuffer structs validate");
    uint32_t b = buffer_struct(&shader, 1);
    /* S is 20 bytes, unpadded: after_s packs at s + 20; S[2] has a 32-byte
     * stride and ends 52 bytes in; N is 80 bytes */
    static const uint32_t expected_b[] = {0, 16, 36, 48, 100, 112, 192};
    expect_offsets(&shader, b, expected_b, 7, "cbuffer with structs");
    CHECK(array_stride_of(&shader, member_type(&shader, b, 3)) == 32,
          "S[2] stride %u",
          array_stride_of(&shader, member_type(&shader, b, 3)));
    uint32_t n = member_type(&shader, b, 5);
    static const uint32_t expected_n[] = {0, 16, 36, 48, 76};
    expect_offsets(&shader, n, expected_n, 5, "nested struct N");
    uint32_t s_type = member_type(&shader, b, 1);
    static const uint32_t expected_s[] = {0, 16};
    expect_offsets(&shader, s_type, expected_s, 2, "nested struct S");
    /* ConstantBuffer<T>: the block is T itself */
    uint32_t t = buffer_struct(&shader, 2);
    static const uint32_t expected_t[] = {0, 20};
    expect_offsets(&shader, t, expected_t, 2, "ConstantBuffer<T>");
    free(shader.words);
}

static void test_cbuffer_vectors_and_matrices(void)
{
    compiled shader = compile_hlsl(
        "cbuffer C : register(b0) { float e; float3 f; float2 g; float3 h;\n"
        "  float3x3 m; float after_m; float2x3 m23; float after_m23;\n"
        "  float3x2 m32[2]; float after_m32; row_major float2x3 r23;\n"
        "  float after_r; double dd; double3 d3; float z; };\n"
        "RWStructuredBuffer<float> o;\n"
        "[numthreads(1, 1, 1)]\n"
        "void main() { o[0] = e + f.z + g.y + h.x + m[2].z + after_m\n"
        "  + m23[1].z + after_m23 + m32[1][2].y + after_m32 + r23[1].z\n"
        "  + after_r + (float)dd + (float)d3.z + z; }\n");
    if (shader.status != CS_OK)
        return;
    CHECK(validates(shader.words, shader.word_count),
          "cbuffer matrices validate");
    uint32_t c = buffer_struct(&shader, 0);
    /* float + float3 share a register, float2 + float3 would straddle one;
     * column_major float3x3 = 3 columns: 2 * 16 + 12 = 44 bytes;
     * float2x3 = 3 columns of 2: 40; float3x2[2]: 28 per element, stride
     * 32; row_major float2x3 keeps its last register (32, FXC 28: see
     * docs/hlsl-differences.md); double3 starts a register, 24 bytes */
    static const uint32_t expected[] = {0,   4,   16,  32,  48,  92,  96, 136,
                                        144, 204, 208, 240, 248, 256, 280};
    expect_offsets(&shader, c, expected, 15, "cbuffer vectors and matrices");
    CHECK(matrix_stride_of(&shader, c, 4) == 16 &&
              matrix_stride_of(&shader, c, 6) == 16 &&
              matrix_stride_of(&shader, c, 8) == 16 &&
              matrix_stride_of(&shader, c, 10) == 16,
          "matrix strides %u %u %u %u", matrix_stride_of(&shader, c, 4),
          matrix_stride_of(&shader, c, 6), matrix_stride_of(&shader, c, 8),
          matrix_stride_of(&shader, c, 10));
    CHECK(array_stride_of(&shader, member_type(&shader, c, 8)) == 32,
          "float3x2[2] stride %u",
          array_stride_of(&shader, member_type(&shader, c, 8)));
    free(shader.words);
}

/* packoffset is honoured by glslang but invisible in SPIR-V: the blocks'
 * own offsets stay; push constants keep glslang's layout; a struct used by
 * a structured buffer and a cbuffer gets both layouts. */
static void test_cbuffer_packoffset_push_constants_and_sharing(void)
{
    compiled shader = compile_hlsl(
        "cbuffer P : register(b0) { float pa[2] : packoffset(c0);\n"
        "  float pb : packoffset(c2); float4 px : packoffset(c3); };\n"
        "cbuffer Q : register(b1) { float4 qx : packoffset(c2);\n"
        "  float qy : packoffset(c0.y); };\n"
        "RWStructuredBuffer<float> o;\n"
        "[numthreads(1, 1, 1)]\n"
        "void main() { o[0] = pa[1] + pb + px.w + qx.x + qy; }\n");
    if (shader.status == CS_OK) {
        uint32_t p = buffer_struct(&shader, 0), q = buffer_struct(&shader, 1);
        static const uint32_t expected_p[] = {0, 32, 48};
        static const uint32_t expected_q[] = {32, 4};
        expect_offsets(&shader, p, expected_p, 3, "packoffset P");
        expect_offsets(&shader, q, expected_q, 2, "packoffset Q");
        CHECK(validates(shader.words, shader.word_count), "packoffset");
    }
    free(shader.words);

    shader = compile_hlsl(
        "struct W { float3 a; float b[2]; float c; };\n"
        "[[vk::push_constant]] cbuffer K { float ka[2]; float kb; };\n"
        "StructuredBuffer<W> sw : register(t0);\n"
        "ConstantBuffer<W> cw : register(b0);\n"
        "RWStructuredBuffer<float> o;\n"
        "[numthreads(1, 1, 1)]\n"
        "void main() { o[0] = ka[1] + kb + sw[0].b[1] + sw[0].c + cw.b[1]\n"
        "  + cw.c + cw.a.z; }\n");
    if (shader.status == CS_OK) {
        CHECK(validates(shader.words, shader.word_count), "shared struct");
        uint32_t stride = 0;
        uint32_t sw = element_of(&shader, 1024, &stride);
        static const uint32_t expected_sw[] = {0, 12, 20};
        expect_offsets(&shader, sw, expected_sw, 3, "W in a structured buffer");
        CHECK(stride == 24, "W stride %u", stride);
        uint32_t cw = buffer_struct(&shader, 0);
        static const uint32_t expected_cw[] = {0, 16, 36};
        expect_offsets(&shader, cw, expected_cw, 3, "W in a cbuffer");
        cs_shader_reflection r;
        if (reflect(&shader, &r)) {
            /* push constants keep glslang's (std430) packing, ka with a
             * 4-byte stride and kb at 8, not the cbuffer one (36 bytes) */
            CHECK(r.push_constant_size == 12, "push constants: %u bytes",
                  r.push_constant_size);
            cs_shader_reflection_free(&r);
        }
    }
    free(shader.words);
}

/* 16-bit types (DXC's -enable-16bit-types half): glslang's HLSL front end
 * makes half 32-bit, so the pass is run on a GLSL uniform block. */
static void test_cbuffer_16bit_types(void)
{
    compiled shader = compile_glsl(
        "#version 450\n"
        "#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require\n"
        "#extension GL_EXT_shader_16bit_storage : require\n"
        "layout(local_size_x = 1) in;\n"
        "layout(binding = 0) uniform U { float16_t a; f16vec3 v;\n"
        "  float16_t arr[2]; float16_t after_arr; f16vec4 w; f16vec3 x; };\n"
        "layout(binding = 1) buffer O { float o; };\n"
        "void main() { o = float(a + v.z + arr[1] + after_arr + w.w + x.y); "
        "}\n");
    if (shader.status != CS_OK)
        return;
    CHECK(cs_spirv_apply_d3d_buffer_layout(shader.words, shader.word_count,
                                           false) == CS_OK,
          "%s", cs_last_error());
    uint32_t u = buffer_struct(&shader, 0);
    /* 2-byte scalars: v (6 bytes) fits the first register after a; arr is
     * 16 + 2 bytes; w (8 bytes) fits at 36; x (6 bytes) from 44 would
     * straddle, so 48 */
    static const uint32_t expected[] = {0, 2, 16, 34, 36, 48};
    expect_offsets(&shader, u, expected, 6, "16-bit uniform block");
    CHECK(array_stride_of(&shader, member_type(&shader, u, 2)) == 16,
          "float16_t[2] stride %u",
          array_stride_of(&shader, member_type(&shader, u, 2)));
    CHECK(validates(shader.words, shader.word_count), "16-bit block");
    free(shader.words);
}

static void test_push_constants(void)
{
    const char *sources[] = {
        "struct P { uint a; float4 b; };\n"
        "[[vk::push_constant]] ConstantBuffer<P> p;\n"
        "RWStructuredBuffer<float> o;\n"
        "[numthreads(1, 1, 1)]\n"
        "void main() { o[0] = p.a + p.b.w; }\n",
        "[[vk::push_constant]] cbuffer P { uint a; float4 b; };\n"
        "RWStructuredBuffer<float> o;\n"
        "[numthreads(1, 1, 1)]\n"
        "void main() { o[0] = a + b.w; }\n",
    };
    for (size_t i = 0; i < 2; i++) {
        compiled shader = compile_hlsl(sources[i]);
        cs_shader_reflection r;
        if (shader.status == CS_OK && reflect(&shader, &r)) {
            CHECK(r.push_constant_size == 32, "source %zu: push %u", i,
                  r.push_constant_size);
            CHECK(r.binding_count == 1 && r.bindings[0].binding == 2048,
                  "source %zu: push constants take no binding", i);
            cs_shader_reflection_free(&r);
        }
        free(shader.words);
    }
}

/* >>malformed SPIR-V */

static void expect_invalid(const void *bytes, size_t size, const char *what,
                           const char *message)
{
    cs_shader_reflection r;
    cs_status status = cs_shader_reflect(bytes, size, &r);
    CHECK(status == CS_ERROR_INVALID_SHADER &&
              (message == NULL || strstr(cs_last_error(), message)),
          "%s: %s (%s)", what, cs_status_name(status), cs_last_error());
    if (status == CS_OK)
        cs_shader_reflection_free(&r);
}

static void test_malformed_spirv(void)
{
    compiled shader = compile_hlsl(all_kinds_hlsl);
    if (shader.status != CS_OK)
        return;
    size_t n = shader.word_count;
    uint32_t *w = malloc(n * 4);
    expect_invalid(NULL, 0, "NULL", NULL);
    expect_invalid(shader.words, 7, "7 bytes", "7 bytes, not a multiple of 4");
    expect_invalid(shader.words, 12, "12 bytes", "header");
    memcpy(w, shader.words, n * 4);
    w[0] = 0xdeadbeef;
    expect_invalid(w, n * 4, "bad magic", "bad magic number 0xdeadbeef");
    memcpy(w, shader.words, n * 4);
    w[5] = 0;
    expect_invalid(w, n * 4, "zero word count", "word 5 has word count 0");
    memcpy(w, shader.words, n * 4);
    w[5] = 0xffff0011u;
    expect_invalid(w, n * 4, "huge word count", "past the end");
    memcpy(w, shader.words, n * 4);
    w[3] = 0xffffffffu;
    expect_invalid(w, n * 4, "huge id bound", "id bound");
    /* every truncation: bad, or at least not a crash */
    for (size_t words = 0; words < n; words++) {
        cs_shader_reflection r;
        cs_status status = cs_shader_reflect(shader.words, words * 4, &r);
        if (status == CS_OK)
            cs_shader_reflection_free(&r);
        CHECK(status == CS_OK || status == CS_ERROR_INVALID_SHADER,
              "truncated to %zu words: %s", words, cs_status_name(status));
    }
    /* random corruption of a valid module, and random bytes */
    srand(1234);
    int tolerated = 0;
    for (int round = 0; round < 3000; round++) {
        memcpy(w, shader.words, n * 4);
        int flips = 1 + rand() % 4;
        for (int f = 0; f < flips; f++) {
            size_t at = 1 + (size_t)rand() % (n - 1);
            w[at] = rand() % 3 == 0 ? (uint32_t)rand()
                                    : w[at] ^ (1u << (rand() % 32));
        }
        if (round % 3 == 0)
            for (size_t i = 5; i < n; i++)
                w[i] = (uint32_t)rand() * 2654435761u;
        cs_shader_reflection r;
        cs_status status = cs_shader_reflect(w, n * 4, &r);
        if (status == CS_OK)
            cs_shader_reflection_free(&r);
        tolerated += status == CS_OK || status == CS_ERROR_INVALID_SHADER;
    }
    CHECK(tolerated == 3000, "%d of 3000 corrupt modules handled", tolerated);
    /* reflection copies misaligned input */
    unsigned char *misaligned = malloc(n * 4 + 1);
    memcpy(misaligned + 1, shader.words, n * 4);
    cs_shader_reflection r;
    CHECK(cs_shader_reflect(misaligned + 1, n * 4, &r) == CS_OK,
          "misaligned: %s", cs_last_error());
    cs_shader_reflection_free(&r);
    free(misaligned);
    free(w);
    free(shader.words);
}

/* >>image formats */

static uint32_t image_format_at(const uint32_t *words, size_t count,
                                uint32_t binding)
{
    cs_shader_reflection r;
    if (cs_shader_reflect(words, count * 4, &r) != CS_OK)
        return 0xffffffffu;
    const cs_shader_binding *b = find_binding(&r, binding);
    uint32_t format = b ? b->image_format : 0xffffffffu;
    cs_shader_reflection_free(&r);
    return format;
}

static void test_image_format_patching(void)
{
    compiled shader = compile_hlsl(
        "RWTexture2D<float4> a : register(u0);\n"
        "RWTexture2D<float4> b : register(u1);\n"
        "RWBuffer<float4> c : register(u2);\n"
        "Texture2D<float4> t : register(t0);\n"
        "[numthreads(1, 1, 1)]\n"
        "void main() {\n"
        "  a[uint2(0, 0)] = b[uint2(0, 0)] + t.Load(int3(0, 0, 0));\n"
        "  c[0] = a[uint2(1, 1)];\n"
        "}\n");
    if (shader.status != CS_OK)
        return;
    uint32_t *out = NULL;
    size_t count = 0;
    uint32_t rgba8 = cs_spirv_image_format_from_dxgi(28);
    uint32_t rgba16f = cs_spirv_image_format_from_dxgi(10);

    /* the same format for both users of the shared type */
    uint32_t bindings[] = {2048, 2049, 2050};
    uint32_t same[] = {rgba8, rgba8, rgba16f};
    CHECK(cs_spirv_patch_image_formats(shader.words, shader.word_count,
                                       bindings, same, 3, &out,
                                       &count) == CS_OK,
          "%s", cs_last_error());
    CHECK(image_format_at(out, count, 2048) == SpvImageFormatRgba8 &&
              image_format_at(out, count, 2049) == SpvImageFormatRgba8 &&
              image_format_at(out, count, 2050) == SpvImageFormatRgba16f,
          "patched formats");
    CHECK(count == shader.word_count, "no capability added");
    CHECK(validates(out, count), "patched module validates");
    free(out);

    /* different formats on a shared type: Unknown plus capabilities */
    uint32_t different[] = {rgba8, rgba16f, rgba16f};
    CHECK(cs_spirv_patch_image_formats(shader.words, shader.word_count,
                                       bindings, different, 3, &out,
                                       &count) == CS_OK,
          "%s", cs_last_error());
    CHECK(image_format_at(out, count, 2048) == SpvImageFormatUnknown &&
              image_format_at(out, count, 2049) == SpvImageFormatUnknown,
          "shared type made Unknown");
    CHECK(count == shader.word_count + 4, "two capabilities added");
    CHECK(validates(out, count), "Unknown-format module validates");
    free(out);

    /* a listed binding alone: the unlisted user keeps Rgba32f, so the
     * shared type cannot be Rgba8 */
    uint32_t only_a[] = {2048};
    CHECK(cs_spirv_patch_image_formats(shader.words, shader.word_count, only_a,
                                       &rgba8, 1, &out, &count) == CS_OK,
          "%s", cs_last_error());
    CHECK(image_format_at(out, count, 2049) == SpvImageFormatUnknown,
          "unlisted user of a shared type");
    free(out);

    uint32_t garbage[] = {0x07230203u, 0x00010300u, 0, 10, 0, 0};
    CHECK(cs_spirv_patch_image_formats(garbage, 6, NULL, NULL, 0, &out,
                                       &count) == CS_ERROR_INVALID_SHADER,
          "malformed module refused");
    free(shader.words);

    CHECK(cs_spirv_image_format_from_dxgi(2) == SpvImageFormatRgba32f &&
              cs_spirv_image_format_from_dxgi(42) == SpvImageFormatR32ui &&
              cs_spirv_image_format_from_dxgi(61) == SpvImageFormatR8 &&
              cs_spirv_image_format_from_dxgi(24) == SpvImageFormatRgb10A2 &&
              cs_spirv_image_format_from_dxgi(87) == 0 &&
              cs_spirv_image_format_from_dxgi(29) == 0 &&
              cs_spirv_image_format_from_dxgi(6) == 0 &&
              cs_spirv_image_format_from_dxgi(0) == 0,
          "DXGI to SPIR-V formats");
}

/* Compiled SPIR-V keeps the names and nothing else of the debug information
 * (debug_names.c): reflection names every binding, HLSL identifiers that
 * glslang refuses keep their source spelling. */
static void test_binding_names(void)
{
    compiled shader = compile_hlsl(
        "cbuffer Params : register(b0) { uint count; };\n"
        "Texture2D<float4> texture : register(t0);\n"
        "SamplerState sampler : register(s0);\n"
        "RWStructuredBuffer<float4> output : register(u0);\n"
        "[numthreads(1, 1, 1)] void main() {\n"
        "  output[0] = texture.SampleLevel(sampler, float2(0, 0), 0) + count;\n"
        "}\n");
    cs_shader_reflection r;
    if (shader.status != CS_OK || !reflect(&shader, &r))
        return;
    CHECK(validates(shader.words, shader.word_count), "names validate");
    static const struct {
        uint32_t binding;
        const char *name;
    } expected[] = {
        {0, "Params"}, {1024, "texture"}, {2048, "output"}, {3072, "sampler"}};
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        const cs_shader_binding *b = find_binding(&r, expected[i].binding);
        CHECK(b && strcmp(b->name, expected[i].name) == 0,
              "binding %u is named \"%s\", expected \"%s\"",
              expected[i].binding, b ? b->name : "(missing)", expected[i].name);
    }
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < shader.word_count;
         at += cs_spirv_word_count(shader.words[at])) {
        uint32_t opcode = cs_spirv_opcode(shader.words[at]);
        CHECK(opcode != SpvOpSource && opcode != SpvOpString &&
                  opcode != SpvOpLine && opcode != SpvOpModuleProcessed,
              "debug instruction %u left at word %zu", opcode, at);
    }
    cs_shader_reflection_free(&r);
    free(shader.words);

    /* a hand-made module: OpSource, OpString, OpLine go; OpName stays,
     * with "texture_cs" (3 words) back to "texture" (7 chars + NUL: 2
     * words) */
    uint32_t words[] = {
        CS_SPIRV_MAGIC,
        0x00010300u,
        0,
        8,
        0,
        /* OpSource HLSL 500 */
        (3u << 16) | SpvOpSource,
        5,
        500,
        /* OpString %1 "a" */
        (3u << 16) | SpvOpString,
        1,
        'a',
        /* OpName %2 "texture_cs" (11 bytes with NUL: 3 words) */
        (5u << 16) | SpvOpName,
        2,
        0x74786574u,
        0x5f657275u,
        0x00007363u,
        /* OpName %3 "x_cs" stays (not a renamed identifier) */
        (4u << 16) | SpvOpName,
        3,
        0x73635f78u,
        0,
        /* OpLine %1 1 1 */
        (4u << 16) | SpvOpLine,
        1,
        1,
        1,
    };
    size_t count = sizeof words / sizeof words[0];
    CHECK(cs_spirv_keep_names_only(words, &count) == CS_OK, "%s",
          cs_last_error());
    CHECK(count == 5 + 4 + 4, "%zu words left", count);
    CHECK(words[5] == ((4u << 16) | SpvOpName) && words[6] == 2 &&
              strcmp((const char *)&words[7], "texture") == 0,
          "renamed name: %s", (const char *)&words[7]);
    CHECK(words[9] == ((4u << 16) | SpvOpName) && words[10] == 3 &&
              strcmp((const char *)&words[11], "x_cs") == 0,
          "other name: %s", (const char *)&words[11]);
}

int main(void)
{
    test_hlsl_bindings_and_reflection();
    test_glsl_compile_and_reflection();
    test_workgroup_size_from_spec_constants();
    test_entry_point_and_targets();
    test_invalid_arguments();
    test_compile_errors_carry_line_numbers();
    test_reserved_names_compile();
    test_keyword_uses_survive_renaming();
    test_renaming_keeps_lines_and_literals();
    test_unbounded_resource_arrays();
    test_byte_address_get_dimensions_in_bytes();
    test_structured_buffer_layouts();
    test_cbuffer_offsets();
    test_cbuffer_arrays_pack_after_last_element();
    test_cbuffer_structs();
    test_cbuffer_vectors_and_matrices();
    test_cbuffer_packoffset_push_constants_and_sharing();
    test_cbuffer_16bit_types();
    test_push_constants();
    test_malformed_spirv();
    test_image_format_patching();
    test_binding_names();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
