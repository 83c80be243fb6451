/* gl_loader.c - opens libEGL.so.1 at run time and fills the pointers of
 * gl_loader.h, so that the library needs no EGL/GL at build or link time and
 * a machine without them gets an error saying what to install. */
#include "gl_loader.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static cs_status load_status;
static char load_error[1024];
static pid_t load_pid; /* the process that opened EGL */

static void load(void)
{
    load_pid = getpid();
    const char *path = getenv("COMPUSHADY_EGL_LIBRARY");
    if (!path || !*path)
        path = "libEGL.so.1";
    void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char *reason = dlerror();
        load_status = CS_ERROR_NO_DEVICE;
        snprintf(load_error, sizeof load_error, "cannot load %s (%s): %s", path,
                 reason ? reason : "not found", install_hint);
        return;
    }
    const char *missing = NULL;
#define CS_GL_LOAD_EGL(name, type)                                             \
    cs_##name = (type)dlsym(library, #name);                                   \
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
    if (pthread_once(&load_once, load) != 0)
        return cs_fail(CS_ERROR_BACKEND, "pthread_once failed");
    if (load_status != CS_OK)
        return cs_fail(load_status, "%s", load_error);
    return CS_OK;
}

bool gl_loader_forked(void)
{
    return getpid() != load_pid;
}

static pthread_mutex_t gl_lock = PTHREAD_MUTEX_INITIALIZER;
static bool gl_loaded;

cs_status gl_loader_load_gl(void)
{
    /* EGL gives every context of the process the same entry points: the
     * first context that has them all fills the pointers, once */
    pthread_mutex_lock(&gl_lock);
    if (gl_loaded) {
        pthread_mutex_unlock(&gl_lock);
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
    pthread_mutex_unlock(&gl_lock);
    if (missing)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "the OpenGL driver has no %s: the OpenGL backend needs "
                       "OpenGL 4.5",
                       missing);
    return CS_OK;
}
