/* win32.c - platform.h on Windows (Vista and later: slim reader/writer
 * locks, condition variables, one-time initialization, fiber-local
 * storage). Paths are UTF-8, converted to UTF-16 for the wide Win32 calls. */
#include "platform.h"

#ifdef CS_PLATFORM_WINDOWS

#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(SRWLOCK) == sizeof(void *), "SRWLOCK is one pointer");
_Static_assert(sizeof(CONDITION_VARIABLE) == sizeof(void *),
               "CONDITION_VARIABLE is one pointer");
_Static_assert(sizeof(INIT_ONCE) == sizeof(void *), "INIT_ONCE is one pointer");

#define SRW(lock) ((PSRWLOCK) & (lock)->opaque)

/* >>locks */

bool cs_mutex_init(cs_mutex *mutex)
{
    InitializeSRWLock(SRW(mutex));
    return true;
}

void cs_mutex_destroy(cs_mutex *mutex)
{
    (void)mutex; /* an SRW lock holds no resources */
}

void cs_mutex_lock(cs_mutex *mutex)
{
    AcquireSRWLockExclusive(SRW(mutex));
}

void cs_mutex_unlock(cs_mutex *mutex)
{
    ReleaseSRWLockExclusive(SRW(mutex));
}

bool cs_mutex_trylock(cs_mutex *mutex)
{
    return TryAcquireSRWLockExclusive(SRW(mutex)) != 0;
}

bool cs_mutex_timedlock(cs_mutex *mutex, uint64_t timeout_ns)
{
    /* SRW locks have no timed acquire: poll, a millisecond apart (the
     * only user waits for a command list another thread holds) */
    uint64_t start = cs_time_monotonic_ns();
    for (;;) {
        if (cs_mutex_trylock(mutex))
            return true;
        if (cs_time_monotonic_ns() - start >= timeout_ns)
            return false;
        Sleep(1);
    }
}

bool cs_rwlock_init(cs_rwlock *lock, bool prefer_writers)
{
    (void)prefer_writers;
    InitializeSRWLock(SRW(lock));
    return true;
}

void cs_rwlock_destroy(cs_rwlock *lock)
{
    (void)lock;
}

void cs_rwlock_read_lock(cs_rwlock *lock)
{
    AcquireSRWLockShared(SRW(lock));
}

void cs_rwlock_read_unlock(cs_rwlock *lock)
{
    ReleaseSRWLockShared(SRW(lock));
}

void cs_rwlock_write_lock(cs_rwlock *lock)
{
    AcquireSRWLockExclusive(SRW(lock));
}

void cs_rwlock_write_unlock(cs_rwlock *lock)
{
    ReleaseSRWLockExclusive(SRW(lock));
}

bool cs_cond_init(cs_cond *cond)
{
    InitializeConditionVariable((PCONDITION_VARIABLE)&cond->opaque);
    return true;
}

void cs_cond_destroy(cs_cond *cond)
{
    (void)cond;
}

void cs_cond_wait(cs_cond *cond, cs_mutex *mutex)
{
    SleepConditionVariableSRW((PCONDITION_VARIABLE)&cond->opaque, SRW(mutex),
                              INFINITE, 0);
}

void cs_cond_signal(cs_cond *cond)
{
    WakeConditionVariable((PCONDITION_VARIABLE)&cond->opaque);
}

void cs_cond_broadcast(cs_cond *cond)
{
    WakeAllConditionVariable((PCONDITION_VARIABLE)&cond->opaque);
}

struct once_call {
    void (*function)(void);
};

static BOOL CALLBACK run_once(PINIT_ONCE once, PVOID parameter, PVOID *context)
{
    (void)once;
    (void)context;
    ((struct once_call *)parameter)->function();
    return TRUE;
}

void cs_call_once(cs_once *once, void (*function)(void))
{
    struct once_call call = {function};
    InitOnceExecuteOnce((PINIT_ONCE)&once->opaque, run_once, &call, NULL);
}

bool cs_tls_create(cs_tls *key, void (*destructor)(void *))
{
    /* fiber-local storage: unlike TlsAlloc it calls the destructor when a
     * thread ends. The callback is WINAPI, the same convention as a plain
     * C function on x64 and arm64 (the targets here), not on 32-bit x86. */
    DWORD index = FlsAlloc((PFLS_CALLBACK_FUNCTION)destructor);
    if (index == FLS_OUT_OF_INDEXES)
        return false;
    key->index = index;
    return true;
}

void *cs_tls_get(cs_tls key)
{
    return FlsGetValue(key.index);
}

bool cs_tls_set(cs_tls key, void *value)
{
    return FlsSetValue(key.index, value) != 0;
}

/* >>threads */

struct thread_start {
    cs_thread_main main;
    void *arg;
};

static unsigned __stdcall thread_trampoline(void *argument)
{
    struct thread_start start = *(struct thread_start *)argument;
    free(argument);
    return (unsigned)start.main(start.arg);
}

bool cs_thread_create(cs_thread *thread, cs_thread_main main, void *arg,
                      size_t stack_size)
{
    struct thread_start *start = malloc(sizeof *start);
    if (start == NULL)
        return false;
    start->main = main;
    start->arg = arg;
    /* _beginthreadex, not CreateThread: the C runtime's per-thread state is
     * set up for the new thread */
    uintptr_t handle = _beginthreadex(
        NULL, (unsigned)stack_size, thread_trampoline, start,
        stack_size ? STACK_SIZE_PARAM_IS_A_RESERVATION : 0, NULL);
    if (handle == 0) {
        free(start);
        return false;
    }
    thread->handle = (void *)handle;
    return true;
}

bool cs_thread_join(cs_thread thread, int *result)
{
    if (WaitForSingleObject(thread.handle, INFINITE) != WAIT_OBJECT_0)
        return false;
    DWORD code = 0;
    GetExitCodeThread(thread.handle, &code);
    CloseHandle(thread.handle);
    if (result)
        *result = (int)code;
    return true;
}

void cs_thread_detach(cs_thread thread)
{
    CloseHandle(thread.handle);
}

void cs_cpu_relax(void)
{
    YieldProcessor();
}

void cs_thread_yield(void)
{
    SwitchToThread();
}

bool cs_thread_stack_bounds(uintptr_t *low, uintptr_t *high)
{
    ULONG_PTR bottom = 0, top = 0;
    GetCurrentThreadStackLimits(&bottom, &top);
    *low = (uintptr_t)bottom;
    *high = (uintptr_t)top;
    return top > bottom;
}

void cs_thread_stack_discard(void *start, size_t size)
{
    /* Windows commits a stack page by page behind a guard page: giving
     * pages back would break that chain, so the pages stay */
    (void)start;
    (void)size;
}

/* >>time */

uint64_t cs_time_monotonic_ns(void)
{
    static LARGE_INTEGER frequency; /* fixed at boot */
    if (frequency.QuadPart == 0)
        QueryPerformanceFrequency(&frequency);
    LARGE_INTEGER now;
    QueryPerformanceCounter(&now);
    uint64_t ticks = (uint64_t)now.QuadPart;
    uint64_t per_second = (uint64_t)frequency.QuadPart;
    return ticks / per_second * 1000000000u +
           ticks % per_second * 1000000000u / per_second;
}

void cs_sleep_ns(uint64_t ns)
{
    uint64_t ms = (ns + 999999u) / 1000000u;
    Sleep(ms > 0xfffffffeu ? 0xfffffffeu : (DWORD)ms);
}

/* >>process */

int cs_process_id(void)
{
    return (int)GetCurrentProcessId();
}

unsigned cs_cpu_count(void)
{
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    return info.dwNumberOfProcessors ? info.dwNumberOfProcessors : 1u;
}

size_t cs_page_size(void)
{
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    return info.dwPageSize;
}

bool cs_process_atfork(void (*prepare)(void), void (*parent)(void),
                       void (*child)(void))
{
    (void)prepare;
    (void)parent;
    (void)child;
    return true; /* no fork() on Windows: nothing to guard */
}

bool cs_process_can_fork(void)
{
    return false;
}

void cs_process_skip_earlier_exit_handlers(void)
{
    /* only a fork()ed child needs it, and Windows has no fork() */
}

bool cs_memory_read_safely(const void *address, void *out, size_t size)
{
    SIZE_T got = 0;
    return ReadProcessMemory(GetCurrentProcess(), address, out, size, &got) &&
           got == size;
}

bool cs_env_set(const char *name, const char *value, bool overwrite)
{
    if (value && !overwrite && getenv(name))
        return true;
    /* the C runtime's copy, which getenv() reads */
    return _putenv_s(name, value ? value : "") == 0;
}

bool cs_fd_is_socket(int fd)
{
    (void)fd;
    return false;
}

/* >>files */

/* text in code page page as UTF-16 (malloc'ed), NULL when it is not valid
 * there */
static wchar_t *widen(const char *text, UINT page)
{
    DWORD flags = page == CP_UTF8 ? MB_ERR_INVALID_CHARS : 0;
    int count = MultiByteToWideChar(page, flags, text, -1, NULL, 0);
    if (count <= 0)
        return NULL;
    wchar_t *wide = malloc((size_t)count * sizeof *wide);
    if (wide &&
        MultiByteToWideChar(page, flags, text, -1, wide, count) != count) {
        free(wide);
        return NULL;
    }
    return wide;
}

/* path as UTF-16 (malloc'ed). Paths are UTF-8; one that is not (a path
 * from getenv(), in the ANSI code page) is read in the ANSI code page. */
static wchar_t *wide_path(const char *path)
{
    wchar_t *wide = widen(path, CP_UTF8);
    return wide ? wide : widen(path, CP_ACP);
}

bool cs_file_read_all(const char *path, size_t max_size, void **out_bytes,
                      size_t *out_size)
{
    wchar_t *wide = wide_path(path);
    if (wide == NULL)
        return false;
    HANDLE handle =
        CreateFileW(wide, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE,
                    NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    free(wide);
    if (handle == INVALID_HANDLE_VALUE)
        return false;
    LARGE_INTEGER size;
    void *bytes = NULL;
    bool ok =
        GetFileType(handle) == FILE_TYPE_DISK && GetFileSizeEx(handle, &size) &&
        size.QuadPart >= 0 && (uint64_t)size.QuadPart <= max_size &&
        (bytes = malloc(size.QuadPart ? (size_t)size.QuadPart : 1)) != NULL;
    size_t done = 0;
    while (ok && done < (size_t)size.QuadPart) {
        size_t left = (size_t)size.QuadPart - done;
        DWORD chunk = left > (1u << 30) ? (1u << 30) : (DWORD)left, got = 0;
        ok = ReadFile(handle, (char *)bytes + done, chunk, &got, NULL) &&
             got > 0;
        done += got;
    }
    CloseHandle(handle);
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
    wchar_t *wide = wide_path(path);
    if (wide == NULL)
        return false;
    DWORD attributes = GetFileAttributesW(wide);
    free(wide);
    return attributes != INVALID_FILE_ATTRIBUTES &&
           !(attributes & FILE_ATTRIBUTE_DIRECTORY);
}

bool cs_file_stamp(const char *path, int64_t *out_size, int64_t *out_mtime)
{
    wchar_t *wide = wide_path(path);
    WIN32_FILE_ATTRIBUTE_DATA data;
    bool ok = wide && GetFileAttributesExW(wide, GetFileExInfoStandard, &data);
    free(wide);
    if (!ok)
        return false;
    *out_size =
        (int64_t)(((uint64_t)data.nFileSizeHigh << 32) | data.nFileSizeLow);
    uint64_t ticks = ((uint64_t)data.ftLastWriteTime.dwHighDateTime << 32) |
                     data.ftLastWriteTime.dwLowDateTime;
    /* 100 ns ticks since 1601 to seconds since 1970 */
    *out_mtime = (int64_t)(ticks / 10000000u) - 11644473600;
    return true;
}

struct cs_file {
    HANDLE handle;
    bool failed;
};

cs_file *cs_file_create_new(const char *path)
{
    wchar_t *wide = wide_path(path);
    if (wide == NULL)
        return NULL;
    cs_file *file = malloc(sizeof *file);
    if (file) {
        /* the folder's inherited ACL keeps it to this user (%LOCALAPPDATA%
         * is the user's own) */
        file->handle = CreateFileW(wide, GENERIC_WRITE, 0, NULL, CREATE_NEW,
                                   FILE_ATTRIBUTE_NORMAL, NULL);
        file->failed = false;
        if (file->handle == INVALID_HANDLE_VALUE) {
            free(file);
            file = NULL;
        }
    }
    free(wide);
    return file;
}

bool cs_file_write(cs_file *file, const void *bytes, size_t size)
{
    const char *at = bytes;
    while (size && !file->failed) {
        DWORD chunk = size > (1u << 30) ? (1u << 30) : (DWORD)size, done = 0;
        if (!WriteFile(file->handle, at, chunk, &done, NULL) || done == 0) {
            file->failed = true;
        } else {
            at += done;
            size -= done;
        }
    }
    return !file->failed;
}

bool cs_file_close(cs_file *file)
{
    bool ok = CloseHandle(file->handle) && !file->failed;
    free(file);
    return ok;
}

bool cs_file_replace(const char *from, const char *to)
{
    wchar_t *wide_from = wide_path(from), *wide_to = wide_path(to);
    bool ok = wide_from && wide_to &&
              MoveFileExW(wide_from, wide_to, MOVEFILE_REPLACE_EXISTING);
    free(wide_from);
    free(wide_to);
    return ok;
}

void cs_file_remove(const char *path)
{
    wchar_t *wide = wide_path(path);
    if (wide)
        DeleteFileW(wide);
    free(wide);
}

static bool make_one_dir(const char *path)
{
    wchar_t *wide = wide_path(path);
    if (wide == NULL)
        return false;
    bool ok =
        CreateDirectoryW(wide, NULL) || GetLastError() == ERROR_ALREADY_EXISTS;
    free(wide);
    return ok;
}

bool cs_dir_list(const char *path, void (*visit)(const char *name, void *arg),
                 void *arg)
{
    size_t length = strlen(path);
    char *pattern = malloc(length + 3);
    if (pattern == NULL)
        return false;
    memcpy(pattern, path, length);
    memcpy(pattern + length, "/*", 3);
    wchar_t *wide = wide_path(pattern);
    free(pattern);
    WIN32_FIND_DATAW found;
    HANDLE search = wide ? FindFirstFileW(wide, &found) : INVALID_HANDLE_VALUE;
    free(wide);
    if (search == INVALID_HANDLE_VALUE)
        return GetLastError() == ERROR_FILE_NOT_FOUND; /* empty */
    do {
        char name[MAX_PATH * 4];
        if (WideCharToMultiByte(CP_UTF8, 0, found.cFileName, -1, name,
                                sizeof name, NULL, NULL) > 0 &&
            strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
            visit(name, arg);
    } while (FindNextFileW(search, &found));
    FindClose(search);
    return true;
}

bool cs_dir_remove(const char *path)
{
    wchar_t *wide = wide_path(path);
    bool ok = wide && RemoveDirectoryW(wide);
    free(wide);
    return ok;
}

static bool is_separator(char c)
{
    return c == '/' || c == '\\';
}

bool cs_dir_make_all(char *path)
{
    if (*path == '\0')
        return false;
    /* skip the root: "C:\", "\\server\share\" or a leading separator */
    char *at = path;
    if (at[0] && at[1] == ':')
        at += 2;
    if (is_separator(at[0]) && is_separator(at[1])) {
        at += 2;
        for (int parts = 0; *at && parts < 2; at++)
            if (is_separator(*at))
                parts++;
    }
    for (;; at++) {
        while (*at && is_separator(*at))
            at++;
        while (*at && !is_separator(*at))
            at++;
        char saved = *at;
        *at = '\0';
        bool ok = make_one_dir(path);
        *at = saved;
        if (!ok)
            return false;
        if (saved == '\0')
            return true;
    }
}

bool cs_user_cache_home(char *out, size_t capacity)
{
    const char *dir = getenv("LOCALAPPDATA");
    if (dir == NULL || *dir == '\0')
        return false;
    int written = snprintf(out, capacity, "%s", dir);
    return written > 0 && (size_t)written < capacity;
}

/* >>windows on screen */

void *cs_program_instance(void)
{
    return (void *)GetModuleHandleW(NULL);
}

bool cs_window_exists(uint64_t window)
{
    return window != 0 && IsWindow((HWND)(uintptr_t)window);
}

/* >>dynamic libraries */

void *cs_library_open(const char *path, char *why, size_t why_size)
{
    wchar_t *wide = wide_path(path);
    HMODULE library = wide ? LoadLibraryW(wide) : NULL;
    free(wide);
    if (library == NULL && why && why_size) {
        DWORD error = GetLastError();
        char text[512] = "";
        FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM |
                           FORMAT_MESSAGE_IGNORE_INSERTS,
                       NULL, error, 0, text, sizeof text, NULL);
        size_t length = strlen(text);
        while (length && (text[length - 1] == '\n' || text[length - 1] == '\r'))
            text[--length] = '\0';
        snprintf(why, why_size, "%s: %s (error %lu)", path,
                 length ? text : "LoadLibrary failed", (unsigned long)error);
    }
    return (void *)library;
}

void *cs_library_symbol(void *library, const char *name)
{
    return (void *)GetProcAddress((HMODULE)library, name);
}

void cs_library_close(void *library)
{
    FreeLibrary((HMODULE)library);
}

bool cs_library_file_of(const void *address, char *out, size_t capacity)
{
    HMODULE module = NULL;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                                GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)address, &module))
        return false;
    wchar_t wide[MAX_PATH];
    DWORD length = GetModuleFileNameW(module, wide, MAX_PATH);
    if (length == 0 || length >= MAX_PATH)
        return false;
    int written = WideCharToMultiByte(CP_UTF8, 0, wide, (int)length + 1, out,
                                      (int)capacity, NULL, NULL);
    return written > 0;
}

void *cs_library_symbol_anywhere(const char *name)
{
    return (void *)GetProcAddress(GetModuleHandleW(NULL), name);
}

#endif
