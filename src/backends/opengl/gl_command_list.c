/* gl_command_list.c - command lists: GL has no command buffers, so the
 * commands are kept in a list and replayed at submit, followed by a fence
 * (glFenceSync) that wait() polls; timestamps with GL_TIMESTAMP queries
 * around each command. The core keeps the lists' objects alive. */
#include "gl_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct gl_command {
    cs_compute *compute; /* NULL: a copy */
    uint32_t groups[3];
    cs_resource *indirect;
    uint64_t indirect_offset;
    unsigned char *push; /* compute->push_size bytes, or NULL */
    cs_resource *src, *dst;
    cs_copy_desc copy;
} gl_command;

typedef struct gl_command_list {
    gl_command *commands;
    uint32_t count, capacity;
    GLsync fence;    /* of the last submission, or NULL */
    GLuint *queries; /* count + 1 timestamps of the last submission */
    uint32_t query_count;
} gl_command_list;

cs_status gl_command_list_create(cs_command_list *list)
{
    if (atomic_load(&gl_device_of(list->device)->lost))
        return gl_lost(list->device);
    gl_command_list *impl = calloc(1, sizeof *impl);
    if (!impl)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory creating a command list");
    list->impl = impl;
    return CS_OK;
}

static void forget_commands(gl_command_list *impl)
{
    for (uint32_t i = 0; i < impl->count; i++)
        free(impl->commands[i].push);
    impl->count = 0;
}

/* Forgets the last submission's fence and timestamps (a gl_destroy_job
 * too). */
static void free_submission(void *arg)
{
    gl_command_list *impl = arg;
    if (impl->fence)
        glDeleteSync(impl->fence);
    impl->fence = NULL;
    if (impl->query_count)
        glDeleteQueries((GLsizei)impl->query_count, impl->queries);
    free(impl->queries);
    impl->queries = NULL;
    impl->query_count = 0;
}

void gl_command_list_destroy(cs_command_list *list)
{
    gl_command_list *impl = list->impl;
    gl_run_to_destroy(list->device, free_submission, impl);
    forget_commands(impl);
    free(impl->commands);
    free(impl);
    list->impl = NULL;
}

/* A new, zeroed command at the end of the list (counted by the caller
 * once filled), or the failure: a lost device, or no memory for `what`. */
static cs_status add_command(cs_command_list *list, const char *what,
                             gl_command **out_command)
{
    gl_command_list *impl = list->impl;
    if (atomic_load(&gl_device_of(list->device)->lost))
        return gl_lost(list->device);
    if (impl->count == impl->capacity) {
        uint32_t capacity = impl->capacity ? impl->capacity * 2 : 8;
        gl_command *grown = realloc(impl->commands, capacity * sizeof *grown);
        if (!grown)
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "out of host memory recording %s", what);
        impl->commands = grown;
        impl->capacity = capacity;
    }
    *out_command = &impl->commands[impl->count];
    memset(*out_command, 0, sizeof **out_command);
    return CS_OK;
}

cs_status gl_command_list_dispatch(cs_command_list *list, cs_compute *compute,
                                   const uint32_t groups[3],
                                   cs_resource *indirect,
                                   uint64_t indirect_offset, const void *push,
                                   size_t push_size)
{
    gl_command_list *impl = list->impl;
    gl_command *command = NULL;
    cs_status status = add_command(list, "a dispatch", &command);
    if (status != CS_OK)
        return status;
    if (compute->push_size) {
        command->push = calloc(1, compute->push_size);
        if (!command->push)
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "out of host memory recording push constants");
        if (push_size)
            memcpy(command->push, push, push_size);
    }
    command->compute = compute;
    memcpy(command->groups, groups, sizeof command->groups);
    command->indirect = indirect;
    command->indirect_offset = indirect_offset;
    impl->count++;
    return CS_OK;
}

cs_status gl_command_list_copy(cs_command_list *list, cs_resource *src,
                               cs_resource *dst, const cs_copy_desc *desc)
{
    gl_command_list *impl = list->impl;
    gl_command *command = NULL;
    cs_status status = add_command(list, "a copy", &command);
    if (status != CS_OK)
        return status;
    command->src = src;
    command->dst = dst;
    command->copy = *desc;
    impl->count++;
    return CS_OK;
}

static cs_status replay(gl_device *dev, gl_command_list *impl, bool timed)
{
    for (uint32_t i = 0; i < impl->count; i++) {
        gl_command *command = &impl->commands[i];
        if (timed)
            glQueryCounter(impl->queries[i], GL_TIMESTAMP);
        cs_status status;
        if (command->compute) {
            const gl_compute *compute = command->compute->impl;
            if (command->push)
                glNamedBufferSubData(compute->push_buffer, 0,
                                     command->compute->push_size,
                                     command->push);
            status =
                gl_compute_record(dev, command->compute, command->groups,
                                  command->indirect, command->indirect_offset,
                                  command->push ? compute->push_buffer : 0, 0);
        } else {
            status =
                gl_copy_record(dev, command->src, command->dst, &command->copy);
        }
        if (status != CS_OK)
            return status;
    }
    if (timed)
        glQueryCounter(impl->queries[impl->count], GL_TIMESTAMP);
    return CS_OK;
}

static cs_status submit_on_owner(gl_device *dev, void *arg)
{
    cs_command_list *list = arg;
    gl_command_list *impl = list->impl;
    free_submission(impl);
    bool timed = (list->flags & CS_COMMAND_LIST_TIMESTAMPS) != 0;
    if (timed) {
        impl->queries = calloc(impl->count + 1, sizeof *impl->queries);
        if (!impl->queries)
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "out of host memory for timestamps");
        impl->query_count = impl->count + 1;
        glGenQueries((GLsizei)impl->query_count, impl->queries);
    }
    cs_status status = replay(dev, impl, timed);
    if (status == CS_OK) {
        impl->fence = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
        glFlush(); /* the fence must reach the GPU for others to wait on */
        status = gl_check(dev, "submitting a command list");
    }
    if (status != CS_OK) {
        /* what was issued finishes before anything issued later; nothing
         * is left to wait for nor timestamps to read */
        free_submission(impl);
    }
    return status;
}

cs_status gl_command_list_submit(cs_command_list *list)
{
    return gl_run(list->device, submit_on_owner, list);
}

typedef struct wait_job {
    cs_command_list *list;
    uint64_t timeout_ns;
} wait_job;

static cs_status wait_on_owner(gl_device *dev, void *arg)
{
    const wait_job *job = arg;
    cs_command_list *list = job->list;
    gl_command_list *impl = list->impl;
    if (!impl->fence)
        return CS_OK;
    GLenum result = gl_wait_sync(impl->fence, job->timeout_ns);
    if (result == GL_TIMEOUT_EXPIRED)
        return CS_TIMEOUT;
    if (result == GL_WAIT_FAILED)
        return gl_check(dev, "waiting for a command list");
    return CS_OK;
}

cs_status gl_command_list_wait(cs_command_list *list, uint64_t timeout_ns)
{
    gl_command_list *impl = list->impl;
    if (!impl->fence)
        return CS_OK;
    wait_job job = {list, timeout_ns};
    return gl_run(list->device, wait_on_owner, &job);
}

typedef struct times_job {
    gl_command_list *impl;
    uint64_t *out_total_ns, *out_command_ns;
    uint32_t count;
} times_job;

static cs_status read_times_on_owner(gl_device *dev, void *arg)
{
    const times_job *job = arg;
    gl_command_list *impl = job->impl;
    uint32_t stamps = impl->query_count;
    GLuint64 *values = calloc(stamps, sizeof *values);
    if (!values)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory reading timestamps");
    for (uint32_t i = 0; i < stamps; i++)
        glGetQueryObjectui64v(impl->queries[i], GL_QUERY_RESULT, &values[i]);
    cs_status status = gl_check(dev, "reading timestamps");
    if (status == CS_OK) {
        *job->out_total_ns = values[stamps - 1] - values[0];
        for (uint32_t i = 0; i < job->count && i + 1 < stamps; i++)
            job->out_command_ns[i] = values[i + 1] - values[i];
    }
    free(values);
    return status;
}

cs_status gl_command_list_read_times(cs_command_list *list,
                                     uint64_t *out_total_ns,
                                     uint64_t *out_command_ns, uint32_t count)
{
    gl_command_list *impl = list->impl;
    if (!impl->query_count)
        return cs_fail(CS_ERROR_INVALID_OPERATION,
                       "the command list has no timestamps to read");
    times_job job = {impl, out_total_ns, out_command_ns, count};
    return gl_run(list->device, read_times_on_owner, &job);
}

cs_status gl_command_list_reset(cs_command_list *list)
{
    gl_command_list *impl = list->impl;
    forget_commands(impl);
    return CS_OK;
}
