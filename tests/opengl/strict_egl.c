/*
 * strict_egl.c - an EGL for tests that forwards to the real libEGL.so.1 but
 * keeps to the letter of the EGL spec where Mesa is lenient and NVIDIA is
 * not: the current API (eglBindAPI) is per thread and starts as OpenGL ES,
 * and eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT)
 * releases only the context of the thread's current API. Mesa releases
 * whatever is current, which hid a context left current on every thread
 * but the first (tests/python/test_opengl_threads.py).
 *
 * Built by the test with the system's C compiler and named in
 * COMPUSHADY_EGL_LIBRARY. Test code, not part of the library.
 */
#include <EGL/egl.h>
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

static void *real(const char *name)
{
    static void *library;
    if (!library)
        library = dlopen("libEGL.so.1", RTLD_NOW | RTLD_LOCAL);
    return library ? dlsym(library, name) : NULL;
}

#define FORWARD(name) ((__typeof__(&name))real(#name))

static _Thread_local EGLenum thread_api = EGL_OPENGL_ES_API;

EGLBoolean eglBindAPI(EGLenum api)
{
    EGLBoolean ok = FORWARD(eglBindAPI)(api);
    if (ok)
        thread_api = api;
    return ok;
}

EGLBoolean eglMakeCurrent(EGLDisplay display, EGLSurface draw, EGLSurface read,
                          EGLContext context)
{
    /* every context of the library is desktop OpenGL: with another API
     * current on the thread, nothing of that API is there to release */
    if (context == EGL_NO_CONTEXT && draw == EGL_NO_SURFACE &&
        read == EGL_NO_SURFACE && thread_api != EGL_OPENGL_API)
        return EGL_TRUE;
    return FORWARD(eglMakeCurrent)(display, draw, read, context);
}

__eglMustCastToProperFunctionPointerType eglGetProcAddress(const char *name)
{
    if (strcmp(name, "eglBindAPI") == 0)
        return (__eglMustCastToProperFunctionPointerType)eglBindAPI;
    if (strcmp(name, "eglMakeCurrent") == 0)
        return (__eglMustCastToProperFunctionPointerType)eglMakeCurrent;
    return FORWARD(eglGetProcAddress)(name);
}

const char *eglQueryString(EGLDisplay display, EGLint name)
{
    return FORWARD(eglQueryString)(display, name);
}

EGLint eglGetError(void)
{
    return FORWARD(eglGetError)();
}

EGLBoolean eglInitialize(EGLDisplay display, EGLint *major, EGLint *minor)
{
    return FORWARD(eglInitialize)(display, major, minor);
}

EGLBoolean eglTerminate(EGLDisplay display)
{
    return FORWARD(eglTerminate)(display);
}

EGLContext eglCreateContext(EGLDisplay display, EGLConfig config,
                            EGLContext share, const EGLint *attributes)
{
    return FORWARD(eglCreateContext)(display, config, share, attributes);
}

EGLBoolean eglDestroyContext(EGLDisplay display, EGLContext context)
{
    return FORWARD(eglDestroyContext)(display, context);
}

EGLContext eglGetCurrentContext(void)
{
    return FORWARD(eglGetCurrentContext)();
}

EGLBoolean eglReleaseThread(void)
{
    EGLBoolean ok = FORWARD(eglReleaseThread)();
    thread_api = EGL_OPENGL_ES_API;
    return ok;
}

EGLBoolean eglChooseConfig(EGLDisplay display, const EGLint *attributes,
                           EGLConfig *configs, EGLint size, EGLint *count)
{
    return FORWARD(eglChooseConfig)(display, attributes, configs, size, count);
}
