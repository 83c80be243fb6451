/*
 * vk_loader.h - the Vulkan functions of the backend, loaded at run time.
 *
 * The library does not link libvulkan: vk_loader.c opens libvulkan.so.1
 * (dlopen) when the first instance is created and fills one function pointer
 * per Vulkan command. The backend's files include this header (through
 * vk_internal.h) instead of <vulkan/vulkan.h> and keep calling the commands
 * by their names: each name below is a macro for a pointer named cs_vk...,
 * so that a program linking the static library and libvulkan itself sees no
 * clash. Without a loader on the machine only instance creation fails, with
 * a message saying what to install (see vk_loader_load()).
 *
 * The list is every command of Vulkan 1.0, 1.1 and 1.2 (the version the
 * backend requires) and of VK_KHR_surface and VK_KHR_swapchain: all of them
 * are exported by any Vulkan 1.2 loader. A new command used by the backend
 * outside this list gets a compile error ("implicit declaration"): add it
 * to CS_VK_FUNCTIONS (and its macro below); a platform's surface commands
 * are in vk_loader_wsi.h.
 */
#ifndef CS_VK_LOADER_H
#define CS_VK_LOADER_H

#ifndef VK_NO_PROTOTYPES
#define VK_NO_PROTOTYPES
#endif
#include <vulkan/vulkan.h>

#include "../../core/backend.h"

/* clang-format off */
#define CS_VK_FUNCTIONS(X) \
    X(vkCreateInstance) \
    X(vkDestroyInstance) \
    X(vkEnumeratePhysicalDevices) \
    X(vkGetPhysicalDeviceFeatures) \
    X(vkGetPhysicalDeviceFormatProperties) \
    X(vkGetPhysicalDeviceImageFormatProperties) \
    X(vkGetPhysicalDeviceProperties) \
    X(vkGetPhysicalDeviceQueueFamilyProperties) \
    X(vkGetPhysicalDeviceMemoryProperties) \
    X(vkGetInstanceProcAddr) \
    X(vkGetDeviceProcAddr) \
    X(vkCreateDevice) \
    X(vkDestroyDevice) \
    X(vkEnumerateInstanceExtensionProperties) \
    X(vkEnumerateDeviceExtensionProperties) \
    X(vkEnumerateInstanceLayerProperties) \
    X(vkEnumerateDeviceLayerProperties) \
    X(vkGetDeviceQueue) \
    X(vkQueueSubmit) \
    X(vkQueueWaitIdle) \
    X(vkDeviceWaitIdle) \
    X(vkAllocateMemory) \
    X(vkFreeMemory) \
    X(vkMapMemory) \
    X(vkUnmapMemory) \
    X(vkFlushMappedMemoryRanges) \
    X(vkInvalidateMappedMemoryRanges) \
    X(vkGetDeviceMemoryCommitment) \
    X(vkBindBufferMemory) \
    X(vkBindImageMemory) \
    X(vkGetBufferMemoryRequirements) \
    X(vkGetImageMemoryRequirements) \
    X(vkGetImageSparseMemoryRequirements) \
    X(vkGetPhysicalDeviceSparseImageFormatProperties) \
    X(vkQueueBindSparse) \
    X(vkCreateFence) \
    X(vkDestroyFence) \
    X(vkResetFences) \
    X(vkGetFenceStatus) \
    X(vkWaitForFences) \
    X(vkCreateSemaphore) \
    X(vkDestroySemaphore) \
    X(vkCreateEvent) \
    X(vkDestroyEvent) \
    X(vkGetEventStatus) \
    X(vkSetEvent) \
    X(vkResetEvent) \
    X(vkCreateQueryPool) \
    X(vkDestroyQueryPool) \
    X(vkGetQueryPoolResults) \
    X(vkCreateBuffer) \
    X(vkDestroyBuffer) \
    X(vkCreateBufferView) \
    X(vkDestroyBufferView) \
    X(vkCreateImage) \
    X(vkDestroyImage) \
    X(vkGetImageSubresourceLayout) \
    X(vkCreateImageView) \
    X(vkDestroyImageView) \
    X(vkCreateShaderModule) \
    X(vkDestroyShaderModule) \
    X(vkCreatePipelineCache) \
    X(vkDestroyPipelineCache) \
    X(vkGetPipelineCacheData) \
    X(vkMergePipelineCaches) \
    X(vkCreateGraphicsPipelines) \
    X(vkCreateComputePipelines) \
    X(vkDestroyPipeline) \
    X(vkCreatePipelineLayout) \
    X(vkDestroyPipelineLayout) \
    X(vkCreateSampler) \
    X(vkDestroySampler) \
    X(vkCreateDescriptorSetLayout) \
    X(vkDestroyDescriptorSetLayout) \
    X(vkCreateDescriptorPool) \
    X(vkDestroyDescriptorPool) \
    X(vkResetDescriptorPool) \
    X(vkAllocateDescriptorSets) \
    X(vkFreeDescriptorSets) \
    X(vkUpdateDescriptorSets) \
    X(vkCreateFramebuffer) \
    X(vkDestroyFramebuffer) \
    X(vkCreateRenderPass) \
    X(vkDestroyRenderPass) \
    X(vkGetRenderAreaGranularity) \
    X(vkCreateCommandPool) \
    X(vkDestroyCommandPool) \
    X(vkResetCommandPool) \
    X(vkAllocateCommandBuffers) \
    X(vkFreeCommandBuffers) \
    X(vkBeginCommandBuffer) \
    X(vkEndCommandBuffer) \
    X(vkResetCommandBuffer) \
    X(vkCmdBindPipeline) \
    X(vkCmdSetViewport) \
    X(vkCmdSetScissor) \
    X(vkCmdSetLineWidth) \
    X(vkCmdSetDepthBias) \
    X(vkCmdSetBlendConstants) \
    X(vkCmdSetDepthBounds) \
    X(vkCmdSetStencilCompareMask) \
    X(vkCmdSetStencilWriteMask) \
    X(vkCmdSetStencilReference) \
    X(vkCmdBindDescriptorSets) \
    X(vkCmdBindIndexBuffer) \
    X(vkCmdBindVertexBuffers) \
    X(vkCmdDraw) \
    X(vkCmdDrawIndexed) \
    X(vkCmdDrawIndirect) \
    X(vkCmdDrawIndexedIndirect) \
    X(vkCmdDispatch) \
    X(vkCmdDispatchIndirect) \
    X(vkCmdCopyBuffer) \
    X(vkCmdCopyImage) \
    X(vkCmdBlitImage) \
    X(vkCmdCopyBufferToImage) \
    X(vkCmdCopyImageToBuffer) \
    X(vkCmdUpdateBuffer) \
    X(vkCmdFillBuffer) \
    X(vkCmdClearColorImage) \
    X(vkCmdClearDepthStencilImage) \
    X(vkCmdClearAttachments) \
    X(vkCmdResolveImage) \
    X(vkCmdSetEvent) \
    X(vkCmdResetEvent) \
    X(vkCmdWaitEvents) \
    X(vkCmdPipelineBarrier) \
    X(vkCmdBeginQuery) \
    X(vkCmdEndQuery) \
    X(vkCmdResetQueryPool) \
    X(vkCmdWriteTimestamp) \
    X(vkCmdCopyQueryPoolResults) \
    X(vkCmdPushConstants) \
    X(vkCmdBeginRenderPass) \
    X(vkCmdNextSubpass) \
    X(vkCmdEndRenderPass) \
    X(vkCmdExecuteCommands) \
    X(vkEnumerateInstanceVersion) \
    X(vkBindBufferMemory2) \
    X(vkBindImageMemory2) \
    X(vkGetDeviceGroupPeerMemoryFeatures) \
    X(vkCmdSetDeviceMask) \
    X(vkCmdDispatchBase) \
    X(vkEnumeratePhysicalDeviceGroups) \
    X(vkGetImageMemoryRequirements2) \
    X(vkGetBufferMemoryRequirements2) \
    X(vkGetImageSparseMemoryRequirements2) \
    X(vkGetPhysicalDeviceFeatures2) \
    X(vkGetPhysicalDeviceProperties2) \
    X(vkGetPhysicalDeviceFormatProperties2) \
    X(vkGetPhysicalDeviceImageFormatProperties2) \
    X(vkGetPhysicalDeviceQueueFamilyProperties2) \
    X(vkGetPhysicalDeviceMemoryProperties2) \
    X(vkGetPhysicalDeviceSparseImageFormatProperties2) \
    X(vkTrimCommandPool) \
    X(vkGetDeviceQueue2) \
    X(vkCreateSamplerYcbcrConversion) \
    X(vkDestroySamplerYcbcrConversion) \
    X(vkCreateDescriptorUpdateTemplate) \
    X(vkDestroyDescriptorUpdateTemplate) \
    X(vkUpdateDescriptorSetWithTemplate) \
    X(vkGetPhysicalDeviceExternalBufferProperties) \
    X(vkGetPhysicalDeviceExternalFenceProperties) \
    X(vkGetPhysicalDeviceExternalSemaphoreProperties) \
    X(vkGetDescriptorSetLayoutSupport) \
    X(vkCmdDrawIndirectCount) \
    X(vkCmdDrawIndexedIndirectCount) \
    X(vkCreateRenderPass2) \
    X(vkCmdBeginRenderPass2) \
    X(vkCmdNextSubpass2) \
    X(vkCmdEndRenderPass2) \
    X(vkResetQueryPool) \
    X(vkGetSemaphoreCounterValue) \
    X(vkWaitSemaphores) \
    X(vkSignalSemaphore) \
    X(vkGetBufferDeviceAddress) \
    X(vkGetBufferOpaqueCaptureAddress) \
    X(vkGetDeviceMemoryOpaqueCaptureAddress) \
    X(vkDestroySurfaceKHR) \
    X(vkGetPhysicalDeviceSurfaceSupportKHR) \
    X(vkGetPhysicalDeviceSurfaceCapabilitiesKHR) \
    X(vkGetPhysicalDeviceSurfaceFormatsKHR) \
    X(vkGetPhysicalDeviceSurfacePresentModesKHR) \
    X(vkCreateSwapchainKHR) \
    X(vkDestroySwapchainKHR) \
    X(vkGetSwapchainImagesKHR) \
    X(vkAcquireNextImageKHR) \
    X(vkQueuePresentKHR) \
    X(vkGetDeviceGroupPresentCapabilitiesKHR) \
    X(vkGetDeviceGroupSurfacePresentModesKHR) \
    X(vkGetPhysicalDevicePresentRectanglesKHR) \
    X(vkAcquireNextImage2KHR)
/* clang-format on */

#define CS_VK_DECLARE_POINTER(name) extern CS_HIDDEN PFN_##name cs_##name;
CS_VK_FUNCTIONS(CS_VK_DECLARE_POINTER)

/* Loads libvulkan.so.1 and every function above, once per process (later
 * calls return the first call's result). CS_ERROR_NO_DEVICE when the loader
 * is missing or too old, with a message naming the package to install.
 * COMPUSHADY_VULKAN_LIBRARY, when set, is the file opened instead. */
cs_status vk_loader_load(void);

/* vk_instance_create (the table's entry, vk_loader.c) loads Vulkan, then
 * opens the instance (vk_instance_open); a failure to find a driver says
 * what to install. */

/* The Vulkan names, for the backend's files: vkCreateBuffer(...) calls
 * cs_vkCreateBuffer. */
/* clang-format off */
#define vkCreateInstance cs_vkCreateInstance
#define vkDestroyInstance cs_vkDestroyInstance
#define vkEnumeratePhysicalDevices cs_vkEnumeratePhysicalDevices
#define vkGetPhysicalDeviceFeatures cs_vkGetPhysicalDeviceFeatures
#define vkGetPhysicalDeviceFormatProperties cs_vkGetPhysicalDeviceFormatProperties
#define vkGetPhysicalDeviceImageFormatProperties cs_vkGetPhysicalDeviceImageFormatProperties
#define vkGetPhysicalDeviceProperties cs_vkGetPhysicalDeviceProperties
#define vkGetPhysicalDeviceQueueFamilyProperties cs_vkGetPhysicalDeviceQueueFamilyProperties
#define vkGetPhysicalDeviceMemoryProperties cs_vkGetPhysicalDeviceMemoryProperties
#define vkGetInstanceProcAddr cs_vkGetInstanceProcAddr
#define vkGetDeviceProcAddr cs_vkGetDeviceProcAddr
#define vkCreateDevice cs_vkCreateDevice
#define vkDestroyDevice cs_vkDestroyDevice
#define vkEnumerateInstanceExtensionProperties cs_vkEnumerateInstanceExtensionProperties
#define vkEnumerateDeviceExtensionProperties cs_vkEnumerateDeviceExtensionProperties
#define vkEnumerateInstanceLayerProperties cs_vkEnumerateInstanceLayerProperties
#define vkEnumerateDeviceLayerProperties cs_vkEnumerateDeviceLayerProperties
#define vkGetDeviceQueue cs_vkGetDeviceQueue
#define vkQueueSubmit cs_vkQueueSubmit
#define vkQueueWaitIdle cs_vkQueueWaitIdle
#define vkDeviceWaitIdle cs_vkDeviceWaitIdle
#define vkAllocateMemory cs_vkAllocateMemory
#define vkFreeMemory cs_vkFreeMemory
#define vkMapMemory cs_vkMapMemory
#define vkUnmapMemory cs_vkUnmapMemory
#define vkFlushMappedMemoryRanges cs_vkFlushMappedMemoryRanges
#define vkInvalidateMappedMemoryRanges cs_vkInvalidateMappedMemoryRanges
#define vkGetDeviceMemoryCommitment cs_vkGetDeviceMemoryCommitment
#define vkBindBufferMemory cs_vkBindBufferMemory
#define vkBindImageMemory cs_vkBindImageMemory
#define vkGetBufferMemoryRequirements cs_vkGetBufferMemoryRequirements
#define vkGetImageMemoryRequirements cs_vkGetImageMemoryRequirements
#define vkGetImageSparseMemoryRequirements cs_vkGetImageSparseMemoryRequirements
#define vkGetPhysicalDeviceSparseImageFormatProperties cs_vkGetPhysicalDeviceSparseImageFormatProperties
#define vkQueueBindSparse cs_vkQueueBindSparse
#define vkCreateFence cs_vkCreateFence
#define vkDestroyFence cs_vkDestroyFence
#define vkResetFences cs_vkResetFences
#define vkGetFenceStatus cs_vkGetFenceStatus
#define vkWaitForFences cs_vkWaitForFences
#define vkCreateSemaphore cs_vkCreateSemaphore
#define vkDestroySemaphore cs_vkDestroySemaphore
#define vkCreateEvent cs_vkCreateEvent
#define vkDestroyEvent cs_vkDestroyEvent
#define vkGetEventStatus cs_vkGetEventStatus
#define vkSetEvent cs_vkSetEvent
#define vkResetEvent cs_vkResetEvent
#define vkCreateQueryPool cs_vkCreateQueryPool
#define vkDestroyQueryPool cs_vkDestroyQueryPool
#define vkGetQueryPoolResults cs_vkGetQueryPoolResults
#define vkCreateBuffer cs_vkCreateBuffer
#define vkDestroyBuffer cs_vkDestroyBuffer
#define vkCreateBufferView cs_vkCreateBufferView
#define vkDestroyBufferView cs_vkDestroyBufferView
#define vkCreateImage cs_vkCreateImage
#define vkDestroyImage cs_vkDestroyImage
#define vkGetImageSubresourceLayout cs_vkGetImageSubresourceLayout
#define vkCreateImageView cs_vkCreateImageView
#define vkDestroyImageView cs_vkDestroyImageView
#define vkCreateShaderModule cs_vkCreateShaderModule
#define vkDestroyShaderModule cs_vkDestroyShaderModule
#define vkCreatePipelineCache cs_vkCreatePipelineCache
#define vkDestroyPipelineCache cs_vkDestroyPipelineCache
#define vkGetPipelineCacheData cs_vkGetPipelineCacheData
#define vkMergePipelineCaches cs_vkMergePipelineCaches
#define vkCreateGraphicsPipelines cs_vkCreateGraphicsPipelines
#define vkCreateComputePipelines cs_vkCreateComputePipelines
#define vkDestroyPipeline cs_vkDestroyPipeline
#define vkCreatePipelineLayout cs_vkCreatePipelineLayout
#define vkDestroyPipelineLayout cs_vkDestroyPipelineLayout
#define vkCreateSampler cs_vkCreateSampler
#define vkDestroySampler cs_vkDestroySampler
#define vkCreateDescriptorSetLayout cs_vkCreateDescriptorSetLayout
#define vkDestroyDescriptorSetLayout cs_vkDestroyDescriptorSetLayout
#define vkCreateDescriptorPool cs_vkCreateDescriptorPool
#define vkDestroyDescriptorPool cs_vkDestroyDescriptorPool
#define vkResetDescriptorPool cs_vkResetDescriptorPool
#define vkAllocateDescriptorSets cs_vkAllocateDescriptorSets
#define vkFreeDescriptorSets cs_vkFreeDescriptorSets
#define vkUpdateDescriptorSets cs_vkUpdateDescriptorSets
#define vkCreateFramebuffer cs_vkCreateFramebuffer
#define vkDestroyFramebuffer cs_vkDestroyFramebuffer
#define vkCreateRenderPass cs_vkCreateRenderPass
#define vkDestroyRenderPass cs_vkDestroyRenderPass
#define vkGetRenderAreaGranularity cs_vkGetRenderAreaGranularity
#define vkCreateCommandPool cs_vkCreateCommandPool
#define vkDestroyCommandPool cs_vkDestroyCommandPool
#define vkResetCommandPool cs_vkResetCommandPool
#define vkAllocateCommandBuffers cs_vkAllocateCommandBuffers
#define vkFreeCommandBuffers cs_vkFreeCommandBuffers
#define vkBeginCommandBuffer cs_vkBeginCommandBuffer
#define vkEndCommandBuffer cs_vkEndCommandBuffer
#define vkResetCommandBuffer cs_vkResetCommandBuffer
#define vkCmdBindPipeline cs_vkCmdBindPipeline
#define vkCmdSetViewport cs_vkCmdSetViewport
#define vkCmdSetScissor cs_vkCmdSetScissor
#define vkCmdSetLineWidth cs_vkCmdSetLineWidth
#define vkCmdSetDepthBias cs_vkCmdSetDepthBias
#define vkCmdSetBlendConstants cs_vkCmdSetBlendConstants
#define vkCmdSetDepthBounds cs_vkCmdSetDepthBounds
#define vkCmdSetStencilCompareMask cs_vkCmdSetStencilCompareMask
#define vkCmdSetStencilWriteMask cs_vkCmdSetStencilWriteMask
#define vkCmdSetStencilReference cs_vkCmdSetStencilReference
#define vkCmdBindDescriptorSets cs_vkCmdBindDescriptorSets
#define vkCmdBindIndexBuffer cs_vkCmdBindIndexBuffer
#define vkCmdBindVertexBuffers cs_vkCmdBindVertexBuffers
#define vkCmdDraw cs_vkCmdDraw
#define vkCmdDrawIndexed cs_vkCmdDrawIndexed
#define vkCmdDrawIndirect cs_vkCmdDrawIndirect
#define vkCmdDrawIndexedIndirect cs_vkCmdDrawIndexedIndirect
#define vkCmdDispatch cs_vkCmdDispatch
#define vkCmdDispatchIndirect cs_vkCmdDispatchIndirect
#define vkCmdCopyBuffer cs_vkCmdCopyBuffer
#define vkCmdCopyImage cs_vkCmdCopyImage
#define vkCmdBlitImage cs_vkCmdBlitImage
#define vkCmdCopyBufferToImage cs_vkCmdCopyBufferToImage
#define vkCmdCopyImageToBuffer cs_vkCmdCopyImageToBuffer
#define vkCmdUpdateBuffer cs_vkCmdUpdateBuffer
#define vkCmdFillBuffer cs_vkCmdFillBuffer
#define vkCmdClearColorImage cs_vkCmdClearColorImage
#define vkCmdClearDepthStencilImage cs_vkCmdClearDepthStencilImage
#define vkCmdClearAttachments cs_vkCmdClearAttachments
#define vkCmdResolveImage cs_vkCmdResolveImage
#define vkCmdSetEvent cs_vkCmdSetEvent
#define vkCmdResetEvent cs_vkCmdResetEvent
#define vkCmdWaitEvents cs_vkCmdWaitEvents
#define vkCmdPipelineBarrier cs_vkCmdPipelineBarrier
#define vkCmdBeginQuery cs_vkCmdBeginQuery
#define vkCmdEndQuery cs_vkCmdEndQuery
#define vkCmdResetQueryPool cs_vkCmdResetQueryPool
#define vkCmdWriteTimestamp cs_vkCmdWriteTimestamp
#define vkCmdCopyQueryPoolResults cs_vkCmdCopyQueryPoolResults
#define vkCmdPushConstants cs_vkCmdPushConstants
#define vkCmdBeginRenderPass cs_vkCmdBeginRenderPass
#define vkCmdNextSubpass cs_vkCmdNextSubpass
#define vkCmdEndRenderPass cs_vkCmdEndRenderPass
#define vkCmdExecuteCommands cs_vkCmdExecuteCommands
#define vkEnumerateInstanceVersion cs_vkEnumerateInstanceVersion
#define vkBindBufferMemory2 cs_vkBindBufferMemory2
#define vkBindImageMemory2 cs_vkBindImageMemory2
#define vkGetDeviceGroupPeerMemoryFeatures cs_vkGetDeviceGroupPeerMemoryFeatures
#define vkCmdSetDeviceMask cs_vkCmdSetDeviceMask
#define vkCmdDispatchBase cs_vkCmdDispatchBase
#define vkEnumeratePhysicalDeviceGroups cs_vkEnumeratePhysicalDeviceGroups
#define vkGetImageMemoryRequirements2 cs_vkGetImageMemoryRequirements2
#define vkGetBufferMemoryRequirements2 cs_vkGetBufferMemoryRequirements2
#define vkGetImageSparseMemoryRequirements2 cs_vkGetImageSparseMemoryRequirements2
#define vkGetPhysicalDeviceFeatures2 cs_vkGetPhysicalDeviceFeatures2
#define vkGetPhysicalDeviceProperties2 cs_vkGetPhysicalDeviceProperties2
#define vkGetPhysicalDeviceFormatProperties2 cs_vkGetPhysicalDeviceFormatProperties2
#define vkGetPhysicalDeviceImageFormatProperties2 cs_vkGetPhysicalDeviceImageFormatProperties2
#define vkGetPhysicalDeviceQueueFamilyProperties2 cs_vkGetPhysicalDeviceQueueFamilyProperties2
#define vkGetPhysicalDeviceMemoryProperties2 cs_vkGetPhysicalDeviceMemoryProperties2
#define vkGetPhysicalDeviceSparseImageFormatProperties2 cs_vkGetPhysicalDeviceSparseImageFormatProperties2
#define vkTrimCommandPool cs_vkTrimCommandPool
#define vkGetDeviceQueue2 cs_vkGetDeviceQueue2
#define vkCreateSamplerYcbcrConversion cs_vkCreateSamplerYcbcrConversion
#define vkDestroySamplerYcbcrConversion cs_vkDestroySamplerYcbcrConversion
#define vkCreateDescriptorUpdateTemplate cs_vkCreateDescriptorUpdateTemplate
#define vkDestroyDescriptorUpdateTemplate cs_vkDestroyDescriptorUpdateTemplate
#define vkUpdateDescriptorSetWithTemplate cs_vkUpdateDescriptorSetWithTemplate
#define vkGetPhysicalDeviceExternalBufferProperties cs_vkGetPhysicalDeviceExternalBufferProperties
#define vkGetPhysicalDeviceExternalFenceProperties cs_vkGetPhysicalDeviceExternalFenceProperties
#define vkGetPhysicalDeviceExternalSemaphoreProperties cs_vkGetPhysicalDeviceExternalSemaphoreProperties
#define vkGetDescriptorSetLayoutSupport cs_vkGetDescriptorSetLayoutSupport
#define vkCmdDrawIndirectCount cs_vkCmdDrawIndirectCount
#define vkCmdDrawIndexedIndirectCount cs_vkCmdDrawIndexedIndirectCount
#define vkCreateRenderPass2 cs_vkCreateRenderPass2
#define vkCmdBeginRenderPass2 cs_vkCmdBeginRenderPass2
#define vkCmdNextSubpass2 cs_vkCmdNextSubpass2
#define vkCmdEndRenderPass2 cs_vkCmdEndRenderPass2
#define vkResetQueryPool cs_vkResetQueryPool
#define vkGetSemaphoreCounterValue cs_vkGetSemaphoreCounterValue
#define vkWaitSemaphores cs_vkWaitSemaphores
#define vkSignalSemaphore cs_vkSignalSemaphore
#define vkGetBufferDeviceAddress cs_vkGetBufferDeviceAddress
#define vkGetBufferOpaqueCaptureAddress cs_vkGetBufferOpaqueCaptureAddress
#define vkGetDeviceMemoryOpaqueCaptureAddress cs_vkGetDeviceMemoryOpaqueCaptureAddress
#define vkDestroySurfaceKHR cs_vkDestroySurfaceKHR
#define vkGetPhysicalDeviceSurfaceSupportKHR cs_vkGetPhysicalDeviceSurfaceSupportKHR
#define vkGetPhysicalDeviceSurfaceCapabilitiesKHR cs_vkGetPhysicalDeviceSurfaceCapabilitiesKHR
#define vkGetPhysicalDeviceSurfaceFormatsKHR cs_vkGetPhysicalDeviceSurfaceFormatsKHR
#define vkGetPhysicalDeviceSurfacePresentModesKHR cs_vkGetPhysicalDeviceSurfacePresentModesKHR
#define vkCreateSwapchainKHR cs_vkCreateSwapchainKHR
#define vkDestroySwapchainKHR cs_vkDestroySwapchainKHR
#define vkGetSwapchainImagesKHR cs_vkGetSwapchainImagesKHR
#define vkAcquireNextImageKHR cs_vkAcquireNextImageKHR
#define vkQueuePresentKHR cs_vkQueuePresentKHR
#define vkGetDeviceGroupPresentCapabilitiesKHR cs_vkGetDeviceGroupPresentCapabilitiesKHR
#define vkGetDeviceGroupSurfacePresentModesKHR cs_vkGetDeviceGroupSurfacePresentModesKHR
#define vkGetPhysicalDevicePresentRectanglesKHR cs_vkGetPhysicalDevicePresentRectanglesKHR
#define vkAcquireNextImage2KHR cs_vkAcquireNextImage2KHR
/* clang-format on */

#endif
