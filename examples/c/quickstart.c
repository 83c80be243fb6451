/* quickstart.c - square 8 uints on the GPU through the compushady C API.
 * cc -std=c11 -Iinclude examples/c/quickstart.c -Lbuild -lcompushady \
 *    -Wl,-rpath,build -o build/quickstart && build/quickstart */
#include <compushady.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECK(call)                                                            \
    if ((call) != CS_OK) {                                                     \
        fprintf(stderr, "%s failed: %s\n", #call, cs_last_error());            \
        return 1;                                                              \
    }

static const char *source = "RWStructuredBuffer<uint> data : register(u0);\n"
                            "[numthreads(8, 1, 1)]\n"
                            "void main(uint3 tid : SV_DispatchThreadID)\n"
                            "{\n"
                            "    data[tid.x] = data[tid.x] * data[tid.x];\n"
                            "}\n";

int main(void)
{
    cs_instance *instance;
    CHECK(cs_instance_create(NULL, &instance));
    cs_device *device = cs_instance_get_device(instance, 0);
    for (size_t i = 0; i < cs_instance_device_count(instance); i++) {
        cs_device_info info;
        cs_device_get_info(cs_instance_get_device(instance, i), &info);
        printf("%zu: %s (%s)\n", i, info.name,
               info.is_hardware ? "hardware" : "software");
        if (info.is_discrete) /* prefer a discrete GPU */
            device = cs_instance_get_device(instance, i);
    }
    if (!device) {
        fprintf(stderr, "no device\n");
        return 1;
    }

    /* upload 8 uints into GPU memory */
    uint32_t values[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    cs_resource *staging, *data, *readback;
    cs_resource_desc desc = {.heap_type = CS_HEAP_UPLOAD,
                             .size = sizeof values};
    CHECK(cs_resource_create(device, &desc, &staging));
    CHECK(cs_buffer_upload(staging, 0, values, sizeof values));
    desc.heap_type = CS_HEAP_DEFAULT;
    desc.stride = 4;
    CHECK(cs_resource_create(device, &desc, &data));
    CHECK(cs_resource_copy(staging, data, NULL));

    /* square them on the GPU */
    cs_shader_compile_desc shader = {.language = CS_SHADER_HLSL,
                                     .source = source};
    void *spirv;
    size_t spirv_size;
    CHECK(cs_shader_compile(&shader, &spirv, &spirv_size));
    cs_compute *compute;
    cs_compute_desc cdesc = {
        .spirv = spirv, .spirv_size = spirv_size, .uav = &data, .uav_count = 1};
    CHECK(cs_compute_create(device, &cdesc, &compute));
    cs_free(spirv);
    CHECK(cs_compute_dispatch(compute, 1, 1, 1, NULL, 0));

    /* read the result back */
    desc.heap_type = CS_HEAP_READBACK;
    desc.stride = 0;
    CHECK(cs_resource_create(device, &desc, &readback));
    CHECK(cs_resource_copy(data, readback, NULL));
    CHECK(cs_buffer_readback(readback, 0, values, sizeof values));
    for (int i = 0; i < 8; i++)
        printf("%u ", values[i]);
    printf("\n");

    cs_compute_release(compute);
    cs_resource_release(readback);
    cs_resource_release(data);
    cs_resource_release(staging);
    cs_instance_release(instance);
    return 0;
}
