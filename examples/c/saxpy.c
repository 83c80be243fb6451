/* saxpy.c - y = a * x + y over n floats on the GPU through the compushady C
 * API: device choice, push constants, error handling with cs_last_error(),
 * CPU check and timing.
 *
 *   make build/saxpy && build/saxpy [n] [iterations]
 *
 * Every call returns a cs_status; on failure cs_last_error() says what went
 * wrong (for a shader that does not compile: the compiler's diagnostics). */
#include <compushady.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define GROUP 256

/* Evaluates a call; on failure prints the status name and message, then
 * jumps to the cleanup code with status set. */
#define TRY(call)                                                              \
    do {                                                                       \
        status = (call);                                                       \
        if (status != CS_OK) {                                                 \
            fprintf(stderr, "%s:%d: %s failed: %s: %s\n", __FILE__, __LINE__,  \
                    #call, cs_status_name(status), cs_last_error());           \
            goto done;                                                         \
        }                                                                      \
    } while (0)

static const char *saxpy_source =
    "struct Params { float a; uint n; };\n"
    "[[vk::push_constant]] ConstantBuffer<Params> params;\n"
    "StructuredBuffer<float> x : register(t0);\n"
    "RWStructuredBuffer<float> y : register(u0);\n"
    "[numthreads(256, 1, 1)]\n"
    "void main(uint3 tid : SV_DispatchThreadID)\n"
    "{\n"
    "    if (tid.x < params.n)\n"
    "        y[tid.x] = params.a * x[tid.x] + y[tid.x];\n"
    "}\n";

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Picks the device compushady's Python module would pick: the highest
 * (is_hardware, is_discrete, dedicated_video_memory). */
static cs_device *best_device(cs_instance *instance, cs_device_info *info)
{
    cs_device *best = NULL;
    for (size_t i = 0; i < cs_instance_device_count(instance); i++) {
        cs_device *device = cs_instance_get_device(instance, i);
        cs_device_info candidate;
        cs_device_get_info(device, &candidate);
        if (!best || candidate.is_hardware > info->is_hardware ||
            (candidate.is_hardware == info->is_hardware &&
             (candidate.is_discrete > info->is_discrete ||
              (candidate.is_discrete == info->is_discrete &&
               candidate.dedicated_video_memory >
                   info->dedicated_video_memory)))) {
            best = device;
            *info = candidate;
        }
    }
    return best;
}

/* What a failure looks like: a shader with a typo does not compile, and
 * cs_last_error() holds the compiler's diagnostics with line numbers. */
static void show_compile_error(void)
{
    cs_shader_compile_desc bad = {
        .source = "RWStructuredBuffer<float> y : register(u0);\n"
                  "[numthreads(1, 1, 1)]\n"
                  "void main() { y[0] = undeclared_value; }\n",
        .file_name = "bad.hlsl"};
    void *spirv = NULL;
    size_t size = 0;
    cs_status status = cs_shader_compile(&bad, &spirv, &size);
    printf("compiling a broken shader: %s\n%s\n", cs_status_name(status),
           cs_last_error());
    cs_free(spirv);
}

int main(int argc, char **argv)
{
    uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 1u << 20;
    int iterations = argc > 2 ? atoi(argv[2]) : 10;
    if (n == 0 || iterations <= 0) {
        fprintf(stderr, "usage: %s [n > 0] [iterations > 0]\n", argv[0]);
        return 2;
    }

    cs_status status = CS_OK;
    cs_instance *instance = NULL;
    cs_resource *upload = NULL, *x = NULL, *y = NULL, *readback = NULL;
    cs_compute *compute = NULL;
    void *spirv = NULL;
    float *host_x = malloc(sizeof(float) * n);
    float *host_y = malloc(sizeof(float) * n);
    float *result = malloc(sizeof(float) * n);
    if (!host_x || !host_y || !result) {
        fprintf(stderr, "out of memory\n");
        status = CS_ERROR_OUT_OF_HOST_MEMORY;
        goto done;
    }

    TRY(cs_instance_create(NULL, &instance));
    cs_device_info info = {0};
    cs_device *device = best_device(instance, &info);
    if (!device) {
        fprintf(stderr, "no Vulkan device\n");
        status = CS_ERROR_NO_DEVICE;
        goto done;
    }
    printf("device: %s (%s)\n", info.name,
           info.is_hardware ? "hardware" : "software");
    uint32_t groups = (n + GROUP - 1) / GROUP;
    if (groups > info.max_compute_workgroup_count[0]) {
        fprintf(stderr, "n=%u needs %u groups, the device allows %u\n", n,
                groups, info.max_compute_workgroup_count[0]);
        status = CS_ERROR_INVALID_ARGUMENT;
        goto done;
    }

    show_compile_error();

    for (uint32_t i = 0; i < n; i++) {
        host_x[i] = (float)(i % 1000) * 0.001f;
        host_y[i] = (float)(i % 7);
    }
    uint64_t bytes = (uint64_t)n * sizeof(float);
    cs_resource_desc desc = {.heap_type = CS_HEAP_UPLOAD, .size = bytes};
    TRY(cs_resource_create(device, &desc, &upload));
    desc.heap_type = CS_HEAP_DEFAULT;
    desc.stride = sizeof(float);
    TRY(cs_resource_create(device, &desc, &x));
    TRY(cs_resource_create(device, &desc, &y));
    desc.heap_type = CS_HEAP_READBACK;
    desc.stride = 0;
    TRY(cs_resource_create(device, &desc, &readback));
    TRY(cs_buffer_upload(upload, 0, host_x, bytes));
    TRY(cs_resource_copy(upload, x, NULL));
    TRY(cs_buffer_upload(upload, 0, host_y, bytes));
    TRY(cs_resource_copy(upload, y, NULL));

    cs_shader_compile_desc shader = {.source = saxpy_source,
                                     .file_name = "saxpy.hlsl"};
    size_t spirv_size;
    TRY(cs_shader_compile(&shader, &spirv, &spirv_size));
    cs_compute_desc cdesc = {.spirv = spirv,
                             .spirv_size = spirv_size,
                             .srv = &x,
                             .srv_count = 1,
                             .uav = &y,
                             .uav_count = 1,
                             .push_size = 8};
    TRY(cs_compute_create(device, &cdesc, &compute));

    /* push constants: the Params struct of the shader, 8 bytes */
    struct {
        float a;
        uint32_t n;
    } push = {2.0f, n};
    double start = now();
    for (int i = 0; i < iterations; i++)
        TRY(cs_compute_dispatch(compute, groups, 1, 1, &push, sizeof push));
    double elapsed = (now() - start) / iterations;

    TRY(cs_resource_copy(y, readback, NULL));
    TRY(cs_buffer_readback(readback, 0, result, bytes));
    double max_error = 0;
    for (uint32_t i = 0; i < n; i++) {
        float expected = host_y[i];
        for (int k = 0; k < iterations; k++)
            expected = push.a * host_x[i] + expected;
        double error = fabs((double)result[i] - (double)expected);
        if (error > max_error)
            max_error = error;
    }
    printf("saxpy: n=%u, %d dispatches, %.3f ms each, %.2f GB/s, "
           "max error %g\n",
           n, iterations, elapsed * 1e3, 3.0 * (double)bytes / elapsed / 1e9,
           max_error);
    if (max_error > 1e-3) {
        fprintf(stderr, "saxpy: wrong result\n");
        status = CS_ERROR_BACKEND;
        goto done;
    }
    printf("OK\n");

done:
    cs_free(spirv);
    if (compute)
        cs_compute_release(compute);
    if (readback)
        cs_resource_release(readback);
    if (y)
        cs_resource_release(y);
    if (x)
        cs_resource_release(x);
    if (upload)
        cs_resource_release(upload);
    if (instance)
        cs_instance_release(instance);
    free(host_x);
    free(host_y);
    free(result);
    return status == CS_OK ? 0 : 1;
}
