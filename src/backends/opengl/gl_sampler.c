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

static cs_status create_on_owner(gl_device *dev, void *arg)
{
    cs_sampler *sampler = arg;
    GLuint *impl = calloc(1, sizeof *impl);
    if (!impl)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory creating a sampler");
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
    cs_status status = gl_check(dev, "creating a sampler");
    if (status != CS_OK) {
        glDeleteSamplers(1, impl);
        free(impl);
    } else {
        sampler->impl = impl;
    }
    return status;
}

cs_status gl_sampler_create(cs_sampler *sampler)
{
    return gl_run(sampler->device, create_on_owner, sampler);
}

static void delete_sampler(void *arg)
{
    glDeleteSamplers(1, arg);
}

void gl_sampler_destroy(cs_sampler *sampler)
{
    GLuint *impl = sampler->impl;
    gl_run_to_destroy(sampler->device, delete_sampler, impl);
    free(impl);
    sampler->impl = NULL;
}
