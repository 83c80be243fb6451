/* command_list.c - command lists and fences: the checks (shared with the
 * immediate calls), the references a list keeps, submission serials and
 * the waits. The backend records and submits. */
#include "backend.h"

#include <stdlib.h>
#include <string.h>

static const cs_backend *backend_of(const cs_command_list *list)
{
    return list->device->instance->backend;
}

cs_status cs_command_list_create(cs_device *device, uint32_t flags,
                                 cs_command_list **out_list)
{
    if (!device || !out_list)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "command_list_create: device and out_list must not be "
                       "NULL");
    if (flags & ~(uint32_t)CS_COMMAND_LIST_TIMESTAMPS)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "command_list_create: unknown flags 0x%x",
                       flags & ~(uint32_t)CS_COMMAND_LIST_TIMESTAMPS);
    cs_command_list *list = calloc(1, sizeof *list);
    if (!list)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory while creating a command list");
    if (!cs_mutex_init(&list->lock)) {
        free(list);
        return cs_fail(CS_ERROR_BACKEND, "cannot create a command list lock");
    }
    atomic_init(&list->refcount, 1);
    list->device = device;
    list->flags = flags;
    cs_status status = device->instance->backend->command_list_create(list);
    if (status != CS_OK) {
        cs_mutex_destroy(&list->lock);
        free(list);
        return status;
    }
    cs_instance_retain(device->instance);
    *out_list = list;
    return CS_OK;
}

void cs_command_list_retain(cs_command_list *list)
{
    if (list)
        atomic_fetch_add(&list->refcount, 1);
}

uint32_t cs_command_list_count(const cs_command_list *list)
{
    return list ? list->command_count : 0;
}

static void release_held(cs_command_list *list)
{
    for (size_t i = 0; i < list->held_count; i++) {
        if (list->held[i].kind == CS_HELD_COMPUTE)
            cs_compute_release(list->held[i].object);
        else
            cs_resource_release(list->held[i].object);
    }
    list->held_count = 0;
}

/* The last submission has finished: note it, and give its fence (if still
 * there) its timestamps. Lock held. */
static void finish_locked(cs_command_list *list)
{
    list->completed = list->submitted;
    cs_fence *fence = list->last_fence;
    if (!fence || fence->serial != list->submitted || atomic_load(&fence->done))
        return;
    if ((list->flags & CS_COMMAND_LIST_TIMESTAMPS) &&
        backend_of(list)->command_list_read_times(
            list, &fence->total_ns, fence->command_ns, fence->command_count) ==
            CS_OK)
        fence->times_valid = true;
    atomic_store(&fence->done, true);
}

/* Waits for the last submission, if it is running. Lock held. */
static cs_status wait_locked(cs_command_list *list, uint64_t timeout_ns)
{
    if (list->completed == list->submitted)
        return CS_OK;
    /* forever means the device's wait timeout, when it has one */
    uint64_t device_timeout = cs_device_get_wait_timeout(list->device);
    bool capped = timeout_ns == UINT64_MAX && device_timeout != 0;
    cs_status status = backend_of(list)->command_list_wait(
        list, capped ? device_timeout : timeout_ns);
    if (status == CS_OK)
        finish_locked(list);
    if (status == CS_TIMEOUT && capped)
        return cs_fail(CS_TIMEOUT,
                       "waiting for a command list of %u commands: the GPU "
                       "work did not finish within the wait timeout of "
                       "%.3f s and is still running (it cannot be "
                       "preempted); wait again, or set a longer timeout",
                       list->command_count, (double)device_timeout / 1e9);
    return status;
}

void cs_command_list_release(cs_command_list *list)
{
    if (!list || atomic_fetch_sub(&list->refcount, 1) != 1)
        return;
    /* nothing the GPU may still use is freed: a failure here is device
     * loss, after which nothing runs, or the device's wait timeout, after
     * which the list and everything it holds are leaked (never destroyed
     * under the GPU) */
    if (wait_locked(list, UINT64_MAX) == CS_TIMEOUT)
        return;
    release_held(list);
    free(list->held);
    cs_instance *instance = list->device->instance;
    instance->backend->command_list_destroy(list);
    cs_mutex_destroy(&list->lock);
    free(list);
    cs_instance_release(instance);
}

/* Room for one more held object. Lock held. */
static cs_status reserve_held(cs_command_list *list, size_t more)
{
    if (list->held_count + more <= list->held_capacity)
        return CS_OK;
    size_t capacity = list->held_capacity ? list->held_capacity * 2 : 16;
    while (capacity < list->held_count + more)
        capacity *= 2;
    cs_held_object *held = realloc(list->held, capacity * sizeof *held);
    if (!held)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory while recording a command");
    list->held = held;
    list->held_capacity = capacity;
    return CS_OK;
}

/* Keeps object alive (room reserved); the same object as the last one held
 * is kept once. */
static void hold(cs_command_list *list, cs_held_kind kind, void *object)
{
    if (list->held_count > 0 &&
        list->held[list->held_count - 1].object == object)
        return;
    if (kind == CS_HELD_COMPUTE)
        cs_compute_retain(object);
    else
        cs_resource_retain(object);
    list->held[list->held_count++] = (cs_held_object){kind, object};
}

/* Lock taken and the list still recording; fails otherwise (lock freed). */
static cs_status begin_record(cs_command_list *list, const char *what)
{
    cs_mutex_lock(&list->lock);
    if (list->closed) {
        cs_mutex_unlock(&list->lock);
        return cs_fail(CS_ERROR_INVALID_OPERATION,
                       "%s: the command list was submitted; reset it "
                       "before recording more",
                       what);
    }
    if (list->command_count == UINT32_MAX) {
        cs_mutex_unlock(&list->lock);
        return cs_fail(CS_ERROR_INVALID_ARGUMENT, "%s: the list is full", what);
    }
    cs_status status = reserve_held(list, 2);
    if (status != CS_OK)
        cs_mutex_unlock(&list->lock);
    return status;
}

static cs_status check_device(const cs_command_list *list,
                              const cs_device *device, const char *what,
                              const char *object)
{
    if (device != list->device)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "%s: the %s belongs to device '%s', the command list "
                       "to device '%s'",
                       what, object, device->info.name,
                       list->device->info.name);
    return CS_OK;
}

static cs_status record_dispatch(cs_command_list *list, cs_compute *compute,
                                 const uint32_t groups[3],
                                 cs_resource *indirect, uint64_t offset,
                                 const void *push, size_t push_size)
{
    const char *what = indirect ? "dispatch_indirect" : "dispatch";
    cs_status status = check_device(list, compute->device, what, "compute");
    if (status == CS_OK)
        status = indirect
                     ? cs_check_dispatch_indirect(compute, indirect, offset)
                     : cs_check_dispatch(compute, groups);
    if (status == CS_OK)
        status = cs_check_push(compute, push, push_size);
    cs_push_buffer buffer = {.heap = NULL};
    const void *padded = NULL;
    if (status == CS_OK)
        status = cs_push_pad(compute, push, push_size, &buffer, &padded);
    if (status == CS_OK)
        status = begin_record(list, what);
    if (status != CS_OK) {
        free(buffer.heap);
        return status;
    }
    status = backend_of(list)->command_list_dispatch(
        list, compute, groups, indirect, offset, padded, compute->push_size);
    free(buffer.heap);
    if (status == CS_OK) {
        hold(list, CS_HELD_COMPUTE, compute);
        if (indirect)
            hold(list, CS_HELD_RESOURCE, indirect);
        list->command_count++;
    }
    cs_mutex_unlock(&list->lock);
    return status;
}

cs_status cs_command_list_dispatch(cs_command_list *list, cs_compute *compute,
                                   uint32_t x, uint32_t y, uint32_t z,
                                   const void *push, size_t push_size)
{
    if (!list || !compute)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "dispatch: list and compute must not be NULL");
    const uint32_t groups[3] = {x, y, z};
    return record_dispatch(list, compute, groups, NULL, 0, push, push_size);
}

cs_status cs_command_list_dispatch_indirect(cs_command_list *list,
                                            cs_compute *compute,
                                            cs_resource *indirect_buffer,
                                            uint64_t offset, const void *push,
                                            size_t push_size)
{
    if (!list || !compute || !indirect_buffer)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "dispatch_indirect: list, compute and buffer must not "
                       "be NULL");
    const uint32_t unused[3] = {0, 0, 0};
    return record_dispatch(list, compute, unused, indirect_buffer, offset, push,
                           push_size);
}

cs_status cs_command_list_copy(cs_command_list *list, cs_resource *src,
                               cs_resource *dst, const cs_copy_desc *desc_in)
{
    if (!list)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT, "copy: list is NULL");
    if (!src || !dst)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "copy: source and destination must not be NULL");
    cs_status status = check_device(list, src->device, "copy", "source");
    cs_copy_desc desc;
    bool empty = false;
    if (status == CS_OK)
        status = cs_copy_resolve(src, dst, desc_in, &desc, &empty);
    if (status != CS_OK || empty)
        return status;
    status = begin_record(list, "copy");
    if (status != CS_OK)
        return status;
    status = backend_of(list)->command_list_copy(list, src, dst, &desc);
    if (status == CS_OK) {
        hold(list, CS_HELD_RESOURCE, src);
        hold(list, CS_HELD_RESOURCE, dst);
        list->command_count++;
    }
    cs_mutex_unlock(&list->lock);
    return status;
}

cs_status cs_command_list_submit(cs_command_list *list, cs_fence **out_fence)
{
    if (!list)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT, "submit: list is NULL");
    cs_fence *fence = NULL;
    if (out_fence) {
        fence = calloc(1, sizeof *fence);
        if (!fence)
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "out of host memory while submitting");
    }
    cs_mutex_lock(&list->lock);
    cs_status status = wait_locked(list, UINT64_MAX);
    if (fence)
        fence->command_count = list->command_count;
    if (status == CS_OK && fence &&
        (list->flags & CS_COMMAND_LIST_TIMESTAMPS) && list->command_count) {
        fence->command_ns = calloc(list->command_count, sizeof(uint64_t));
        if (!fence->command_ns)
            status = cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                             "out of host memory while submitting");
    }
    if (status == CS_OK)
        status = backend_of(list)->command_list_submit(list);
    if (status != CS_OK) {
        cs_mutex_unlock(&list->lock);
        if (fence)
            free(fence->command_ns);
        free(fence);
        return status;
    }
    list->closed = true;
    list->submitted++;
    if (fence) {
        cs_command_list_retain(list);
        fence->list = list;
        fence->serial = list->submitted;
        atomic_init(&fence->done, false);
        list->last_fence = fence;
    } else {
        status = wait_locked(list, UINT64_MAX);
    }
    cs_mutex_unlock(&list->lock);
    if (fence)
        *out_fence = fence;
    return status;
}

cs_status cs_command_list_reset(cs_command_list *list)
{
    if (!list)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT, "reset: list is NULL");
    cs_mutex_lock(&list->lock);
    cs_status status = wait_locked(list, UINT64_MAX);
    if (status == CS_OK)
        status = backend_of(list)->command_list_reset(list);
    if (status == CS_OK) {
        release_held(list);
        list->command_count = 0;
        list->closed = false;
    }
    cs_mutex_unlock(&list->lock);
    return status;
}

static uint64_t now_ns(void)
{
    return cs_time_monotonic_ns();
}

cs_status cs_fence_wait(cs_fence *fence, uint64_t timeout_ns)
{
    if (!fence)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT, "wait: fence is NULL");
    if (atomic_load(&fence->done))
        return CS_OK;
    cs_command_list *list = fence->list;
    uint64_t start = 0;
    if (timeout_ns == UINT64_MAX) {
        cs_mutex_lock(&list->lock);
    } else {
        /* another thread may be waiting with the lock held: wait for it
         * no longer than the timeout */
        start = now_ns();
        bool got = timeout_ns == 0
                       ? cs_mutex_trylock(&list->lock)
                       : cs_mutex_timedlock(&list->lock, timeout_ns);
        if (!got)
            return cs_fail(CS_TIMEOUT,
                           "wait: the work was not done within %llu ns",
                           (unsigned long long)timeout_ns);
    }
    cs_status status = CS_OK;
    if (fence->serial > list->completed) {
        uint64_t left = timeout_ns;
        if (timeout_ns != UINT64_MAX) {
            uint64_t spent = now_ns() - start;
            left = spent < timeout_ns ? timeout_ns - spent : 0;
        }
        status = wait_locked(list, left);
        /* UINT64_MAX: the device's wait timeout ran out, the backend said */
        if (status == CS_TIMEOUT && timeout_ns != UINT64_MAX)
            cs_fail(CS_TIMEOUT, "wait: the work was not done within %llu ns",
                    (unsigned long long)timeout_ns);
    }
    if (status == CS_OK)
        atomic_store(&fence->done, true);
    cs_mutex_unlock(&list->lock);
    return status;
}

bool cs_fence_is_done(cs_fence *fence)
{
    return fence && cs_fence_wait(fence, 0) == CS_OK;
}

cs_status cs_fence_gpu_time_ns(cs_fence *fence, uint64_t *out_total_ns,
                               uint64_t *out_command_ns, size_t command_count)
{
    if (!fence || !out_total_ns)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "gpu_time: fence and out_total_ns must not be NULL");
    if (!(fence->list->flags & CS_COMMAND_LIST_TIMESTAMPS))
        return cs_fail(CS_ERROR_INVALID_OPERATION,
                       "gpu_time: the command list was created without "
                       "CS_COMMAND_LIST_TIMESTAMPS");
    if (out_command_ns && command_count > fence->command_count)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "gpu_time: %zu command times asked, the submission "
                       "had %u commands",
                       command_count, fence->command_count);
    cs_status status = cs_fence_wait(fence, UINT64_MAX);
    if (status != CS_OK)
        return status;
    if (!fence->times_valid)
        return cs_fail(CS_ERROR_BACKEND,
                       "gpu_time: the timestamps could not be read");
    *out_total_ns = fence->total_ns;
    if (out_command_ns && command_count)
        memcpy(out_command_ns, fence->command_ns,
               command_count * sizeof *out_command_ns);
    return CS_OK;
}

uint32_t cs_fence_command_count(const cs_fence *fence)
{
    return fence ? fence->command_count : 0;
}

void cs_fence_release(cs_fence *fence)
{
    if (!fence)
        return;
    cs_command_list *list = fence->list;
    cs_mutex_lock(&list->lock);
    if (list->last_fence == fence)
        list->last_fence = NULL;
    cs_mutex_unlock(&list->lock);
    free(fence->command_ns);
    free(fence);
    cs_command_list_release(list);
}
