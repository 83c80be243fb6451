/*
 * raw_gl_roundtrip.c - the "raw GL" reference for bench/opengl_vs_vulkan.py:
 * what EGL + OpenGL can do for a dispatch round trip with the least host
 * code (no compushady), under each threading model a GL backend can take.
 *
 *   direct       the context current on the calling thread for good; the
 *                loop is glUseProgram + glBindBufferBase + glDispatchCompute
 *                + glMemoryBarrier + glFenceSync + glClientWaitSync (polled)
 *   made_current the same, with eglMakeCurrent before and the release after
 *                each round (any thread may call; nothing stays current)
 *   no_flush     made_current on a context created with
 *                EGL_CONTEXT_RELEASE_BEHAVIOR_NONE_KHR (the release does
 *                not flush), where EGL_KHR_context_flush_control is offered
 *   owner_thread the context current for good on a thread of its own; the
 *                caller hands each round to it and polls for the answer
 *                (the owner polls for work for a while, then sleeps)
 *
 * Device: the first EGL device that is not software (EGL_MESA_device_software),
 * else the first; surfaceless Mesa where the device platform is missing.
 * Output: one JSON line on stdout, medians in microseconds.
 *
 * Build: cc -O2 -std=gnu11 bench/raw_gl_roundtrip.c -lEGL -lpthread \
 *            -o build/bench_raw_gl
 * Usage: build/bench_raw_gl [--iterations N]
 */
#define _GNU_SOURCE
#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* the few GL names used, without a GL header */
typedef unsigned GLuint;
typedef unsigned GLenum;
typedef int GLint;
typedef int GLsizei;
typedef char GLchar;
typedef unsigned GLbitfield;
typedef uint64_t GLuint64;
typedef intptr_t GLsizeiptr;
typedef struct __GLsync *GLsync;
enum {
    GL_COMPUTE_SHADER = 0x91B9,
    GL_SHADER_STORAGE_BUFFER = 0x90D2,
    GL_SHADER_STORAGE_BARRIER_BIT = 0x2000,
    GL_SYNC_GPU_COMMANDS_COMPLETE = 0x9117,
    GL_SYNC_FLUSH_COMMANDS_BIT = 0x1,
    GL_TIMEOUT_EXPIRED = 0x911B,
    GL_LINK_STATUS = 0x8B82,
};

#define GL_FUNCTIONS(X)                                                        \
    X(GLuint, glCreateShader, (GLenum))                                        \
    X(void, glShaderSource,                                                    \
      (GLuint, GLsizei, const GLchar *const *, const GLint *))                 \
    X(void, glCompileShader, (GLuint))                                         \
    X(GLuint, glCreateProgram, (void))                                         \
    X(void, glAttachShader, (GLuint, GLuint))                                  \
    X(void, glLinkProgram, (GLuint))                                           \
    X(void, glGetProgramiv, (GLuint, GLenum, GLint *))                         \
    X(void, glUseProgram, (GLuint))                                            \
    X(void, glCreateBuffers, (GLsizei, GLuint *))                              \
    X(void, glNamedBufferStorage,                                              \
      (GLuint, GLsizeiptr, const void *, GLbitfield))                          \
    X(void, glBindBufferBase, (GLenum, GLuint, GLuint))                        \
    X(void, glDispatchCompute, (GLuint, GLuint, GLuint))                       \
    X(void, glMemoryBarrier, (GLbitfield))                                     \
    X(GLsync, glFenceSync, (GLenum, GLbitfield))                               \
    X(GLenum, glClientWaitSync, (GLsync, GLbitfield, GLuint64))                \
    X(void, glDeleteSync, (GLsync))                                            \
    X(void, glFinish, (void))

#define DECLARE(ret, name, params) static ret(*name) params;
GL_FUNCTIONS(DECLARE)
#undef DECLARE

static EGLDisplay display;
static EGLContext context;
static GLuint program, buffer;

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void fail(const char *what)
{
    fprintf(stderr, "raw_gl_roundtrip: %s (EGL error 0x%04x)\n", what,
            (unsigned)eglGetError());
    exit(1);
}

static EGLDisplay open_display(void)
{
    PFNEGLQUERYDEVICESEXTPROC query_devices =
        (PFNEGLQUERYDEVICESEXTPROC)eglGetProcAddress("eglQueryDevicesEXT");
    PFNEGLQUERYDEVICESTRINGEXTPROC device_string =
        (PFNEGLQUERYDEVICESTRINGEXTPROC)eglGetProcAddress(
            "eglQueryDeviceStringEXT");
    PFNEGLGETPLATFORMDISPLAYEXTPROC platform_display =
        (PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress(
            "eglGetPlatformDisplayEXT");
    if (!platform_display)
        fail("no eglGetPlatformDisplayEXT");
    EGLDeviceEXT devices[16];
    EGLint count = 0;
    if (query_devices && device_string && query_devices(16, devices, &count) &&
        count > 0) {
        EGLDeviceEXT chosen = devices[0];
        for (EGLint i = 0; i < count; i++) {
            const char *extensions = device_string(devices[i], EGL_EXTENSIONS);
            if (!extensions ||
                !strstr(extensions, "EGL_MESA_device_software")) {
                chosen = devices[i];
                break;
            }
        }
        EGLDisplay found =
            platform_display(EGL_PLATFORM_DEVICE_EXT, chosen, NULL);
        if (found != EGL_NO_DISPLAY)
            return found;
    }
    return platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY,
                            NULL);
}

static EGLContext create_context(bool no_flush)
{
    EGLint attributes[9] = {
        EGL_CONTEXT_MAJOR_VERSION,
        4,
        EGL_CONTEXT_MINOR_VERSION,
        5,
        EGL_CONTEXT_OPENGL_PROFILE_MASK,
        EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
        EGL_NONE,
        EGL_NONE,
        EGL_NONE,
    };
    if (no_flush) {
        attributes[6] = EGL_CONTEXT_RELEASE_BEHAVIOR_KHR;
        attributes[7] = EGL_CONTEXT_RELEASE_BEHAVIOR_NONE_KHR;
        attributes[8] = EGL_NONE;
    }
    return eglCreateContext(display, EGL_NO_CONFIG_KHR, context, attributes);
}

static void load_gl(void)
{
#define LOAD(ret, name, params)                                                \
    name = (ret(*) params)eglGetProcAddress(#name);                            \
    if (!name)                                                                 \
        fail("no " #name);
    GL_FUNCTIONS(LOAD)
#undef LOAD
}

static void make_program(void)
{
    const char *source = "#version 450\nlayout(local_size_x = 1) in;\n"
                         "layout(std430, binding = 0) buffer O { uint o[]; };\n"
                         "void main() { o[0] = o[0] + 1u; }\n";
    GLuint shader = glCreateShader(GL_COMPUTE_SHADER);
    glShaderSource(shader, 1, &source, NULL);
    glCompileShader(shader);
    program = glCreateProgram();
    glAttachShader(program, shader);
    glLinkProgram(program);
    GLint linked = 0;
    glGetProgramiv(program, GL_LINK_STATUS, &linked);
    if (!linked)
        fail("the compute program did not link");
    glCreateBuffers(1, &buffer);
    glNamedBufferStorage(buffer, 4, NULL, 0);
    glFinish();
}

/* one round: as the backend dispatches, waiting by polling the fence */
static void round_trip(void)
{
    glUseProgram(program);
    glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, buffer);
    glDispatchCompute(1, 1, 1);
    glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT);
    GLsync sync = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
    GLbitfield flags = GL_SYNC_FLUSH_COMMANDS_BIT;
    while (glClientWaitSync(sync, flags, 0) == GL_TIMEOUT_EXPIRED)
        flags = 0;
    glDeleteSync(sync);
}

static double median_of(void (*round)(void), int iterations)
{
    double *times = malloc(sizeof(double) * (size_t)iterations);
    for (int i = 0; i < 20; i++)
        round();
    for (int i = 0; i < iterations; i++) {
        double start = now_us();
        round();
        times[i] = now_us() - start;
    }
    qsort(times, (size_t)iterations, sizeof(double), compare);
    double median = times[iterations / 2];
    free(times);
    return median;
}

static EGLContext switched_context;

static void made_current_round(void)
{
    if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE,
                        switched_context))
        fail("eglMakeCurrent");
    round_trip();
    eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
}

/* the owner thread: polls `posted` for 200 us after each round, then sleeps
 * on the condition variable until the next */
static atomic_uint posted, answered;
static atomic_bool owner_sleeping, stopping;
static pthread_mutex_t owner_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t owner_wake = PTHREAD_COND_INITIALIZER;

static void *owner_main(void *unused)
{
    (void)unused;
    eglBindAPI(EGL_OPENGL_API);
    if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context))
        fail("eglMakeCurrent on the owner thread");
    unsigned done = 0;
    while (!atomic_load(&stopping)) {
        double idle_since = now_us();
        while (atomic_load_explicit(&posted, memory_order_acquire) == done &&
               !atomic_load(&stopping)) {
            if (now_us() - idle_since > 200.0) {
                pthread_mutex_lock(&owner_mutex);
                atomic_store(&owner_sleeping, true);
                while (atomic_load(&posted) == done && !atomic_load(&stopping))
                    pthread_cond_wait(&owner_wake, &owner_mutex);
                atomic_store(&owner_sleeping, false);
                pthread_mutex_unlock(&owner_mutex);
            }
        }
        if (atomic_load(&stopping))
            break;
        round_trip();
        done++;
        atomic_store_explicit(&answered, done, memory_order_release);
    }
    eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    return NULL;
}

static void owner_round(void)
{
    unsigned ticket = atomic_fetch_add(&posted, 1) + 1;
    if (atomic_load(&owner_sleeping)) {
        pthread_mutex_lock(&owner_mutex);
        pthread_cond_signal(&owner_wake);
        pthread_mutex_unlock(&owner_mutex);
    }
    while (atomic_load_explicit(&answered, memory_order_acquire) != ticket) {
    }
}

int main(int argc, char **argv)
{
    int iterations = 2000;
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--iterations"))
            iterations = atoi(argv[i + 1]);
    display = open_display();
    if (display == EGL_NO_DISPLAY || !eglInitialize(display, NULL, NULL))
        fail("no EGL display");
    if (!eglBindAPI(EGL_OPENGL_API))
        fail("eglBindAPI");
    context = EGL_NO_CONTEXT;
    context = create_context(false);
    if (context == EGL_NO_CONTEXT)
        fail("eglCreateContext");
    if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context))
        fail("eglMakeCurrent");
    load_gl();
    make_program();

    double direct = median_of(round_trip, iterations);
    eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    switched_context = context;
    double made_current = median_of(made_current_round, iterations);

    double no_flush = -1;
    const char *extensions = eglQueryString(display, EGL_EXTENSIONS);
    if (extensions && strstr(extensions, "EGL_KHR_context_flush_control")) {
        switched_context = create_context(true);
        if (switched_context != EGL_NO_CONTEXT) {
            no_flush = median_of(made_current_round, iterations);
            eglDestroyContext(display, switched_context);
        }
    }

    pthread_t owner;
    pthread_create(&owner, NULL, owner_main, NULL);
    double owner_thread = median_of(owner_round, iterations);
    atomic_store(&stopping, true);
    pthread_mutex_lock(&owner_mutex);
    pthread_cond_signal(&owner_wake);
    pthread_mutex_unlock(&owner_mutex);
    pthread_join(owner, NULL);

    printf("{\"direct_us\": %.2f, \"made_current_us\": %.2f, "
           "\"no_flush_us\": %.2f, \"owner_thread_us\": %.2f}\n",
           direct, made_current, no_flush, owner_thread);
    eglDestroyContext(display, context);
    eglTerminate(display);
    return 0;
}
