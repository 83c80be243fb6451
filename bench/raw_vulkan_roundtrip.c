/*
 * raw_vulkan_roundtrip.c - the "raw Vulkan" reference figures for
 * bench/bench.py. Uses only Vulkan (no compushady), so the numbers show what
 * the hardware + driver can do with the least possible host code:
 *
 *  1. dispatch round trip: one pre-recorded command buffer holding
 *     bind pipeline + bind descriptor set + vkCmdDispatch(1,1,1); the loop is
 *     vkQueueSubmit + vkWaitForFences + vkResetFences. Mean and median in us.
 *     Then the same loop polling vkGetFenceStatus instead of sleeping in
 *     vkWaitForFences ("spin"): the floor the host can observe.
 *  2. copy bandwidth: vkCmdCopyBuffer host-visible -> device-local ("h2d")
 *     and device-local -> host-visible, host-cached when available ("d2h"),
 *     one pre-recorded command buffer each, median over a few runs, GB/s
 *     (1 GB = 1e9 bytes) of bytes copied. Also device-local -> device-local
 *     ("d2d", counted as bytes copied).
 *  3. 1 MiB device-local buffer create+allocate+bind+destroy+free per second.
 *  4. pipeline creation: shader module + set layout + pipeline layout +
 *     compute pipeline + descriptor pool/set/write, then destroy; median ms.
 *
 * Device choice: the same rule as compushady.get_best_device(): highest
 * (is_hardware, is_discrete, dedicated_video_memory), first wins ties; the
 * env var COMPUSHADY_DEVICE=N (or --device N) picks index N of
 * vkEnumeratePhysicalDevices instead.
 *
 * Output: one JSON line on stdout (everything else goes to stderr).
 *
 * Build: cc -O2 -std=c11 bench/raw_vulkan_roundtrip.c -lvulkan \
 *            -o build/bench_raw_vulkan
 * Usage: build/bench_raw_vulkan [--quick] [--iterations N] [--copy-mib M]
 *                               [--device N] [--no-copy]
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <vulkan/vulkan.h>

/*
 * The trivial shader, assembled with `spirv-as --target-env vulkan1.0` and
 * checked with spirv-val from this source:
 *
 *   ; GLSL equivalent:
 *   ;   #version 450
 *   ;   layout(local_size_x = 1) in;
 *   ;   layout(set = 0, binding = 0) buffer B { uint v[]; } b;
 *   ;   void main() { b.v[0] += 1u; }
 *   OpCapability Shader
 *   OpMemoryModel Logical GLSL450
 *   OpEntryPoint GLCompute %main "main"
 *   OpExecutionMode %main LocalSize 1 1 1
 *   OpDecorate %arr ArrayStride 4
 *   OpMemberDecorate %B 0 Offset 0
 *   OpDecorate %B BufferBlock
 *   OpDecorate %b DescriptorSet 0
 *   OpDecorate %b Binding 0
 *   %void = OpTypeVoid
 *   %fn = OpTypeFunction %void
 *   %uint = OpTypeInt 32 0
 *   %int = OpTypeInt 32 1
 *   %arr = OpTypeRuntimeArray %uint
 *   %B = OpTypeStruct %arr
 *   %pB = OpTypePointer Uniform %B
 *   %b = OpVariable %pB Uniform
 *   %int0 = OpConstant %int 0
 *   %uint1 = OpConstant %uint 1
 *   %pu = OpTypePointer Uniform %uint
 *   %main = OpFunction %void None %fn
 *   %entry = OpLabel
 *   %p = OpAccessChain %pu %b %int0 %int0
 *   %x = OpLoad %uint %p
 *   %y = OpIAdd %uint %x %uint1
 *   OpStore %p %y
 *   OpReturn
 *   OpFunctionEnd
 */
static const uint32_t trivial_spirv[] = {
    0x07230203, 0x00010000, 0x00070000, 0x00000011, 0x00000000, 0x00020011,
    0x00000001, 0x0003000e, 0x00000000, 0x00000001, 0x0005000f, 0x00000005,
    0x00000001, 0x6e69616d, 0x00000000, 0x00060010, 0x00000001, 0x00000011,
    0x00000001, 0x00000001, 0x00000001, 0x00040047, 0x00000002, 0x00000006,
    0x00000004, 0x00050048, 0x00000003, 0x00000000, 0x00000023, 0x00000000,
    0x00030047, 0x00000003, 0x00000003, 0x00040047, 0x00000004, 0x00000022,
    0x00000000, 0x00040047, 0x00000004, 0x00000021, 0x00000000, 0x00020013,
    0x00000005, 0x00030021, 0x00000006, 0x00000005, 0x00040015, 0x00000007,
    0x00000020, 0x00000000, 0x00040015, 0x00000008, 0x00000020, 0x00000001,
    0x0003001d, 0x00000002, 0x00000007, 0x0003001e, 0x00000003, 0x00000002,
    0x00040020, 0x00000009, 0x00000002, 0x00000003, 0x0004003b, 0x00000009,
    0x00000004, 0x00000002, 0x0004002b, 0x00000008, 0x0000000a, 0x00000000,
    0x0004002b, 0x00000007, 0x0000000b, 0x00000001, 0x00040020, 0x0000000c,
    0x00000002, 0x00000007, 0x00050036, 0x00000005, 0x00000001, 0x00000000,
    0x00000006, 0x000200f8, 0x0000000d, 0x00060041, 0x0000000c, 0x0000000e,
    0x00000004, 0x0000000a, 0x0000000a, 0x0004003d, 0x00000007, 0x0000000f,
    0x0000000e, 0x00050080, 0x00000007, 0x00000010, 0x0000000f, 0x0000000b,
    0x0003003e, 0x0000000e, 0x00000010, 0x000100fd, 0x00010038,
};

#define CHECK(call)                                                            \
    do {                                                                       \
        VkResult check_result_ = (call);                                       \
        if (check_result_ != VK_SUCCESS) {                                     \
            fprintf(stderr, "raw_vulkan: %s failed: VkResult %d (line %d)\n",  \
                    #call, (int)check_result_, __LINE__);                      \
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
    if (n % 2)
        return (double)v[n / 2];
    return ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2.0;
}

static void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

typedef struct ctx {
    VkInstance instance;
    VkPhysicalDevice phys;
    VkPhysicalDeviceProperties props;
    VkPhysicalDeviceMemoryProperties mem;
    VkDevice device;
    uint32_t queue_family;
    VkQueue queue;
    VkCommandPool pool;
    VkFence fence;
} ctx;

typedef struct buffer {
    VkBuffer buffer;
    VkDeviceMemory memory;
    void *mapped;
} buffer;

/* First memory type allowed by type_bits with all of `want`; if prefer is
 * non-zero, a type having want|prefer is chosen first. */
static int find_memory_type(const ctx *c, uint32_t type_bits,
                            VkMemoryPropertyFlags want,
                            VkMemoryPropertyFlags prefer)
{
    for (int pass = prefer ? 0 : 1; pass < 2; pass++) {
        VkMemoryPropertyFlags need = pass == 0 ? (want | prefer) : want;
        for (uint32_t i = 0; i < c->mem.memoryTypeCount; i++) {
            if ((type_bits & (1u << i)) &&
                (c->mem.memoryTypes[i].propertyFlags & need) == need)
                return (int)i;
        }
    }
    return -1;
}

static buffer make_buffer(const ctx *c, VkDeviceSize size,
                          VkBufferUsageFlags usage, VkMemoryPropertyFlags want,
                          VkMemoryPropertyFlags prefer)
{
    buffer b = {0};
    VkBufferCreateInfo bci = {
        .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
        .size = size,
        .usage = usage,
        .sharingMode = VK_SHARING_MODE_EXCLUSIVE,
    };
    CHECK(vkCreateBuffer(c->device, &bci, NULL, &b.buffer));
    VkMemoryRequirements req;
    vkGetBufferMemoryRequirements(c->device, b.buffer, &req);
    int type = find_memory_type(c, req.memoryTypeBits, want, prefer);
    if (type < 0) {
        fprintf(stderr, "raw_vulkan: no memory type with flags 0x%x\n",
                (unsigned)want);
        exit(1);
    }
    VkMemoryAllocateInfo mai = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
        .allocationSize = req.size,
        .memoryTypeIndex = (uint32_t)type,
    };
    CHECK(vkAllocateMemory(c->device, &mai, NULL, &b.memory));
    CHECK(vkBindBufferMemory(c->device, b.buffer, b.memory, 0));
    if (want & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT)
        CHECK(vkMapMemory(c->device, b.memory, 0, VK_WHOLE_SIZE, 0, &b.mapped));
    return b;
}

static void free_buffer(const ctx *c, buffer *b)
{
    if (b->mapped)
        vkUnmapMemory(c->device, b->memory);
    vkDestroyBuffer(c->device, b->buffer, NULL);
    vkFreeMemory(c->device, b->memory, NULL);
    memset(b, 0, sizeof *b);
}

static VkCommandBuffer alloc_cmd(const ctx *c)
{
    VkCommandBufferAllocateInfo ai = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
        .commandPool = c->pool,
        .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
        .commandBufferCount = 1,
    };
    VkCommandBuffer cmd;
    CHECK(vkAllocateCommandBuffers(c->device, &ai, &cmd));
    VkCommandBufferBeginInfo bi = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
    };
    CHECK(vkBeginCommandBuffer(cmd, &bi));
    return cmd;
}

/* submit + wait + reset: the round trip being measured */
static void submit_wait(const ctx *c, VkCommandBuffer cmd)
{
    VkSubmitInfo si = {
        .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
        .commandBufferCount = 1,
        .pCommandBuffers = &cmd,
    };
    CHECK(vkQueueSubmit(c->queue, 1, &si, c->fence));
    CHECK(vkWaitForFences(c->device, 1, &c->fence, VK_TRUE, UINT64_MAX));
    CHECK(vkResetFences(c->device, 1, &c->fence));
}

/* the same, but polling vkGetFenceStatus instead of sleeping in
 * vkWaitForFences: the lowest latency the host can see (burns a core) */
static void submit_spin(const ctx *c, VkCommandBuffer cmd)
{
    VkSubmitInfo si = {
        .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
        .commandBufferCount = 1,
        .pCommandBuffers = &cmd,
    };
    CHECK(vkQueueSubmit(c->queue, 1, &si, c->fence));
    VkResult r;
    while ((r = vkGetFenceStatus(c->device, c->fence)) == VK_NOT_READY)
        ;
    CHECK(r);
    CHECK(vkResetFences(c->device, 1, &c->fence));
}

/* compushady's ranking: (is_hardware, is_discrete, dedicated_video_memory) */
static void pick_device(ctx *c, long wanted)
{
    uint32_t n = 0;
    CHECK(vkEnumeratePhysicalDevices(c->instance, &n, NULL));
    if (n == 0) {
        fprintf(stderr, "raw_vulkan: no Vulkan device\n");
        exit(1);
    }
    VkPhysicalDevice *devs = calloc(n, sizeof *devs);
    CHECK(vkEnumeratePhysicalDevices(c->instance, &n, devs));
    long best = -1;
    int best_hw = -1, best_discrete = -1;
    uint64_t best_vram = 0;
    for (uint32_t i = 0; i < n; i++) {
        VkPhysicalDeviceProperties p;
        VkPhysicalDeviceMemoryProperties m;
        vkGetPhysicalDeviceProperties(devs[i], &p);
        vkGetPhysicalDeviceMemoryProperties(devs[i], &m);
        int hw = p.deviceType != VK_PHYSICAL_DEVICE_TYPE_CPU;
        int discrete = p.deviceType == VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU;
        uint64_t vram = 0;
        if (discrete)
            for (uint32_t h = 0; h < m.memoryHeapCount; h++)
                if (m.memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT)
                    vram += m.memoryHeaps[h].size;
        fprintf(stderr, "raw_vulkan: device %u: %s (type %d)\n", i,
                p.deviceName, (int)p.deviceType);
        if (best < 0 || hw > best_hw ||
            (hw == best_hw && discrete > best_discrete) ||
            (hw == best_hw && discrete == best_discrete && vram > best_vram)) {
            best = i;
            best_hw = hw;
            best_discrete = discrete;
            best_vram = vram;
        }
    }
    if (wanted >= 0) {
        if (wanted >= (long)n) {
            fprintf(stderr, "raw_vulkan: device index %ld out of range (%u)\n",
                    wanted, n);
            exit(1);
        }
        best = wanted;
    }
    c->phys = devs[best];
    free(devs);
    vkGetPhysicalDeviceProperties(c->phys, &c->props);
    vkGetPhysicalDeviceMemoryProperties(c->phys, &c->mem);
}

static void init(ctx *c, long wanted_device)
{
    VkApplicationInfo app = {
        .sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
        .pApplicationName = "raw_vulkan_roundtrip",
        .apiVersion = VK_API_VERSION_1_1,
    };
    VkInstanceCreateInfo ici = {
        .sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
        .pApplicationInfo = &app,
    };
    CHECK(vkCreateInstance(&ici, NULL, &c->instance));
    pick_device(c, wanted_device);

    uint32_t nq = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(c->phys, &nq, NULL);
    VkQueueFamilyProperties *qf = calloc(nq, sizeof *qf);
    vkGetPhysicalDeviceQueueFamilyProperties(c->phys, &nq, qf);
    /* prefer a family with compute (graphics+compute is what most
     * libraries, compushady included, end up using) */
    c->queue_family = UINT32_MAX;
    for (uint32_t i = 0; i < nq; i++)
        if (qf[i].queueFlags & VK_QUEUE_COMPUTE_BIT) {
            c->queue_family = i;
            break;
        }
    free(qf);
    if (c->queue_family == UINT32_MAX) {
        fprintf(stderr, "raw_vulkan: no compute queue\n");
        exit(1);
    }
    float prio = 1.0f;
    VkDeviceQueueCreateInfo qci = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
        .queueFamilyIndex = c->queue_family,
        .queueCount = 1,
        .pQueuePriorities = &prio,
    };
    VkDeviceCreateInfo dci = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
        .queueCreateInfoCount = 1,
        .pQueueCreateInfos = &qci,
    };
    CHECK(vkCreateDevice(c->phys, &dci, NULL, &c->device));
    vkGetDeviceQueue(c->device, c->queue_family, 0, &c->queue);

    VkCommandPoolCreateInfo pci = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
        .queueFamilyIndex = c->queue_family,
    };
    CHECK(vkCreateCommandPool(c->device, &pci, NULL, &c->pool));
    VkFenceCreateInfo fci = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    CHECK(vkCreateFence(c->device, &fci, NULL, &c->fence));
}

typedef struct dispatch_result {
    double mean_us, median_us, min_us;
    double spin_mean_us, spin_median_us;
    uint32_t counter;
} dispatch_result;

/* Everything a Compute needs for the trivial shader over one storage
 * buffer: set layout, pipeline layout, shader module, pipeline, descriptor
 * pool and set, the descriptor written. */
typedef struct trivial_pipeline {
    VkDescriptorSetLayout set_layout;
    VkPipelineLayout layout;
    VkShaderModule module;
    VkPipeline pipeline;
    VkDescriptorPool pool;
    VkDescriptorSet set;
} trivial_pipeline;

static trivial_pipeline create_trivial_pipeline(const ctx *c, VkBuffer buffer)
{
    VkDescriptorSetLayoutBinding binding = {
        .binding = 0,
        .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
        .descriptorCount = 1,
        .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT,
    };
    VkDescriptorSetLayoutCreateInfo dslci = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO,
        .bindingCount = 1,
        .pBindings = &binding,
    };
    VkDescriptorSetLayout dsl;
    CHECK(vkCreateDescriptorSetLayout(c->device, &dslci, NULL, &dsl));
    VkPipelineLayoutCreateInfo plci = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
        .setLayoutCount = 1,
        .pSetLayouts = &dsl,
    };
    VkPipelineLayout pl;
    CHECK(vkCreatePipelineLayout(c->device, &plci, NULL, &pl));
    VkShaderModuleCreateInfo smci = {
        .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
        .codeSize = sizeof trivial_spirv,
        .pCode = trivial_spirv,
    };
    VkShaderModule sm;
    CHECK(vkCreateShaderModule(c->device, &smci, NULL, &sm));
    VkComputePipelineCreateInfo cpci = {
        .sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
        .stage =
            {
                .sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
                .stage = VK_SHADER_STAGE_COMPUTE_BIT,
                .module = sm,
                .pName = "main",
            },
        .layout = pl,
    };
    VkPipeline pipe;
    CHECK(vkCreateComputePipelines(c->device, VK_NULL_HANDLE, 1, &cpci, NULL,
                                   &pipe));
    VkDescriptorPoolSize ps = {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1};
    VkDescriptorPoolCreateInfo dpci = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
        .maxSets = 1,
        .poolSizeCount = 1,
        .pPoolSizes = &ps,
    };
    VkDescriptorPool dp;
    CHECK(vkCreateDescriptorPool(c->device, &dpci, NULL, &dp));
    VkDescriptorSetAllocateInfo dsai = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
        .descriptorPool = dp,
        .descriptorSetCount = 1,
        .pSetLayouts = &dsl,
    };
    VkDescriptorSet ds;
    CHECK(vkAllocateDescriptorSets(c->device, &dsai, &ds));
    VkDescriptorBufferInfo dbi = {buffer, 0, VK_WHOLE_SIZE};
    VkWriteDescriptorSet w = {
        .sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
        .dstSet = ds,
        .dstBinding = 0,
        .descriptorCount = 1,
        .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
        .pBufferInfo = &dbi,
    };
    vkUpdateDescriptorSets(c->device, 1, &w, 0, NULL);

    return (trivial_pipeline){dsl, pl, sm, pipe, dp, ds};
}

static void destroy_trivial_pipeline(const ctx *c, trivial_pipeline *p)
{
    vkDestroyDescriptorPool(c->device, p->pool, NULL);
    vkDestroyPipeline(c->device, p->pipeline, NULL);
    vkDestroyShaderModule(c->device, p->module, NULL);
    vkDestroyPipelineLayout(c->device, p->layout, NULL);
    vkDestroyDescriptorSetLayout(c->device, p->set_layout, NULL);
}

static dispatch_result bench_dispatch(ctx *c, int iterations)
{
    dispatch_result r = {0};
    /* the counter lives in device-local memory, like compushady's
     * HEAP_DEFAULT buffer in bench.py; it is zeroed and read back through
     * a host-visible buffer */
    buffer buf = make_buffer(c, 256,
                             VK_BUFFER_USAGE_STORAGE_BUFFER_BIT |
                                 VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                                 VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                             VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, 0);
    buffer host = make_buffer(c, 256,
                              VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                                  VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                              VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                                  VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
                              0);
    memset(host.mapped, 0, 256);
    VkBufferCopy whole = {0, 0, 256};
    VkCommandBuffer zero_cmd = alloc_cmd(c);
    vkCmdCopyBuffer(zero_cmd, host.buffer, buf.buffer, 1, &whole);
    CHECK(vkEndCommandBuffer(zero_cmd));
    submit_wait(c, zero_cmd);
    vkFreeCommandBuffers(c->device, c->pool, 1, &zero_cmd);

    trivial_pipeline tp = create_trivial_pipeline(c, buf.buffer);

    VkCommandBuffer cmd = alloc_cmd(c);
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, tp.pipeline);
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, tp.layout, 0,
                            1, &tp.set, 0, NULL);
    vkCmdDispatch(cmd, 1, 1, 1);
    /* make the shader's write visible to whatever comes next (the next
     * dispatch, a copy, the host), as a library must */
    VkMemoryBarrier mb = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
        .srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT,
        .dstAccessMask = VK_ACCESS_SHADER_READ_BIT |
                         VK_ACCESS_SHADER_WRITE_BIT |
                         VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_HOST_READ_BIT,
    };
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                         VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT |
                             VK_PIPELINE_STAGE_TRANSFER_BIT |
                             VK_PIPELINE_STAGE_HOST_BIT,
                         0, 1, &mb, 0, NULL, 0, NULL);
    CHECK(vkEndCommandBuffer(cmd));

    int warmup = iterations / 10 < 20 ? 20 : iterations / 10;
    for (int i = 0; i < warmup; i++)
        submit_wait(c, cmd);
    uint64_t *t = calloc((size_t)iterations, sizeof *t);
    uint64_t total = 0;
    for (int i = 0; i < iterations; i++) {
        uint64_t t0 = now_ns();
        submit_wait(c, cmd);
        t[i] = now_ns() - t0;
        total += t[i];
    }
    r.mean_us = (double)total / iterations / 1000.0;
    r.median_us = median_u64(t, (size_t)iterations) / 1000.0;
    r.min_us = (double)t[0] / 1000.0; /* sorted by median_u64 */

    /* the polling variant */
    for (int i = 0; i < warmup; i++)
        submit_spin(c, cmd);
    total = 0;
    for (int i = 0; i < iterations; i++) {
        uint64_t t0 = now_ns();
        submit_spin(c, cmd);
        t[i] = now_ns() - t0;
        total += t[i];
    }
    r.spin_mean_us = (double)total / iterations / 1000.0;
    r.spin_median_us = median_u64(t, (size_t)iterations) / 1000.0;

    VkCommandBuffer read_cmd = alloc_cmd(c);
    vkCmdCopyBuffer(read_cmd, buf.buffer, host.buffer, 1, &whole);
    VkMemoryBarrier hb = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
        .srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
        .dstAccessMask = VK_ACCESS_HOST_READ_BIT,
    };
    vkCmdPipelineBarrier(read_cmd, VK_PIPELINE_STAGE_TRANSFER_BIT,
                         VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &hb, 0, NULL, 0,
                         NULL);
    CHECK(vkEndCommandBuffer(read_cmd));
    submit_wait(c, read_cmd);
    vkFreeCommandBuffers(c->device, c->pool, 1, &read_cmd);
    r.counter = *(volatile uint32_t *)host.mapped;
    if (r.counter != (uint32_t)(2 * (warmup + iterations)))
        fprintf(stderr, "raw_vulkan: WARNING counter %u, expected %d\n",
                r.counter, 2 * (warmup + iterations));
    free(t);

    vkFreeCommandBuffers(c->device, c->pool, 1, &cmd);
    destroy_trivial_pipeline(c, &tp);
    free_buffer(c, &buf);
    free_buffer(c, &host);
    return r;
}

/* median seconds of `runs` submits of a pre-recorded copy src->dst */
static double time_copy(ctx *c, const buffer *src, const buffer *dst,
                        VkDeviceSize size, int runs)
{
    VkCommandBuffer cmd = alloc_cmd(c);
    VkBufferCopy region = {0, 0, size};
    vkCmdCopyBuffer(cmd, src->buffer, dst->buffer, 1, &region);
    VkMemoryBarrier mb = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
        .srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
        .dstAccessMask = VK_ACCESS_HOST_READ_BIT | VK_ACCESS_TRANSFER_READ_BIT,
    };
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT,
                         VK_PIPELINE_STAGE_HOST_BIT |
                             VK_PIPELINE_STAGE_TRANSFER_BIT,
                         0, 1, &mb, 0, NULL, 0, NULL);
    CHECK(vkEndCommandBuffer(cmd));
    /* warm-up: at least 0.3 s of copies, so that clocks have ramped up */
    uint64_t w0 = now_ns();
    int w = 0;
    while (w++ < 2 || now_ns() - w0 < 300000000ull)
        submit_wait(c, cmd);
    uint64_t t[64];
    if (runs > 64)
        runs = 64;
    for (int i = 0; i < runs; i++) {
        uint64_t t0 = now_ns();
        submit_wait(c, cmd);
        t[i] = now_ns() - t0;
    }
    vkFreeCommandBuffers(c->device, c->pool, 1, &cmd);
    return median_u64(t, (size_t)runs) / 1e9;
}

typedef struct copy_result {
    double h2d_gbps, d2h_gbps, d2d_gbps;
    int ok;
} copy_result;

static copy_result bench_copy(ctx *c, VkDeviceSize size, int runs)
{
    copy_result r = {0};
    VkBufferUsageFlags usage =
        VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    buffer up = make_buffer(c, size, usage,
                            VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                                VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
                            0);
    buffer dev =
        make_buffer(c, size, usage, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, 0);
    buffer dev2 =
        make_buffer(c, size, usage, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, 0);
    buffer down = make_buffer(c, size, usage,
                              VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                                  VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
                              VK_MEMORY_PROPERTY_HOST_CACHED_BIT);
    /* touch the pages so that first-use faults are not timed */
    uint8_t *p = up.mapped;
    for (VkDeviceSize i = 0; i < size; i++)
        p[i] = (uint8_t)(i * 7);
    memset(down.mapped, 0, size);

    double s = (double)size;
    r.h2d_gbps = s / time_copy(c, &up, &dev, size, runs) / 1e9;
    r.d2d_gbps = s / time_copy(c, &dev, &dev2, size, runs) / 1e9;
    r.d2h_gbps = s / time_copy(c, &dev2, &down, size, runs) / 1e9;
    r.ok = memcmp(up.mapped, down.mapped, size) == 0;
    if (!r.ok)
        fprintf(stderr, "raw_vulkan: WARNING copied data differs\n");
    free_buffer(c, &up);
    free_buffer(c, &dev);
    free_buffer(c, &dev2);
    free_buffer(c, &down);
    return r;
}

/* vkCreateBuffer + vkAllocateMemory (device-local) + bind + destroy + free
 * of a 1 MiB buffer: the floor for Buffer(1 MiB) create+destroy */
static double bench_buffer_create(ctx *c, int iterations)
{
    uint64_t t0 = now_ns();
    for (int i = 0; i < iterations; i++) {
        buffer b = make_buffer(c, 1 << 20,
                               VK_BUFFER_USAGE_STORAGE_BUFFER_BIT |
                                   VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                                   VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                               VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, 0);
        free_buffer(c, &b);
    }
    return iterations / ((double)(now_ns() - t0) / 1e9);
}

/* everything a Compute needs for the trivial shader: shader module,
 * descriptor set layout, pipeline layout, pipeline, descriptor pool + set,
 * descriptor write; then destroy. Median ms. */
static double bench_pipeline_create(ctx *c, int iterations)
{
    buffer buf = make_buffer(c, 256, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT,
                             VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, 0);
    uint64_t t[64];
    if (iterations > 64)
        iterations = 64;
    for (int i = 0; i < iterations; i++) {
        uint64_t t0 = now_ns();
        trivial_pipeline tp = create_trivial_pipeline(c, buf.buffer);
        destroy_trivial_pipeline(c, &tp);
        t[i] = now_ns() - t0;
    }
    free_buffer(c, &buf);
    return median_u64(t, (size_t)iterations) / 1e6;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_raw_vulkan [--quick] [--iterations N] "
                    "[--copy-mib M] [--device N] [--no-copy]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int quick = 0, do_copy = 1, iterations = -1;
    long copy_mib = -1, wanted = -1;
    const char *env = getenv("COMPUSHADY_DEVICE");
    if (env && *env)
        wanted = strtol(env, NULL, 10);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick"))
            quick = 1;
        else if (!strcmp(argv[i], "--no-copy"))
            do_copy = 0;
        else if (!strcmp(argv[i], "--iterations") && i + 1 < argc)
            iterations = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--copy-mib") && i + 1 < argc)
            copy_mib = atol(argv[++i]);
        else if (!strcmp(argv[i], "--device") && i + 1 < argc)
            wanted = strtol(argv[++i], NULL, 10);
        else
            usage();
    }
    if (iterations <= 0)
        iterations = quick ? 5000 : 20000;
    if (copy_mib <= 0)
        copy_mib = quick ? 16 : 256;

    ctx c = {0};
    init(&c, wanted);
    fprintf(stderr, "raw_vulkan: using %s\n", c.props.deviceName);

    dispatch_result d = bench_dispatch(&c, iterations);
    copy_result cp = {0};
    if (do_copy)
        cp = bench_copy(&c, (VkDeviceSize)copy_mib << 20, quick ? 5 : 9);

    double buffers_per_s = bench_buffer_create(&c, quick ? 200 : 2000);
    double pipeline_ms = bench_pipeline_create(&c, quick ? 10 : 30);

    printf("{\"device\": ");
    json_string(c.props.deviceName);
    printf(", \"is_hardware\": %s, \"iterations\": %d"
           ", \"dispatch_roundtrip_us_mean\": %.3f"
           ", \"dispatch_roundtrip_us_median\": %.3f"
           ", \"dispatch_roundtrip_us_min\": %.3f"
           ", \"dispatch_spin_us_mean\": %.3f"
           ", \"dispatch_spin_us_median\": %.3f",
           c.props.deviceType != VK_PHYSICAL_DEVICE_TYPE_CPU ? "true" : "false",
           iterations, d.mean_us, d.median_us, d.min_us, d.spin_mean_us,
           d.spin_median_us);
    if (do_copy)
        printf(", \"copy_bytes\": %llu, \"copy_h2d_gbps\": %.3f"
               ", \"copy_d2h_gbps\": %.3f, \"copy_d2d_gbps\": %.3f"
               ", \"copy_ok\": %s",
               (unsigned long long)((uint64_t)copy_mib << 20), cp.h2d_gbps,
               cp.d2h_gbps, cp.d2d_gbps, cp.ok ? "true" : "false");
    printf(", \"buffer_create_destroy_per_s\": %.1f"
           ", \"pipeline_create_ms\": %.4f}\n",
           buffers_per_s, pipeline_ms);

    vkDestroyFence(c.device, c.fence, NULL);
    vkDestroyCommandPool(c.device, c.pool, NULL);
    vkDestroyDevice(c.device, NULL);
    vkDestroyInstance(c.instance, NULL);
    return 0;
}
