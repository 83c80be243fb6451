/* gl_context.c - what the device's thread needs around GL calls: binding
 * EGL's API, waits and GL error checks. */
#include "gl_internal.h"

#include <stdio.h>
#include <stdlib.h>

/* As the Vulkan backend waits: poll the fence for 50 us (a short dispatch
 * ends within it and the thread wakes at once), then poll and yield up to
 * 4 ms, then sleep in the driver's wait. */
enum {
    SPIN_NANOSECONDS = 50 * 1000,
    YIELD_NANOSECONDS = 4 * 1000 * 1000,
};

static double elapsed_ns(uint64_t start)
{
    return (double)(cs_time_monotonic_ns() - start);
}

GLenum gl_wait_sync(GLsync sync, uint64_t timeout_ns)
{
    uint64_t start = cs_time_monotonic_ns();
    double polling =
        timeout_ns < YIELD_NANOSECONDS ? (double)timeout_ns : YIELD_NANOSECONDS;
    double spent;
    GLbitfield flags = GL_SYNC_FLUSH_COMMANDS_BIT; /* the first time */
    do {
        GLenum result = glClientWaitSync(sync, flags, 0);
        flags = 0;
        if (result != GL_TIMEOUT_EXPIRED)
            return result;
        spent = elapsed_ns(start);
        if (spent >= SPIN_NANOSECONDS)
            cs_thread_yield();
    } while (spent < polling);
    if (timeout_ns == 0)
        return GL_TIMEOUT_EXPIRED;
    uint64_t left = UINT64_MAX;
    if (timeout_ns != UINT64_MAX) {
        spent = elapsed_ns(start);
        if (spent >= (double)timeout_ns)
            return GL_TIMEOUT_EXPIRED;
        left = timeout_ns - (uint64_t)spent;
    }
    return glClientWaitSync(sync, 0, left);
}

/* EGL's current API is per thread and starts as OpenGL ES on every thread
 * but the one that created the contexts; releasing with EGL_NO_CONTEXT
 * releases the context of the thread's current API only. When the context
 * was made current on each calling thread (before gl_owner.c), a thread
 * that never bound EGL_OPENGL_API kept it current on NVIDIA after its
 * release, and every other thread's eglMakeCurrent then failed
 * (EGL_BAD_ACCESS). Mesa releases whatever is current, which hid it
 * (tests/python/test_opengl_threads.py runs an EGL that behaves as
 * NVIDIA's). Discovery's thread and each device's thread bind it. */
static _Thread_local bool opengl_api_bound;

bool gl_bind_api(void)
{
    if (!opengl_api_bound)
        opengl_api_bound = eglBindAPI(EGL_OPENGL_API) == EGL_TRUE;
    return opengl_api_bound;
}

static const char *error_name(GLenum error)
{
    switch (error) {
    case GL_INVALID_ENUM: return "GL_INVALID_ENUM";
    case GL_INVALID_VALUE: return "GL_INVALID_VALUE";
    case GL_INVALID_OPERATION: return "GL_INVALID_OPERATION";
    case GL_INVALID_FRAMEBUFFER_OPERATION:
        return "GL_INVALID_FRAMEBUFFER_OPERATION";
    case GL_OUT_OF_MEMORY: return "GL_OUT_OF_MEMORY";
    case GL_STACK_UNDERFLOW: return "GL_STACK_UNDERFLOW";
    case GL_STACK_OVERFLOW: return "GL_STACK_OVERFLOW";
    default: return "an unknown GL error";
    }
}

void gl_discard_errors(void)
{
    /* GL keeps one flag per kind of error until glGetError reads it: read
     * until none is left */
    for (int i = 0; i < 16 && glGetError() != GL_NO_ERROR; i++) {
    }
}

/* COMPUSHADY_GL_FAIL_EVERY=N: every Nth check reports a GL error that did
 * not happen, for tests of what a failed call leaves behind
 * (test_opengl_faults.py); read once. */
static cs_once fail_once = CS_ONCE_INIT;
static unsigned fail_every;
static atomic_uint check_count;

static void read_fail_every(void)
{
    const char *value = getenv("COMPUSHADY_GL_FAIL_EVERY");
    fail_every = value ? (unsigned)strtoul(value, NULL, 10) : 0;
}

cs_status gl_check(gl_device *dev, const char *what)
{
    (void)dev;
    cs_call_once(&fail_once, read_fail_every);
    if (fail_every &&
        (atomic_fetch_add(&check_count, 1) + 1) % fail_every == 0) {
        gl_discard_errors();
        return cs_fail(CS_ERROR_BACKEND,
                       "OpenGL reported an error %s (injected: "
                       "COMPUSHADY_GL_FAIL_EVERY=%u)",
                       what, fail_every);
    }
    GLenum error = glGetError();
    if (error == GL_NO_ERROR)
        return CS_OK;
    gl_discard_errors(); /* the rest: the next check starts clean */
    return cs_fail(error == GL_OUT_OF_MEMORY ? CS_ERROR_OUT_OF_DEVICE_MEMORY
                                             : CS_ERROR_BACKEND,
                   "OpenGL reported %s (0x%04x) %s", error_name(error),
                   (unsigned)error, what);
}

cs_status gl_finish(cs_device *device, gl_device *dev, const char *what)
{
    GLsync sync = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
    if (!sync)
        return gl_check(dev, what);
    uint64_t timeout = cs_device_get_wait_timeout(device);
    GLenum result = gl_wait_sync(sync, timeout ? timeout : UINT64_MAX);
    glDeleteSync(sync);
    if (result == GL_TIMEOUT_EXPIRED)
        return cs_fail(CS_TIMEOUT,
                       "%s: the GPU work did not finish within the wait "
                       "timeout of %.3f s and is still running (it cannot be "
                       "preempted); its resources are kept until it ends",
                       what, (double)timeout / 1e9);
    if (result == GL_WAIT_FAILED)
        return gl_check(dev, what);
    return gl_check(dev, what);
}

cs_status gl_lost(const cs_device *device)
{
    return cs_fail(CS_ERROR_DEVICE_LOST,
                   "device '%s' was lost (simulated by "
                   "cs_debug_simulate_device_lost); create a new instance",
                   device->info.name);
}

cs_status gl_unsupported(const char *what)
{
    return cs_fail(CS_ERROR_UNSUPPORTED,
                   "%s is not supported by the OpenGL backend; use the Vulkan "
                   "backend (COMPUSHADY_BACKEND=vulkan)",
                   what);
}
