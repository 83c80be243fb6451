/* vk_errors.c - VkResult -> cs_status, with the VkResult's name in the
 * message so a failure says which call failed and why. */
#include "vk_internal.h"

#include <stdio.h>

const char *vk_result_name(VkResult result)
{
    switch (result) {
#define CS_VK_RESULT(name)                                                     \
    case name: return #name;
        CS_VK_RESULT(VK_SUCCESS)
        CS_VK_RESULT(VK_NOT_READY)
        CS_VK_RESULT(VK_TIMEOUT)
        CS_VK_RESULT(VK_INCOMPLETE)
        CS_VK_RESULT(VK_ERROR_OUT_OF_HOST_MEMORY)
        CS_VK_RESULT(VK_ERROR_OUT_OF_DEVICE_MEMORY)
        CS_VK_RESULT(VK_ERROR_INITIALIZATION_FAILED)
        CS_VK_RESULT(VK_ERROR_DEVICE_LOST)
        CS_VK_RESULT(VK_ERROR_MEMORY_MAP_FAILED)
        CS_VK_RESULT(VK_ERROR_LAYER_NOT_PRESENT)
        CS_VK_RESULT(VK_ERROR_EXTENSION_NOT_PRESENT)
        CS_VK_RESULT(VK_ERROR_FEATURE_NOT_PRESENT)
        CS_VK_RESULT(VK_ERROR_INCOMPATIBLE_DRIVER)
        CS_VK_RESULT(VK_ERROR_TOO_MANY_OBJECTS)
        CS_VK_RESULT(VK_ERROR_FORMAT_NOT_SUPPORTED)
        CS_VK_RESULT(VK_ERROR_FRAGMENTED_POOL)
        CS_VK_RESULT(VK_ERROR_UNKNOWN)
        CS_VK_RESULT(VK_ERROR_OUT_OF_POOL_MEMORY)
        CS_VK_RESULT(VK_ERROR_INVALID_EXTERNAL_HANDLE)
        CS_VK_RESULT(VK_ERROR_FRAGMENTATION)
        CS_VK_RESULT(VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS)
#undef CS_VK_RESULT
    default: return "VK_RESULT_UNKNOWN";
    }
}

static cs_status status_of(VkResult result)
{
    switch (result) {
    case VK_ERROR_OUT_OF_HOST_MEMORY: return CS_ERROR_OUT_OF_HOST_MEMORY;
    case VK_ERROR_OUT_OF_DEVICE_MEMORY:
    case VK_ERROR_OUT_OF_POOL_MEMORY:
    case VK_ERROR_FRAGMENTED_POOL:
    case VK_ERROR_FRAGMENTATION:
    case VK_ERROR_TOO_MANY_OBJECTS: return CS_ERROR_OUT_OF_DEVICE_MEMORY;
    case VK_ERROR_DEVICE_LOST: return CS_ERROR_DEVICE_LOST;
    case VK_ERROR_LAYER_NOT_PRESENT:
    case VK_ERROR_EXTENSION_NOT_PRESENT:
    case VK_ERROR_FEATURE_NOT_PRESENT:
    case VK_ERROR_FORMAT_NOT_SUPPORTED: return CS_ERROR_UNSUPPORTED;
    case VK_ERROR_INCOMPATIBLE_DRIVER: return CS_ERROR_NO_DEVICE;
    default: return CS_ERROR_BACKEND;
    }
}

cs_status vk_fail(vk_device *device, VkResult result, const char *call,
                  const char *context_format, ...)
{
    char context[1024];
    va_list args;
    va_start(args, context_format);
    vsnprintf(context, sizeof context, context_format, args);
    va_end(args);
    if (result == VK_ERROR_DEVICE_LOST && device) {
        vk_device_mark_lost(device, call);
        const char *first = atomic_load(&device->lost_call);
        return cs_fail(CS_ERROR_DEVICE_LOST,
                       "device '%s' was lost (VK_ERROR_DEVICE_LOST during "
                       "%s%s%s); create a new instance",
                       device->properties.deviceName, first,
                       first == call ? " while " : "",
                       first == call ? context : "");
    }
    return cs_fail(status_of(result), "%s failed: %s (while %s)", call,
                   vk_result_name(result), context);
}
