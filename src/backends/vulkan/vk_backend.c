/* vk_backend.c - the Vulkan backend's table for the core. */
#include "vk_internal.h"

const cs_backend cs_vulkan_backend = {
    .name = "vulkan",
    .instance_create = vk_instance_create,
    .instance_destroy = vk_instance_destroy,
    .heap_create = vk_heap_create,
    .heap_destroy = vk_heap_destroy,
    .resource_create = vk_resource_create,
    .resource_destroy = vk_resource_destroy,
    .resource_bind_tile = vk_resource_bind_tile,
    .buffer_flush = vk_buffer_flush,
    .buffer_invalidate = vk_buffer_invalidate,
    .copy = vk_copy,
    .sampler_create = vk_sampler_create,
    .sampler_destroy = vk_sampler_destroy,
    .compute_create = vk_compute_create,
    .compute_destroy = vk_compute_destroy,
    .compute_dispatch = vk_compute_dispatch,
    .compute_bind = vk_compute_bind,
    .swapchain_create = vk_swapchain_create,
    .swapchain_destroy = vk_swapchain_destroy,
    .swapchain_present = vk_swapchain_present,
};
