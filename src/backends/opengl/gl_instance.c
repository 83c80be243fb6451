/* gl_instance.c - device discovery: one EGL display and one OpenGL 4.5 core
 * context per device, through the EGL device platform
 * (EGL_EXT_device_enumeration + EGL_EXT_platform_device: NVIDIA's and
 * Mesa's devices), else Mesa's surfaceless platform; and what each device
 * offers (cs_device_info). */
#include "gl_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_EGL_DEVICES = 16 };

#ifndef EGL_PLATFORM_SURFACELESS_MESA
#define EGL_PLATFORM_SURFACELESS_MESA 0x31DD
#endif
#ifndef GL_GPU_MEMORY_INFO_DEDICATED_VIDMEM_NVX
#define GL_GPU_MEMORY_INFO_DEDICATED_VIDMEM_NVX 0x9047
#endif

static bool has_word(const char *list, const char *word)
{
    size_t length = strlen(word);
    for (const char *at = list; at && (at = strstr(at, word)); at += length) {
        if ((at == list || at[-1] == ' ') &&
            (at[length] == ' ' || at[length] == '\0'))
            return true;
    }
    return false;
}

static bool gl_has_extension(const char *name)
{
    GLint count = 0;
    glGetIntegerv(GL_NUM_EXTENSIONS, &count);
    for (GLint i = 0; i < count; i++) {
        const char *extension = (const char *)glGetStringi(GL_EXTENSIONS, i);
        if (extension && strcmp(extension, name) == 0)
            return true;
    }
    return false;
}

static void APIENTRY debug_callback(GLenum source, GLenum type, GLuint id,
                                    GLenum severity, GLsizei length,
                                    const GLchar *message, const void *user)
{
    (void)source;
    (void)length;
    /* errors and undefined behaviour only: performance notes of the
     * driver are not the caller's mistakes */
    if (type != GL_DEBUG_TYPE_ERROR && type != GL_DEBUG_TYPE_UNDEFINED_BEHAVIOR)
        return;
    /* running out of memory is the call's OutOfDeviceMemory, not misuse */
    if (message && strstr(message, "GL_OUT_OF_MEMORY"))
        return;
    const gl_device *dev = user;
    if (dev->muted)
        return;
    char text[1024];
    snprintf(text, sizeof text,
             "OpenGL debug output (id %u, severity 0x%x): %s", id,
             (unsigned)severity, message ? message : "");
    cs_instance_push_debug_message(dev->instance, text);
}

static uint32_t vendor_id_of(const char *vendor, bool software)
{
    if (software)
        return 0x10005; /* VK_VENDOR_ID_MESA, as lavapipe reports */
    if (strstr(vendor, "NVIDIA"))
        return 0x10de;
    if (strstr(vendor, "AMD") || strstr(vendor, "ATI"))
        return 0x1002;
    if (strstr(vendor, "Intel"))
        return 0x8086;
    return 0;
}

/* The machine's RAM (MemTotal of /proc/meminfo: EGL devices are Linux's),
 * 0 when unknown. */
static uint64_t system_memory(void)
{
    /* stdio: /proc files tell no size to read by */
    FILE *file = fopen("/proc/meminfo", "r");
    if (!file)
        return 0;
    unsigned long long kib = 0;
    char line[256];
    while (fgets(line, sizeof line, file))
        if (sscanf(line, "MemTotal: %llu kB", &kib) == 1)
            break;
    fclose(file);
    return (uint64_t)kib * 1024;
}

static uint32_t get_int(GLenum name)
{
    GLint value = 0;
    glGetIntegerv(name, &value);
    return value > 0 ? (uint32_t)value : 0;
}

static void read_info(gl_device *dev, bool software, cs_device_info *info)
{
    const char *renderer = (const char *)glGetString(GL_RENDERER);
    const char *vendor = (const char *)glGetString(GL_VENDOR);
    snprintf(info->name, sizeof info->name, "%s", renderer ? renderer : "?");
    software = software || (renderer && (strstr(renderer, "llvmpipe") ||
                                         strstr(renderer, "softpipe")));
    info->vendor_id = vendor_id_of(vendor ? vendor : "", software);
    info->is_hardware = !software;
    if (!software && gl_has_extension("GL_NVX_gpu_memory_info")) {
        info->dedicated_video_memory =
            (uint64_t)get_int(GL_GPU_MEMORY_INFO_DEDICATED_VIDMEM_NVX) * 1024;
        info->is_discrete = info->dedicated_video_memory > 0;
    }
    info->shared_system_memory = system_memory();

    /* COMPUSHADY_GL_SHADERS=glsl: the GLSL path as without the extension
     * (tests, drivers whose SPIR-V support is broken) */
    const char *shaders = getenv("COMPUSHADY_GL_SHADERS");
    dev->has_spirv = gl_has_extension("GL_ARB_gl_spirv") &&
                     !(shaders && strcmp(shaders, "glsl") == 0);
    dev->has_bindless = gl_has_extension("GL_ARB_bindless_texture");
    dev->has_timer_query = true; /* core since OpenGL 3.3 */
    dev->has_load_formatted =
        gl_has_extension("GL_EXT_shader_image_load_formatted");
    /* the backend takes SPIR-V: through GL_ARB_gl_spirv, else it makes
     * GLSL of its rewritten module with SPIRV-Cross (gl_compute.c), which
     * needs GL's bindings, so the core's own conversion would not do */
    info->shader_formats = CS_SHADER_FORMAT_SPIRV;
    info->supports_heaps = false;    /* GL has no placed resources */
    info->supports_sparse = false;   /* not done by this backend */
    info->supports_bindless = false; /* not done by this backend */
    info->supports_float16 = false;
    info->supports_storage_image_without_format = dev->has_load_formatted;
    /* GLSL and SPIR-V for GL: writeonly images need no format */
    info->supports_storage_image_write_without_format = true;

    gl_limits *limits = &dev->limits;
    limits->uniform_buffers = get_int(GL_MAX_COMPUTE_UNIFORM_BLOCKS);
    limits->storage_buffers = get_int(GL_MAX_COMPUTE_SHADER_STORAGE_BLOCKS);
    limits->images = get_int(GL_MAX_COMPUTE_IMAGE_UNIFORMS);
    limits->textures = get_int(GL_MAX_COMPUTE_TEXTURE_IMAGE_UNITS);
    limits->uniform_buffer_bindings = get_int(GL_MAX_UNIFORM_BUFFER_BINDINGS);
    limits->storage_buffer_bindings =
        get_int(GL_MAX_SHADER_STORAGE_BUFFER_BINDINGS);
    limits->uniform_buffer_alignment =
        get_int(GL_UNIFORM_BUFFER_OFFSET_ALIGNMENT);
    limits->storage_buffer_alignment =
        get_int(GL_SHADER_STORAGE_BUFFER_OFFSET_ALIGNMENT);
    limits->texture_buffer_alignment =
        get_int(GL_TEXTURE_BUFFER_OFFSET_ALIGNMENT);

    uint32_t uniform_block = get_int(GL_MAX_UNIFORM_BLOCK_SIZE);
    /* push constants travel in a uniform block (gl_compute.c) */
    info->max_push_constants_size = uniform_block < 256 ? uniform_block : 256;
    for (GLuint axis = 0; axis < 3; axis++) {
        GLint count = 0, size = 0;
        glGetIntegeri_v(GL_MAX_COMPUTE_WORK_GROUP_COUNT, axis, &count);
        glGetIntegeri_v(GL_MAX_COMPUTE_WORK_GROUP_SIZE, axis, &size);
        info->max_compute_workgroup_count[axis] = (uint32_t)count;
        info->max_compute_workgroup_size[axis] = (uint32_t)size;
    }
    info->max_compute_workgroup_invocations =
        get_int(GL_MAX_COMPUTE_WORK_GROUP_INVOCATIONS);
    info->max_compute_shared_memory_size =
        get_int(GL_MAX_COMPUTE_SHARED_MEMORY_SIZE);
    /* GL has no limit on a buffer's size: the memory decides; without a
     * known video memory, 2 GiB (lavapipe's Vulkan limit) or a quarter of
     * the RAM */
    uint64_t quarter = info->shared_system_memory / 4;
    uint64_t cap = (uint64_t)2 << 30;
    info->max_buffer_size = info->dedicated_video_memory
                                ? info->dedicated_video_memory
                                : (quarter && quarter < cap ? quarter : cap);
    info->max_image_dimension_1d = get_int(GL_MAX_TEXTURE_SIZE);
    info->max_image_dimension_2d = get_int(GL_MAX_TEXTURE_SIZE);
    info->max_image_dimension_3d = get_int(GL_MAX_3D_TEXTURE_SIZE);
    info->max_image_array_layers = get_int(GL_MAX_ARRAY_TEXTURE_LAYERS);
    info->max_texel_buffer_elements = get_int(GL_MAX_TEXTURE_BUFFER_SIZE);
    info->max_uniform_buffer_range = uniform_block;

    /* ARB_internalformat_query2 is core in 4.3: asked where the context
     * has it; COMPUSHADY_GL_FORMAT_QUERY=0 answers from OpenGL 4.5's rules
     * alone (tests of that way) */
    const char *query = getenv("COMPUSHADY_GL_FORMAT_QUERY");
    GLint major = 0, minor = 0;
    glGetIntegerv(GL_MAJOR_VERSION, &major);
    glGetIntegerv(GL_MINOR_VERSION, &minor);
    bool has_query = major > 4 || (major == 4 && minor >= 3) ||
                     gl_has_extension("GL_ARB_internalformat_query2");
    gl_format_read_support(dev,
                           has_query && !(query && strcmp(query, "0") == 0));
}

/* A 4.5 core context on display, current on this thread on success. */
static cs_status open_context(EGLDisplay display, bool debug,
                              EGLContext *out_context, char *why,
                              size_t why_size)
{
    EGLint major, minor;
    if (!eglInitialize(display, &major, &minor)) {
        snprintf(why, why_size, "eglInitialize failed (0x%04x)",
                 (unsigned)eglGetError());
        return CS_ERROR_NO_DEVICE;
    }
    const char *extensions = eglQueryString(display, EGL_EXTENSIONS);
    if (!has_word(extensions, "EGL_KHR_surfaceless_context")) {
        snprintf(why, why_size,
                 "the EGL display lacks EGL_KHR_surfaceless_context");
        return CS_ERROR_NO_DEVICE;
    }
    if (!gl_bind_api()) {
        snprintf(why, why_size, "the EGL display has no desktop OpenGL");
        return CS_ERROR_NO_DEVICE;
    }
    const EGLint attributes[] = {
        EGL_CONTEXT_MAJOR_VERSION,
        4,
        EGL_CONTEXT_MINOR_VERSION,
        5,
        EGL_CONTEXT_OPENGL_PROFILE_MASK,
        EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
        EGL_CONTEXT_OPENGL_DEBUG,
        debug ? EGL_TRUE : EGL_FALSE,
        EGL_NONE,
    };
    EGLContext context = eglCreateContext(display, EGL_NO_CONFIG_KHR,
                                          EGL_NO_CONTEXT, attributes);
    if (context == EGL_NO_CONTEXT) {
        snprintf(why, why_size,
                 "no OpenGL 4.5 core context (eglCreateContext: 0x%04x)",
                 (unsigned)eglGetError());
        return CS_ERROR_NO_DEVICE;
    }
    if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context)) {
        snprintf(why, why_size, "eglMakeCurrent failed (0x%04x)",
                 (unsigned)eglGetError());
        eglDestroyContext(display, context);
        return CS_ERROR_NO_DEVICE;
    }
    *out_context = context;
    return CS_OK;
}

typedef struct device_list {
    cs_device *devices;
    size_t count;
} device_list;

/* Adds the device of display when it gives a usable context. */
static cs_status add_device(cs_instance *instance, device_list *list,
                            EGLDisplay display, bool software, char *why,
                            size_t why_size)
{
    bool debug = (instance->flags & CS_INSTANCE_DEBUG) != 0;
    EGLContext context;
    cs_status status = open_context(display, debug, &context, why, why_size);
    if (status != CS_OK)
        return CS_OK; /* not usable: skipped, why says why */
    status = gl_loader_load_gl();
    gl_device *dev = NULL;
    if (status == CS_OK) {
        dev = calloc(1, sizeof *dev);
        if (!dev)
            status = cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                             "out of host memory discovering devices");
    }
    if (status == CS_OK && !cs_mutex_init(&dev->lock))
        status = cs_fail(CS_ERROR_BACKEND, "cannot create a mutex");
    if (status != CS_OK) {
        free(dev);
        eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        eglDestroyContext(display, context);
        return status;
    }
    dev->display = display;
    dev->context = context;
    dev->forked = gl_loader_forked();
    dev->instance = instance;
    cs_device_info info = {0};
    read_info(dev, software, &info);
    if (debug) {
        glEnable(GL_DEBUG_OUTPUT);
        glEnable(GL_DEBUG_OUTPUT_SYNCHRONOUS);
        glDebugMessageCallback(debug_callback, dev);
        dev->debug = true;
    }
    snprintf(dev->name, sizeof dev->name, "%s", info.name);
    /* from now on the context is current on the device's thread only */
    eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    cs_device *grown =
        realloc(list->devices, (list->count + 1) * sizeof *grown);
    if (!grown)
        status = cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                         "out of host memory discovering devices");
    else if (!dev->forked) /* in a fork() child of EGL's user the device
                              refuses every call (gl_run): no thread */
        status = gl_owner_start(dev);
    if (grown)
        list->devices = grown;
    if (status != CS_OK) {
        cs_mutex_destroy(&dev->lock);
        eglDestroyContext(display, context);
        free(dev);
        return status;
    }
    cs_device *device = &list->devices[list->count++];
    memset(device, 0, sizeof *device);
    device->instance = instance;
    device->info = info;
    device->impl = dev;
    return CS_OK;
}

static bool same_display(const device_list *list, EGLDisplay display)
{
    for (size_t i = 0; i < list->count; i++)
        if (gl_device_of(&list->devices[i])->display == display)
            return true;
    return false;
}

static cs_status discover(cs_instance *instance, device_list *list, char *why,
                          size_t why_size)
{
    const char *client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
    if (eglQueryDevicesEXT && eglGetPlatformDisplayEXT &&
        has_word(client, "EGL_EXT_platform_device")) {
        EGLDeviceEXT devices[MAX_EGL_DEVICES];
        EGLint count = 0;
        if (!eglQueryDevicesEXT(MAX_EGL_DEVICES, devices, &count))
            count = 0;
        for (EGLint i = 0; i < count; i++) {
            const char *device_extensions =
                eglQueryDeviceStringEXT
                    ? eglQueryDeviceStringEXT(devices[i], EGL_EXTENSIONS)
                    : NULL;
            bool software =
                has_word(device_extensions, "EGL_MESA_device_software");
            EGLDisplay display = eglGetPlatformDisplayEXT(
                EGL_PLATFORM_DEVICE_EXT, devices[i], NULL);
            if (display == EGL_NO_DISPLAY || same_display(list, display))
                continue;
            cs_status status =
                add_device(instance, list, display, software, why, why_size);
            if (status != CS_OK)
                return status;
        }
    }
    if (list->count == 0 && eglGetPlatformDisplayEXT &&
        has_word(client, "EGL_MESA_platform_surfaceless")) {
        EGLDisplay display = eglGetPlatformDisplayEXT(
            EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
        if (display != EGL_NO_DISPLAY)
            return add_device(instance, list, display, false, why, why_size);
    }
    return CS_OK;
}

cs_status gl_instance_create(cs_instance *instance)
{
    cs_status status = gl_loader_load();
    if (status != CS_OK)
        return status;
    device_list list = {0};
    char why[256] = "no EGL device and no surfaceless platform";
    status = discover(instance, &list, why, sizeof why);
    if (status == CS_OK && list.count == 0)
        status = cs_fail(CS_ERROR_NO_DEVICE,
                         "no OpenGL 4.5 device was found through EGL (%s): "
                         "install an OpenGL driver (Debian/Ubuntu: apt-get "
                         "install libegl-mesa0 libgl1-mesa-dri; for NVIDIA, "
                         "the NVIDIA driver)",
                         why);
    if (status != CS_OK) {
        instance->devices = list.devices;
        instance->device_count = list.count;
        gl_instance_destroy(instance);
        instance->devices = NULL;
        instance->device_count = 0;
        free(list.devices);
        return status;
    }
    for (size_t i = 0; i < list.count; i++)
        list.devices[i].index = i;
    instance->devices = list.devices;
    instance->device_count = list.count;
    return CS_OK;
}

void gl_instance_destroy(cs_instance *instance)
{
    for (size_t i = 0; i < instance->device_count; i++) {
        gl_device *dev = instance->devices[i].impl;
        if (!dev)
            continue;
        /* the display stays initialized: EGL displays are shared by the
         * whole process, and eglTerminate would end the contexts of the
         * other instances on it too */
        gl_owner_stop(dev); /* which releases the context */
        eglDestroyContext(dev->display, dev->context);
        cs_mutex_destroy(&dev->lock);
        free(dev);
        instance->devices[i].impl = NULL;
    }
}

static void finish(void *arg)
{
    (void)arg;
    glFinish();
}

void gl_device_simulate_lost(cs_device *device)
{
    /* idle first, as the Vulkan backend's simulation waits */
    gl_run_to_destroy(device, finish, NULL);
    atomic_store(&gl_device_of(device)->lost, true);
}
