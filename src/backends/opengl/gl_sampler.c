/* gl_sampler.c - sampler objects. */
#include "gl_internal.h"

#include <stdlib.h>

static GLint wrap_of(cs_address_mode mode)
{
    switch (mode) {
    case CS_ADDRESS_MODE_MIRROR: return GL_MIRRORED_REPEAT;
    case CS_ADDRESS_MODE_CLAMP: return GL_CLAMP_TO_EDGE;
    default: return GL_REPEAT;
    }
}

cs_status gl_sampler_create(cs_sampler *sampler)
{
    gl_device *dev;
    cs_status status = gl_enter(sampler->device, &dev);
    if (status != CS_OK)
        return status;
    GLuint *impl = calloc(1, sizeof *impl);
    if (!impl) {
        gl_leave(dev);
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory creating a sampler");
    }
    const cs_sampler_desc *desc = &sampler->desc;
    glCreateSamplers(1, impl);
    glSamplerParameteri(*impl, GL_TEXTURE_WRAP_S, wrap_of(desc->address_u));
    glSamplerParameteri(*impl, GL_TEXTURE_WRAP_T, wrap_of(desc->address_v));
    glSamplerParameteri(*impl, GL_TEXTURE_WRAP_R, wrap_of(desc->address_w));
    glSamplerParameteri(*impl, GL_TEXTURE_MIN_FILTER,
                        desc->filter_min == CS_FILTER_LINEAR ? GL_LINEAR
                                                             : GL_NEAREST);
    glSamplerParameteri(*impl, GL_TEXTURE_MAG_FILTER,
                        desc->filter_mag == CS_FILTER_LINEAR ? GL_LINEAR
                                                             : GL_NEAREST);
    status = gl_check(dev, "creating a sampler");
    if (status != CS_OK) {
        glDeleteSamplers(1, impl);
        free(impl);
    } else {
        sampler->impl = impl;
    }
    gl_leave(dev);
    return status;
}

void gl_sampler_destroy(cs_sampler *sampler)
{
    GLuint *impl = sampler->impl;
    gl_device *dev = gl_enter_to_destroy(sampler->device);
    if (dev) {
        glDeleteSamplers(1, impl);
        gl_leave_after_destroy(dev);
    }
    free(impl);
    sampler->impl = NULL;
}
