/*
 * c_api_roundtrip.c - dispatch round trip and saxpy through the public C API
 * (include/compushady.h), to show the overhead a C user pays over raw Vulkan
 * (bench/raw_vulkan_roundtrip.c). Run by bench/bench.py when built.
 *
 * Build (shared):  cc -O2 -std=c11 -Iinclude bench/c_api_roundtrip.c \
 *                     -Lbuild -lcompushady -Wl,-rpath,build -o
 * build/bench_c_api Usage: build/bench_c_api [--quick] [--iterations N]
 * [--saxpy-n N]
 *                          [--device N]      (or env COMPUSHADY_DEVICE=N)
 * Output: one JSON line on stdout.
 */
#define _POSIX_C_SOURCE 200809L
#include <compushady.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *trivial_hlsl =
    "RWStructuredBuffer<uint> counter : register(u0);\n"
    "[numthreads(1, 1, 1)]\n"
    "void main() { counter[0] += 1; }\n";

/* y = a * x + y, one element per thread, groups laid out as rows of
 * `stride` threads (dispatch(gx, gy, 1)); the same shader as bench.py */
static const char *saxpy_hlsl = "cbuffer Params : register(b0) { float a; uint "
                                "n; uint stride; uint pad; };\n"
                                "StructuredBuffer<float> x : register(t0);\n"
                                "RWStructuredBuffer<float> y : register(u0);\n"
                                "[numthreads(256, 1, 1)]\n"
                                "void main(uint3 tid : SV_DispatchThreadID)\n"
                                "{\n"
                                "    uint i = tid.y * stride + tid.x;\n"
                                "    if (i < n)\n"
                                "        y[i] = a * x[i] + y[i];\n"
                                "}\n";

#define CHECK(call)                                                            \
    do {                                                                       \
        cs_status check_status_ = (call);                                      \
        if (check_status_ != CS_OK) {                                          \
            fprintf(stderr, "c_api: %s failed: %s: %s (line %d)\n", #call,     \
                    cs_status_name(check_status_), cs_last_error(), __LINE__); \
            exit(1);                                                           \
        }                                                                      \
    } while (0)

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static double median_u64(uint64_t *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_u64);
    return n % 2 ? (double)v[n / 2]
                 : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2.0;
}

static cs_resource *make_buffer(cs_device *dev, cs_heap_type heap,
                                uint64_t size, uint32_t stride)
{
    cs_resource_desc d = {.kind = CS_RESOURCE_BUFFER,
                          .heap_type = heap,
                          .size = size,
                          .stride = stride};
    cs_resource *r;
    CHECK(cs_resource_create(dev, &d, &r));
    return r;
}

static cs_compute *make_compute(cs_device *dev, const char *hlsl,
                                cs_resource *cbv, cs_resource *srv,
                                cs_resource *uav)
{
    cs_shader_compile_desc sd = {.language = CS_SHADER_HLSL, .source = hlsl};
    void *spirv;
    size_t spirv_size;
    CHECK(cs_shader_compile(&sd, &spirv, &spirv_size));
    cs_compute_desc cd = {
        .spirv = spirv,
        .spirv_size = spirv_size,
        .cbv = cbv ? &cbv : NULL,
        .cbv_count = cbv ? 1 : 0,
        .srv = srv ? &srv : NULL,
        .srv_count = srv ? 1 : 0,
        .uav = &uav,
        .uav_count = 1,
    };
    cs_compute *c;
    CHECK(cs_compute_create(dev, &cd, &c));
    cs_free(spirv);
    return c;
}

int main(int argc, char **argv)
{
    int quick = 0, iterations = -1;
    long wanted = -1;
    uint64_t saxpy_n = 0;
    const char *env = getenv("COMPUSHADY_DEVICE");
    if (env && *env)
        wanted = strtol(env, NULL, 10);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick"))
            quick = 1;
        else if (!strcmp(argv[i], "--iterations") && i + 1 < argc)
            iterations = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--saxpy-n") && i + 1 < argc)
            saxpy_n = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--device") && i + 1 < argc)
            wanted = strtol(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: bench_c_api [--quick] [--iterations N] "
                            "[--saxpy-n N] [--device N]\n");
            return 2;
        }
    }
    if (iterations <= 0)
        iterations = quick ? 5000 : 20000;

    cs_instance *inst;
    CHECK(cs_instance_create(NULL, &inst));
    size_t count = cs_instance_device_count(inst);
    if (count == 0) {
        fprintf(stderr, "c_api: no device\n");
        return 1;
    }
    /* the best device: highest (is_hardware, is_discrete, video memory) */
    size_t best = 0;
    cs_device_info bi, info;
    cs_device_get_info(cs_instance_get_device(inst, 0), &bi);
    for (size_t i = 1; i < count; i++) {
        cs_device_get_info(cs_instance_get_device(inst, i), &info);
        if (info.is_hardware > bi.is_hardware ||
            (info.is_hardware == bi.is_hardware &&
             (info.is_discrete > bi.is_discrete ||
              (info.is_discrete == bi.is_discrete &&
               info.dedicated_video_memory > bi.dedicated_video_memory)))) {
            best = i;
            bi = info;
        }
    }
    if (wanted >= 0) {
        if ((size_t)wanted >= count) {
            fprintf(stderr, "c_api: device %ld out of range (%zu)\n", wanted,
                    count);
            return 1;
        }
        best = (size_t)wanted;
    }
    cs_device *dev = cs_instance_get_device(inst, best);
    cs_device_get_info(dev, &info);
    fprintf(stderr, "c_api: using %s\n", info.name);
    if (saxpy_n == 0)
        saxpy_n = (quick || !info.is_hardware) ? (4u << 20) : (64u << 20);

    /* dispatch round trip */
    cs_resource *counter = make_buffer(dev, CS_HEAP_DEFAULT, 4, 4);
    cs_resource *zero = make_buffer(dev, CS_HEAP_UPLOAD, 4, 0);
    uint32_t zero_value = 0;
    CHECK(cs_buffer_upload(zero, 0, &zero_value, 4));
    CHECK(cs_resource_copy(zero, counter, NULL)); /* DEFAULT starts undefined */
    cs_resource_release(zero);
    cs_compute *trivial = make_compute(dev, trivial_hlsl, NULL, NULL, counter);
    int warmup = iterations / 10 < 20 ? 20 : iterations / 10;
    for (int i = 0; i < warmup; i++)
        CHECK(cs_compute_dispatch(trivial, 1, 1, 1, NULL, 0));
    uint64_t *t = calloc((size_t)iterations, sizeof *t), total = 0;
    for (int i = 0; i < iterations; i++) {
        uint64_t t0 = now_ns();
        cs_compute_dispatch(trivial, 1, 1, 1, NULL, 0);
        t[i] = now_ns() - t0;
        total += t[i];
    }
    double mean_us = (double)total / iterations / 1e3;
    double median_us = median_u64(t, (size_t)iterations) / 1e3;
    free(t);
    cs_resource *rb4 = make_buffer(dev, CS_HEAP_READBACK, 4, 0);
    CHECK(cs_resource_copy(counter, rb4, NULL));
    uint32_t got = 0;
    CHECK(cs_buffer_readback(rb4, 0, &got, 4));
    if (got != (uint32_t)(warmup + iterations))
        fprintf(stderr, "c_api: WARNING counter %u, expected %d\n", got,
                warmup + iterations);
    cs_resource_release(rb4);

    /* recording alone: 1000 dispatches into a command list, nothing
     * submitted (the same figure from Python is bench.py's) */
    enum { RECORDED = 1000 };
    int record_runs = quick ? 5 : 15;
    uint64_t record_t[15];
    for (int r = 0; r < record_runs + 2; r++) {
        cs_command_list *list;
        CHECK(cs_command_list_create(dev, 0, &list));
        uint64_t t0 = now_ns();
        for (int i = 0; i < RECORDED; i++)
            cs_command_list_dispatch(list, trivial, 1, 1, 1, NULL, 0);
        uint64_t took = now_ns() - t0;
        if (r >= 2) /* two to warm up */
            record_t[r - 2] = took;
        cs_command_list_release(list);
    }
    double record_us =
        median_u64(record_t, (size_t)record_runs) / 1e3 / RECORDED;
    cs_compute_release(trivial);
    cs_resource_release(counter);

    /* saxpy: y = 2 * x + y */
    uint64_t n = saxpy_n, bytes = 4 * n;
    uint64_t groups = (n + 255) / 256;
    uint32_t gx = (uint32_t)(groups < 32768 ? groups : 32768);
    uint32_t gy = (uint32_t)((groups + gx - 1) / gx);
    uint32_t params[4] = {0, (uint32_t)n, gx * 256u, 0};
    float a = 2.0f;
    memcpy(&params[0], &a, 4);
    cs_resource *staging = make_buffer(dev, CS_HEAP_UPLOAD, bytes, 0);
    cs_resource *x = make_buffer(dev, CS_HEAP_DEFAULT, bytes, 4);
    cs_resource *y = make_buffer(dev, CS_HEAP_DEFAULT, bytes, 4);
    cs_resource *pup = make_buffer(dev, CS_HEAP_UPLOAD, 16, 0);
    cs_resource *p = make_buffer(dev, CS_HEAP_DEFAULT, 16, 0);
    float *m = cs_buffer_mapped(staging);
    for (uint64_t i = 0; i < n; i++)
        m[i] = (float)(i % 1024);
    CHECK(cs_resource_copy(staging, x, NULL));
    for (uint64_t i = 0; i < n; i++)
        m[i] = 1.0f;
    CHECK(cs_resource_copy(staging, y, NULL));
    CHECK(cs_buffer_upload(pup, 0, params, 16));
    CHECK(cs_resource_copy(pup, p, NULL));
    cs_resource_release(staging);
    cs_resource_release(pup);
    cs_compute *saxpy = make_compute(dev, saxpy_hlsl, p, x, y);
    CHECK(cs_compute_dispatch(saxpy, gx, gy, 1, NULL, 0));
    cs_resource *rb = make_buffer(dev, CS_HEAP_READBACK, bytes, 0);
    CHECK(cs_resource_copy(y, rb, NULL));
    const float *r = cs_buffer_mapped(rb);
    for (uint64_t i = 0; i < n; i++)
        if (r[i] != 2.0f * (float)(i % 1024) + 1.0f) {
            fprintf(stderr, "c_api: WARNING saxpy wrong at %llu: %f\n",
                    (unsigned long long)i, r[i]);
            break;
        }
    cs_resource_release(rb);
    int runs = quick ? 5 : 11;
    uint64_t ts[32];
    /* warm-up: at least 0.3 s of work, so that clocks have ramped up */
    for (uint64_t w0 = now_ns(); now_ns() - w0 < 300000000ull;)
        CHECK(cs_compute_dispatch(saxpy, gx, gy, 1, NULL, 0));
    for (int i = 0; i < runs; i++) {
        uint64_t t0 = now_ns();
        CHECK(cs_compute_dispatch(saxpy, gx, gy, 1, NULL, 0));
        ts[i] = now_ns() - t0;
    }
    double saxpy_gbps = 12.0 * n / median_u64(ts, (size_t)runs);
    cs_compute_release(saxpy);
    cs_resource_release(x);
    cs_resource_release(y);
    cs_resource_release(p);

    /* reference: DEFAULT->DEFAULT copy of 6n bytes (12n read+written) */
    cs_resource *ca = make_buffer(dev, CS_HEAP_DEFAULT, 6 * n, 0);
    cs_resource *cb = make_buffer(dev, CS_HEAP_DEFAULT, 6 * n, 0);
    for (uint64_t w0 = now_ns(); now_ns() - w0 < 300000000ull;)
        CHECK(cs_resource_copy(ca, cb, NULL));
    for (int i = 0; i < runs; i++) {
        uint64_t t0 = now_ns();
        CHECK(cs_resource_copy(ca, cb, NULL));
        ts[i] = now_ns() - t0;
    }
    double copy_gbps = 12.0 * n / median_u64(ts, (size_t)runs);
    cs_resource_release(ca);
    cs_resource_release(cb);

    printf("{\"device\": \"");
    for (const char *s = info.name; *s; s++)
        if (*s == '"' || *s == '\\')
            printf("\\%c", *s);
        else if ((unsigned char)*s >= 0x20)
            putchar(*s);
    printf("\", \"is_hardware\": %s, \"iterations\": %d"
           ", \"dispatch_roundtrip_us_mean\": %.3f"
           ", \"dispatch_roundtrip_us_median\": %.3f"
           ", \"record_dispatch_us\": %.4f"
           ", \"saxpy_n\": %llu, \"saxpy_gbps\": %.3f"
           ", \"copy_d2d_gbps\": %.3f}\n",
           info.is_hardware ? "true" : "false", iterations, mean_us, median_us,
           record_us, (unsigned long long)n, saxpy_gbps, copy_gbps);
    cs_instance_release(inst);
    return 0;
}
