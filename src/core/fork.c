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

/* The instance a backend call is about, from the object of its entry
 * (CS_BACKEND_ENTRIES' object column). */
static const cs_instance *instance_of_instance(const cs_instance *instance)
{
    return instance;
}
static const cs_instance *instance_of_device(const cs_device *device)
{
    return device->instance;
}
#define INSTANCE_OF_DEVICE_OBJECT(type)                                        \
    static const cs_instance *instance_of_##type(const cs_##type *object)      \
    {                                                                          \
        return object->device->instance;                                       \
    }
INSTANCE_OF_DEVICE_OBJECT(heap)
INSTANCE_OF_DEVICE_OBJECT(resource)
INSTANCE_OF_DEVICE_OBJECT(sampler)
INSTANCE_OF_DEVICE_OBJECT(compute)
INSTANCE_OF_DEVICE_OBJECT(command_list)
INSTANCE_OF_DEVICE_OBJECT(swapchain)
#define INSTANCE_OF(object)                                                    \
    _Generic((object),                                                         \
        const cs_instance *: instance_of_instance,                             \
        cs_instance *: instance_of_instance,                                   \
        const cs_device *: instance_of_device,                                 \
        cs_device *: instance_of_device,                                       \
        cs_heap *: instance_of_heap,                                           \
        cs_resource *: instance_of_resource,                                   \
        cs_sampler *: instance_of_sampler,                                     \
        cs_compute *: instance_of_compute,                                     \
        cs_command_list *: instance_of_command_list,                           \
        cs_swapchain *: instance_of_swapchain)(object)

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

/* Generated from CS_BACKEND_ENTRIES by return type: a cs_status entry
 * refuses, a void one does nothing. The stubs use only their object. */
#define INHERITED(with, returns, name, params, args, object, capability)       \
    INHERITED_##returns(name, params, object)
#define INHERITED_cs_status(name, params, object)                              \
    static cs_status inherited_##name params                                   \
    {                                                                          \
        return refuse(INSTANCE_OF(object));                                    \
    }
#define INHERITED_void(name, params, object)                                   \
    static void inherited_##name params {}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
CS_BACKEND_ENTRIES(INHERITED, )
#pragma GCC diagnostic pop

/* the name is unused: cs_instance_backend_name() reads own_backend's */
static const cs_backend inherited_backend = {.name = "inherited",
                                             CS_BACKEND_TABLE(inherited)};

/* >>the guarded backend ------------------------------------------------- */

/* One table in front of every registered backend: each call finds the
 * instance's own table (instance->own_backend) through its object.
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

static cs_status lacks(const cs_backend *backend, const char *capability)
{
    return cs_fail(CS_ERROR_UNSUPPORTED,
                   "%s: not supported by the %s backend (use a backend that "
                   "has it, e.g. with COMPUSHADY_BACKEND or "
                   "cs_instance_desc.backend)",
                   capability, backend->name);
}

/* Generated from CS_BACKEND_ENTRIES by return type (an entry of another
 * return type needs GUARDED_<type> and INHERITED_<type> here). */
#define GUARDED(with, returns, name, params, args, object, capability)         \
    GUARDED_##returns(name, params, args, object, capability)
#define GUARDED_cs_status(name, params, args, object, capability)              \
    static cs_status guarded_##name params                                     \
    {                                                                          \
        const cs_backend *own = INSTANCE_OF(object)->own_backend;              \
        if (!own->name)                                                        \
            return lacks(own, capability);                                     \
        enter_driver();                                                        \
        cs_status status = own->name args;                                     \
        leave_driver();                                                        \
        return status;                                                         \
    }
#define GUARDED_void(name, params, args, object, capability)                   \
    static void guarded_##name params                                          \
    {                                                                          \
        const cs_backend *own = INSTANCE_OF(object)->own_backend;              \
        if (!own->name)                                                        \
            return;                                                            \
        enter_driver();                                                        \
        own->name args;                                                        \
        leave_driver();                                                        \
    }

CS_BACKEND_ENTRIES(GUARDED, )

/* the name is unused: cs_instance_backend_name() reads own_backend's */
static const cs_backend guarded_backend = {.name = "guarded",
                                           CS_BACKEND_TABLE(guarded)};

/* Every entry the real backend has is in both tables above: a table
 * missing one would call NULL. Both are made from the list of entries,
 * so it holds by construction; tests/c/test_fork.c still checks it, over
 * the table as the array of function pointers it is after its name. */
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
