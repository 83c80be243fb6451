/* compiler_thread.c - every shader compile runs on a compiler thread with a
 * large stack.
 *
 * glslang, SPIRV-Tools and DXC recurse once per level of nesting in the
 * source (about 2 KiB of stack per level of parentheses in glslang's HLSL
 * front end), so a deep enough source overflows whatever stack the caller
 * has: 8 MiB on the main thread, less on most worker threads. The compilers
 * run here instead, on a stack of CS_COMPILER_STACK_BYTES, reserved at
 * thread creation but only committed as deep compiles touch it, with the
 * guard page glibc puts below every thread stack. The source checks of
 * source_limits.c keep every nesting the compilers see within a depth that
 * this stack holds many times over (docs/decisions.md gives the numbers).
 *
 * Threads are kept: a caller takes an idle compiler thread (or starts a new
 * one), hands it the job and waits; the hand-over costs two thread wake-ups
 * (microseconds) against a compile's milliseconds. At most
 * CS_COMPILER_IDLE_THREADS idle threads are kept; compiles on more threads
 * at once each get their own, which ends after its job. After each job the
 * stack pages below the thread's resting depth are given back, so a deep
 * compile leaves no resident memory behind. */
#include "shader_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    CS_COMPILER_IDLE_THREADS = 4,
    /* kept resident under the resting depth: what the next ordinary
     * compile touches anyway */
    CS_COMPILER_STACK_KEPT = 1 << 20,
};

/* Tried in order: a system with strict overcommit may refuse the first. */
static const size_t stack_sizes[] = {CS_COMPILER_STACK_BYTES,
                                     CS_COMPILER_STACK_BYTES / 4};

typedef struct compiler_thread {
    cs_mutex lock;
    cs_cond changed;
    cs_status (*job)(void *); /* non-NULL: a job waits to run */
    void *arg;
    bool done, quit;
    cs_carried_status outcome; /* the job's, for the caller's thread */
    size_t stack_size;
    struct compiler_thread *next_idle;
} compiler_thread;

static cs_mutex pool_lock = CS_MUTEX_INIT;
static compiler_thread *idle_threads;
static int idle_count;
static cs_once fork_handler_once = CS_ONCE_INIT;

/* A child made by fork() has none of the parent's threads: it forgets the
 * idle ones (their memory is the child's small leak) and starts its own. */
static void forget_threads_in_child(void)
{
    cs_mutex fresh = CS_MUTEX_INIT;
    pool_lock = fresh;
    idle_threads = NULL;
    idle_count = 0;
}

/* Compiles hold this for reading and fork() takes it for writing, so no
 * child is made while a compile holds glslang's or the compile cache's
 * locks (a child would find them held forever). */
static cs_rwlock fork_lock = CS_RWLOCK_INIT;

static void before_fork(void)
{
    cs_rwlock_write_lock(&fork_lock);
}

static void after_fork_in_parent(void)
{
    cs_rwlock_write_unlock(&fork_lock);
}

static void after_fork_in_child(void)
{
    cs_rwlock fresh = CS_RWLOCK_INIT;
    fork_lock = fresh;
    forget_threads_in_child();
}

static void register_fork_handler(void)
{
    cs_process_atfork(before_fork, after_fork_in_parent, after_fork_in_child);
}

void cs_compile_fork_enter(void)
{
    cs_call_once(&fork_handler_once, register_fork_handler);
    cs_rwlock_read_lock(&fork_lock);
}

void cs_compile_fork_leave(void)
{
    cs_rwlock_read_unlock(&fork_lock);
}

/* Gives back the pages of this thread's stack more than
 * CS_COMPILER_STACK_KEPT below the current depth (the stack grows down). */
static void release_deep_stack_pages(void)
{
    uintptr_t low, high;
    if (!cs_thread_stack_bounds(&low, &high))
        return;
    char here;
    uintptr_t page = (uintptr_t)cs_page_size();
    uintptr_t start = (low + page - 1) & ~(page - 1);
    uintptr_t end = ((uintptr_t)&here - CS_COMPILER_STACK_KEPT) & ~(page - 1);
    if ((uintptr_t)&here > CS_COMPILER_STACK_KEPT && end > start)
        cs_thread_stack_discard((void *)start, end - start);
}

static int compiler_thread_main(void *argument)
{
    compiler_thread *self = argument;
    cs_mutex_lock(&self->lock);
    for (;;) {
        while (self->job == NULL && !self->quit)
            cs_cond_wait(&self->changed, &self->lock);
        if (self->job == NULL)
            break;
        cs_status (*job)(void *) = self->job;
        void *arg = self->arg;
        cs_mutex_unlock(&self->lock);
        cs_carry_status(&self->outcome, job, arg);
        release_deep_stack_pages();
        cs_mutex_lock(&self->lock);
        self->job = NULL;
        self->done = true;
        cs_cond_broadcast(&self->changed);
    }
    cs_mutex_unlock(&self->lock);
    cs_cond_destroy(&self->changed);
    cs_mutex_destroy(&self->lock);
    free(self);
    return 0;
}

static compiler_thread *start_compiler_thread(void)
{
    compiler_thread *thread = calloc(1, sizeof *thread);
    if (thread == NULL)
        return NULL;
    if (!cs_mutex_init(&thread->lock)) {
        free(thread);
        return NULL;
    }
    if (!cs_cond_init(&thread->changed)) {
        cs_mutex_destroy(&thread->lock);
        free(thread);
        return NULL;
    }
    for (size_t i = 0; i < sizeof stack_sizes / sizeof stack_sizes[0]; i++) {
        cs_thread id;
        bool created =
            cs_thread_create(&id, compiler_thread_main, thread, stack_sizes[i]);
        if (created) {
            cs_thread_detach(id);
            thread->stack_size = stack_sizes[i];
            return thread;
        }
    }
    cs_cond_destroy(&thread->changed);
    cs_mutex_destroy(&thread->lock);
    free(thread);
    return NULL;
}

static compiler_thread *take_compiler_thread(void)
{
    cs_call_once(&fork_handler_once, register_fork_handler);
    cs_mutex_lock(&pool_lock);
    compiler_thread *thread = idle_threads;
    if (thread) {
        idle_threads = thread->next_idle;
        idle_count--;
    }
    cs_mutex_unlock(&pool_lock);
    return thread ? thread : start_compiler_thread();
}

static void give_back_compiler_thread(compiler_thread *thread)
{
    cs_mutex_lock(&pool_lock);
    bool kept = idle_count < CS_COMPILER_IDLE_THREADS;
    if (kept) {
        thread->next_idle = idle_threads;
        idle_threads = thread;
        idle_count++;
    }
    cs_mutex_unlock(&pool_lock);
    if (!kept) {
        cs_mutex_lock(&thread->lock);
        thread->quit = true;
        cs_cond_broadcast(&thread->changed);
        cs_mutex_unlock(&thread->lock);
    }
}

cs_status cs_compiler_thread_run(cs_status (*job)(void *), void *arg)
{
    compiler_thread *thread = take_compiler_thread();
    if (thread == NULL)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "cannot start a shader compiler thread with a %zu MiB "
                       "stack (nor one of %zu MiB): the compilers need it to "
                       "stay within their stack",
                       stack_sizes[0] >> 20, stack_sizes[1] >> 20);
    cs_mutex_lock(&thread->lock);
    thread->job = job;
    thread->arg = arg;
    thread->done = false;
    cs_cond_broadcast(&thread->changed);
    while (!thread->done)
        cs_cond_wait(&thread->changed, &thread->lock);
    cs_mutex_unlock(&thread->lock);
    /* the message moves to the caller's thread, where cs_last_error()
     * reads it */
    cs_status status = cs_deliver_status(&thread->outcome);
    give_back_compiler_thread(thread);
    return status;
}

size_t cs_compiler_thread_stack_size(void)
{
    compiler_thread *thread = take_compiler_thread();
    if (thread == NULL)
        return 0;
    size_t size = thread->stack_size;
    give_back_compiler_thread(thread);
    return size;
}
