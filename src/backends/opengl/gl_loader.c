/* gl_loader.c - opens libEGL.so.1 at run time and fills the pointers of
 * gl_loader.h, so that the library needs no EGL/GL at build or link time and
 * a machine without them gets an error saying what to install. */
#include "gl_loader.h"

#include <stdio.h>
#include <stdlib.h>

#define CS_GL_DEFINE_POINTER(name, type) type cs_##name;
CS_EGL_FUNCTIONS(CS_GL_DEFINE_POINTER)
CS_EGL_EXT_FUNCTIONS(CS_GL_DEFINE_POINTER)
CS_GL_FUNCTIONS(CS_GL_DEFINE_POINTER)
#undef CS_GL_DEFINE_POINTER

static const char install_hint[] =
    "install EGL and an OpenGL driver (Debian/Ubuntu: apt-get install "
    "libegl1 libegl-mesa0 libgl1-mesa-dri, which has llvmpipe for the CPU; "
    "for NVIDIA, the NVIDIA driver's libEGL_nvidia), or set "
    "COMPUSHADY_EGL_LIBRARY to libEGL's path";

static cs_once load_once = CS_ONCE_INIT;
static cs_status load_status;
static char load_error[1024];
static int load_pid; /* the process that opened EGL */

static void load(void)
{
    load_pid = cs_process_id();
    const char *path = getenv("COMPUSHADY_EGL_LIBRARY");
    if (!path || !*path)
        path = "libEGL.so.1";
    char reason[512] = "not found";
    void *library = cs_library_open(path, reason, sizeof reason);
    if (!library) {
        load_status = CS_ERROR_NO_DEVICE;
        snprintf(load_error, sizeof load_error, "cannot load %s (%s): %s", path,
                 reason, install_hint);
        return;
    }
    const char *missing = NULL;
#define CS_GL_LOAD_EGL(name, type)                                             \
    cs_##name = (type)cs_library_symbol(library, #name);                       \
    if (!cs_##name && !missing)                                                \
        missing = #name;
    CS_EGL_FUNCTIONS(CS_GL_LOAD_EGL)
#undef CS_GL_LOAD_EGL
    if (missing) {
        load_status = CS_ERROR_NO_DEVICE;
        snprintf(load_error, sizeof load_error,
                 "%s is not an EGL 1.4 library (it has no %s): %s", path,
                 missing, install_hint);
        return;
    }
    /* extension functions: NULL when absent (the instance checks) */
#define CS_GL_LOAD_EGL_EXT(name, type)                                         \
    cs_##name = (type)eglGetProcAddress(#name);
    CS_EGL_EXT_FUNCTIONS(CS_GL_LOAD_EGL_EXT)
#undef CS_GL_LOAD_EGL_EXT
    load_status = CS_OK; /* stays loaded until the process ends */
}

cs_status gl_loader_load(void)
{
    cs_call_once(&load_once, load);
    if (load_status != CS_OK)
        return cs_fail(load_status, "%s", load_error);
    return CS_OK;
}

bool gl_loader_forked(void)
{
    return cs_process_id() != load_pid;
}

static cs_mutex gl_lock = CS_MUTEX_INIT;
static bool gl_loaded;

cs_status gl_loader_load_gl(void)
{
    /* EGL gives every context of the process the same entry points: the
     * first context that has them all fills the pointers, once */
    cs_mutex_lock(&gl_lock);
    if (gl_loaded) {
        cs_mutex_unlock(&gl_lock);
        return CS_OK;
    }
    const char *missing = NULL;
#define CS_GL_LOAD_GL(name, type)                                              \
    {                                                                          \
        type loaded = (type)eglGetProcAddress(#name);                          \
        if (!loaded && !missing)                                               \
            missing = #name;                                                   \
        if (loaded)                                                            \
            cs_##name = loaded;                                                \
    }
    CS_GL_FUNCTIONS(CS_GL_LOAD_GL)
#undef CS_GL_LOAD_GL
    gl_loaded = missing == NULL;
    cs_mutex_unlock(&gl_lock);
    if (missing)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "the OpenGL driver has no %s: the OpenGL backend needs "
                       "OpenGL 4.5",
                       missing);
    return CS_OK;
}
