/* gl_owner.c - the threading model: each device's context belongs to a
 * thread of its own, its owner, and every backend call that touches GL runs
 * there (gl_run), whatever thread called.
 *
 * Why: a GL context is current on one thread at a time. Making it current
 * on the calling thread and releasing it around every call (the first
 * model) cost about 8 us a call on NVIDIA (bench/raw_gl_roundtrip.c: a
 * dispatch round trip of 17.2 us direct, 25.6 us made current around each);
 * handing the call to a thread that keeps the context current costs about
 * 1 us (18.2 us), and no thread idle in user code can ever hold the context
 * that another needs.
 *
 * The hand-over: the caller holds the device's lock (one call at a time),
 * writes the job and moves `posted`; the owner runs it and moves `answered`.
 * Both poll first, as waits for the GPU do (a short call ends within the
 * polling and neither thread sleeps), then sleep on a condition variable.
 * The owner makes the context current once, when it starts, and releases
 * it when the device goes: no EGL call per job. (Making it current again
 * and again, per call in the first model, after idle spells in a later
 * one, ended on the H100 in eglMakeCurrent failing with EGL_NOT_INITIALIZED
 * for the rest of the process, some hundreds of calls in.) Its EGL calls
 * are thus made inside calls of the backend's table, which fork() waits
 * for (core/fork.c). A failure's message is made on the owner's thread and
 * handed back with the status (cs_carry_status). */
#include "gl_internal.h"

#include <stdlib.h>

enum {
    /* the owner polls for the next job this long after one, then sleeps */
    OWNER_POLL_NS = 200 * 1000,
    /* the caller polls for the answer this long, then sleeps */
    CALLER_POLL_NS = 100 * 1000,
    /* of which the first are spent spinning, the rest yielding */
    SPIN_NS = 20 * 1000,
};

struct gl_owner {
    gl_device *dev;
    cs_thread thread;
    cs_mutex mutex; /* for the sleeps */
    cs_cond wake_owner, wake_caller;
    atomic_uint posted, answered;
    atomic_bool owner_sleeping, caller_sleeping, stopping;
    /* the job: written by the caller before posted moves */
    gl_job job;
    void *job_arg;
    /* its answer: written by the owner before answered moves */
    cs_carried_status outcome;
    bool current; /* the owner's: the context is current there */
};

/* on an owner thread, its device: gl_run from there runs the job inline */
static _Thread_local gl_device *owned_device;

static bool make_current(gl_device *dev, EGLContext context)
{
    return gl_bind_api() && eglMakeCurrent(dev->display, EGL_NO_SURFACE,
                                           EGL_NO_SURFACE, context);
}

/* Polls `value` until it differs from `seen`, for up to poll_ns; true when
 * it did. Past SPIN_NS it yields the CPU between looks, so that on a
 * machine with few cores the thread it waits for gets to run. */
static bool poll_changed(atomic_uint *value, unsigned seen, uint64_t poll_ns)
{
    uint64_t start = cs_time_monotonic_ns();
    bool yielding = false;
    for (unsigned spins = 0;; spins++) {
        if (atomic_load(value) != seen)
            return true;
        if (yielding)
            cs_thread_yield();
        else
            cs_cpu_relax();
        if ((spins & 63) == 63 || yielding) {
            uint64_t spent = cs_time_monotonic_ns() - start;
            if (spent > poll_ns)
                return atomic_load(value) != seen;
            yielding = spent > SPIN_NS;
        }
    }
}

/* The posted job, on the owner's thread (through cs_carry_status). */
static cs_status run_posted_job(void *arg)
{
    gl_owner *owner = arg;
    gl_device *dev = owner->dev;
    if (!owner->current && !(owner->current = make_current(dev, dev->context)))
        return cs_fail(CS_ERROR_BACKEND,
                       "eglMakeCurrent failed (EGL error 0x%04x) on the "
                       "thread of OpenGL device '%s'",
                       (unsigned)eglGetError(), dev->name);
    return owner->job(dev, owner->job_arg);
}

static int owner_main(void *arg)
{
    gl_owner *owner = arg;
    owned_device = owner->dev;
    owner->current = make_current(owner->dev, owner->dev->context);
    unsigned done = 0;
    for (;;) {
        if (!poll_changed(&owner->posted, done, OWNER_POLL_NS) &&
            !atomic_load(&owner->stopping)) {
            cs_mutex_lock(&owner->mutex);
            atomic_store(&owner->owner_sleeping, true);
            while (atomic_load(&owner->posted) == done &&
                   !atomic_load(&owner->stopping))
                cs_cond_wait(&owner->wake_owner, &owner->mutex);
            atomic_store(&owner->owner_sleeping, false);
            cs_mutex_unlock(&owner->mutex);
        }
        if (atomic_load(&owner->posted) == done) {
            if (atomic_load(&owner->stopping))
                break;
            continue;
        }
        cs_carry_status(&owner->outcome, run_posted_job, owner);
        done++;
        atomic_store(&owner->answered, done);
        if (atomic_load(&owner->caller_sleeping)) {
            cs_mutex_lock(&owner->mutex);
            cs_cond_broadcast(&owner->wake_caller);
            cs_mutex_unlock(&owner->mutex);
        }
    }
    if (owner->current)
        eglMakeCurrent(owner->dev->display, EGL_NO_SURFACE, EGL_NO_SURFACE,
                       EGL_NO_CONTEXT);
    eglReleaseThread();
    return 0;
}

static cs_status hand_over(gl_owner *owner, gl_job job, void *arg);

static cs_status nothing(gl_device *dev, void *arg)
{
    (void)dev, (void)arg;
    return CS_OK;
}

cs_status gl_owner_start(gl_device *dev)
{
    gl_owner *owner = calloc(1, sizeof *owner);
    if (!owner)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory discovering devices");
    owner->dev = dev;
    bool mutex = cs_mutex_init(&owner->mutex);
    bool wake_owner = mutex && cs_cond_init(&owner->wake_owner);
    bool wake_caller = wake_owner && cs_cond_init(&owner->wake_caller);
    if (wake_caller && cs_thread_create(&owner->thread, owner_main, owner, 0)) {
        dev->owner = owner;
        /* a first job: the context is current there when this returns, and
         * that eglMakeCurrent was made inside the caller's call of the
         * table, which fork() waits for */
        cs_status status = hand_over(owner, nothing, NULL);
        if (status != CS_OK)
            gl_owner_stop(dev);
        return status;
    }
    if (wake_caller)
        cs_cond_destroy(&owner->wake_caller);
    if (wake_owner)
        cs_cond_destroy(&owner->wake_owner);
    if (mutex)
        cs_mutex_destroy(&owner->mutex);
    free(owner);
    return cs_fail(CS_ERROR_BACKEND,
                   "cannot start the thread of OpenGL device '%s'", dev->name);
}

void gl_owner_stop(gl_device *dev)
{
    gl_owner *owner = dev->owner;
    if (!owner)
        return;
    cs_mutex_lock(&owner->mutex);
    atomic_store(&owner->stopping, true);
    cs_cond_broadcast(&owner->wake_owner);
    cs_mutex_unlock(&owner->mutex);
    cs_thread_join(owner->thread, NULL);
    cs_cond_destroy(&owner->wake_caller);
    cs_cond_destroy(&owner->wake_owner);
    cs_mutex_destroy(&owner->mutex);
    free(owner);
    dev->owner = NULL;
}

/* Hands the job to the owner and waits for its answer; the device's lock
 * is held. */
static cs_status hand_over(gl_owner *owner, gl_job job, void *arg)
{
    owner->job = job;
    owner->job_arg = arg;
    unsigned ticket = atomic_load(&owner->posted) + 1;
    atomic_store(&owner->posted, ticket);
    if (atomic_load(&owner->owner_sleeping)) {
        cs_mutex_lock(&owner->mutex);
        cs_cond_signal(&owner->wake_owner);
        cs_mutex_unlock(&owner->mutex);
    }
    if (!poll_changed(&owner->answered, ticket - 1, CALLER_POLL_NS)) {
        cs_mutex_lock(&owner->mutex);
        atomic_store(&owner->caller_sleeping, true);
        while (atomic_load(&owner->answered) != ticket)
            cs_cond_wait(&owner->wake_caller, &owner->mutex);
        atomic_store(&owner->caller_sleeping, false);
        cs_mutex_unlock(&owner->mutex);
    }
    return cs_deliver_status(&owner->outcome);
}

static cs_status run(cs_device *device, gl_job job, void *arg, bool destroying)
{
    gl_device *dev = gl_device_of(device);
    if (owned_device == dev)
        return job(dev, arg);
    cs_mutex_lock(&dev->lock);
    cs_status status = CS_OK;
    if (!destroying && atomic_load(&dev->lost))
        status = gl_lost(device);
    else if (dev->forked)
        /* Mesa's llvmpipe hangs on the first dispatch there, and the owner
         * thread is the parent's */
        status = cs_fail(CS_ERROR_BACKEND,
                         "using OpenGL device '%s' in a process made by "
                         "fork() from one that used EGL: this driver does "
                         "not allow it; start such processes with the "
                         "'spawn' or 'forkserver' method (multiprocessing, "
                         "Dask) instead",
                         device->info.name);
    else
        status = hand_over(dev->owner, job, arg);
    cs_mutex_unlock(&dev->lock);
    return status;
}

cs_status gl_run(cs_device *device, gl_job job, void *arg)
{
    return run(device, job, arg, false);
}

typedef struct destroy_call {
    gl_destroy_job job;
    void *arg;
} destroy_call;

static cs_status destroy_on_owner(gl_device *dev, void *arg)
{
    (void)dev;
    const destroy_call *call = arg;
    call->job(call->arg);
    /* nothing checks a destroy: what it raised is not the next call's */
    gl_discard_errors();
    return CS_OK;
}

void gl_run_to_destroy(cs_device *device, gl_destroy_job job, void *arg)
{
    /* a lost device's objects are still freed; a device whose thread
     * cannot take the context leaves them */
    destroy_call call = {job, arg};
    (void)run(device, destroy_on_owner, &call, true);
}
