/* vk_instance.c - the VkInstance, the validation layer's messenger, and the
 * discovery of physical devices into cs_device_info. */
#include "vk_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char validation_layer[] = "VK_LAYER_KHRONOS_validation";

/* Images live in VK_IMAGE_LAYOUT_GENERAL on purpose (no per-use
 * transitions, see vk_texture.c); the layer's advice to use TRANSFER_*_OPTIMAL
 * layouts for copies is a known, accepted cost, not a problem to report. */
static bool is_accepted_advice(VkDebugUtilsMessageTypeFlagsEXT types,
                               const VkDebugUtilsMessengerCallbackDataEXT *data)
{
    return types == VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT &&
           data->pMessageIdName &&
           strcmp(data->pMessageIdName,
                  "UNASSIGNED-CoreValidation-DrawState-InvalidImageLayout") ==
               0;
}

static VKAPI_ATTR VkBool32 VKAPI_CALL on_debug_message(
    VkDebugUtilsMessageSeverityFlagBitsEXT severity,
    VkDebugUtilsMessageTypeFlagsEXT types,
    const VkDebugUtilsMessengerCallbackDataEXT *data, void *user_data)
{
    if (severity >= VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT && data &&
        data->pMessage && !is_accepted_advice(types, data))
        cs_instance_push_debug_message((cs_instance *)user_data,
                                       data->pMessage);
    return VK_FALSE; /* never abort the call that triggered the message */
}

static bool has_validation_layer(void)
{
    uint32_t count = 0;
    if (vkEnumerateInstanceLayerProperties(&count, NULL) != VK_SUCCESS ||
        count == 0)
        return false;
    VkLayerProperties *layers = calloc(count, sizeof *layers);
    if (!layers)
        return false;
    bool found = false;
    if (vkEnumerateInstanceLayerProperties(&count, layers) == VK_SUCCESS) {
        for (uint32_t i = 0; i < count && !found; i++)
            found = strcmp(layers[i].layerName, validation_layer) == 0;
    }
    free(layers);
    return found;
}

/* The queue family the device uses for everything. Prefer one that can
 * also bind sparse memory (one queue does all, ordered by the host), then
 * a compute family without graphics (a dedicated compute queue does not
 * compete with a display), else any family with compute. */
static bool find_compute_queue_family(VkPhysicalDevice physical,
                                      uint32_t *out_family, bool *out_sparse)
{
    uint32_t count = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(physical, &count, NULL);
    VkQueueFamilyProperties *families = calloc(count, sizeof *families);
    if (!families)
        return false;
    vkGetPhysicalDeviceQueueFamilyProperties(physical, &count, families);
    uint32_t best = UINT32_MAX;
    int best_score = -1;
    for (uint32_t i = 0; i < count; i++) {
        VkQueueFlags flags = families[i].queueFlags;
        if (!(flags & VK_QUEUE_COMPUTE_BIT) || families[i].queueCount == 0)
            continue;
        int score = (flags & VK_QUEUE_SPARSE_BINDING_BIT ? 2 : 0) +
                    (flags & VK_QUEUE_GRAPHICS_BIT ? 0 : 1);
        if (score > best_score) {
            best = i;
            best_score = score;
        }
    }
    if (best != UINT32_MAX)
        *out_sparse = families[best].queueFlags & VK_QUEUE_SPARSE_BINDING_BIT;
    free(families);
    if (best == UINT32_MAX)
        return false;
    *out_family = best;
    return true;
}

static void query_features(vk_device *dev)
{
    vk_features *f = &dev->supported;
    memset(f, 0, sizeof *f);
    f->core.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2;
    f->v11.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES;
    f->v12.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES;
    f->core.pNext = &f->v11;
    f->v11.pNext = &f->v12;
    vkGetPhysicalDeviceFeatures2(dev->physical, &f->core);
    f->core.pNext = NULL;
    f->v11.pNext = NULL;

    const VkPhysicalDeviceVulkan12Features *v12 = &f->v12;
    dev->bindless = v12->descriptorIndexing && v12->runtimeDescriptorArray &&
                    v12->descriptorBindingPartiallyBound &&
                    v12->descriptorBindingStorageBufferUpdateAfterBind &&
                    v12->descriptorBindingStorageImageUpdateAfterBind &&
                    v12->descriptorBindingSampledImageUpdateAfterBind;
}

static void fill_info(const vk_device *dev, cs_device_info *info)
{
    const VkPhysicalDeviceProperties *p = &dev->properties;
    const VkPhysicalDeviceLimits *limits = &p->limits;
    memset(info, 0, sizeof *info);
    snprintf(info->name, sizeof info->name, "%s", p->deviceName);
    info->vendor_id = p->vendorID;
    info->device_id = p->deviceID;
    info->is_hardware = p->deviceType != VK_PHYSICAL_DEVICE_TYPE_CPU;
    info->is_discrete = p->deviceType == VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU;
    for (uint32_t i = 0; i < dev->memory.memoryHeapCount; i++) {
        const VkMemoryHeap *heap = &dev->memory.memoryHeaps[i];
        if (heap->flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT)
            info->dedicated_video_memory += heap->size;
        else
            info->shared_system_memory += heap->size;
    }
    info->dedicated_system_memory = 0;

    const VkPhysicalDeviceFeatures *core = &dev->supported.core.features;
    info->supports_heaps = true;
    info->supports_sparse =
        core->sparseBinding && core->sparseResidencyBuffer && dev->sparse_queue;
    info->supports_bindless = dev->bindless;
    info->supports_float16 = dev->supported.v12.shaderFloat16 &&
                             dev->supported.v11.storageBuffer16BitAccess;
    info->supports_storage_image_without_format =
        core->shaderStorageImageReadWithoutFormat &&
        core->shaderStorageImageWriteWithoutFormat;
    info->supports_storage_image_write_without_format =
        core->shaderStorageImageWriteWithoutFormat;
    info->max_push_constants_size = limits->maxPushConstantsSize;
    info->shader_formats = CS_SHADER_FORMAT_SPIRV;
    for (int i = 0; i < 3; i++) {
        info->max_compute_workgroup_count[i] =
            limits->maxComputeWorkGroupCount[i];
        info->max_compute_workgroup_size[i] =
            limits->maxComputeWorkGroupSize[i];
    }
    /* Vulkan 1.1 has no buffer size limit before maintenance4; the largest
     * heap is the honest bound. */
    uint64_t largest_heap = 0;
    for (uint32_t i = 0; i < dev->memory.memoryHeapCount; i++) {
        if (dev->memory.memoryHeaps[i].size > largest_heap)
            largest_heap = dev->memory.memoryHeaps[i].size;
    }
    info->max_buffer_size = largest_heap;
    info->max_image_dimension_1d = limits->maxImageDimension1D;
    info->max_image_dimension_2d = limits->maxImageDimension2D;
    info->max_image_dimension_3d = limits->maxImageDimension3D;
    info->max_image_array_layers = limits->maxImageArrayLayers;
    info->max_texel_buffer_elements = limits->maxTexelBufferElements;
    info->max_uniform_buffer_range = limits->maxUniformBufferRange;
    info->max_compute_workgroup_invocations =
        limits->maxComputeWorkGroupInvocations;
    info->max_compute_shared_memory_size = limits->maxComputeSharedMemorySize;
}

static void free_device(vk_device *dev)
{
    cs_mutex_destroy(&dev->create_lock);
    cs_mutex_destroy(&dev->queue_lock);
    cs_mutex_destroy(&dev->context_lock);
    free(dev);
}

static cs_status new_device(VkInstance instance, VkPhysicalDevice physical,
                            vk_device **out_device)
{
    VkPhysicalDeviceProperties properties;
    vkGetPhysicalDeviceProperties(physical, &properties);
    uint32_t family = 0;
    bool sparse_queue = false;
    if (properties.apiVersion < VK_API_VERSION_1_2 ||
        !find_compute_queue_family(physical, &family, &sparse_queue)) {
        *out_device = NULL; /* not usable: skipped, not an error */
        return CS_OK;
    }
    vk_device *dev = calloc(1, sizeof *dev);
    if (!dev)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory while discovering Vulkan devices");
    if (!cs_mutex_init(&dev->create_lock) || !cs_mutex_init(&dev->queue_lock) ||
        !cs_mutex_init(&dev->context_lock)) {
        free(dev); /* mutexes that did init own no memory on Linux */
        return cs_fail(CS_ERROR_BACKEND, "cannot create a device mutex");
    }
    dev->instance = instance;
    dev->physical = physical;
    dev->properties = properties;
    dev->queue_family = family;
    dev->sparse_queue = sparse_queue;
    vkGetPhysicalDeviceMemoryProperties(physical, &dev->memory);
    query_features(dev);
    atomic_init(&dev->ready, false);
    atomic_init(&dev->lost, false);
    atomic_init(&dev->lost_call, NULL);
    atomic_init(&dev->has_pending, false);
    *out_device = dev;
    return CS_OK;
}

/* Presenting needs VK_KHR_surface and a platform's surface extension. They
 * are enabled when the loader offers them, so that an instance starts without
 * them too; creating a swapchain then fails, naming what is missing. */
static void add_surface_extensions(vk_instance *vki, const char **names,
                                   uint32_t *count)
{
    uint32_t available = 0;
    if (vkEnumerateInstanceExtensionProperties(NULL, &available, NULL) !=
            VK_SUCCESS ||
        available == 0)
        return;
    VkExtensionProperties *properties = calloc(available, sizeof *properties);
    if (!properties)
        return;
    VkResult result =
        vkEnumerateInstanceExtensionProperties(NULL, &available, properties);
    for (uint32_t i = 0;
         (result == VK_SUCCESS || result == VK_INCOMPLETE) && i < available;
         i++) {
        const char *name = properties[i].extensionName;
        if (strcmp(name, "VK_KHR_surface") == 0)
            vki->surface = true;
        else if (strcmp(name, "VK_KHR_xlib_surface") == 0)
            vki->xlib_surface = true;
        else if (strcmp(name, "VK_KHR_win32_surface") == 0)
            vki->win32_surface = true;
        else if (strcmp(name, "VK_KHR_wayland_surface") == 0)
            /* only in Wayland sessions: with it, Mesa's drivers connect to
             * the compositor at device creation, and print to stderr when
             * there is none */
            vki->wayland_surface = getenv("WAYLAND_DISPLAY") != NULL;
    }
    free(properties);
    if (!vki->surface) {
        vki->xlib_surface = vki->wayland_surface = vki->win32_surface = false;
        return;
    }
    names[(*count)++] = "VK_KHR_surface";
    if (vki->xlib_surface)
        names[(*count)++] = "VK_KHR_xlib_surface";
    if (vki->wayland_surface)
        names[(*count)++] = "VK_KHR_wayland_surface";
    if (vki->win32_surface)
        names[(*count)++] = "VK_KHR_win32_surface";
}

static cs_status create_vk_instance(cs_instance *instance, vk_instance *vki)
{
    bool debug =
        (instance->flags & CS_INSTANCE_DEBUG) && has_validation_layer();
    VkApplicationInfo app = {
        .sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
        .pApplicationName = "compushady",
        .pEngineName = "compushady",
        .engineVersion = VK_MAKE_VERSION(CS_VERSION_MAJOR, CS_VERSION_MINOR,
                                         CS_VERSION_PATCH),
        .apiVersion = VK_API_VERSION_1_2,
    };
    VkDebugUtilsMessengerCreateInfoEXT messenger_info = {
        .sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT,
        .messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT |
                           VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
        .messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                       VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                       VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT,
        .pfnUserCallback = on_debug_message,
        .pUserData = instance,
    };
    VkValidationFeatureEnableEXT enables[] = {
        VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT,
    };
    /* Chained into the instance create info too, so that messages of
     * vkCreateInstance/vkDestroyInstance themselves are collected. */
    VkValidationFeaturesEXT validation_features = {
        .sType = VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT,
        .pNext = &messenger_info,
        .enabledValidationFeatureCount = 1,
        .pEnabledValidationFeatures = enables,
    };
    const char *layers[] = {validation_layer};
    const char *extensions[5];
    uint32_t extension_count = 0;
    if (debug)
        extensions[extension_count++] = VK_EXT_DEBUG_UTILS_EXTENSION_NAME;
    add_surface_extensions(vki, extensions, &extension_count);
    VkInstanceCreateInfo info = {
        .sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
        .pNext = debug ? &validation_features : NULL,
        .pApplicationInfo = &app,
        .enabledLayerCount = debug ? 1 : 0,
        .ppEnabledLayerNames = layers,
        .enabledExtensionCount = extension_count,
        .ppEnabledExtensionNames = extensions,
    };
    VkResult result = vkCreateInstance(&info, NULL, &vki->instance);
    if (result == VK_ERROR_EXTENSION_NOT_PRESENT && vki->surface) {
        /* offered but refused: start without presenting */
        vki->surface = vki->xlib_surface = vki->wayland_surface =
            vki->win32_surface = false;
        info.enabledExtensionCount = debug ? 1 : 0;
        result = vkCreateInstance(&info, NULL, &vki->instance);
    }
    if (result != VK_SUCCESS) {
        cs_status status =
            vk_fail(NULL, result, "vkCreateInstance", "starting Vulkan 1.2%s",
                    debug ? " with the validation layer" : "");
        /* No driver at all is "no device", whatever the loader said. */
        return status == CS_ERROR_BACKEND ? CS_ERROR_NO_DEVICE : status;
    }
    if (!debug)
        return CS_OK;
    PFN_vkCreateDebugUtilsMessengerEXT create_messenger =
        (PFN_vkCreateDebugUtilsMessengerEXT)vkGetInstanceProcAddr(
            vki->instance, "vkCreateDebugUtilsMessengerEXT");
    result = create_messenger ? create_messenger(vki->instance, &messenger_info,
                                                 NULL, &vki->messenger)
                              : VK_ERROR_EXTENSION_NOT_PRESENT;
    if (result != VK_SUCCESS) {
        vkDestroyInstance(vki->instance, NULL);
        return vk_fail(NULL, result, "vkCreateDebugUtilsMessengerEXT",
                       "installing the validation message collector");
    }
    return CS_OK;
}

static void destroy_vk_instance(vk_instance *vki)
{
    if (vki->messenger != VK_NULL_HANDLE) {
        PFN_vkDestroyDebugUtilsMessengerEXT destroy_messenger =
            (PFN_vkDestroyDebugUtilsMessengerEXT)vkGetInstanceProcAddr(
                vki->instance, "vkDestroyDebugUtilsMessengerEXT");
        if (destroy_messenger)
            destroy_messenger(vki->instance, vki->messenger, NULL);
    }
    vkDestroyInstance(vki->instance, NULL);
    free(vki);
}

static cs_status discover_devices(cs_instance *instance, VkInstance vk)
{
    uint32_t count = 0;
    VkResult result = vkEnumeratePhysicalDevices(vk, &count, NULL);
    if (result != VK_SUCCESS)
        return vk_fail(NULL, result, "vkEnumeratePhysicalDevices",
                       "discovering devices");
    if (count == 0)
        return CS_OK;
    VkPhysicalDevice *physicals = calloc(count, sizeof *physicals);
    cs_device *devices = calloc(count, sizeof *devices);
    if (!physicals || !devices) {
        free(physicals);
        free(devices);
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory while discovering devices");
    }
    result = vkEnumeratePhysicalDevices(vk, &count, physicals);
    if (result != VK_SUCCESS && result != VK_INCOMPLETE) {
        free(physicals);
        free(devices);
        return vk_fail(NULL, result, "vkEnumeratePhysicalDevices",
                       "discovering devices");
    }
    size_t used = 0;
    cs_status status = CS_OK;
    for (uint32_t i = 0; i < count && status == CS_OK; i++) {
        vk_device *dev = NULL;
        status = new_device(vk, physicals[i], &dev);
        if (status != CS_OK || !dev)
            continue;
        cs_device *device = &devices[used];
        device->instance = instance;
        device->index = used;
        device->impl = dev;
        fill_info(dev, &device->info);
        used++;
    }
    free(physicals);
    if (status != CS_OK) {
        for (size_t i = 0; i < used; i++)
            free_device(devices[i].impl);
        free(devices);
        return status;
    }
    instance->devices = devices;
    instance->device_count = used;
    return CS_OK;
}

cs_status vk_instance_open(cs_instance *instance)
{
    vk_instance *vki = calloc(1, sizeof *vki);
    if (!vki)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory while creating the instance");
    cs_status status = create_vk_instance(instance, vki);
    if (status != CS_OK) {
        free(vki);
        return status;
    }
    status = discover_devices(instance, vki->instance);
    if (status != CS_OK) {
        destroy_vk_instance(vki);
        return status;
    }
    for (size_t i = 0; i < instance->device_count; i++)
        vk_device_of(&instance->devices[i])->present_capable = vki->surface;
    instance->impl = vki;
    return CS_OK;
}

void vk_instance_destroy(cs_instance *instance)
{
    for (size_t i = 0; i < instance->device_count; i++) {
        vk_device *dev = instance->devices[i].impl;
        if (!dev)
            continue;
        vk_device_destroy(dev);
        free_device(dev);
        instance->devices[i].impl = NULL;
    }
    if (instance->impl)
        destroy_vk_instance(instance->impl);
    instance->impl = NULL;
}
