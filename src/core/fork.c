/*
 * fork.c - instances inherited by a child of fork().
 *
 * A child's copy of an instance points at the parent's driver objects: the
 * driver's threads are not in the child (lavapipe's queue thread: waiting
 * for it at exit hung forever), its locks may be held by them, and a GPU
 * driver's mapped memory and device files are shared with the parent or
 * not mapped at all. So in the child no call may reach them.
 *
 * Every live instance is on a list; a pthread_atfork child handler gives
 * each of them the "inherited" backend below: every operation fails with
 * CS_ERROR_BACKEND and a message that says what to do, every destroy does
 * nothing (the driver objects are left to the process's exit), so the
 * core's own checks and bookkeeping still run and releases still free the
 * core's memory. Host access to mapped memory, which does not go through
 * the backend, checks instance->inherited. Instances created in the
 * child are new and work as anywhere else (where the driver allows).
 *
 * The driver's own exit handlers are the other trap: Mesa's (registered
 * with atexit() in the parent, inherited by the child) join the threads of
 * every queue it knows, the parent's included; in the child those threads
 * never existed and, once the child has started threads of its own, their
 * descriptors point at reused or unmapped stacks (a crash at exit). So a
 * child that inherited instances ends, after every exit handler registered
 * since the fork has run and stdio is flushed, with _exit(status): the
 * handlers registered before the fork (the parent's libraries') are
 * skipped, as multiprocessing does for its forked workers.
 *
 * Locks are the third: a thread of the parent inside the Vulkan loader or
 * driver at the moment of fork() leaves their global locks held forever in
 * the child (a new instance there hung in vkEnumerateInstanceLayerProperties).
 * So every call into the backend goes through the "guarded" table below,
 * a reader of driver_lock (outermost calls only: backend calls nest through
 * releases), and fork() takes driver_lock for writing: it waits until the
 * calls in flight on other threads return (a dispatch waits for its GPU
 * work) and holds new ones back until the child exists.
 */
#include "backend.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cs_once setup_once = CS_ONCE_INIT;
static cs_mutex live_lock;
static bool live_lock_ready;
static cs_instance *live_instances; /* linked through next_live */

/* >>the inherited backend ----------------------------------------------- */

static cs_status refuse(const cs_instance *instance)
{
    return cs_fail(CS_ERROR_BACKEND,
                   "this object belongs to the compushady instance of "
                   "process %d, inherited through fork(): a child process "
                   "cannot use its parent's GPU objects. Create new ones in "
                   "the child (a new instance; the Python module starts one "
                   "by itself), or start worker processes with the 'spawn' "
                   "or 'forkserver' method of multiprocessing",
                   instance->creator_pid);
}

static const cs_instance *of_device(const cs_device *device)
{
    return device->instance;
}

static cs_status inherited_instance_create(cs_instance *instance)
{
    return refuse(instance);
}
static void inherited_instance_destroy(cs_instance *instance)
{
    (void)instance;
}
static cs_status inherited_heap_create(cs_heap *heap)
{
    return refuse(of_device(heap->device));
}
static void inherited_heap_destroy(cs_heap *heap)
{
    (void)heap;
}
static cs_status inherited_resource_create(cs_resource *resource)
{
    return refuse(of_device(resource->device));
}
static void inherited_resource_destroy(cs_resource *resource)
{
    (void)resource;
}
static cs_status inherited_resource_bind_tile(cs_resource *resource, uint32_t x,
                                              uint32_t y, uint32_t z,
                                              uint32_t slice, cs_heap *heap,
                                              uint64_t heap_offset)
{
    (void)x, (void)y, (void)z, (void)slice, (void)heap, (void)heap_offset;
    return refuse(of_device(resource->device));
}
static cs_status inherited_buffer_sync(cs_resource *buffer, uint64_t offset,
                                       uint64_t size)
{
    (void)offset, (void)size;
    return refuse(of_device(buffer->device));
}
static cs_status inherited_copy(cs_resource *src, cs_resource *dst,
                                const cs_copy_desc *desc)
{
    (void)dst, (void)desc;
    return refuse(of_device(src->device));
}
static cs_status inherited_format_support(const cs_device *device,
                                          cs_format format,
                                          uint32_t *out_support)
{
    (void)format, (void)out_support;
    return refuse(of_device(device));
}
static cs_status inherited_sampler_create(cs_sampler *sampler)
{
    return refuse(of_device(sampler->device));
}
static void inherited_sampler_destroy(cs_sampler *sampler)
{
    (void)sampler;
}
static cs_status inherited_compute_create(cs_compute *compute)
{
    return refuse(of_device(compute->device));
}
static void inherited_compute_destroy(cs_compute *compute)
{
    (void)compute;
}
static cs_status
inherited_compute_dispatch(cs_compute *compute, const uint32_t groups[3],
                           cs_resource *indirect, uint64_t indirect_offset,
                           const void *push, uint64_t *out_gpu_ns)
{
    (void)groups, (void)indirect, (void)indirect_offset, (void)push,
        (void)out_gpu_ns;
    return refuse(of_device(compute->device));
}
static cs_status inherited_compute_bind(cs_compute *compute,
                                        const cs_shader_binding *binding,
                                        uint32_t index, cs_resource *resource)
{
    (void)binding, (void)index, (void)resource;
    return refuse(of_device(compute->device));
}
static void inherited_device_simulate_lost(cs_device *device)
{
    (void)device;
}
static cs_status inherited_command_list_create(cs_command_list *list)
{
    return refuse(of_device(list->device));
}
static void inherited_command_list_destroy(cs_command_list *list)
{
    (void)list;
}
static cs_status
inherited_command_list_dispatch(cs_command_list *list, cs_compute *compute,
                                const uint32_t groups[3], cs_resource *indirect,
                                uint64_t indirect_offset, const void *push,
                                size_t push_size)
{
    (void)compute, (void)groups, (void)indirect, (void)indirect_offset,
        (void)push, (void)push_size;
    return refuse(of_device(list->device));
}
static cs_status inherited_command_list_copy(cs_command_list *list,
                                             cs_resource *src, cs_resource *dst,
                                             const cs_copy_desc *desc)
{
    (void)src, (void)dst, (void)desc;
    return refuse(of_device(list->device));
}
static cs_status inherited_command_list_submit(cs_command_list *list)
{
    return refuse(of_device(list->device));
}
static cs_status inherited_command_list_wait(cs_command_list *list,
                                             uint64_t timeout_ns)
{
    (void)timeout_ns;
    return refuse(of_device(list->device));
}
static cs_status inherited_command_list_read_times(cs_command_list *list,
                                                   uint64_t *out_total_ns,
                                                   uint64_t *out_command_ns,
                                                   uint32_t count)
{
    (void)out_total_ns, (void)out_command_ns, (void)count;
    return refuse(of_device(list->device));
}
static cs_status inherited_command_list_reset(cs_command_list *list)
{
    return refuse(of_device(list->device));
}
static cs_status inherited_swapchain_create(cs_swapchain *swapchain)
{
    return refuse(of_device(swapchain->device));
}
static void inherited_swapchain_destroy(cs_swapchain *swapchain)
{
    (void)swapchain;
}
static cs_status inherited_swapchain_recreate(cs_swapchain *swapchain)
{
    return refuse(of_device(swapchain->device));
}
static cs_status inherited_swapchain_present(cs_swapchain *swapchain,
                                             cs_resource *texture, uint32_t x,
                                             uint32_t y)
{
    (void)texture, (void)x, (void)y;
    return refuse(of_device(swapchain->device));
}

/* the name is unused: cs_instance_backend_name() reads own_backend's */
static const cs_backend inherited_backend = {
    .name = "inherited",
    .instance_create = inherited_instance_create,
    .instance_destroy = inherited_instance_destroy,
    .heap_create = inherited_heap_create,
    .heap_destroy = inherited_heap_destroy,
    .resource_create = inherited_resource_create,
    .resource_destroy = inherited_resource_destroy,
    .resource_bind_tile = inherited_resource_bind_tile,
    .buffer_flush = inherited_buffer_sync,
    .buffer_invalidate = inherited_buffer_sync,
    .copy = inherited_copy,
    .format_support = inherited_format_support,
    .sampler_create = inherited_sampler_create,
    .sampler_destroy = inherited_sampler_destroy,
    .compute_create = inherited_compute_create,
    .compute_destroy = inherited_compute_destroy,
    .compute_dispatch = inherited_compute_dispatch,
    .compute_bind = inherited_compute_bind,
    .device_simulate_lost = inherited_device_simulate_lost,
    .command_list_create = inherited_command_list_create,
    .command_list_destroy = inherited_command_list_destroy,
    .command_list_dispatch = inherited_command_list_dispatch,
    .command_list_copy = inherited_command_list_copy,
    .command_list_submit = inherited_command_list_submit,
    .command_list_wait = inherited_command_list_wait,
    .command_list_read_times = inherited_command_list_read_times,
    .command_list_reset = inherited_command_list_reset,
    .swapchain_create = inherited_swapchain_create,
    .swapchain_destroy = inherited_swapchain_destroy,
    .swapchain_present = inherited_swapchain_present,
    .swapchain_recreate = inherited_swapchain_recreate,
};

/* >>the guarded backend ------------------------------------------------- */

/* One table in front of every registered backend: each call finds the
 * instance's own table (instance->own_backend) through its first argument.
 * An entry a backend leaves NULL is a capability it lacks: the call fails
 * with CS_ERROR_UNSUPPORTED naming the backend and the capability, a NULL
 * destroy does nothing. */

static cs_rwlock driver_lock;
static _Thread_local int driver_depth; /* calls of this thread in flight */

static void enter_driver(void)
{
    if (driver_depth++ == 0)
        cs_rwlock_read_lock(&driver_lock);
}

static void leave_driver(void)
{
    if (--driver_depth == 0)
        cs_rwlock_read_unlock(&driver_lock);
}

static const cs_backend *own_of_instance(const cs_instance *instance)
{
    return instance->own_backend;
}
static const cs_backend *own_of_device(const cs_device *device)
{
    return device->instance->own_backend;
}
static const cs_backend *own_of_heap(const cs_heap *heap)
{
    return own_of_device(heap->device);
}
static const cs_backend *own_of_resource(const cs_resource *resource)
{
    return own_of_device(resource->device);
}
static const cs_backend *own_of_sampler(const cs_sampler *sampler)
{
    return own_of_device(sampler->device);
}
static const cs_backend *own_of_compute(const cs_compute *compute)
{
    return own_of_device(compute->device);
}
static const cs_backend *own_of_list(const cs_command_list *list)
{
    return own_of_device(list->device);
}
static const cs_backend *own_of_swapchain(const cs_swapchain *swapchain)
{
    return own_of_device(swapchain->device);
}
#define OWN_BACKEND(object)                                                    \
    _Generic((object),                                                         \
        cs_instance *: own_of_instance,                                        \
        const cs_device *: own_of_device,                                      \
        cs_device *: own_of_device,                                            \
        cs_heap *: own_of_heap,                                                \
        cs_resource *: own_of_resource,                                        \
        cs_sampler *: own_of_sampler,                                          \
        cs_compute *: own_of_compute,                                          \
        cs_command_list *: own_of_list,                                        \
        cs_swapchain *: own_of_swapchain)(object)

static cs_status lacks(const cs_backend *backend, const char *capability)
{
    return cs_fail(CS_ERROR_UNSUPPORTED,
                   "%s: not supported by the %s backend (use a backend that "
                   "has it, e.g. with COMPUSHADY_BACKEND or "
                   "cs_instance_desc.backend)",
                   capability, backend->name);
}

/* name: the entry; capability: what a NULL entry lacks, for its message;
 * object: the first parameter, the object the call is about */
#define GUARDED(name, capability, object, params, args)                        \
    static cs_status guarded_##name params                                     \
    {                                                                          \
        const cs_backend *own = OWN_BACKEND(object);                           \
        if (!own->name)                                                        \
            return lacks(own, capability);                                     \
        enter_driver();                                                        \
        cs_status status = own->name args;                                     \
        leave_driver();                                                        \
        return status;                                                         \
    }
#define GUARDED_VOID(name, object, params, args)                               \
    static void guarded_##name params                                          \
    {                                                                          \
        const cs_backend *own = OWN_BACKEND(object);                           \
        if (!own->name)                                                        \
            return;                                                            \
        enter_driver();                                                        \
        own->name args;                                                        \
        leave_driver();                                                        \
    }

GUARDED(instance_create, "starting an instance", instance,
        (cs_instance * instance), (instance))
GUARDED_VOID(instance_destroy, instance, (cs_instance * instance), (instance))
GUARDED(heap_create, "heaps", heap, (cs_heap * heap), (heap))
GUARDED_VOID(heap_destroy, heap, (cs_heap * heap), (heap))
GUARDED(resource_create, "creating resources", resource,
        (cs_resource * resource), (resource))
GUARDED_VOID(resource_destroy, resource, (cs_resource * resource), (resource))
GUARDED(resource_bind_tile, "sparse resources (tile mapping)", resource,
        (cs_resource * resource, uint32_t x, uint32_t y, uint32_t z,
         uint32_t slice, cs_heap *heap, uint64_t heap_offset),
        (resource, x, y, z, slice, heap, heap_offset))
GUARDED(buffer_flush, "flushing mapped buffers", buffer,
        (cs_resource * buffer, uint64_t offset, uint64_t size),
        (buffer, offset, size))
GUARDED(buffer_invalidate, "invalidating mapped buffers", buffer,
        (cs_resource * buffer, uint64_t offset, uint64_t size),
        (buffer, offset, size))
GUARDED(copy, "GPU copies", src,
        (cs_resource * src, cs_resource *dst, const cs_copy_desc *desc),
        (src, dst, desc))
GUARDED(sampler_create, "samplers", sampler, (cs_sampler * sampler), (sampler))
GUARDED(format_support, "format support queries", device,
        (const cs_device *device, cs_format format, uint32_t *out_support),
        (device, format, out_support))
GUARDED_VOID(sampler_destroy, sampler, (cs_sampler * sampler), (sampler))
GUARDED(compute_create, "computes", compute, (cs_compute * compute), (compute))
GUARDED_VOID(compute_destroy, compute, (cs_compute * compute), (compute))
GUARDED(compute_dispatch, "dispatches", compute,
        (cs_compute * compute, const uint32_t groups[3], cs_resource *indirect,
         uint64_t indirect_offset, const void *push, uint64_t *out_gpu_ns),
        (compute, groups, indirect, indirect_offset, push, out_gpu_ns))
GUARDED(compute_bind, "bindless descriptors", compute,
        (cs_compute * compute, const cs_shader_binding *binding, uint32_t index,
         cs_resource *resource),
        (compute, binding, index, resource))
GUARDED_VOID(device_simulate_lost, device, (cs_device * device), (device))
GUARDED(command_list_create, "command lists", list, (cs_command_list * list),
        (list))
GUARDED_VOID(command_list_destroy, list, (cs_command_list * list), (list))
GUARDED(command_list_dispatch, "dispatches in command lists", list,
        (cs_command_list * list, cs_compute *compute, const uint32_t groups[3],
         cs_resource *indirect, uint64_t indirect_offset, const void *push,
         size_t push_size),
        (list, compute, groups, indirect, indirect_offset, push, push_size))
GUARDED(command_list_copy, "copies in command lists", list,
        (cs_command_list * list, cs_resource *src, cs_resource *dst,
         const cs_copy_desc *desc),
        (list, src, dst, desc))
GUARDED(command_list_submit, "submitting command lists", list,
        (cs_command_list * list), (list))
GUARDED(command_list_wait, "waiting for command lists", list,
        (cs_command_list * list, uint64_t timeout_ns), (list, timeout_ns))
GUARDED(command_list_read_times, "command list timestamps", list,
        (cs_command_list * list, uint64_t *out_total_ns,
         uint64_t *out_command_ns, uint32_t count),
        (list, out_total_ns, out_command_ns, count))
GUARDED(command_list_reset, "resetting command lists", list,
        (cs_command_list * list), (list))
GUARDED(swapchain_create, "presenting to windows (swapchains)", swapchain,
        (cs_swapchain * swapchain), (swapchain))
GUARDED_VOID(swapchain_destroy, swapchain, (cs_swapchain * swapchain),
             (swapchain))
GUARDED(swapchain_recreate, "recreating swapchains", swapchain,
        (cs_swapchain * swapchain), (swapchain))
GUARDED(swapchain_present, "presenting to windows (swapchains)", swapchain,
        (cs_swapchain * swapchain, cs_resource *texture, uint32_t x,
         uint32_t y),
        (swapchain, texture, x, y))

/* the name is unused: cs_instance_backend_name() reads own_backend's */
static const cs_backend guarded_backend = {
    .name = "guarded",
#define ENTRY(name) .name = guarded_##name
    ENTRY(instance_create),
    ENTRY(instance_destroy),
    ENTRY(heap_create),
    ENTRY(heap_destroy),
    ENTRY(resource_create),
    ENTRY(resource_destroy),
    ENTRY(resource_bind_tile),
    ENTRY(buffer_flush),
    ENTRY(buffer_invalidate),
    ENTRY(copy),
    ENTRY(format_support),
    ENTRY(sampler_create),
    ENTRY(sampler_destroy),
    ENTRY(compute_create),
    ENTRY(compute_destroy),
    ENTRY(compute_dispatch),
    ENTRY(compute_bind),
    ENTRY(device_simulate_lost),
    ENTRY(command_list_create),
    ENTRY(command_list_destroy),
    ENTRY(command_list_dispatch),
    ENTRY(command_list_copy),
    ENTRY(command_list_submit),
    ENTRY(command_list_wait),
    ENTRY(command_list_read_times),
    ENTRY(command_list_reset),
    ENTRY(swapchain_create),
    ENTRY(swapchain_destroy),
    ENTRY(swapchain_present),
    ENTRY(swapchain_recreate),
#undef ENTRY
};

/* Every entry the real backend has is in both tables above: a table
 * missing one (a new entry added to cs_backend but not here) would call
 * NULL. Checked by tests/c/test_fork.c over the table as the array of
 * function pointers it is after its name. */
typedef void (*any_function)(void);

static bool table_covers(const cs_backend *table, const cs_backend *real)
{
    const size_t first = offsetof(cs_backend, instance_create);
    const size_t count = (sizeof *real - first) / sizeof(any_function);
    for (size_t i = 0; i < count; i++) {
        any_function mine, theirs;
        memcpy(&mine, (const char *)table + first + i * sizeof mine,
               sizeof mine);
        memcpy(&theirs, (const char *)real + first + i * sizeof theirs,
               sizeof theirs);
        if (theirs && !mine)
            return false;
    }
    return true;
}

bool cs_fork_tables_cover(const cs_backend *real)
{
    return table_covers(&guarded_backend, real) &&
           table_covers(&inherited_backend, real);
}

/* >>fork handlers --------------------------------------------------------- */

static int init_driver_lock(void)
{
    /* a fork() waiting for the lock holds new calls back: without this,
     * a steady stream of dispatches on other threads would starve it */
    return cs_rwlock_init(&driver_lock, true) ? 0 : 1;
}

/* No call into the driver may be in flight while fork() copies the
 * process, and the list must not change. A thread that forks from inside
 * a backend call (a validation callback) cannot wait for itself: it forks
 * without the driver lock. */
static void before_fork(void)
{
    if (driver_depth == 0)
        cs_rwlock_write_lock(&driver_lock);
    cs_mutex_lock(&live_lock);
}

static void after_fork_in_parent(void)
{
    cs_mutex_unlock(&live_lock);
    if (driver_depth == 0)
        cs_rwlock_write_unlock(&driver_lock);
}

/* Only the forking thread exists here. Every instance on the list is the
 * parent's: switch it, and empty the list (the child's own instances will
 * be added as they are created). */
static atomic_bool forked_from_a_user; /* see cs_fork_inherited_any */

bool cs_fork_inherited_any(void)
{
    return atomic_load(&forked_from_a_user);
}

static void after_fork_in_child(void)
{
    if (live_instances)
        atomic_store(&forked_from_a_user, true);
    if (live_instances)
        cs_process_skip_earlier_exit_handlers();
    for (cs_instance *instance = live_instances; instance;) {
        cs_instance *next = instance->next_live;
        instance->backend = &inherited_backend;
        instance->inherited = true;
        instance->next_live = NULL;
        instance = next;
    }
    live_instances = NULL;
    /* new locks, not unlocked ones: the parent's threads that were
     * waiting for them are counted in their state, and are not here */
    cs_mutex_init(&live_lock);
    init_driver_lock();
}

static void setup(void)
{
    if (init_driver_lock() != 0)
        return;
    if (!cs_mutex_init(&live_lock)) {
        cs_rwlock_destroy(&driver_lock);
        return;
    }
    if (!cs_process_atfork(before_fork, after_fork_in_parent,
                           after_fork_in_child)) {
        cs_mutex_destroy(&live_lock);
        cs_rwlock_destroy(&driver_lock);
        return;
    }
    live_lock_ready = true;
}

/* >>the list of live instances ------------------------------------------ */

cs_status cs_fork_guard(cs_instance *instance)
{
    cs_call_once(&setup_once, setup);
    if (!live_lock_ready)
        return cs_fail(CS_ERROR_BACKEND,
                       "cannot set up the fork() handlers of the instance");
    instance->backend = &guarded_backend;
    return CS_OK;
}

cs_status cs_fork_track(cs_instance *instance)
{
    cs_call_once(&setup_once, setup);
    if (!live_lock_ready)
        return cs_fail(CS_ERROR_BACKEND,
                       "cannot register the fork handler of the instance");
    instance->creator_pid = cs_process_id();
    cs_mutex_lock(&live_lock);
    instance->next_live = live_instances;
    live_instances = instance;
    cs_mutex_unlock(&live_lock);
    return CS_OK;
}

void cs_fork_untrack(cs_instance *instance)
{
    if (!live_lock_ready || instance->inherited)
        return;
    cs_mutex_lock(&live_lock);
    for (cs_instance **link = &live_instances; *link;
         link = &(*link)->next_live) {
        if (*link == instance) {
            *link = instance->next_live;
            break;
        }
    }
    cs_mutex_unlock(&live_lock);
}

cs_status cs_refuse_inherited(const cs_instance *instance)
{
    return refuse(instance);
}
