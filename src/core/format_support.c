/* format_support.c - what a device can do with each format
 * (cs_device_format_support), and the one check of it: a resource's format
 * where it is created and where a compute binds it. */
#include "backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The backend's answer; format is known. */
static cs_status support_of(const cs_device *device, cs_format format,
                            uint32_t *out_support)
{
    *out_support = 0;
    return device->instance->backend->format_support(device, format,
                                                     out_support);
}

cs_status cs_device_format_support(cs_device *device, cs_format format,
                                   uint32_t *out_support)
{
    if (out_support)
        *out_support = 0;
    if (!device || !out_support)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "cs_device_format_support: device and out_support "
                       "must not be NULL");
    if (!cs_format_texel_size(format))
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "invalid format %u: expected one of compushady.formats",
                       format);
    return support_of(device, format, out_support);
}

const char *cs_format_support_name(uint32_t bit)
{
    switch (bit) {
    case CS_FORMAT_SUPPORT_TEXTURE_SRV:
        return "read-only texture (Texture*, srv; FORMAT_SUPPORT_TEXTURE_SRV)";
    case CS_FORMAT_SUPPORT_TEXTURE_UAV:
        return "read-write texture (RWTexture*, uav; "
               "FORMAT_SUPPORT_TEXTURE_UAV)";
    case CS_FORMAT_SUPPORT_TEXTURE_FILTER_LINEAR:
        return "texture sampled with a LINEAR filter "
               "(FORMAT_SUPPORT_TEXTURE_FILTER_LINEAR)";
    case CS_FORMAT_SUPPORT_BUFFER_SRV:
        return "read-only typed buffer (Buffer<T>, srv; "
               "FORMAT_SUPPORT_BUFFER_SRV)";
    case CS_FORMAT_SUPPORT_BUFFER_UAV:
        return "read-write typed buffer (RWBuffer<T>, uav; "
               "FORMAT_SUPPORT_BUFFER_UAV)";
    case CS_FORMAT_SUPPORT_BUFFER_SRV | CS_FORMAT_SUPPORT_BUFFER_UAV:
        return "typed buffer, neither read-only (Buffer<T>, srv) nor "
               "read-write (RWBuffer<T>, uav) (FORMAT_SUPPORT_BUFFER_SRV / "
               "_UAV)";
    case CS_FORMAT_SUPPORT_TEXTURE_SRV | CS_FORMAT_SUPPORT_TEXTURE_UAV:
        return "texture, neither read-only (Texture*, srv) nor read-write "
               "(RWTexture*, uav) (FORMAT_SUPPORT_TEXTURE_SRV / _UAV)";
    default: return "?";
    }
}

/* The part of a format's name after its channels: "_UNORM_SRGB". */
static const char *kind_of(cs_format format)
{
    const char *name = cs_format_name(format);
    const char *kind = strchr(name, '_');
    return kind ? kind : "";
}

/* The bits of a format's first channel: the number after its first
 * letter (R10G10B10A2_UNORM: 10). */
static int channel_bits(cs_format format)
{
    return atoi(cs_format_name(format) + 1);
}

/* How well other stands in for format in messages ("use <it>"): 0 not at
 * all (another component type, fewer components or narrower ones, or the
 * device lacks a wanted bit of it); else 3 when its kind leads format's
 * (_UNORM for _UNORM_SRGB), 2 for a float one (it holds what UNORM and
 * SNORM do), 1 for the others. */
static int stand_in_rank(const cs_device *device, cs_format format,
                         cs_format other, uint32_t wanted)
{
    uint32_t support;
    if (other == format ||
        cs_format_component_type(other) != cs_format_component_type(format) ||
        cs_format_component_count(other) < cs_format_component_count(format) ||
        channel_bits(other) < channel_bits(format) ||
        support_of(device, other, &support) != CS_OK ||
        (support & wanted) != wanted)
        return 0;
    const char *kind = kind_of(other);
    if (strncmp(kind_of(format), kind, strlen(kind)) == 0)
        return 3;
    return strcmp(kind, "_FLOAT") == 0 ? 2 : 1;
}

/* The best stand-in for format that the device has every bit of wanted
 * for, the smallest of the best rank; NULL when none. */
static const char *alternative(const cs_device *device, cs_format format,
                               uint32_t wanted)
{
    static const cs_format known[] = {
#define FORMAT_VALUE(name, value, ...) value,
        CS_FORMAT_LIST(FORMAT_VALUE)
#undef FORMAT_VALUE
    };
    cs_format best = 0;
    int best_rank = 0;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        int rank = stand_in_rank(device, format, known[i], wanted);
        /* the smallest, of the narrowest channels, of the best rank */
        if (rank > best_rank ||
            (rank && rank == best_rank &&
             (cs_format_texel_size(known[i]) < cs_format_texel_size(best) ||
              (cs_format_texel_size(known[i]) == cs_format_texel_size(best) &&
               channel_bits(known[i]) < channel_bits(best))))) {
            best = known[i];
            best_rank = rank;
        }
    }
    return best ? cs_format_name(best) : NULL;
}

/* The failure for format lacking bit on device, what names the object
 * ("a Texture2D", "register u0"). */
static cs_status lacking(const cs_device *device, cs_format format,
                         uint32_t bit, const char *what)
{
    char instead[96] = "";
    const char *other = alternative(device, format, bit);
    if (other)
        snprintf(instead, sizeof instead, "use e.g. %s instead, or ", other);
    return cs_fail(CS_ERROR_UNSUPPORTED,
                   "%s: format %s is not supported as a %s by device '%s' "
                   "(%s backend); %sask Device.get_format_support(format) / "
                   "cs_device_format_support() for the formats it has",
                   what, cs_format_name(format), cs_format_support_name(bit),
                   device->info.name, device->instance->own_backend->name,
                   instead);
}

cs_status cs_format_check_resource(const cs_device *device,
                                   const cs_resource_info *info)
{
    uint32_t support;
    cs_status status = support_of(device, info->format, &support);
    if (status != CS_OK)
        return status;
    if (info->kind == CS_RESOURCE_BUFFER) {
        /* a typed buffer is made when it can be read or written; the
         * other use is refused where a compute binds it */
        if (support &
            (CS_FORMAT_SUPPORT_BUFFER_SRV | CS_FORMAT_SUPPORT_BUFFER_UAV))
            return CS_OK;
        return lacking(device, info->format,
                       CS_FORMAT_SUPPORT_BUFFER_SRV |
                           CS_FORMAT_SUPPORT_BUFFER_UAV,
                       "a typed buffer (Buffer with format=)");
    }
    /* the same for textures */
    if (support &
        (CS_FORMAT_SUPPORT_TEXTURE_SRV | CS_FORMAT_SUPPORT_TEXTURE_UAV))
        return CS_OK;
    return lacking(device, info->format,
                   CS_FORMAT_SUPPORT_TEXTURE_SRV |
                       CS_FORMAT_SUPPORT_TEXTURE_UAV,
                   cs_resource_kind_name(info->kind));
}

cs_status cs_format_check_use(const cs_device *device,
                              const cs_resource *resource, uint32_t bit,
                              const char *what)
{
    uint32_t support;
    cs_status status = support_of(device, resource->info.format, &support);
    if (status != CS_OK)
        return status;
    if (support & bit)
        return CS_OK;
    return lacking(device, resource->info.format, bit, what);
}
