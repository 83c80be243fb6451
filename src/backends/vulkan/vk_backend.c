/* vk_backend.c - the Vulkan backend's table for the core: every entry
 * vk_<entry> (src/core/backend.h, vk_internal.h). */
#include "vk_internal.h"

const cs_backend cs_vulkan_backend = {.name = "vulkan", CS_BACKEND_TABLE(vk)};
