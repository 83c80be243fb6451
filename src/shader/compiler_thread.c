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
#define _GNU_SOURCE /* pthread_getattr_np */
#include "shader_internal.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum {
    CS_COMPILER_IDLE_THREADS = 4,
    /* the same capacity as cs_last_error()'s buffer */
    CS_COMPILER_MESSAGE_CAPACITY = 8192,
    /* kept resident under the resting depth: what the next ordinary
     * compile touches anyway */
    CS_COMPILER_STACK_KEPT = 1 << 20,
};

/* Tried in order: a system with strict overcommit may refuse the first. */
static const size_t stack_sizes[] = {CS_COMPILER_STACK_BYTES,
                                     CS_COMPILER_STACK_BYTES / 4};

typedef struct compiler_thread {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    cs_status (*job)(void *); /* non-NULL: a job waits to run */
    void *arg;
    bool done, quit;
    cs_status status;
    char message[CS_COMPILER_MESSAGE_CAPACITY];
    size_t stack_size;
    struct compiler_thread *next_idle;
} compiler_thread;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static compiler_thread *idle_threads;
static int idle_count;
static pthread_once_t fork_handler_once = PTHREAD_ONCE_INIT;

/* A child made by fork() has none of the parent's threads: it forgets the
 * idle ones (their memory is the child's small leak) and starts its own. */
static void forget_threads_in_child(void)
{
    pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;
    pool_lock = fresh;
    idle_threads = NULL;
    idle_count = 0;
}

/* Compiles hold this for reading and fork() takes it for writing, so no
 * child is made while a compile holds glslang's or the compile cache's
 * locks (a child would find them held forever). */
static pthread_rwlock_t fork_lock = PTHREAD_RWLOCK_INITIALIZER;

static void before_fork(void)
{
    pthread_rwlock_wrlock(&fork_lock);
}

static void after_fork_in_parent(void)
{
    pthread_rwlock_unlock(&fork_lock);
}

static void after_fork_in_child(void)
{
    pthread_rwlock_t fresh = PTHREAD_RWLOCK_INITIALIZER;
    fork_lock = fresh;
    forget_threads_in_child();
}

static void register_fork_handler(void)
{
    pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child);
}

void cs_compile_fork_enter(void)
{
    pthread_once(&fork_handler_once, register_fork_handler);
    pthread_rwlock_rdlock(&fork_lock);
}

void cs_compile_fork_leave(void)
{
    pthread_rwlock_unlock(&fork_lock);
}

/* Gives back the pages of this thread's stack more than
 * CS_COMPILER_STACK_KEPT below the current depth (the stack grows down). */
static void release_deep_stack_pages(void)
{
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return;
    void *low = NULL;
    size_t size = 0;
    int got = pthread_attr_getstack(&attr, &low, &size);
    pthread_attr_destroy(&attr);
    if (got != 0)
        return;
    char here;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t start = ((uintptr_t)low + page - 1) & ~(page - 1);
    uintptr_t end = ((uintptr_t)&here - CS_COMPILER_STACK_KEPT) & ~(page - 1);
    if ((uintptr_t)&here > CS_COMPILER_STACK_KEPT && end > start)
        madvise((void *)start, end - start, MADV_DONTNEED);
}

static void *compiler_thread_main(void *argument)
{
    compiler_thread *self = argument;
    pthread_mutex_lock(&self->lock);
    for (;;) {
        while (self->job == NULL && !self->quit)
            pthread_cond_wait(&self->changed, &self->lock);
        if (self->job == NULL)
            break;
        cs_status (*job)(void *) = self->job;
        void *arg = self->arg;
        pthread_mutex_unlock(&self->lock);
        cs_status status = job(arg);
        if (status != CS_OK)
            snprintf(self->message, sizeof self->message, "%s",
                     cs_last_error());
        release_deep_stack_pages();
        pthread_mutex_lock(&self->lock);
        self->status = status;
        self->job = NULL;
        self->done = true;
        pthread_cond_broadcast(&self->changed);
    }
    pthread_mutex_unlock(&self->lock);
    pthread_cond_destroy(&self->changed);
    pthread_mutex_destroy(&self->lock);
    free(self);
    return NULL;
}

static compiler_thread *start_compiler_thread(void)
{
    compiler_thread *thread = calloc(1, sizeof *thread);
    if (thread == NULL)
        return NULL;
    if (pthread_mutex_init(&thread->lock, NULL) != 0) {
        free(thread);
        return NULL;
    }
    if (pthread_cond_init(&thread->changed, NULL) != 0) {
        pthread_mutex_destroy(&thread->lock);
        free(thread);
        return NULL;
    }
    for (size_t i = 0; i < sizeof stack_sizes / sizeof stack_sizes[0]; i++) {
        pthread_attr_t attr;
        if (pthread_attr_init(&attr) != 0)
            break;
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_attr_setguardsize(&attr, 64 << 10);
        pthread_t id;
        int created =
            pthread_attr_setstacksize(&attr, stack_sizes[i]) == 0 &&
            pthread_create(&id, &attr, compiler_thread_main, thread) == 0;
        pthread_attr_destroy(&attr);
        if (created) {
            thread->stack_size = stack_sizes[i];
            return thread;
        }
    }
    pthread_cond_destroy(&thread->changed);
    pthread_mutex_destroy(&thread->lock);
    free(thread);
    return NULL;
}

static compiler_thread *take_compiler_thread(void)
{
    pthread_once(&fork_handler_once, register_fork_handler);
    pthread_mutex_lock(&pool_lock);
    compiler_thread *thread = idle_threads;
    if (thread) {
        idle_threads = thread->next_idle;
        idle_count--;
    }
    pthread_mutex_unlock(&pool_lock);
    return thread ? thread : start_compiler_thread();
}

static void give_back_compiler_thread(compiler_thread *thread)
{
    pthread_mutex_lock(&pool_lock);
    bool kept = idle_count < CS_COMPILER_IDLE_THREADS;
    if (kept) {
        thread->next_idle = idle_threads;
        idle_threads = thread;
        idle_count++;
    }
    pthread_mutex_unlock(&pool_lock);
    if (!kept) {
        pthread_mutex_lock(&thread->lock);
        thread->quit = true;
        pthread_cond_broadcast(&thread->changed);
        pthread_mutex_unlock(&thread->lock);
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
    pthread_mutex_lock(&thread->lock);
    thread->job = job;
    thread->arg = arg;
    thread->done = false;
    pthread_cond_broadcast(&thread->changed);
    while (!thread->done)
        pthread_cond_wait(&thread->changed, &thread->lock);
    cs_status status = thread->status;
    pthread_mutex_unlock(&thread->lock);
    /* the message moves to the caller's thread, where cs_last_error()
     * reads it */
    if (status != CS_OK)
        cs_fail(status, "%s", thread->message);
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
