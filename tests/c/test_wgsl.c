/* test_wgsl.c - WGSL through the C API: cs_shader_compile with
 * CS_SHADER_WGSL compiles, binds by the naga path's registers and runs;
 * errors carry line, column, the source line and a caret. */
#include "harness.h"

static cs_device *device;

static const char squares[] =
    "@group(0) @binding(1) var<storage, read_write> data: array<u32>;\n"
    "@group(0) @binding(0) var<uniform> offset: u32;\n"
    "@compute @workgroup_size(8)\n"
    "fn main(@builtin(global_invocation_id) id: vec3<u32>) {\n"
    "    data[id.x] = data[id.x] * data[id.x] + offset;\n"
    "}\n";

static void test_compile_reflect_and_run(void)
{
    if (!harness_have_compiler())
        return;
    cs_shader_compile_desc shader = {.language = CS_SHADER_WGSL,
                                     .source = squares};
    void *spirv = NULL;
    size_t size = 0;
    CHECK_OK_OR_RETURN(cs_shader_compile(&shader, &spirv, &size));
    cs_shader_reflection info;
    CHECK_OK_OR_RETURN(cs_shader_reflect(spirv, size, &info));
    CHECK(info.workgroup_size[0] == 8 && info.binding_count == 2);
    CHECK(info.bindings[0].binding == 0 &&
          info.bindings[0].type == CS_BINDING_CONSTANT_BUFFER);
    CHECK(info.bindings[1].binding == 2048 &&
          info.bindings[1].type == CS_BINDING_STORAGE_BUFFER);
    cs_shader_reflection_free(&info);

    uint32_t values[8] = {0, 1, 2, 3, 4, 5, 6, 7}, offset[4] = {100};
    cs_resource *staging, *constant, *data, *readback;
    cs_resource_desc desc = {.heap_type = CS_HEAP_UPLOAD, .size = 32};
    CHECK_OK_OR_RETURN(cs_resource_create(device, &desc, &staging));
    CHECK_OK(cs_buffer_upload(staging, 0, values, sizeof values));
    desc.size = 16;
    CHECK_OK_OR_RETURN(cs_resource_create(device, &desc, &constant));
    CHECK_OK(cs_buffer_upload(constant, 0, offset, sizeof offset));
    desc.heap_type = CS_HEAP_DEFAULT;
    desc.size = 32;
    CHECK_OK_OR_RETURN(cs_resource_create(device, &desc, &data));
    CHECK_OK(cs_resource_copy(staging, data, NULL));
    cs_compute *compute;
    cs_compute_desc cdesc = {.spirv = spirv,
                             .spirv_size = size,
                             .cbv = &constant,
                             .cbv_count = 1,
                             .uav = &data,
                             .uav_count = 1};
    CHECK_OK_OR_RETURN(cs_compute_create(device, &cdesc, &compute));
    cs_free(spirv);
    CHECK_OK(cs_compute_dispatch(compute, 1, 1, 1, NULL, 0));
    desc.heap_type = CS_HEAP_READBACK;
    CHECK_OK_OR_RETURN(cs_resource_create(device, &desc, &readback));
    CHECK_OK(cs_resource_copy(data, readback, NULL));
    CHECK_OK(cs_buffer_readback(readback, 0, values, sizeof values));
    for (uint32_t i = 0; i < 8; i++)
        CHECK(values[i] == i * i + 100);
    cs_compute_release(compute);
    cs_resource_release(readback);
    cs_resource_release(data);
    cs_resource_release(constant);
    cs_resource_release(staging);
}

static void test_errors_name_line_column_and_caret(void)
{
    if (!harness_have_compiler())
        return;
    cs_shader_compile_desc shader = {
        .language = CS_SHADER_WGSL,
        .source = "@compute @workgroup_size(1)\n"
                  "fn main() {\n"
                  "    let x: u32 = 1.5;\n"
                  "}\n",
        .file_name = "bad.wgsl",
    };
    void *spirv = NULL;
    size_t size = 0;
    CHECK(cs_shader_compile(&shader, &spirv, &size) == CS_ERROR_SHADER_COMPILE);
    const char *message = cs_last_error();
    CHECK(strstr(message, "bad.wgsl:3:18: error: the initializer of 'x' has "
                          "type 'abstract-float', expected 'u32'") != NULL);
    CHECK(strstr(message, "\n      let x: u32 = 1.5;\n                   ^") !=
          NULL);
    /* an entry point that is not there; the HLSL compiler choice is
     * refused for WGSL */
    shader.source = squares;
    shader.entry_point = "nope";
    CHECK(cs_shader_compile(&shader, &spirv, &size) == CS_ERROR_SHADER_COMPILE);
    CHECK(strstr(cs_last_error(), "entry point 'nope' not found") != NULL);
    shader.entry_point = NULL;
    shader.compiler = CS_HLSL_COMPILER_DXC;
    CHECK(cs_shader_compile(&shader, &spirv, &size) ==
          CS_ERROR_INVALID_ARGUMENT);
}

static void test_override_constants(void)
{
    if (!harness_have_compiler())
        return;
    static const char source[] =
        "override X: u32 = 4;\n"
        "@id(3) override Y: i32;\n"
        "@group(0) @binding(0) var<storage, read_write> o: array<i32>;\n"
        "@compute @workgroup_size(X)\n"
        "fn main() { o[0] = Y; }\n";
    cs_shader_constant constants[] = {{"X", 32.0}, {"3", -5.0}};
    cs_shader_compile_desc shader = {.language = CS_SHADER_WGSL,
                                     .source = source,
                                     .constants = constants,
                                     .constant_count = 2};
    void *spirv = NULL;
    size_t size = 0;
    CHECK_OK_OR_RETURN(cs_shader_compile(&shader, &spirv, &size));
    cs_shader_reflection info;
    CHECK_OK(cs_shader_reflect(spirv, size, &info));
    CHECK(info.workgroup_size[0] == 32);
    cs_shader_reflection_free(&info);
    cs_free(spirv);
    constants[0].value = 0.5;
    CHECK(cs_shader_compile(&shader, &spirv, &size) == CS_ERROR_SHADER_COMPILE);
    CHECK(strstr(cs_last_error(), "override 'X' is u32: the value 0.5") !=
          NULL);
    shader.constant_count = 0;
    CHECK(cs_shader_compile(&shader, &spirv, &size) == CS_ERROR_SHADER_COMPILE);
    CHECK(strstr(cs_last_error(), "override 'Y' has no value") != NULL);
    shader.constants = NULL;
    shader.constant_count = 1;
    CHECK(cs_shader_compile(&shader, &spirv, &size) ==
          CS_ERROR_INVALID_ARGUMENT);
}

int main(void)
{
    cs_instance *instance;
    if (!harness_open_device(&instance, &device))
        return 1;
    const test_case tests[] = {
        {"compile_reflect_and_run", test_compile_reflect_and_run},
        {"errors_name_line_column_and_caret",
         test_errors_name_line_column_and_caret},
        {"override_constants", test_override_constants},
    };
    HARNESS_RUN_TESTS(tests, device);
    cs_instance_release(instance);
    return harness_finish();
}
