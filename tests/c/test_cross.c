/*
 * test_cross.c - the C side of issue 13: GLSL in the original's dialect
 * (bindings read back by reflection), cs_shader_cross_compile's outputs and
 * failures, and the source rewrites' line numbers.
 */
#include "harness.h"

static cs_instance *instance;
static cs_device *device;

static bool compile(cs_shader_language language, const char *source, void **out,
                    size_t *out_size)
{
    cs_shader_compile_desc desc = {.language = language, .source = source};
    return cs_shader_compile(&desc, out, out_size) == CS_OK;
}

/* The binding of the reflected variable called name, or UINT32_MAX. */
static uint32_t binding_of(const cs_shader_reflection *r, const char *name)
{
    for (uint32_t i = 0; i < r->binding_count; i++)
        if (strcmp(r->bindings[i].name, name) == 0)
            return r->bindings[i].binding;
    return UINT32_MAX;
}

static void test_original_glsl_bindings(void)
{
    if (!harness_have_compiler())
        return;
    /* the layout of the original's test_glsl.py::test_sampler_simple, plus
     * a readonly buffer (u, as naga's), a gap and declaration order */
    static const char source[] =
        "layout (local_size_x = 1) in;\n"
        "layout(set = 0, binding = 7) readonly buffer R { uint r[]; } ro;\n"
        "layout(set = 0, binding = 0) uniform sampler sampler0;\n"
        "layout(set = 0, binding = 1) uniform texture2D source0;\n"
        "layout(set = 0, binding = 2, rgba8) uniform image2D target0;\n"
        "layout(set = 0, binding = 3) uniform float multiplier;\n"
        "layout(set = 0, binding = 5) uniform textureBuffer texels;\n"
        "void main() {\n"
        "    vec4 c = textureLod(sampler2D(source0, sampler0), vec2(0), 0.0);\n"
        "    imageStore(target0, ivec2(0), c * multiplier * "
        "texelFetch(texels, 0) * float(ro.r[0]));\n"
        "}\n";
    void *spirv = NULL;
    size_t size = 0;
    CHECK_OR_RETURN(compile(CS_SHADER_GLSL, source, &spirv, &size));
    cs_shader_reflection r;
    CHECK_OK_OR_RETURN(cs_shader_reflect(spirv, size, &r));
    CHECK(binding_of(&r, "sampler0") == 3072); /* s0 */
    CHECK(binding_of(&r, "source0") == 1024);  /* t0 */
    CHECK(binding_of(&r, "texels") == 1025);   /* t1 */
    CHECK(binding_of(&r, "target0") == 2048);  /* u0 */
    CHECK(binding_of(&r, "ro") == 2049);       /* u1 */
    CHECK(binding_of(&r, "multiplier") == 0 || /* b0, the wrapped uniform */
          r.bindings[0].binding == 0);
    cs_shader_reflection_free(&r);
    cs_free(spirv);
}

static void test_versioned_glsl_keeps_its_bindings(void)
{
    if (!harness_have_compiler())
        return;
    void *spirv = NULL;
    size_t size = 0;
    CHECK_OR_RETURN(
        compile(CS_SHADER_GLSL,
                "// the #version below makes this library's dialect\n"
                "#version 450\n"
                "layout(local_size_x = 1) in;\n"
                "layout(binding = 2050) buffer B { uint v[]; } b;\n"
                "void main() { b.v[0] = 1u; }\n",
                &spirv, &size));
    cs_shader_reflection r;
    CHECK_OK_OR_RETURN(cs_shader_reflect(spirv, size, &r));
    CHECK(r.binding_count == 1 && r.bindings[0].binding == 2050);
    cs_shader_reflection_free(&r);
    cs_free(spirv);
}

static void test_cross_compile_languages(void)
{
    if (!harness_have_compiler())
        return;
    void *spirv = NULL;
    size_t size = 0;
    CHECK_OR_RETURN(compile(CS_SHADER_HLSL,
                            "Buffer<float4> input : register(t0);\n"
                            "RWTexture2D<float4> output : register(u0);\n"
                            "SamplerState s : register(s2);\n"
                            "Texture2D<float4> t : register(t1);\n"
                            "cbuffer Params : register(b0) { float scale; };\n"
                            "[numthreads(1, 2, 3)]\n"
                            "void main(uint3 tid : SV_DispatchThreadID) {\n"
                            "    output[tid.xy] = input[tid.z] * scale +\n"
                            "        t.SampleLevel(s, float2(0, 0), 0);\n"
                            "}\n",
                            &spirv, &size));
    static const struct {
        cs_cross_language language;
        const char *expected[4];
    } cases[] = {
        {CS_CROSS_GLSL,
         {"layout(binding = 1024) uniform samplerBuffer _input;",
          "layout(binding = 2048, rgba32f) uniform writeonly image2D _output;",
          "layout(binding = 1025) uniform sampler2D t_s;",
          "layout(binding = 0, std140) uniform type_Params"}},
        {CS_CROSS_MSL,
         {"constant type_Params& Params [[buffer(0)]]",
          "texture2d<float> _input [[texture(0)]]",
          "texture2d<float, access::write> _output [[texture(2)]]",
          "sampler s [[sampler(0)]]"}},
        {CS_CROSS_HLSL,
         {"register(t0)", "RWTexture2D<float4> _output : register(u0)",
          "SamplerState s : register(s2)", "register(b0)"}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        cs_shader_cross_desc desc = {
            .language = cases[c].language, .spirv = spirv, .spirv_size = size};
        char *text = NULL;
        size_t length = 0;
        uint32_t workgroup[3] = {0, 0, 0};
        CHECK_OK(cs_shader_cross_compile(&desc, &text, &length, workgroup));
        if (!text)
            continue;
        CHECK(strlen(text) == length);
        CHECK(workgroup[0] == 1 && workgroup[1] == 2 && workgroup[2] == 3);
        for (size_t e = 0; e < 4; e++)
            if (!strstr(text, cases[c].expected[e])) {
                fprintf(stderr, "missing \"%s\" in:\n%s\n",
                        cases[c].expected[e], text);
                CHECK(false);
            }
        cs_free(text);
    }
    cs_free(spirv);
}

static void test_cross_compile_failures(void)
{
    if (!harness_have_compiler())
        return;
    char *text = NULL;
    size_t length = 0;
    static const uint32_t garbage[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    cs_shader_cross_desc desc = {.language = CS_CROSS_GLSL,
                                 .spirv = garbage,
                                 .spirv_size = sizeof garbage};
    CHECK_FAILS(cs_shader_cross_compile(&desc, &text, &length, NULL),
                CS_ERROR_INVALID_SHADER, "bad magic number");
    desc.language = (cs_cross_language)9;
    CHECK_FAILS(cs_shader_cross_compile(&desc, &text, &length, NULL),
                CS_ERROR_INVALID_ARGUMENT, "unknown cross-compile language 9");
    CHECK_FAILS(cs_shader_cross_compile(NULL, &text, &length, NULL),
                CS_ERROR_INVALID_ARGUMENT, "needs desc, out_source");
    void *spirv = NULL;
    size_t size = 0;
    CHECK_OR_RETURN(compile(CS_SHADER_HLSL,
                            "RWStructuredBuffer<uint> o : register(u0);\n"
                            "[numthreads(1, 1, 1)] void main() { o[0] = 1; }\n",
                            &spirv, &size));
    desc = (cs_shader_cross_desc){.language = CS_CROSS_MSL,
                                  .spirv = spirv,
                                  .spirv_size = size,
                                  .entry_point = "nope"};
    CHECK_FAILS(cs_shader_cross_compile(&desc, &text, &length, NULL),
                CS_ERROR_INVALID_ARGUMENT, "no compute entry point \"nope\"");
    CHECK(text == NULL);
    cs_free(spirv);
}

static void test_rewrites_keep_line_numbers(void)
{
    if (!harness_have_compiler())
        return;
    cs_shader_compile_desc desc = {.language = CS_SHADER_GLSL,
                                   .source =
                                       "layout(binding = 0) uniform float m;\n"
                                       "layout(local_size_x = 1) in;\n"
                                       "void main() { float x = m; }\n"
                                       "garbage\n"};
    void *spirv = NULL;
    size_t size = 0;
    CHECK_FAILS(cs_shader_compile(&desc, &spirv, &size),
                CS_ERROR_SHADER_COMPILE, "shader:4: error: '' :  syntax error");
    desc.language = CS_SHADER_HLSL;
    desc.source = "RWBuffer<float4> o : register(u0);\n"
                  "[numthreads(1, 1, 1)] void main() {\n"
                  "    o[0].y = 1; o[1].xz\n"
                  "        += 2;\n"
                  "    garbage\n"
                  "}\n";
    CHECK_FAILS(cs_shader_compile(&desc, &spirv, &size),
                CS_ERROR_SHADER_COMPILE, "shader:5: error: 'garbage'");
}

int main(void)
{
    harness_pin_vulkan_libraries();
    if (!harness_open_device(&instance, &device))
        return 1;
    const test_case tests[] = {
        {"original_glsl_bindings", test_original_glsl_bindings},
        {"versioned_glsl_keeps_its_bindings",
         test_versioned_glsl_keeps_its_bindings},
        {"cross_compile_languages", test_cross_compile_languages},
        {"cross_compile_failures", test_cross_compile_failures},
        {"rewrites_keep_line_numbers", test_rewrites_keep_line_numbers},
    };
    HARNESS_RUN_TESTS(tests, device);
    cs_instance_release(instance);
    return harness_finish();
}
