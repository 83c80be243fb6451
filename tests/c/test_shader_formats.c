/*
 * test_shader_formats.c - cs_compute_desc's format/code: a compute from
 * HLSL, GLSL and WGSL source gives the results of the same shader as
 * SPIR-V; what no path reaches is refused with a message naming it; and
 * the code a backend receives is in a format its device takes (the
 * device's shader_formats swapped for others, the backend's compute_create
 * swapped for one that records what it gets).
 */
#include "harness.h"

#include "core/backend.h"

static cs_instance *instance;
static cs_device *device;

enum { COUNT = 64 };

static const char hlsl_source[] =
    "RWStructuredBuffer<uint> output : register(u0);\n"
    "[numthreads(8, 1, 1)]\n"
    "void main(uint3 id : SV_DispatchThreadID)\n"
    "{ output[id.x] = id.x * 3 + 1; }\n";

static const char glsl_source[] =
    "#version 450\n"
    "layout(local_size_x = 8) in;\n"
    "layout(std430, binding = 2048) buffer Output { uint output_[]; };\n"
    "void main() { uint i = gl_GlobalInvocationID.x;"
    " output_[i] = i * 3u + 1u; }\n";

static const char wgsl_source[] =
    "@group(0) @binding(0) var<storage, read_write> output: array<u32>;\n"
    "@compute @workgroup_size(8)\n"
    "fn main(@builtin(global_invocation_id) id: vec3<u32>)\n"
    "{ output[id.x] = id.x * 3u + 1u; }\n";

static cs_resource *make_buffer(cs_heap_type heap_type, uint32_t stride)
{
    cs_resource_desc desc = {
        .heap_type = heap_type, .size = COUNT * 4, .stride = stride};
    cs_resource *resource = NULL;
    if (cs_resource_create(device, &desc, &resource) != CS_OK)
        return NULL;
    return resource;
}

/* Runs desc's shader over COUNT threads into u0 and checks 3i+1. */
static bool runs_and_writes(cs_compute_desc desc)
{
    cs_resource *output = make_buffer(CS_HEAP_DEFAULT, 4);
    cs_resource *readback = make_buffer(CS_HEAP_READBACK, 0);
    CHECK_OR_RETURN_FALSE(output && readback);
    desc.uav = &output;
    desc.uav_count = 1;
    cs_compute *compute = NULL;
    bool good = false;
    uint32_t values[COUNT] = {0};
    if (cs_compute_create(device, &desc, &compute) == CS_OK &&
        cs_compute_dispatch(compute, COUNT / 8, 1, 1, NULL, 0) == CS_OK &&
        cs_resource_copy(output, readback, NULL) == CS_OK &&
        cs_buffer_readback(readback, 0, values, sizeof values) == CS_OK) {
        good = true;
        for (uint32_t i = 0; i < COUNT; i++)
            good &= values[i] == i * 3 + 1;
    } else {
        fprintf(stderr, "compute failed: %s\n", cs_last_error());
    }
    cs_compute_release(compute);
    cs_resource_release(output);
    cs_resource_release(readback);
    return good;
}

static void test_format_names(void)
{
    CHECK(strcmp(cs_shader_format_name(CS_SHADER_FORMAT_SPIRV), "SPIR-V") == 0);
    CHECK(strcmp(cs_shader_format_name(CS_SHADER_FORMAT_GLSL), "GLSL") == 0);
    CHECK(strcmp(cs_shader_format_name(CS_SHADER_FORMAT_HLSL), "HLSL") == 0);
    CHECK(strcmp(cs_shader_format_name(CS_SHADER_FORMAT_MSL), "MSL") == 0);
    CHECK(strcmp(cs_shader_format_name(CS_SHADER_FORMAT_WGSL), "WGSL") == 0);
    CHECK(strcmp(cs_shader_format_name(CS_SHADER_FORMAT_NONE), "unknown") == 0);
    CHECK(strcmp(cs_shader_format_name((cs_shader_format)(1u << 20)),
                 "unknown") == 0);
    /* the device says what it takes: Vulkan devices take SPIR-V */
    cs_device_info info;
    cs_device_get_info(device, &info);
    CHECK(info.shader_formats != 0);
    if (strcmp(cs_instance_backend_name(instance), "vulkan") == 0)
        CHECK(info.shader_formats == CS_SHADER_FORMAT_SPIRV);
}

static void test_spirv_as_spirv_or_as_code(void)
{
    spirv_blob blob = harness_compile(hlsl_source);
    CHECK_OR_RETURN(blob.words);
    CHECK(runs_and_writes(
        (cs_compute_desc){.spirv = blob.words, .spirv_size = blob.size}));
    CHECK(runs_and_writes((cs_compute_desc){.format = CS_SHADER_FORMAT_SPIRV,
                                            .code = blob.words,
                                            .code_size = blob.size}));
    /* format NONE (zero) is SPIR-V too */
    CHECK(runs_and_writes(
        (cs_compute_desc){.code = blob.words, .code_size = blob.size}));
    cs_free(blob.words);
}

static void test_source_formats_are_compiled(void)
{
    CHECK(runs_and_writes((cs_compute_desc){.format = CS_SHADER_FORMAT_HLSL,
                                            .code = hlsl_source}));
    CHECK(runs_and_writes((cs_compute_desc){.format = CS_SHADER_FORMAT_GLSL,
                                            .code = glsl_source,
                                            .code_size = strlen(glsl_source)}));
    CHECK(runs_and_writes((cs_compute_desc){.format = CS_SHADER_FORMAT_WGSL,
                                            .code = wgsl_source}));
    /* a compile error is the compiler's, with its line */
    cs_compute *never = NULL;
    cs_compute_desc broken = {.format = CS_SHADER_FORMAT_HLSL,
                              .code = "void main() { nope; }"};
    CHECK_FAILS(cs_compute_create(device, &broken, &never),
                CS_ERROR_SHADER_COMPILE, "nope");
    CHECK(never == NULL);
}

static void test_what_no_path_reaches_is_refused(void)
{
    cs_compute *never = NULL;
    cs_compute_desc msl = {.format = CS_SHADER_FORMAT_MSL,
                           .code = "kernel void main0() {}"};
    CHECK_FAILS(cs_compute_create(device, &msl, &never), CS_ERROR_UNSUPPORTED,
                "cannot compile MSL");
    static const uint32_t unknown[] = {1u << 5, 1u << 20, 3, 0x80000000u};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        cs_compute_desc odd = {.format = (cs_shader_format)unknown[i],
                               .code = hlsl_source};
        CHECK_FAILS(cs_compute_create(device, &odd, &never),
                    CS_ERROR_INVALID_ARGUMENT, "unknown shader format");
    }
    spirv_blob blob = harness_compile(hlsl_source);
    CHECK_OR_RETURN(blob.words);
    cs_compute_desc both = {.spirv = blob.words,
                            .spirv_size = blob.size,
                            .code = blob.words,
                            .code_size = blob.size};
    CHECK_FAILS(cs_compute_create(device, &both, &never),
                CS_ERROR_INVALID_ARGUMENT, "both spirv and code");
    cs_compute_desc mislabeled = {.spirv = blob.words,
                                  .spirv_size = blob.size,
                                  .format = CS_SHADER_FORMAT_GLSL};
    CHECK_FAILS(cs_compute_create(device, &mislabeled, &never),
                CS_ERROR_INVALID_ARGUMENT, "format says GLSL");
    cs_compute_desc empty = {.format = CS_SHADER_FORMAT_SPIRV,
                             .code = blob.words};
    CHECK_FAILS(cs_compute_create(device, &empty, &never),
                CS_ERROR_INVALID_SHADER, "empty");
    CHECK(never == NULL);
    cs_free(blob.words);
}

/* >>what the backend receives */

static cs_shader_format received_format;
static char received_text[64];
static size_t received_size;

static cs_status record_compute_create(cs_compute *compute)
{
    received_format = compute->code_format;
    received_size = compute->code_size;
    snprintf(received_text, sizeof received_text, "%.63s",
             compute->code_format == CS_SHADER_FORMAT_SPIRV
                 ? ""
                 : (const char *)compute->code);
    CHECK(compute->spirv != NULL && compute->spirv_size > 0);
    if (compute->code_format == CS_SHADER_FORMAT_SPIRV)
        CHECK(compute->code == compute->spirv &&
              compute->code_size == compute->spirv_size);
    else
        CHECK(strlen(compute->code) == compute->code_size);
    return cs_fail(CS_ERROR_UNSUPPORTED, "recorded");
}

/* Creates the HLSL compute as if the device took `formats`: the status
 * and what the backend received. */
static cs_status create_as_if(uint32_t formats)
{
    const cs_backend *own = instance->own_backend;
    cs_backend recorder = *own;
    recorder.compute_create = record_compute_create;
    uint32_t real_formats = device->info.shader_formats;
    instance->own_backend = &recorder;
    device->info.shader_formats = formats;
    received_format = CS_SHADER_FORMAT_NONE;
    cs_resource *output = make_buffer(CS_HEAP_DEFAULT, 4);
    cs_compute_desc desc = {.format = CS_SHADER_FORMAT_HLSL,
                            .code = hlsl_source,
                            .uav = &output,
                            .uav_count = 1};
    cs_compute *never = NULL;
    cs_status status = cs_compute_create(device, &desc, &never);
    CHECK(never == NULL);
    cs_resource_release(output);
    device->info.shader_formats = real_formats;
    instance->own_backend = own;
    return status;
}

static void test_backend_receives_a_format_it_takes(void)
{
    static const struct {
        uint32_t takes;
        cs_shader_format gets;
        const char *starts;
    } cases[] = {
        {CS_SHADER_FORMAT_SPIRV, CS_SHADER_FORMAT_SPIRV, ""},
        {CS_SHADER_FORMAT_SPIRV | CS_SHADER_FORMAT_GLSL, CS_SHADER_FORMAT_SPIRV,
         ""},
        {CS_SHADER_FORMAT_GLSL, CS_SHADER_FORMAT_GLSL, "#version 450"},
        {CS_SHADER_FORMAT_GLSL | CS_SHADER_FORMAT_MSL, CS_SHADER_FORMAT_GLSL,
         "#version 450"},
        {CS_SHADER_FORMAT_MSL, CS_SHADER_FORMAT_MSL, "#include <metal_stdlib>"},
        {CS_SHADER_FORMAT_HLSL, CS_SHADER_FORMAT_HLSL, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_FAILS(create_as_if(cases[i].takes), CS_ERROR_UNSUPPORTED,
                    "recorded");
        CHECK(received_format == cases[i].gets);
        CHECK(strncmp(received_text, cases[i].starts,
                      strlen(cases[i].starts)) == 0);
        CHECK(received_size > 0);
    }
    /* a device that takes only what SPIR-V cannot become */
    CHECK_FAILS(create_as_if(CS_SHADER_FORMAT_WGSL), CS_ERROR_UNSUPPORTED,
                "takes shaders as WGSL, which compushady cannot make");
    CHECK(received_format == CS_SHADER_FORMAT_NONE); /* never reached */
}

/* cs_shader_cross_compile declares the storage formats it is given */
static void test_cross_compile_declares_storage_formats(void)
{
    spirv_blob blob = harness_compile(
        "RWTexture2D<float4> t : register(u1);\n"
        "[numthreads(1, 1, 1)] void main() { t[uint2(0, 0)] = 1; }\n");
    CHECK_OR_RETURN(blob.words);
    char *source = NULL;
    size_t size = 0;
    cs_shader_cross_desc desc = {.language = CS_CROSS_GLSL,
                                 .spirv = blob.words,
                                 .spirv_size = blob.size};
    CHECK_OK(cs_shader_cross_compile(&desc, &source, &size, NULL));
    CHECK(source && strstr(source, "rgba32f") && !strstr(source, "rgba8)"));
    cs_free(source);
    const uint32_t bindings[] = {CS_REGISTER_U_BASE + 1};
    const cs_format formats[] = {CS_FORMAT_R8G8B8A8_UNORM};
    desc.storage_bindings = bindings;
    desc.storage_formats = formats;
    desc.storage_count = 1;
    source = NULL;
    CHECK_OK(cs_shader_cross_compile(&desc, &source, &size, NULL));
    CHECK(source && strstr(source, "rgba8") && !strstr(source, "rgba32f"));
    cs_free(source);
    desc.storage_formats = NULL;
    CHECK_FAILS(cs_shader_cross_compile(&desc, &source, &size, NULL),
                CS_ERROR_INVALID_ARGUMENT, "storage_formats is NULL");
    cs_free(blob.words);
}

/* A module reflection accepts but the validator refuses (an OpNop after
 * the last function: outside any function): refused on the way to a
 * device that takes SPIR-V (the Vulkan backend prepares it) and on the way
 * to one that takes GLSL (the core validates before SPIRV-Cross). */
static void test_invalid_module_never_reaches_a_backend(void)
{
    spirv_blob blob = harness_compile(hlsl_source);
    CHECK_OR_RETURN(blob.words);
    size_t words = blob.size / 4;
    uint32_t *bad = malloc(blob.size + 4);
    CHECK_OR_RETURN(bad);
    memcpy(bad, blob.words, blob.size);
    bad[words] = 1u << 16; /* OpNop, one word */
    cs_shader_reflection reflection;
    CHECK_OK(cs_shader_reflect(bad, blob.size + 4, &reflection));
    cs_shader_reflection_free(&reflection);
    CHECK_OK(cs_shader_validate(blob.words, blob.size));
    CHECK_FAILS(cs_shader_validate(bad, blob.size + 4), CS_ERROR_INVALID_SHADER,
                "");
    CHECK_FAILS(cs_shader_validate(bad, 6), CS_ERROR_INVALID_SHADER, "");
    cs_resource *output = make_buffer(CS_HEAP_DEFAULT, 4);
    cs_compute_desc desc = {.spirv = bad,
                            .spirv_size = blob.size + 4,
                            .uav = &output,
                            .uav_count = 1};
    cs_compute *never = NULL;
    CHECK_FAILS(cs_compute_create(device, &desc, &never),
                CS_ERROR_INVALID_SHADER, "");
    /* a backend that would take anything: the core refuses first */
    const cs_backend *own = instance->own_backend;
    cs_backend recorder = *own;
    recorder.compute_create = record_compute_create;
    instance->own_backend = &recorder;
    uint32_t real_formats = device->info.shader_formats;
    device->info.shader_formats = CS_SHADER_FORMAT_GLSL;
    received_format = CS_SHADER_FORMAT_NONE;
    CHECK_FAILS(cs_compute_create(device, &desc, &never),
                CS_ERROR_INVALID_SHADER, "");
    CHECK(received_format == CS_SHADER_FORMAT_NONE);
    device->info.shader_formats = real_formats;
    instance->own_backend = own;
    CHECK(never == NULL);
    cs_resource_release(output);
    free(bad);
    cs_free(blob.words);
}

int main(void)
{
    if (!harness_open_device(&instance, &device))
        return 1;
    const test_case tests[] = {
        {"format_names", test_format_names},
        {"spirv_as_spirv_or_as_code", test_spirv_as_spirv_or_as_code},
        {"source_formats_are_compiled", test_source_formats_are_compiled},
        {"what_no_path_reaches_is_refused",
         test_what_no_path_reaches_is_refused},
        {"backend_receives_a_format_it_takes",
         test_backend_receives_a_format_it_takes},
        {"cross_compile_declares_storage_formats",
         test_cross_compile_declares_storage_formats},
        {"invalid_module_never_reaches_a_backend",
         test_invalid_module_never_reaches_a_backend},
    };
    HARNESS_RUN_TESTS(tests, device);
    cs_instance_release(instance);
    return harness_finish();
}
