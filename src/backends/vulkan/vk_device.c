/* vk_device.c - the logical device and its queue, created lazily on first
 * use with every useful feature the physical device has; device loss. */
#include "vk_internal.h"

#include <stdlib.h>
#include <string.h>

#define ENABLE(field) enabled->field = supported->field

static void choose_core_features(const VkPhysicalDeviceFeatures *supported,
                                 VkPhysicalDeviceFeatures *enabled)
{
    ENABLE(shaderInt16);
    ENABLE(shaderInt64);
    ENABLE(shaderFloat64);
    ENABLE(shaderStorageImageReadWithoutFormat);
    ENABLE(shaderStorageImageWriteWithoutFormat);
    ENABLE(shaderStorageImageExtendedFormats);
    ENABLE(shaderImageGatherExtended);
    ENABLE(shaderUniformBufferArrayDynamicIndexing);
    ENABLE(shaderSampledImageArrayDynamicIndexing);
    ENABLE(shaderStorageBufferArrayDynamicIndexing);
    ENABLE(shaderStorageImageArrayDynamicIndexing);
    ENABLE(shaderResourceMinLod);
    ENABLE(sparseBinding);
    ENABLE(sparseResidencyBuffer);
    ENABLE(sparseResidencyImage2D);
    ENABLE(sparseResidencyImage3D);
    ENABLE(sparseResidencyAliased);
}

static void
choose_v11_features(const VkPhysicalDeviceVulkan11Features *supported,
                    VkPhysicalDeviceVulkan11Features *enabled)
{
    ENABLE(storageBuffer16BitAccess);
    ENABLE(uniformAndStorageBuffer16BitAccess);
    ENABLE(storagePushConstant16);
    ENABLE(variablePointersStorageBuffer);
    ENABLE(variablePointers);
}

static void
choose_v12_features(const VkPhysicalDeviceVulkan12Features *supported,
                    VkPhysicalDeviceVulkan12Features *enabled)
{
    ENABLE(scalarBlockLayout);
    ENABLE(shaderFloat16);
    ENABLE(shaderInt8);
    ENABLE(storageBuffer8BitAccess);
    ENABLE(uniformAndStorageBuffer8BitAccess);
    ENABLE(storagePushConstant8);
    ENABLE(shaderBufferInt64Atomics);
    ENABLE(shaderSharedInt64Atomics);
    ENABLE(timelineSemaphore);
    ENABLE(uniformBufferStandardLayout);
    ENABLE(shaderSubgroupExtendedTypes);
    ENABLE(vulkanMemoryModel);
    ENABLE(vulkanMemoryModelDeviceScope);
    ENABLE(descriptorIndexing);
    ENABLE(runtimeDescriptorArray);
    ENABLE(descriptorBindingPartiallyBound);
    ENABLE(descriptorBindingVariableDescriptorCount);
    ENABLE(descriptorBindingUpdateUnusedWhilePending);
    ENABLE(descriptorBindingUniformBufferUpdateAfterBind);
    ENABLE(descriptorBindingStorageBufferUpdateAfterBind);
    ENABLE(descriptorBindingSampledImageUpdateAfterBind);
    ENABLE(descriptorBindingStorageImageUpdateAfterBind);
    ENABLE(descriptorBindingUniformTexelBufferUpdateAfterBind);
    ENABLE(descriptorBindingStorageTexelBufferUpdateAfterBind);
    ENABLE(shaderUniformBufferArrayNonUniformIndexing);
    ENABLE(shaderStorageBufferArrayNonUniformIndexing);
    ENABLE(shaderSampledImageArrayNonUniformIndexing);
    ENABLE(shaderStorageImageArrayNonUniformIndexing);
    ENABLE(shaderUniformTexelBufferArrayDynamicIndexing);
    ENABLE(shaderStorageTexelBufferArrayDynamicIndexing);
    ENABLE(shaderUniformTexelBufferArrayNonUniformIndexing);
    ENABLE(shaderStorageTexelBufferArrayNonUniformIndexing);
}

#undef ENABLE

static bool has_device_extension(VkPhysicalDevice physical, const char *name)
{
    uint32_t count = 0;
    if (vkEnumerateDeviceExtensionProperties(physical, NULL, &count, NULL) !=
            VK_SUCCESS ||
        count == 0)
        return false;
    VkExtensionProperties *properties = calloc(count, sizeof *properties);
    if (!properties)
        return false;
    bool found = false;
    VkResult result = vkEnumerateDeviceExtensionProperties(physical, NULL,
                                                           &count, properties);
    for (uint32_t i = 0;
         (result == VK_SUCCESS || result == VK_INCOMPLETE) && i < count; i++)
        found = found || strcmp(properties[i].extensionName, name) == 0;
    free(properties);
    return found;
}

static cs_status create_logical_device(vk_device *dev)
{
    if (!dev->supported.v12.scalarBlockLayout)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "the Vulkan device \"%s\" lacks scalarBlockLayout, "
                       "which HLSL structured buffers need",
                       dev->properties.deviceName);

    vk_features enabled;
    memset(&enabled, 0, sizeof enabled);
    enabled.core.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2;
    enabled.v11.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES;
    enabled.v12.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES;
    enabled.core.pNext = &enabled.v11;
    enabled.v11.pNext = &enabled.v12;
    choose_core_features(&dev->supported.core.features, &enabled.core.features);
    choose_v11_features(&dev->supported.v11, &enabled.v11);
    choose_v12_features(&dev->supported.v12, &enabled.v12);

    float priority = 1.0f;
    VkDeviceQueueCreateInfo queue_info = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
        .queueFamilyIndex = dev->queue_family,
        .queueCount = 1,
        .pQueuePriorities = &priority,
    };
    /* VK_KHR_swapchain needs VK_KHR_surface on the instance */
    const char *extensions[1];
    uint32_t extension_count = 0;
    dev->swapchain_extension =
        dev->present_capable &&
        has_device_extension(dev->physical, VK_KHR_SWAPCHAIN_EXTENSION_NAME);
    if (dev->swapchain_extension)
        extensions[extension_count++] = VK_KHR_SWAPCHAIN_EXTENSION_NAME;
    VkDeviceCreateInfo info = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
        .pNext = &enabled.core,
        .queueCreateInfoCount = 1,
        .pQueueCreateInfos = &queue_info,
        .enabledExtensionCount = extension_count,
        .ppEnabledExtensionNames = extensions,
    };
    VkResult result = vkCreateDevice(dev->physical, &info, NULL, &dev->device);
    if (result != VK_SUCCESS && cs_fork_inherited_any())
        /* NVIDIA's driver, for one, refuses (INITIALIZATION_FAILED) */
        return vk_fail(dev, result, "vkCreateDevice",
                       "opening device \"%s\" in a process made by fork() "
                       "from one that used the GPU: this driver does not "
                       "allow it; start such processes with the 'spawn' or "
                       "'forkserver' method (multiprocessing, Dask) instead",
                       dev->properties.deviceName);
    if (result != VK_SUCCESS)
        return vk_fail(dev, result, "vkCreateDevice", "opening device \"%s\"",
                       dev->properties.deviceName);
    vkGetDeviceQueue(dev->device, dev->queue_family, 0, &dev->queue);
    cs_status status = vk_suballocator_init(dev);
    if (status != CS_OK) {
        vkDestroyDevice(dev->device, NULL);
        return status;
    }
    /* command buffers ready in the pool, so that the first dispatches and
     * copies (what a user times first) do not make them; one that cannot
     * be made now is made, and its failure reported, at first use */
    for (int i = 0; i < 2; i++) {
        vk_command_context *ready;
        if (vk_context_create(dev, &ready) == CS_OK)
            vk_submit_give_back(dev, ready);
    }
    return CS_OK;
}

void vk_device_mark_lost(vk_device *dev, const char *call)
{
    const char *none = NULL;
    atomic_compare_exchange_strong(&dev->lost_call, &none, call);
    atomic_store(&dev->lost, true);
}

cs_status vk_device_lost_error(vk_device *dev)
{
    const char *call = atomic_load(&dev->lost_call);
    return cs_fail(CS_ERROR_DEVICE_LOST,
                   "device '%s' was lost (VK_ERROR_DEVICE_LOST during %s); "
                   "create a new instance",
                   dev->properties.deviceName, call ? call : "a Vulkan call");
}

void vk_device_simulate_lost(cs_device *device)
{
    vk_device *dev = vk_device_of(device);
    /* Unlike a real loss, the GPU still runs: let it finish, so that
     * objects released after the "loss" are not destroyed in use. */
    if (atomic_load_explicit(&dev->ready, memory_order_acquire))
        (void)vkDeviceWaitIdle(dev->device);
    vk_device_mark_lost(dev, "cs_debug_simulate_device_lost, simulated");
}

cs_status vk_device_acquire(cs_device *device, vk_device **out_device)
{
    vk_device *dev = vk_device_of(device);
    if (vk_device_is_lost(dev))
        return vk_device_lost_error(dev);
    if (!atomic_load_explicit(&dev->ready, memory_order_acquire)) {
        cs_mutex_lock(&dev->create_lock);
        cs_status status = CS_OK;
        if (!atomic_load_explicit(&dev->ready, memory_order_relaxed)) {
            status = create_logical_device(dev);
            if (status == CS_OK)
                atomic_store_explicit(&dev->ready, true, memory_order_release);
        }
        cs_mutex_unlock(&dev->create_lock);
        if (status != CS_OK)
            return status;
    }
    if (vk_device_is_lost(dev))
        return vk_device_lost_error(dev);
    *out_device = dev;
    return CS_OK;
}

void vk_device_destroy(vk_device *dev)
{
    if (!atomic_load(&dev->ready))
        return;
    /* VK_ERROR_DEVICE_LOST here is ignored: after loss nothing runs, and
     * destroying is allowed */
    (void)vkDeviceWaitIdle(dev->device);
    vk_submit_destroy_contexts(dev); /* parked ones included */
    vk_pipelines_destroy(dev);
    vk_suballocator_destroy(dev);
    vkDestroyDevice(dev->device, NULL);
    dev->device = VK_NULL_HANDLE;
    atomic_store(&dev->ready, false);
}
