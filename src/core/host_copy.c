/* host_copy.c - large host copies (uploads into mapped memory, readbacks
 * out of it) split over a few threads.
 *
 * One thread's memcpy reaches only part of what a server's memory system
 * (or a write-combined mapping of device memory) takes: on a 16-core H200
 * host a 64 MiB upload ran at 6.3 GB/s on one thread, 12.7 on two, 18.6 on
 * four and 32 on eight (bench/bench.py --only upload_readback).
 *
 * Copies of CS_HOST_COPY_SPLIT_BYTES and more are cut into equal, cache-line
 * aligned parts; the calling thread copies one, a small pool of workers
 * (started at the first large copy) the others, and the call returns when
 * every part is done. Smaller copies, a copy made while another one holds
 * the pool, and copies in a forked child (the pool's threads are not there)
 * are one plain memcpy.
 *
 * COMPUSHADY_HOST_COPY_THREADS=N sets the threads a copy uses, the caller
 * included (1 turns the splitting off; default: half the processors, at
 * most 8). */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    MAX_THREADS = 16,
    DEFAULT_MAX_THREADS = 8,
    ALIGN = 64,
};

struct copy_job {
    char *dst;
    const char *src;
    size_t size;
    unsigned parts;
    atomic_uint next; /* the next part to take */
};

static struct {
    cs_once once;
    unsigned threads; /* per copy, the caller included; 1: no pool */
    int pid;          /* of the process that started the workers */
    cs_mutex busy;    /* held by the copy using the pool */
    cs_mutex lock;    /* guards job, generation and done */
    cs_cond start, finished;
    struct copy_job job;
    unsigned long generation;
    /* workers through with the current job: every worker takes part in
     * every job, so none can still be at an old one when a new one starts */
    unsigned workers_done;
} pool = {.once = CS_ONCE_INIT};

static size_t part_bounds(const struct copy_job *job, unsigned part,
                          size_t *out_size)
{
    size_t per = (job->size / job->parts + ALIGN - 1) / ALIGN * ALIGN;
    size_t begin = (size_t)part * per;
    if (begin > job->size)
        begin = job->size;
    size_t end = begin + per > job->size ? job->size : begin + per;
    *out_size = end - begin;
    return begin;
}

/* Copies parts of the job until none is left. */
static void copy_parts(struct copy_job *job)
{
    for (;;) {
        unsigned part = atomic_fetch_add(&job->next, 1);
        if (part >= job->parts)
            return;
        size_t size;
        size_t begin = part_bounds(job, part, &size);
        memcpy(job->dst + begin, job->src + begin, size);
    }
}

static int worker_main(void *unused)
{
    (void)unused;
    unsigned long seen = 0;
    cs_mutex_lock(&pool.lock);
    for (;;) {
        while (pool.generation == seen)
            cs_cond_wait(&pool.start, &pool.lock);
        seen = pool.generation;
        cs_mutex_unlock(&pool.lock);
        copy_parts(&pool.job);
        cs_mutex_lock(&pool.lock);
        if (++pool.workers_done == pool.threads - 1)
            cs_cond_signal(&pool.finished);
    }
    return 0;
}

static unsigned threads_wanted(void)
{
    const char *text = getenv("COMPUSHADY_HOST_COPY_THREADS");
    if (text && *text) {
        char *end;
        errno = 0;
        long n = strtol(text, &end, 10);
        if (errno == 0 && *end == '\0' && n >= 1 && n <= MAX_THREADS)
            return (unsigned)n;
        /* a bad value keeps copies single-threaded; never print */
        return 1;
    }
    long cpus = (long)cs_cpu_count();
    long n = cpus / 2;
    if (n > DEFAULT_MAX_THREADS)
        n = DEFAULT_MAX_THREADS;
    return n < 1 ? 1 : (unsigned)n;
}

static void start_pool(void)
{
    unsigned threads = threads_wanted();
    pool.pid = cs_process_id();
    if (threads < 2 || !cs_mutex_init(&pool.busy))
        return;
    if (!cs_mutex_init(&pool.lock) || !cs_cond_init(&pool.start) ||
        !cs_cond_init(&pool.finished))
        return;
    unsigned started = 1;
    for (; started < threads; started++) {
        cs_thread thread;
        if (!cs_thread_create(&thread, worker_main, NULL, 0))
            break;
        cs_thread_detach(thread);
    }
    pool.threads = started;
}

size_t cs_host_copy_threads(void)
{
    cs_call_once(&pool.once, start_pool);
    return pool.threads > 1 && cs_process_id() == pool.pid ? pool.threads : 1;
}

void cs_host_copy(void *dst, const void *src, size_t size)
{
    if (size < CS_HOST_COPY_SPLIT_BYTES || cs_host_copy_threads() < 2 ||
        !cs_mutex_trylock(&pool.busy)) {
        memcpy(dst, src, size);
        return;
    }
    cs_mutex_lock(&pool.lock);
    pool.job.dst = dst;
    pool.job.src = src;
    pool.job.size = size;
    pool.job.parts = pool.threads;
    atomic_store(&pool.job.next, 0);
    pool.workers_done = 0;
    pool.generation++;
    cs_cond_broadcast(&pool.start);
    cs_mutex_unlock(&pool.lock);

    copy_parts(&pool.job);

    cs_mutex_lock(&pool.lock);
    while (pool.workers_done < pool.threads - 1)
        cs_cond_wait(&pool.finished, &pool.lock);
    cs_mutex_unlock(&pool.lock);
    cs_mutex_unlock(&pool.busy);
}
