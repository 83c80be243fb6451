/* vk_shader_features.c - the Vulkan device features a compute's module
 * needs beyond the core's checks: storage images without a format. */
#include "vk_internal.h"

#include "../../shader/shader.h"

#include <spirv/unified1/spirv.h>

#include <stdio.h>

/* The register of a binding in the HLSL convention, e.g. "u2". */
static void name_register(uint32_t binding, char *text, size_t size)
{
    static const char classes[4] = {'b', 't', 'u', 's'};
    if (binding < 4 * 1024)
        snprintf(text, size, "%c%u", classes[binding / 1024], binding % 1024);
    else
        snprintf(text, size, "binding %u", binding);
}

/* A module whose storage images have no format (formats without a SPIR-V
 * image format, such as B8G8R8A8_UNORM, after
 * cs_spirv_prepare_storage_formats) needs the *WithoutFormat device
 * features: writes need one, reads the other. */
cs_status vk_check_storage_without_format(const cs_compute *compute,
                                          const cs_storage_binding *storage,
                                          size_t storage_count,
                                          const uint32_t *words,
                                          size_t word_count)
{
    const cs_device_info *info = &compute->device->info;
    char what[160] = "a storage image without a format";
    for (size_t i = 0; i < storage_count; i++) {
        if (cs_spirv_image_format_from_dxgi(storage[i].format) != 0)
            continue;
        char name[24];
        name_register(storage[i].binding, name, sizeof name);
        snprintf(what, sizeof what,
                 "register %s: format %s has no SPIR-V image format", name,
                 cs_format_name(storage[i].format));
        break;
    }
    if (!info->supports_storage_image_without_format &&
        cs_spirv_declares_capability(
            words, word_count, SpvCapabilityStorageImageReadWithoutFormat))
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "%s and the shader reads it, but device '%s' cannot "
                       "read storage images without a format "
                       "(shaderStorageImageReadWithoutFormat); shaders that "
                       "only write it work",
                       what, info->name);
    if (!info->supports_storage_image_write_without_format &&
        cs_spirv_declares_capability(
            words, word_count, SpvCapabilityStorageImageWriteWithoutFormat))
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "%s, and device '%s' cannot write storage images "
                       "without a format "
                       "(shaderStorageImageWriteWithoutFormat)",
                       what, info->name);
    return CS_OK;
}
