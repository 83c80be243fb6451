/* sampler.c - texture samplers. */
#include "backend.h"

#include <stdlib.h>

static cs_status check_address_mode(cs_address_mode mode, char axis)
{
    if ((unsigned)mode > CS_ADDRESS_MODE_CLAMP)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "invalid address mode %u for %c: expected WRAP (0), "
                       "MIRROR (1) or CLAMP (2)",
                       (unsigned)mode, axis);
    return CS_OK;
}

static cs_status check_filter(cs_filter filter, const char *which)
{
    if ((unsigned)filter > CS_FILTER_LINEAR)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "invalid %s filter %u: expected POINT (0) or "
                       "LINEAR (1)",
                       which, (unsigned)filter);
    return CS_OK;
}

cs_status cs_sampler_create(cs_device *device, const cs_sampler_desc *desc,
                            cs_sampler **out_sampler)
{
    static const cs_sampler_desc defaults = {0};
    if (!device || !out_sampler)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "cs_sampler_create: device and out_sampler must not "
                       "be NULL");
    if (!desc)
        desc = &defaults;
    cs_status status = check_address_mode(desc->address_u, 'u');
    if (status == CS_OK)
        status = check_address_mode(desc->address_v, 'v');
    if (status == CS_OK)
        status = check_address_mode(desc->address_w, 'w');
    if (status == CS_OK)
        status = check_filter(desc->filter_min, "min");
    if (status == CS_OK)
        status = check_filter(desc->filter_mag, "mag");
    if (status != CS_OK)
        return status;
    cs_sampler *sampler = calloc(1, sizeof *sampler);
    if (!sampler)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory creating a sampler");
    atomic_init(&sampler->refcount, 1);
    sampler->device = device;
    sampler->desc = *desc;
    status = device->instance->backend->sampler_create(sampler);
    if (status != CS_OK) {
        free(sampler);
        return status;
    }
    cs_instance_retain(device->instance);
    *out_sampler = sampler;
    return CS_OK;
}

void cs_sampler_retain(cs_sampler *sampler)
{
    if (sampler)
        atomic_fetch_add(&sampler->refcount, 1);
}

void cs_sampler_release(cs_sampler *sampler)
{
    if (!sampler || atomic_fetch_sub(&sampler->refcount, 1) != 1)
        return;
    cs_instance *instance = sampler->device->instance;
    instance->backend->sampler_destroy(sampler);
    free(sampler);
    cs_instance_release(instance);
}
