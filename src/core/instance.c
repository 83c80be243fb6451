/* instance.c - instances, their devices and the debug message list. */
#include "../common/cache.h"
#include "backend.h"

#include <stdlib.h>
#include <string.h>

cs_status cs_instance_create(const cs_instance_desc *desc,
                             cs_instance **out_instance)
{
    static const cs_instance_desc defaults = {0};
    if (!out_instance)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT, "out_instance is NULL");
    if (!desc)
        desc = &defaults;
    const cs_backend *backend;
    cs_status status = cs_backend_find(desc->backend, &backend);
    if (status == CS_OK)
        status = cs_cache_limits_check_env();
    if (status != CS_OK)
        return status;

    cs_instance *instance = calloc(1, sizeof *instance);
    if (!instance)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory creating an instance");
    atomic_init(&instance->refcount, 1);
    instance->backend = backend;
    instance->own_backend = backend;
    instance->flags = desc->flags;
    if (!cs_mutex_init(&instance->debug_lock)) {
        free(instance);
        return cs_fail(CS_ERROR_BACKEND, "cannot create a lock");
    }
    status = cs_fork_guard(instance);
    if (status == CS_OK)
        status = instance->backend->instance_create(instance);
    if (status != CS_OK) {
        cs_mutex_destroy(&instance->debug_lock);
        free(instance->devices);
        free(instance);
        return status;
    }
    for (size_t i = 0; i < instance->device_count; i++) {
        atomic_store(&instance->devices[i].wait_timeout_ns,
                     desc->wait_timeout_ns);
        /* a backend that does not say takes SPIR-V, the library's own */
        if (instance->devices[i].info.shader_formats == 0)
            instance->devices[i].info.shader_formats = CS_SHADER_FORMAT_SPIRV;
    }
    status = cs_fork_track(instance);
    if (status != CS_OK) {
        cs_instance_release(instance);
        return status;
    }
    *out_instance = instance;
    return CS_OK;
}

void cs_instance_retain(cs_instance *instance)
{
    if (instance)
        atomic_fetch_add(&instance->refcount, 1);
}

void cs_instance_release(cs_instance *instance)
{
    if (!instance || atomic_fetch_sub(&instance->refcount, 1) != 1)
        return;
    cs_fork_untrack(instance);
    instance->backend->instance_destroy(instance);
    free(instance->devices);
    for (size_t i = 0; i < instance->debug_count; i++)
        free(instance->debug_messages[i]);
    free(instance->debug_messages);
    cs_mutex_destroy(&instance->debug_lock);
    free(instance);
}

const char *cs_instance_backend_name(const cs_instance *instance)
{
    return instance ? instance->own_backend->name : "";
}

bool cs_instance_debug_enabled(const cs_instance *instance)
{
    return instance && (instance->flags & CS_INSTANCE_DEBUG);
}

size_t cs_instance_device_count(const cs_instance *instance)
{
    return instance ? instance->device_count : 0;
}

cs_device *cs_instance_get_device(cs_instance *instance, size_t index)
{
    if (!instance || index >= instance->device_count)
        return NULL;
    return &instance->devices[index];
}

void cs_debug_simulate_device_lost(cs_device *device)
{
    if (device)
        device->instance->backend->device_simulate_lost(device);
}

void cs_device_get_info(const cs_device *device, cs_device_info *out_info)
{
    if (device && out_info)
        *out_info = device->info;
}

/* >>debug messages */

enum { DEBUG_MESSAGE_LIMIT = 10000 }; /* keep a flood from eating memory */

void cs_instance_push_debug_message(cs_instance *instance, const char *message)
{
    char *copy = strdup(message ? message : "");
    if (!copy)
        return;
    cs_mutex_lock(&instance->debug_lock);
    if (instance->debug_count == instance->debug_capacity &&
        instance->debug_capacity < DEBUG_MESSAGE_LIMIT) {
        size_t capacity =
            instance->debug_capacity ? instance->debug_capacity * 2 : 16;
        char **grown =
            realloc(instance->debug_messages, capacity * sizeof *grown);
        if (grown) {
            instance->debug_messages = grown;
            instance->debug_capacity = capacity;
        }
    }
    if (instance->debug_count < instance->debug_capacity) {
        instance->debug_messages[instance->debug_count++] = copy;
        copy = NULL;
    }
    cs_mutex_unlock(&instance->debug_lock);
    free(copy);
}

size_t cs_device_take_debug_messages(cs_device *device, char ***out_messages)
{
    if (!out_messages)
        return 0;
    *out_messages = NULL;
    if (!device)
        return 0;
    cs_instance *instance = device->instance;
    cs_mutex_lock(&instance->debug_lock);
    size_t count = instance->debug_count;
    char **messages = NULL;
    if (count > 0) {
        messages = malloc((count + 1) * sizeof *messages);
        if (messages) {
            memcpy(messages, instance->debug_messages,
                   count * sizeof *messages);
            messages[count] = NULL;
            instance->debug_count = 0;
        } else {
            count = 0;
        }
    }
    cs_mutex_unlock(&instance->debug_lock);
    *out_messages = messages;
    return count;
}

void cs_free_strings(char **strings)
{
    if (!strings)
        return;
    for (char **s = strings; *s; s++)
        free(*s);
    free(strings);
}

void cs_device_set_wait_timeout(cs_device *device, uint64_t timeout_ns)
{
    if (device)
        atomic_store(&device->wait_timeout_ns, timeout_ns);
}

uint64_t cs_device_get_wait_timeout(const cs_device *device)
{
    return device ? atomic_load(&device->wait_timeout_ns) : 0;
}
