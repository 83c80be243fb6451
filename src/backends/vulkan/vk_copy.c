/* vk_copy.c - GPU copies between buffers and textures, waited for. Images
 * stay in VK_IMAGE_LAYOUT_GENERAL, so copies need no transitions. */
#include "vk_internal.h"

#include <stdlib.h>

static bool is_buffer(const cs_resource *resource)
{
    return resource->info.kind == CS_RESOURCE_BUFFER;
}

static VkImageSubresourceLayers texture_layers(const cs_resource *texture,
                                               uint32_t slice)
{
    VkImageSubresourceLayers layers = {
        .aspectMask = VK_IMAGE_ASPECT_COLOR_BIT,
        .mipLevel = 0,
        .baseArrayLayer =
            texture->info.kind == CS_RESOURCE_TEXTURE3D ? 0 : slice,
        .layerCount = 1,
    };
    return layers;
}

/* The buffer holds rows of the texture's row_pitch bytes. Vulkan counts
 * buffer rows in texels: when row_pitch is not a whole number of texels
 * (12-byte formats), each row gets its own region. */
static cs_status record_buffer_image(VkCommandBuffer commands,
                                     const cs_resource *buffer,
                                     const cs_resource *texture,
                                     const cs_copy_desc *desc, bool to_image)
{
    uint32_t texel = cs_format_texel_size(texture->info.format);
    uint32_t pitch = texture->info.row_pitch;
    VkBufferImageCopy single;
    VkBufferImageCopy *regions = &single;
    uint32_t region_count = 1;
    VkOffset3D origin =
        to_image ? (VkOffset3D){(int32_t)desc->dst_x, (int32_t)desc->dst_y,
                                (int32_t)desc->dst_z}
                 : (VkOffset3D){(int32_t)desc->src_x, (int32_t)desc->src_y,
                                (int32_t)desc->src_z};
    VkDeviceSize buffer_offset = to_image ? desc->src_offset : desc->dst_offset;
    VkImageSubresourceLayers layers =
        texture_layers(texture, to_image ? desc->dst_slice : desc->src_slice);
    if (texel != 0 && pitch % texel == 0) {
        single = (VkBufferImageCopy){
            .bufferOffset = buffer_offset,
            .bufferRowLength = pitch / texel,
            .bufferImageHeight = desc->height,
            .imageSubresource = layers,
            .imageOffset = origin,
            .imageExtent = {desc->width, desc->height, desc->depth},
        };
    } else {
        region_count = desc->height * desc->depth;
        regions = calloc(region_count, sizeof *regions);
        if (!regions)
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "out of host memory while recording a copy");
        for (uint32_t z = 0; z < desc->depth; z++) {
            for (uint32_t y = 0; y < desc->height; y++) {
                VkBufferImageCopy *region = &regions[z * desc->height + y];
                region->bufferOffset =
                    buffer_offset +
                    ((VkDeviceSize)z * desc->height + y) * pitch;
                region->imageSubresource = layers;
                region->imageOffset = (VkOffset3D){
                    origin.x, origin.y + (int32_t)y, origin.z + (int32_t)z};
                region->imageExtent = (VkExtent3D){desc->width, 1, 1};
            }
        }
    }
    VkBuffer vk_buffer = vk_resource_of(buffer)->buffer;
    VkImage image = vk_resource_of(texture)->image;
    if (to_image)
        vkCmdCopyBufferToImage(commands, vk_buffer, image,
                               VK_IMAGE_LAYOUT_GENERAL, region_count, regions);
    else
        vkCmdCopyImageToBuffer(commands, image, VK_IMAGE_LAYOUT_GENERAL,
                               vk_buffer, region_count, regions);
    if (regions != &single)
        free(regions);
    return CS_OK;
}

static void record_image_image(VkCommandBuffer commands, const cs_resource *src,
                               const cs_resource *dst, const cs_copy_desc *desc)
{
    VkImageCopy region = {
        .srcSubresource = texture_layers(src, desc->src_slice),
        .srcOffset = {(int32_t)desc->src_x, (int32_t)desc->src_y,
                      (int32_t)desc->src_z},
        .dstSubresource = texture_layers(dst, desc->dst_slice),
        .dstOffset = {(int32_t)desc->dst_x, (int32_t)desc->dst_y,
                      (int32_t)desc->dst_z},
        .extent = {desc->width, desc->height, desc->depth},
    };
    vkCmdCopyImage(commands, vk_resource_of(src)->image,
                   VK_IMAGE_LAYOUT_GENERAL, vk_resource_of(dst)->image,
                   VK_IMAGE_LAYOUT_GENERAL, 1, &region);
}

cs_status vk_copy_record(VkCommandBuffer commands, const cs_resource *src,
                         const cs_resource *dst, const cs_copy_desc *desc)
{
    if (is_buffer(src) && is_buffer(dst)) {
        VkBufferCopy region = {
            .srcOffset = desc->src_offset,
            .dstOffset = desc->dst_offset,
            .size = desc->size,
        };
        vkCmdCopyBuffer(commands, vk_resource_of(src)->buffer,
                        vk_resource_of(dst)->buffer, 1, &region);
        return CS_OK;
    }
    if (is_buffer(src))
        return record_buffer_image(commands, src, dst, desc, true);
    if (is_buffer(dst))
        return record_buffer_image(commands, dst, src, desc, false);
    record_image_image(commands, src, dst, desc);
    return CS_OK;
}

cs_status vk_copy(cs_resource *src, cs_resource *dst, const cs_copy_desc *desc)
{
    vk_device *dev;
    cs_status status = vk_device_acquire(src->device, &dev);
    if (status != CS_OK)
        return status;
    vk_command_context *context;
    status = vk_submit_begin(dev, &context);
    if (status != CS_OK)
        return status;
    status = vk_copy_record(context->commands, src, dst, desc);
    if (status != CS_OK) {
        vk_submit_abandon(dev, context);
        return status;
    }
    vk_holds holds = {.resources = {src, dst}};
    status =
        vk_submit_and_wait(dev, context, "copying between resources", &holds);
    if (status == CS_OK)
        vk_pending_poll(dev);
    return status;
}
