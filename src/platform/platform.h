/*
 * platform.h - the only place that knows the operating system: threads,
 * locks, once, condition variables, thread-local keys, clocks, files and the
 * cache folder, dynamic libraries, the process (id, fork hooks, CPUs) and
 * safe memory reads. posix.c implements it for Linux (and other POSIX
 * systems), win32.c for Windows; nothing else in src/ includes an OS
 * header.
 *
 * Conventions: functions that can fail return true on success. Locks and
 * condition variables are plain (not recursive); CS_*_INIT initializes a
 * static one without a call. The Win32 types are opaque pointer-sized
 * storage, so this header does not pull <windows.h> into every file.
 */
#ifndef CS_PLATFORM_H
#define CS_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef _WIN32
#define CS_PLATFORM_WINDOWS 1
#else
#define CS_PLATFORM_POSIX 1
#include <pthread.h>
#endif

/* printf-like functions: MinGW's GCC checks `printf` formats against the
 * old msvcrt (no %zu); the library is built with MinGW's C99 printf
 * (__USE_MINGW_ANSI_STDIO), so the GNU rules apply. */
#if defined(__MINGW32__)
#define CS_PRINTF_FORMAT(text_arg, first_arg)                                  \
    __attribute__((format(gnu_printf, text_arg, first_arg)))
#elif defined(__GNUC__)
#define CS_PRINTF_FORMAT(text_arg, first_arg)                                  \
    __attribute__((format(printf, text_arg, first_arg)))
#else
#define CS_PRINTF_FORMAT(text_arg, first_arg)
#endif

/* A symbol the library's own files share and never export (a DLL exports
 * only what is marked for export, so nothing is needed there). */
#if defined(__GNUC__) && !defined(CS_PLATFORM_WINDOWS)
#define CS_HIDDEN __attribute__((visibility("hidden")))
#else
#define CS_HIDDEN
#endif

/* >>locks, once, condition variables, thread-local keys */

#ifdef CS_PLATFORM_WINDOWS
typedef struct {
    void *opaque; /* SRWLOCK, held exclusively */
} cs_mutex;
typedef struct {
    void *opaque; /* SRWLOCK */
} cs_rwlock;
typedef struct {
    void *opaque; /* CONDITION_VARIABLE */
} cs_cond;
typedef struct {
    void *opaque; /* INIT_ONCE */
} cs_once;
typedef struct {
    unsigned long index; /* fiber-local storage index (FlsAlloc) */
} cs_tls;
typedef struct {
    void *handle; /* thread HANDLE */
} cs_thread;
/* clang-format off */
#define CS_MUTEX_INIT {0}
#define CS_RWLOCK_INIT {0}
#define CS_ONCE_INIT {0}
/* clang-format on */
#else
typedef pthread_mutex_t cs_mutex;
typedef pthread_rwlock_t cs_rwlock;
typedef pthread_cond_t cs_cond;
typedef pthread_once_t cs_once;
typedef pthread_key_t cs_tls;
typedef pthread_t cs_thread;
#define CS_MUTEX_INIT PTHREAD_MUTEX_INITIALIZER
#define CS_RWLOCK_INIT PTHREAD_RWLOCK_INITIALIZER
#define CS_ONCE_INIT PTHREAD_ONCE_INIT
#endif

bool cs_mutex_init(cs_mutex *mutex);
void cs_mutex_destroy(cs_mutex *mutex);
void cs_mutex_lock(cs_mutex *mutex);
void cs_mutex_unlock(cs_mutex *mutex);
/* true: now held by the caller */
bool cs_mutex_trylock(cs_mutex *mutex);
/* Waits at most timeout_ns for the lock; true: now held by the caller. */
bool cs_mutex_timedlock(cs_mutex *mutex, uint64_t timeout_ns);

/* prefer_writers: a waiting writer holds new readers back (fork.c needs it
 * so a fork() is not starved by a stream of readers; the Win32 lock is
 * always fair enough for that). */
bool cs_rwlock_init(cs_rwlock *lock, bool prefer_writers);
void cs_rwlock_destroy(cs_rwlock *lock);
void cs_rwlock_read_lock(cs_rwlock *lock);
void cs_rwlock_read_unlock(cs_rwlock *lock);
void cs_rwlock_write_lock(cs_rwlock *lock);
void cs_rwlock_write_unlock(cs_rwlock *lock);

bool cs_cond_init(cs_cond *cond);
void cs_cond_destroy(cs_cond *cond);
void cs_cond_wait(cs_cond *cond, cs_mutex *mutex);
void cs_cond_signal(cs_cond *cond);
void cs_cond_broadcast(cs_cond *cond);

/* Runs function once per cs_once, whichever thread comes first; the others
 * wait until it has returned. */
void cs_call_once(cs_once *once, void (*function)(void));

/* destructor (may be NULL) runs with the thread's non-NULL value when the
 * thread ends. */
bool cs_tls_create(cs_tls *key, void (*destructor)(void *));
void *cs_tls_get(cs_tls key);
bool cs_tls_set(cs_tls key, void *value);

/* >>threads */

typedef int (*cs_thread_main)(void *arg);

/* stack_size: 0 for the system's default, else the bytes to reserve (a
 * POSIX thread also gets a 64 KiB guard area below it). */
bool cs_thread_create(cs_thread *thread, cs_thread_main main, void *arg,
                      size_t stack_size);
bool cs_thread_join(cs_thread thread, int *result);
void cs_thread_detach(cs_thread thread);
void cs_thread_yield(void);
/* A hint to the CPU inside a polling loop (x86's pause): the core spins
 * more gently and a sibling hyperthread gets the cycles. */
void cs_cpu_relax(void);
/* The calling thread's stack, [*low, *high); false when unknown. */
bool cs_thread_stack_bounds(uintptr_t *low, uintptr_t *high);
/* Gives back the memory of [start, start + size) of the calling thread's
 * stack, below its current depth (a no-op where the system cannot). */
void cs_thread_stack_discard(void *start, size_t size);

/* >>time */

/* A clock that never goes back, in nanoseconds from an unspecified start. */
uint64_t cs_time_monotonic_ns(void);
void cs_sleep_ns(uint64_t ns);

/* >>process */

int cs_process_id(void);
/* CPUs online (at least 1). */
unsigned cs_cpu_count(void);
size_t cs_page_size(void);
/* Registers fork() handlers as pthread_atfork; true on success. Where there
 * is no fork() (Windows) nothing is registered and it returns true. */
bool cs_process_atfork(void (*prepare)(void), void (*parent)(void),
                       void (*child)(void));
/* Whether a process can fork() at all (false on Windows). */
bool cs_process_can_fork(void);
/* From now on, exit() ends the process (flushing stdio) before the exit
 * handlers registered so far run: a fork()ed child skips its parent's
 * (glibc only, through on_exit; elsewhere a no-op). */
void cs_process_skip_earlier_exit_handlers(void);
/* Copies size bytes at address into out; false (never a fault) when any of
 * them is not readable memory of this process. */
bool cs_memory_read_safely(const void *address, void *out, size_t size);

/* Sets (value non-NULL) or removes an environment variable of this
 * process; overwrite false keeps an existing value. */
bool cs_env_set(const char *name, const char *value, bool overwrite);

/* Whether fd is an open socket (an X11 Display's connection); false on
 * Windows, where C file descriptors are never sockets. */
bool cs_fd_is_socket(int fd);

/* >>files: paths are UTF-8; '/' separates folders on both systems */

/* The whole regular file at path, at most max_size bytes, in *out_bytes
 * (malloc'ed; free() it); false when missing, larger or unreadable. */
bool cs_file_read_all(const char *path, size_t max_size, void **out_bytes,
                      size_t *out_size);
/* Whether path is an existing regular file. */
bool cs_file_exists(const char *path);
/* The size and the modification time (seconds) of the file at path. */
bool cs_file_stamp(const char *path, int64_t *out_size, int64_t *out_mtime);
/* Creates path, which must not exist, readable by this user only; NULL on
 * failure. */
typedef struct cs_file cs_file;
cs_file *cs_file_create_new(const char *path);
bool cs_file_write(cs_file *file, const void *bytes, size_t size);
/* Closes the file; false when some written bytes did not reach it. */
bool cs_file_close(cs_file *file);
/* Moves from over to, replacing to when it exists. */
bool cs_file_replace(const char *from, const char *to);
void cs_file_remove(const char *path);
/* Calls visit with the name of each entry of the folder path (not "." nor
 * ".."), in no particular order; false when it cannot be read. */
bool cs_dir_list(const char *path, void (*visit)(const char *name, void *arg),
                 void *arg);
/* Removes the empty folder path; false when it cannot. */
bool cs_dir_remove(const char *path);
/* Makes path and its missing parents (this user only); true when the
 * folder exists afterwards. path is modified while it runs, then restored. */
bool cs_dir_make_all(char *path);
/* The per-user folder for caches: $XDG_CACHE_HOME (when absolute) or
 * $HOME/.cache on POSIX, %LOCALAPPDATA% on Windows; false when none is
 * set or it does not fit. */
bool cs_user_cache_home(char *out, size_t capacity);

/* >>windows on screen (Win32 only) */

/* The program's module handle (a Win32 HINSTANCE); NULL elsewhere. */
void *cs_program_instance(void);
/* Whether window is the handle of an existing Win32 window (HWND); false
 * elsewhere. */
bool cs_window_exists(uint64_t window);

/* >>dynamic libraries */

/* Loads the library at path (a name alone: the system's search); NULL on
 * failure, with the reason in why (may be NULL). */
void *cs_library_open(const char *path, char *why, size_t why_size);
void *cs_library_symbol(void *library, const char *name);
void cs_library_close(void *library);
/* The file of the loaded library that holds address (dladdr). */
bool cs_library_file_of(const void *address, char *out, size_t capacity);
/* A symbol of the program or any library loaded so far (RTLD_DEFAULT); on
 * Windows, of the program's own module. */
void *cs_library_symbol_anywhere(const char *name);

#endif
