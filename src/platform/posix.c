/* posix.c - platform.h on Linux and other POSIX systems (pthreads, dlopen,
 * open/rename, process_vm_readv). */
#define _GNU_SOURCE /* pthread_getattr_np, process_vm_readv, pipe2 */
#include "platform.h"

#ifdef CS_PLATFORM_POSIX

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/uio.h>
#endif

/* >>locks */

bool cs_mutex_init(cs_mutex *mutex)
{
    return pthread_mutex_init(mutex, NULL) == 0;
}

void cs_mutex_destroy(cs_mutex *mutex)
{
    pthread_mutex_destroy(mutex);
}

void cs_mutex_lock(cs_mutex *mutex)
{
    pthread_mutex_lock(mutex);
}

void cs_mutex_unlock(cs_mutex *mutex)
{
    pthread_mutex_unlock(mutex);
}

bool cs_mutex_trylock(cs_mutex *mutex)
{
    return pthread_mutex_trylock(mutex) == 0;
}

bool cs_mutex_timedlock(cs_mutex *mutex, uint64_t timeout_ns)
{
    if (timeout_ns == 0)
        return cs_mutex_trylock(mutex);
    /* pthread_mutex_timedlock takes a CLOCK_REALTIME deadline */
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t deadline =
        (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec + timeout_ns;
    struct timespec until = {.tv_sec = (time_t)(deadline / 1000000000u),
                             .tv_nsec = (long)(deadline % 1000000000u)};
    return pthread_mutex_timedlock(mutex, &until) == 0;
}

bool cs_rwlock_init(cs_rwlock *lock, bool prefer_writers)
{
    pthread_rwlockattr_t attributes;
    if (pthread_rwlockattr_init(&attributes) != 0)
        return false;
#ifdef __GLIBC__
    if (prefer_writers)
        pthread_rwlockattr_setkind_np(
            &attributes, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#else
    (void)prefer_writers;
#endif
    int failed = pthread_rwlock_init(lock, &attributes);
    pthread_rwlockattr_destroy(&attributes);
    return failed == 0;
}

void cs_rwlock_destroy(cs_rwlock *lock)
{
    pthread_rwlock_destroy(lock);
}

void cs_rwlock_read_lock(cs_rwlock *lock)
{
    pthread_rwlock_rdlock(lock);
}

void cs_rwlock_read_unlock(cs_rwlock *lock)
{
    pthread_rwlock_unlock(lock);
}

void cs_rwlock_write_lock(cs_rwlock *lock)
{
    pthread_rwlock_wrlock(lock);
}

void cs_rwlock_write_unlock(cs_rwlock *lock)
{
    pthread_rwlock_unlock(lock);
}

bool cs_cond_init(cs_cond *cond)
{
    return pthread_cond_init(cond, NULL) == 0;
}

void cs_cond_destroy(cs_cond *cond)
{
    pthread_cond_destroy(cond);
}

void cs_cond_wait(cs_cond *cond, cs_mutex *mutex)
{
    pthread_cond_wait(cond, mutex);
}

void cs_cond_signal(cs_cond *cond)
{
    pthread_cond_signal(cond);
}

void cs_cond_broadcast(cs_cond *cond)
{
    pthread_cond_broadcast(cond);
}

void cs_call_once(cs_once *once, void (*function)(void))
{
    pthread_once(once, function);
}

bool cs_tls_create(cs_tls *key, void (*destructor)(void *))
{
    return pthread_key_create(key, destructor) == 0;
}

void *cs_tls_get(cs_tls key)
{
    return pthread_getspecific(key);
}

bool cs_tls_set(cs_tls key, void *value)
{
    return pthread_setspecific(key, value) == 0;
}

/* >>threads */

struct thread_start {
    cs_thread_main main;
    void *arg;
};

static void *thread_trampoline(void *argument)
{
    struct thread_start start = *(struct thread_start *)argument;
    free(argument);
    return (void *)(intptr_t)start.main(start.arg);
}

bool cs_thread_create(cs_thread *thread, cs_thread_main main, void *arg,
                      size_t stack_size)
{
    struct thread_start *start = malloc(sizeof *start);
    if (start == NULL)
        return false;
    start->main = main;
    start->arg = arg;
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0) {
        free(start);
        return false;
    }
    bool ok = true;
    if (stack_size) {
        pthread_attr_setguardsize(&attr, 64 << 10);
        ok = pthread_attr_setstacksize(&attr, stack_size) == 0;
    }
    ok = ok && pthread_create(thread, &attr, thread_trampoline, start) == 0;
    pthread_attr_destroy(&attr);
    if (!ok)
        free(start);
    return ok;
}

bool cs_thread_join(cs_thread thread, int *result)
{
    void *returned = NULL;
    if (pthread_join(thread, &returned) != 0)
        return false;
    if (result)
        *result = (int)(intptr_t)returned;
    return true;
}

void cs_thread_detach(cs_thread thread)
{
    pthread_detach(thread);
}

void cs_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

void cs_thread_yield(void)
{
    sched_yield();
}

bool cs_thread_stack_bounds(uintptr_t *low, uintptr_t *high)
{
#ifdef __GLIBC__
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return false;
    void *bottom = NULL;
    size_t size = 0;
    int got = pthread_attr_getstack(&attr, &bottom, &size);
    pthread_attr_destroy(&attr);
    if (got != 0)
        return false;
    *low = (uintptr_t)bottom;
    *high = (uintptr_t)bottom + size;
    return true;
#else
    (void)low;
    (void)high;
    return false;
#endif
}

void cs_thread_stack_discard(void *start, size_t size)
{
    madvise(start, size, MADV_DONTNEED);
}

/* >>time */

uint64_t cs_time_monotonic_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

void cs_sleep_ns(uint64_t ns)
{
    struct timespec nap = {.tv_sec = (time_t)(ns / 1000000000u),
                           .tv_nsec = (long)(ns % 1000000000u)};
    while (nanosleep(&nap, &nap) != 0 && errno == EINTR)
        ;
}

/* >>process */

int cs_process_id(void)
{
    return (int)getpid();
}

unsigned cs_cpu_count(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus < 1 ? 1u : (unsigned)cpus;
}

size_t cs_page_size(void)
{
    long page = sysconf(_SC_PAGESIZE);
    return page < 1 ? 4096u : (size_t)page;
}

bool cs_process_atfork(void (*prepare)(void), void (*parent)(void),
                       void (*child)(void))
{
    return pthread_atfork(prepare, parent, child) == 0;
}

bool cs_process_can_fork(void)
{
    return true;
}

#ifdef __GLIBC__
/* on_exit: runs before the handlers registered earlier, and knows the
 * status to leave with. */
static void leave_before_earlier_exit_handlers(int status, void *unused)
{
    (void)unused;
    fflush(NULL);
    _exit(status);
}
#endif

void cs_process_skip_earlier_exit_handlers(void)
{
#ifdef __GLIBC__
    on_exit(leave_before_earlier_exit_handlers, NULL);
#endif
}

bool cs_memory_read_safely(const void *address, void *out, size_t size)
{
#ifdef __linux__
    struct iovec local = {out, size};
    struct iovec remote = {(void *)address, size};
    ssize_t got = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
    if (got == (ssize_t)size)
        return true;
    if (got >= 0 || (errno != ENOSYS && errno != EPERM))
        return false;
#endif
    /* process_vm_readv refused (seccomp) or absent: a pipe write fails
     * with EFAULT on unreadable memory, also without a fault */
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0)
        return false;
    fcntl(pipe_fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(pipe_fds[1], F_SETFD, FD_CLOEXEC);
    bool readable = true;
    for (size_t done = 0; readable && done < size;) {
        size_t chunk = size - done < 4096 ? size - done : 4096;
        ssize_t wrote = write(pipe_fds[1], (const char *)address + done, chunk);
        readable = wrote > 0 && read(pipe_fds[0], (char *)out + done,
                                     (size_t)wrote) == wrote;
        if (readable)
            done += (size_t)wrote;
    }
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    return readable;
}

bool cs_env_set(const char *name, const char *value, bool overwrite)
{
    if (value == NULL)
        return unsetenv(name) == 0;
    return setenv(name, value, overwrite ? 1 : 0) == 0;
}

bool cs_fd_is_socket(int fd)
{
    struct stat info;
    return fd >= 0 && fstat(fd, &info) == 0 && S_ISSOCK(info.st_mode);
}

/* >>files */

bool cs_file_read_all(const char *path, size_t max_size, void **out_bytes,
                      size_t *out_size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    void *bytes = NULL;
    bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
              (size_t)st.st_size <= max_size &&
              (bytes = malloc(st.st_size ? (size_t)st.st_size : 1)) != NULL;
    size_t done = 0;
    while (ok && done < (size_t)st.st_size) {
        ssize_t got = read(fd, (char *)bytes + done, (size_t)st.st_size - done);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            ok = false;
        else
            done += (size_t)got;
    }
    close(fd);
    if (!ok) {
        free(bytes);
        return false;
    }
    *out_bytes = bytes;
    *out_size = done;
    return true;
}

bool cs_file_exists(const char *path)
{
    struct stat info;
    return stat(path, &info) == 0 && S_ISREG(info.st_mode);
}

bool cs_file_stamp(const char *path, int64_t *out_size, int64_t *out_mtime)
{
    struct stat info;
    if (stat(path, &info) != 0)
        return false;
    *out_size = (int64_t)info.st_size;
    *out_mtime = (int64_t)info.st_mtime;
    return true;
}

struct cs_file {
    int fd;
    bool failed;
};

cs_file *cs_file_create_new(const char *path)
{
    cs_file *file = malloc(sizeof *file);
    if (file == NULL)
        return NULL;
    file->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    file->failed = false;
    if (file->fd < 0) {
        free(file);
        return NULL;
    }
    return file;
}

bool cs_file_write(cs_file *file, const void *bytes, size_t size)
{
    const char *at = bytes;
    while (size && !file->failed) {
        ssize_t done = write(file->fd, at, size);
        if (done < 0 && errno == EINTR)
            continue;
        if (done <= 0) {
            file->failed = true;
        } else {
            at += done;
            size -= (size_t)done;
        }
    }
    return !file->failed;
}

bool cs_file_close(cs_file *file)
{
    bool ok = close(file->fd) == 0 && !file->failed;
    free(file);
    return ok;
}

bool cs_file_replace(const char *from, const char *to)
{
    return rename(from, to) == 0;
}

void cs_file_remove(const char *path)
{
    unlink(path);
}

bool cs_dir_list(const char *path, void (*visit)(const char *name, void *arg),
                 void *arg)
{
    DIR *dir = opendir(path);
    if (dir == NULL)
        return false;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL)
        if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
            visit(entry->d_name, arg);
    closedir(dir);
    return true;
}

bool cs_dir_remove(const char *path)
{
    return rmdir(path) == 0;
}

bool cs_dir_make_all(char *path)
{
    if (*path == '\0')
        return false;
    for (char *slash = strchr(path + 1, '/');; slash = strchr(slash + 1, '/')) {
        if (slash)
            *slash = '\0';
        bool ok = mkdir(path, 0700) == 0 || errno == EEXIST;
        if (slash)
            *slash = '/';
        if (!ok)
            return false;
        if (!slash)
            return true;
    }
}

bool cs_user_cache_home(char *out, size_t capacity)
{
    const char *dir;
    int written;
    if ((dir = getenv("XDG_CACHE_HOME")) && *dir == '/')
        written = snprintf(out, capacity, "%s", dir);
    else if ((dir = getenv("HOME")) && *dir)
        written = snprintf(out, capacity, "%s/.cache", dir);
    else
        return false;
    return written > 0 && (size_t)written < capacity;
}

/* >>windows on screen */

void *cs_program_instance(void)
{
    return NULL;
}

bool cs_window_exists(uint64_t window)
{
    (void)window;
    return false;
}

/* >>dynamic libraries */

void *cs_library_open(const char *path, char *why, size_t why_size)
{
    dlerror();
    void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL && why && why_size) {
        const char *error = dlerror();
        snprintf(why, why_size, "%s", error ? error : "dlopen failed");
    }
    return library;
}

void *cs_library_symbol(void *library, const char *name)
{
    return dlsym(library, name);
}

void cs_library_close(void *library)
{
    dlclose(library);
}

bool cs_library_file_of(const void *address, char *out, size_t capacity)
{
    Dl_info where = {0};
    if (!dladdr(address, &where) || !where.dli_fname)
        return false;
    int written = snprintf(out, capacity, "%s", where.dli_fname);
    return written > 0 && (size_t)written < capacity;
}

void *cs_library_symbol_anywhere(const char *name)
{
    return dlsym(RTLD_DEFAULT, name);
}

#endif
