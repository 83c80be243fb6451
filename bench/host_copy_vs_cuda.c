/*
 * host_copy_vs_cuda.c - where the gap between Vulkan's and CUDA's
 * host<->device copy rates comes from (NVIDIA only; a diagnostic, not part
 * of bench.py).
 *
 * Vulkan's vkCmdCopyBuffer between host memory and device-local memory runs
 * at ~0.92 of CUDA's pinned copies on the H100. Either the pages differ (how
 * they are pinned, cached or mapped for the device) or the driver's copy
 * path does. This program swaps the pages between the two APIs:
 *
 *   cuda/cuda-pinned     cuMemcpy with cuMemHostAlloc pages (the reference)
 *   vulkan/vulkan-*      vkCmdCopyBuffer with Vulkan's own host memory
 *                        (uncached, write-combined; and host-cached)
 *   vulkan/cuda-pinned   vkCmdCopyBuffer with the cuMemHostAlloc pages,
 *                        imported through VK_EXT_external_memory_host
 *   vulkan/malloc        the same with plain aligned_alloc pages
 *   cuda/vulkan-memory   cuMemcpy with Vulkan's mapped host memory,
 *                        registered with cuMemHostRegister
 *   cuda/malloc          cuMemcpy with the aligned_alloc pages, registered
 *
 * If the copy rate follows the API and not the pages, the pages are not the
 * cause. Vulkan copies are timed on the wall (submit to fence) and on the
 * GPU (timestamps around the copy). CUDA comes from libcuda.so.1 (the
 * driver's own library) through dlopen, so no CUDA toolkit is needed.
 *
 * Build: cc -O2 -std=c11 bench/host_copy_vs_cuda.c -lvulkan -ldl \
 *            -o build/host_copy_vs_cuda
 * Usage: build/host_copy_vs_cuda [--mib M]   (default 256)
 */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <vulkan/vulkan.h>

#define RUNS 11

/* The few CUDA driver API entry points used, declared here (their ABI is
 * stable) so that the program builds without the CUDA toolkit. */
typedef int cu_result;
static struct {
    cu_result (*init)(unsigned flags);
    cu_result (*device_get)(int *device, int ordinal);
    cu_result (*primary_ctx_retain)(void **context, int device);
    cu_result (*ctx_set_current)(void *context);
    cu_result (*mem_host_alloc)(void **pointer, size_t size, unsigned flags);
    cu_result (*mem_host_register)(void *pointer, size_t size, unsigned flags);
    cu_result (*mem_alloc)(unsigned long long *device_pointer, size_t size);
    cu_result (*memcpy_htod)(unsigned long long to, const void *from,
                             size_t size);
    cu_result (*memcpy_dtoh)(void *to, unsigned long long from, size_t size);
} cu;

static struct {
    VkDevice device;
    VkPhysicalDeviceMemoryProperties memory;
    VkQueue queue;
    VkCommandPool pool;
    VkFence fence;
    VkQueryPool timestamps;
    double ns_per_tick;
    PFN_vkGetMemoryHostPointerPropertiesEXT host_pointer_properties;
} vk;

static VkDeviceSize copy_size = (VkDeviceSize)256 << 20;

static void fail(const char *what, long code)
{
    fprintf(stderr, "host_copy_vs_cuda: %s failed (%ld)\n", what, code);
    exit(1);
}

#define VK_CHECK(call)                                                         \
    do {                                                                       \
        VkResult result_ = (call);                                             \
        if (result_ != VK_SUCCESS)                                             \
            fail(#call, result_);                                              \
    } while (0)

#define CU_CHECK(call)                                                         \
    do {                                                                       \
        cu_result result_ = (call);                                            \
        if (result_ != 0)                                                      \
            fail(#call, result_);                                              \
    } while (0)

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *values)
{
    qsort(values, RUNS, sizeof *values, compare_doubles);
    return values[RUNS / 2];
}

static double gbps(double secs)
{
    return (double)copy_size / secs / 1e9;
}

static void load_cuda(void)
{
    void *library = dlopen("libcuda.so.1", RTLD_NOW);
    if (!library)
        fail("dlopen(libcuda.so.1)", 0);
    struct {
        void **slot;
        const char *name;
    } symbols[] = {
        {(void **)&cu.init, "cuInit"},
        {(void **)&cu.device_get, "cuDeviceGet"},
        {(void **)&cu.primary_ctx_retain, "cuDevicePrimaryCtxRetain"},
        {(void **)&cu.ctx_set_current, "cuCtxSetCurrent"},
        {(void **)&cu.mem_host_alloc, "cuMemHostAlloc"},
        {(void **)&cu.mem_host_register, "cuMemHostRegister_v2"},
        {(void **)&cu.mem_alloc, "cuMemAlloc_v2"},
        {(void **)&cu.memcpy_htod, "cuMemcpyHtoD_v2"},
        {(void **)&cu.memcpy_dtoh, "cuMemcpyDtoH_v2"},
    };
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        *symbols[i].slot = dlsym(library, symbols[i].name);
        if (!*symbols[i].slot)
            fail(symbols[i].name, 0);
    }
    int device;
    void *context;
    CU_CHECK(cu.init(0));
    CU_CHECK(cu.device_get(&device, 0));
    CU_CHECK(cu.primary_ctx_retain(&context, device));
    CU_CHECK(cu.ctx_set_current(context));
}

static void time_cuda(const char *pages, void *host,
                      unsigned long long device_memory)
{
    double h2d[RUNS], d2h[RUNS];
    CU_CHECK(cu.memcpy_htod(device_memory, host, copy_size));
    for (int i = 0; i < RUNS; i++) {
        double start = seconds();
        CU_CHECK(cu.memcpy_htod(device_memory, host, copy_size));
        h2d[i] = gbps(seconds() - start);
        start = seconds();
        CU_CHECK(cu.memcpy_dtoh(host, device_memory, copy_size));
        d2h[i] = gbps(seconds() - start);
    }
    printf("cuda   %-22s h2d %6.2f GB/s               d2h %6.2f GB/s\n", pages,
           median(h2d), median(d2h));
}

static void open_vulkan(void)
{
    VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
                             .apiVersion = VK_API_VERSION_1_2};
    VkInstanceCreateInfo instance_info = {
        .sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
        .pApplicationInfo = &app};
    VkInstance instance;
    VK_CHECK(vkCreateInstance(&instance_info, NULL, &instance));
    uint32_t count = 1;
    VkPhysicalDevice physical;
    VkResult listed = vkEnumeratePhysicalDevices(instance, &count, &physical);
    if ((listed != VK_SUCCESS && listed != VK_INCOMPLETE) || count == 0)
        fail("vkEnumeratePhysicalDevices", listed);
    VkPhysicalDeviceProperties properties;
    vkGetPhysicalDeviceProperties(physical, &properties);
    vk.ns_per_tick = properties.limits.timestampPeriod;
    vkGetPhysicalDeviceMemoryProperties(physical, &vk.memory);
    printf("vulkan device: %s\n", properties.deviceName);

    /* The compute family, as compushady uses for copies. */
    VkQueueFamilyProperties families[16];
    uint32_t family_count = 16, family = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(physical, &family_count, families);
    while (family < family_count &&
           !(families[family].queueFlags & VK_QUEUE_COMPUTE_BIT))
        family++;
    float priority = 1.0f;
    VkDeviceQueueCreateInfo queue_info = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
        .queueFamilyIndex = family,
        .queueCount = 1,
        .pQueuePriorities = &priority};
    const char *extensions[] = {VK_EXT_EXTERNAL_MEMORY_HOST_EXTENSION_NAME};
    VkDeviceCreateInfo device_info = {.sType =
                                          VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
                                      .queueCreateInfoCount = 1,
                                      .pQueueCreateInfos = &queue_info,
                                      .enabledExtensionCount = 1,
                                      .ppEnabledExtensionNames = extensions};
    VK_CHECK(vkCreateDevice(physical, &device_info, NULL, &vk.device));
    vkGetDeviceQueue(vk.device, family, 0, &vk.queue);
    vk.host_pointer_properties =
        (PFN_vkGetMemoryHostPointerPropertiesEXT)vkGetDeviceProcAddr(
            vk.device, "vkGetMemoryHostPointerPropertiesEXT");
    VkCommandPoolCreateInfo pool_info = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
        .queueFamilyIndex = family};
    VK_CHECK(vkCreateCommandPool(vk.device, &pool_info, NULL, &vk.pool));
    VkFenceCreateInfo fence_info = {.sType =
                                        VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    VK_CHECK(vkCreateFence(vk.device, &fence_info, NULL, &vk.fence));
    VkQueryPoolCreateInfo query_info = {
        .sType = VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO,
        .queryType = VK_QUERY_TYPE_TIMESTAMP,
        .queryCount = 2};
    VK_CHECK(vkCreateQueryPool(vk.device, &query_info, NULL, &vk.timestamps));
}

/* The first memory type in `allowed` with all of `wanted` and none of
 * `unwanted`. */
static uint32_t memory_type(uint32_t allowed, VkMemoryPropertyFlags wanted,
                            VkMemoryPropertyFlags unwanted)
{
    for (uint32_t i = 0; i < vk.memory.memoryTypeCount; i++) {
        VkMemoryPropertyFlags flags = vk.memory.memoryTypes[i].propertyFlags;
        if ((allowed & (1u << i)) && (flags & wanted) == wanted &&
            !(flags & unwanted))
            return i;
    }
    fail("finding a memory type", (long)wanted);
    return 0;
}

/* A buffer over new memory, or over `imported` host pages when given. */
static VkBuffer make_buffer(VkMemoryPropertyFlags wanted,
                            VkMemoryPropertyFlags unwanted, void *imported,
                            void **mapped)
{
    VkExternalMemoryBufferCreateInfo external = {
        .sType = VK_STRUCTURE_TYPE_EXTERNAL_MEMORY_BUFFER_CREATE_INFO,
        .handleTypes = VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_ALLOCATION_BIT_EXT};
    VkBufferCreateInfo buffer_info = {
        .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
        .pNext = imported ? &external : NULL,
        .size = copy_size,
        .usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                 VK_BUFFER_USAGE_TRANSFER_DST_BIT};
    VkBuffer buffer;
    VK_CHECK(vkCreateBuffer(vk.device, &buffer_info, NULL, &buffer));
    VkMemoryRequirements needs;
    vkGetBufferMemoryRequirements(vk.device, buffer, &needs);
    uint32_t allowed = needs.memoryTypeBits;
    VkImportMemoryHostPointerInfoEXT import = {
        .sType = VK_STRUCTURE_TYPE_IMPORT_MEMORY_HOST_POINTER_INFO_EXT,
        .handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_ALLOCATION_BIT_EXT,
        .pHostPointer = imported};
    if (imported) {
        VkMemoryHostPointerPropertiesEXT host = {
            .sType = VK_STRUCTURE_TYPE_MEMORY_HOST_POINTER_PROPERTIES_EXT};
        VK_CHECK(vk.host_pointer_properties(
            vk.device, VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_ALLOCATION_BIT_EXT,
            imported, &host));
        allowed &= host.memoryTypeBits;
    }
    VkMemoryAllocateInfo allocate_info = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
        .pNext = imported ? &import : NULL,
        .allocationSize = needs.size,
        .memoryTypeIndex = memory_type(allowed, wanted, unwanted)};
    VkDeviceMemory memory;
    VK_CHECK(vkAllocateMemory(vk.device, &allocate_info, NULL, &memory));
    VK_CHECK(vkBindBufferMemory(vk.device, buffer, memory, 0));
    if (mapped)
        VK_CHECK(vkMapMemory(vk.device, memory, 0, VK_WHOLE_SIZE, 0, mapped));
    return buffer;
}

static void time_vulkan_copy(VkBuffer from, VkBuffer to, double *wall,
                             double *gpu)
{
    VkCommandBufferAllocateInfo allocate_info = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
        .commandPool = vk.pool,
        .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
        .commandBufferCount = 1};
    VkCommandBuffer commands;
    VK_CHECK(vkAllocateCommandBuffers(vk.device, &allocate_info, &commands));
    VkCommandBufferBeginInfo begin = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    VK_CHECK(vkBeginCommandBuffer(commands, &begin));
    vkCmdResetQueryPool(commands, vk.timestamps, 0, 2);
    vkCmdWriteTimestamp(commands, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT,
                        vk.timestamps, 0);
    VkBufferCopy region = {.size = copy_size};
    vkCmdCopyBuffer(commands, from, to, 1, &region);
    vkCmdWriteTimestamp(commands, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT,
                        vk.timestamps, 1);
    VK_CHECK(vkEndCommandBuffer(commands));

    double walls[RUNS], gpus[RUNS];
    for (int i = -1; i < RUNS; i++) { /* run -1 warms up */
        VkSubmitInfo submit = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
                               .commandBufferCount = 1,
                               .pCommandBuffers = &commands};
        double start = seconds();
        VK_CHECK(vkQueueSubmit(vk.queue, 1, &submit, vk.fence));
        VK_CHECK(vkWaitForFences(vk.device, 1, &vk.fence, VK_TRUE, UINT64_MAX));
        double elapsed = seconds() - start;
        VK_CHECK(vkResetFences(vk.device, 1, &vk.fence));
        uint64_t ticks[2];
        VK_CHECK(vkGetQueryPoolResults(vk.device, vk.timestamps, 0, 2,
                                       sizeof ticks, ticks, sizeof ticks[0],
                                       VK_QUERY_RESULT_64_BIT |
                                           VK_QUERY_RESULT_WAIT_BIT));
        if (i >= 0) {
            walls[i] = gbps(elapsed);
            gpus[i] =
                gbps((double)(ticks[1] - ticks[0]) * vk.ns_per_tick * 1e-9);
        }
    }
    *wall = median(walls);
    *gpu = median(gpus);
    vkFreeCommandBuffers(vk.device, vk.pool, 1, &commands);
}

static void time_vulkan(const char *pages, VkBuffer host, VkBuffer device)
{
    double h2d_wall, h2d_gpu, d2h_wall, d2h_gpu;
    time_vulkan_copy(host, device, &h2d_wall, &h2d_gpu);
    time_vulkan_copy(device, host, &d2h_wall, &d2h_gpu);
    printf("vulkan %-22s h2d %6.2f GB/s (GPU %6.2f)  d2h %6.2f GB/s (GPU "
           "%6.2f)\n",
           pages, h2d_wall, h2d_gpu, d2h_wall, d2h_gpu);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--mib") && i + 1 < argc) {
            copy_size = (VkDeviceSize)atol(argv[++i]) << 20;
        } else {
            fprintf(stderr, "usage: host_copy_vs_cuda [--mib M]\n");
            return 2;
        }
    }
    if (copy_size == 0)
        fail("--mib must be positive", 0);

    load_cuda();
    void *cuda_pinned = NULL;
    unsigned long long cuda_device = 0;
    CU_CHECK(cu.mem_host_alloc(&cuda_pinned, copy_size, 0));
    CU_CHECK(cu.mem_alloc(&cuda_device, copy_size));
    void *plain = aligned_alloc(4096, copy_size);
    if (!plain)
        fail("aligned_alloc", 0);
    memset(cuda_pinned, 7, copy_size);
    memset(plain, 7, copy_size);

    open_vulkan();
    const VkMemoryPropertyFlags host_visible =
        VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;
    void *vulkan_mapping = NULL;
    VkBuffer device =
        make_buffer(VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, 0, NULL, NULL);
    VkBuffer vulkan_uncached =
        make_buffer(host_visible | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
                    VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT |
                        VK_MEMORY_PROPERTY_HOST_CACHED_BIT,
                    NULL, &vulkan_mapping);
    VkBuffer vulkan_cached =
        make_buffer(host_visible | VK_MEMORY_PROPERTY_HOST_CACHED_BIT,
                    VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, NULL, NULL);
    VkBuffer imported_pinned = make_buffer(
        host_visible, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, cuda_pinned, NULL);
    VkBuffer imported_plain = make_buffer(
        host_visible, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, plain, NULL);
    memset(vulkan_mapping, 7, copy_size);

    for (int round = 0; round < 2; round++) {
        time_cuda("cuda-pinned", cuda_pinned, cuda_device);
        time_vulkan("vulkan-uncached", vulkan_uncached, device);
        time_vulkan("vulkan-cached", vulkan_cached, device);
        time_vulkan("cuda-pinned (imported)", imported_pinned, device);
        time_vulkan("malloc (imported)", imported_plain, device);
    }
    CU_CHECK(cu.mem_host_register(vulkan_mapping, copy_size, 0));
    time_cuda("vulkan-memory", vulkan_mapping, cuda_device);
    CU_CHECK(cu.mem_host_register(plain, copy_size, 0));
    time_cuda("malloc", plain, cuda_device);
    /* The process exit releases everything. */
    return 0;
}
