/* dxc.c - HLSL to SPIR-V through DXC's shared library (libdxcompiler.so),
 * loaded at first use and called through its COM interfaces, declared here
 * in C from the public dxcapi.h. Nothing of DXC is built in: without the
 * library, DXC compiles fail with CS_ERROR_UNSUPPORTED.
 *
 * The library is searched, in order, at COMPUSHADY_DXC (a file path),
 * $VULKAN_SDK/lib/libdxcompiler.so, then by the dynamic loader's default
 * search (libdxcompiler.so, libdxcompiler.so.3.7); on Windows at
 * %VULKAN_SDK%/Bin/dxcompiler.dll, then dxcompiler.dll. */
#include "shader_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Where the Vulkan SDK keeps DXC, and the names the system's search
 * finds it by. */
#ifdef CS_PLATFORM_WINDOWS
#define DXC_SDK_FILE "Bin/dxcompiler.dll"
#define DXC_LIBRARY_FILE "dxcompiler.dll"
#define DXC_LIBRARY_NAMES "dxcompiler.dll"
#else
#define DXC_SDK_FILE "lib/libdxcompiler.so"
#define DXC_LIBRARY_FILE "libdxcompiler.so"
#define DXC_LIBRARY_NAMES "libdxcompiler.so", "libdxcompiler.so.3.7"
#endif

/* >>COM types as DXC's WinAdapter.h declares them off Windows: HRESULT is a
 * 32-bit int, REFIID a pointer to a GUID, LPCWSTR a wchar_t string (32-bit
 * wchar_t on Linux). */
typedef int32_t dxc_hresult;

typedef struct dxc_guid {
    uint32_t data1;
    uint16_t data2;
    uint16_t data3;
    uint8_t data4[8];
} dxc_guid;

typedef struct dxc_buffer { /* DxcBuffer */
    const void *ptr;
    size_t size;
    uint32_t encoding; /* code page; DXC_CP_UTF8 */
} dxc_buffer;

enum { DXC_CP_UTF8 = 65001 };

/* GUIDs from dxcapi.h (and IUnknown's / IMalloc's from COM) */
static const dxc_guid clsid_dxc_compiler = {
    0x73e22d93,
    0xe6ce,
    0x47f3,
    {0xb5, 0xbf, 0xf0, 0x66, 0x4f, 0x39, 0xc1, 0xb0}};
static const dxc_guid iid_idxc_compiler3 = {
    0x228b4687,
    0x5a6a,
    0x4730,
    {0x90, 0x0c, 0x97, 0x02, 0xb2, 0x20, 0x3f, 0x54}};
static const dxc_guid iid_idxc_result = {
    0x58346cda,
    0xdde7,
    0x4497,
    {0x94, 0x61, 0x6f, 0x87, 0xaf, 0x5e, 0x06, 0x59}};
static const dxc_guid iid_iunknown = {
    0x00000000,
    0x0000,
    0x0000,
    {0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}};
static const dxc_guid iid_imalloc = {
    0x00000002,
    0x0000,
    0x0000,
    {0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}};

/* >>vtables. A COM object starts with a pointer to its table of methods.
 * The slots, counted as on Windows (where IUnknown has three):
 *
 *   IUnknown             0 QueryInterface, 1 AddRef, 2 Release
 *   IDxcBlob             3 GetBufferPointer, 4 GetBufferSize
 *   IDxcBlobEncoding     5 GetEncoding
 *   IDxcOperationResult  3 GetStatus, 4 GetResult, 5 GetErrorBuffer
 *   IDxcResult           6 HasOutput, 7 GetOutput, 8 GetNumOutputs,
 *                        9 GetOutputByIndex, 10 PrimaryOutput
 *   IDxcCompiler3        3 Compile, 4 Disassemble
 *   IMalloc              3 Alloc, 4 Realloc, 5 Free, 6 GetSize,
 *                        7 DidAlloc, 8 HeapMinimize
 *
 * DXC built off Windows before October 2022 (WinAdapter.h with a virtual
 * ~IUnknown(), as in the library of compushady 0.17.5's source
 * distribution) has two more slots after Release, the destructors, which
 * shifts every later method by two; its IMalloc stops at Free. Which one a
 * library is cannot be read from its exports: dxc_probe_abi() finds out by
 * handing DXC an IMalloc of ours and seeing which slot it allocates with. */
enum {
    DXC_SLOT_RELEASE = 2,
    DXC_SLOT_BLOB_GET_BUFFER_POINTER = 3,
    DXC_SLOT_BLOB_GET_BUFFER_SIZE = 4,
    DXC_SLOT_RESULT_GET_STATUS = 3,
    DXC_SLOT_RESULT_GET_RESULT = 4,
    DXC_SLOT_RESULT_GET_ERROR_BUFFER = 5,
    DXC_SLOT_COMPILER3_COMPILE = 3,
};

typedef void (*dxc_method)(void);

typedef dxc_hresult (*dxc_create_instance_fn)(const dxc_guid *clsid,
                                              const dxc_guid *iid, void **out);
typedef dxc_hresult (*dxc_create_instance2_fn)(void *malloc,
                                               const dxc_guid *clsid,
                                               const dxc_guid *iid, void **out);
typedef unsigned long (*dxc_release_fn)(void *self);
typedef void *(*dxc_blob_get_buffer_pointer_fn)(void *self);
typedef size_t (*dxc_blob_get_buffer_size_fn)(void *self);
typedef dxc_hresult (*dxc_result_get_status_fn)(void *self,
                                                dxc_hresult *status);
typedef dxc_hresult (*dxc_result_get_blob_fn)(void *self, void **blob);
typedef dxc_hresult (*dxc_compiler3_compile_fn)(
    void *self, const dxc_buffer *source, const wchar_t **arguments,
    uint32_t argument_count, void *include_handler, const dxc_guid *iid,
    void **result);

static struct {
    cs_mutex lock;
    void *library;
    dxc_create_instance_fn create_instance;
    unsigned destructor_slots; /* 0, or 2 for the old WinAdapter ABI */
    char path[512];            /* where it was found */
} dxc;

static cs_once dxc_once = CS_ONCE_INIT;
static bool dxc_lock_made;

static void make_dxc_lock(void)
{
    dxc_lock_made = cs_mutex_init(&dxc.lock);
}

/* The method in `slot` (Windows numbering) of a COM object. */
static dxc_method dxc_vtable_slot(void *object, unsigned slot)
{
    dxc_method *table = *(dxc_method **)object;
    return table[slot <= DXC_SLOT_RELEASE ? slot : slot + dxc.destructor_slots];
}

static void dxc_release(void *object)
{
    if (object)
        ((dxc_release_fn)dxc_vtable_slot(object, DXC_SLOT_RELEASE))(object);
}

/* >>ABI probe: an IMalloc whose slots serve both layouts. New layout:
 * 3 Alloc, 4 Realloc, 5 Free, 6 GetSize, 7 DidAlloc, 8 HeapMinimize. Old
 * layout: 3 and 4 are destructors (DXC never calls them: it releases), then
 * 5 Alloc, 6 Realloc, 7 Free. Creating an object allocates before it frees,
 * so the first allocation tells: slot 3 means the new layout, slot 5 the
 * old. Slot 5 takes one pointer-sized integer argument, which is a size for
 * Alloc and a pointer for Free: both travel in the same register. */
enum { PROBE_UNKNOWN, PROBE_NEW, PROBE_OLD };
static int probe_layout;

static dxc_hresult probe_query_interface(void *self, const dxc_guid *iid,
                                         void **out)
{
    if (memcmp(iid, &iid_iunknown, sizeof *iid) == 0 ||
        memcmp(iid, &iid_imalloc, sizeof *iid) == 0) {
        *out = self;
        return 0;
    }
    *out = NULL;
    return (dxc_hresult)0x80004002u; /* E_NOINTERFACE */
}

static unsigned long probe_add_ref(void *self)
{
    (void)self;
    return 1;
}

static unsigned long probe_release(void *self)
{
    (void)self;
    return 1;
}

static void *probe_slot3(void *self, size_t size) /* new Alloc */
{
    (void)self;
    if (probe_layout == PROBE_UNKNOWN)
        probe_layout = PROBE_NEW;
    return malloc(size ? size : 1);
}

static void *probe_slot4(void *self, void *memory,
                         size_t size) /* new Realloc */
{
    (void)self;
    return realloc(memory, size ? size : 1);
}

static void *probe_slot5(void *self, uintptr_t argument)
{
    (void)self;
    if (probe_layout == PROBE_NEW) { /* Free(pointer) */
        free((void *)argument);
        return NULL;
    }
    probe_layout = PROBE_OLD; /* Alloc(size) */
    return malloc(argument ? (size_t)argument : 1);
}

static void *probe_slot6(void *self, void *memory, size_t size)
{
    (void)self;
    if (probe_layout == PROBE_OLD) /* Realloc */
        return realloc(memory, size ? size : 1);
    return NULL; /* new GetSize: unknown */
}

static int probe_slot7(void *self, void *memory)
{
    (void)self;
    if (probe_layout == PROBE_OLD) { /* Free */
        free(memory);
        return 0;
    }
    return -1; /* new DidAlloc: cannot tell */
}

static void probe_slot8(void *self) /* new HeapMinimize */
{
    (void)self;
}

static bool dxc_probe_abi(void *library)
{
    dxc_create_instance2_fn create_instance2 =
        (dxc_create_instance2_fn)cs_library_symbol(library,
                                                   "DxcCreateInstance2");
    if (create_instance2 == NULL)
        return true; /* keep the current layout */
    static const dxc_method probe_table[] = {
        (dxc_method)probe_query_interface, (dxc_method)probe_add_ref,
        (dxc_method)probe_release,         (dxc_method)probe_slot3,
        (dxc_method)probe_slot4,           (dxc_method)probe_slot5,
        (dxc_method)probe_slot6,           (dxc_method)probe_slot7,
        (dxc_method)probe_slot8,
    };
    struct {
        const dxc_method *table;
    } probe_malloc = {probe_table};
    probe_layout = PROBE_UNKNOWN;
    void *compiler = NULL;
    dxc_hresult hr = create_instance2(&probe_malloc, &clsid_dxc_compiler,
                                      &iid_idxc_compiler3, &compiler);
    if (hr < 0 || compiler == NULL || probe_layout == PROBE_UNKNOWN) {
        /* the object, if any, may hold our IMalloc: keep it */
        return false;
    }
    dxc.destructor_slots = probe_layout == PROBE_OLD ? 2 : 0;
    dxc_release(compiler); /* frees through probe_malloc */
    return true;
}

/* Tries one path; keeps the library when it has DxcCreateInstance. */
static bool dxc_try_open(const char *path, char *why, size_t why_size)
{
    void *library = cs_library_open(path, why, why_size);
    if (library == NULL)
        return false;
    dxc_create_instance_fn create =
        (dxc_create_instance_fn)cs_library_symbol(library, "DxcCreateInstance");
    if (create == NULL) {
        snprintf(why, why_size, "%s has no DxcCreateInstance", path);
        cs_library_close(library);
        return false;
    }
    if (!dxc_probe_abi(library)) {
        snprintf(why, why_size,
                 "%s: DxcCreateInstance2 could not create a compiler", path);
        return false; /* not closed: DXC may still reference our IMalloc */
    }
    dxc.library = library;
    dxc.create_instance = create;
    snprintf(dxc.path, sizeof dxc.path, "%s", path);
    return true;
}

/* Loads the library if it is not loaded yet; the caller holds dxc.lock.
 * A failed search is retried by the next call (COMPUSHADY_DXC may have been
 * set since). */
static cs_status dxc_load_locked(void)
{
    if (dxc.library)
        return CS_OK;
    char why[768] = "";
    const char *explicit_path = getenv("COMPUSHADY_DXC");
    if (explicit_path && *explicit_path) {
        if (dxc_try_open(explicit_path, why, sizeof why))
            return CS_OK;
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "DXC library not found: COMPUSHADY_DXC=%s cannot be "
                       "loaded (%s)",
                       explicit_path, why);
    }
    const char *sdk = getenv("VULKAN_SDK");
    if (sdk && *sdk) {
        char path[600];
        snprintf(path, sizeof path, "%s/" DXC_SDK_FILE, sdk);
        if (dxc_try_open(path, why, sizeof why))
            return CS_OK;
    }
    static const char *const names[] = {DXC_LIBRARY_NAMES};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (dxc_try_open(names[i], why, sizeof why))
            return CS_OK;
    return cs_fail(CS_ERROR_UNSUPPORTED,
                   "DXC library not found: set COMPUSHADY_DXC to "
                   "%s (last error: %s)",
                   DXC_LIBRARY_FILE, why);
}

static cs_status dxc_load(void)
{
    cs_call_once(&dxc_once, make_dxc_lock);
    if (!dxc_lock_made)
        return cs_fail(CS_ERROR_BACKEND, "cannot create the DXC lock");
    cs_mutex_lock(&dxc.lock);
    cs_status status = dxc_load_locked();
    cs_mutex_unlock(&dxc.lock);
    return status;
}

bool cs_shader_dxc_available(void)
{
    return dxc_load() == CS_OK;
}

/* UTF-8 to a malloc'd wide string (invalid bytes become U+FFFD). */
/* Whether the size bytes at text hold needle (memmem is not standard C). */
static bool dxc_text_contains(const void *text, size_t size, const char *needle)
{
    size_t length = strlen(needle);
    const char *at = text;
    for (size_t i = 0; length && i + length <= size; i++)
        if (at[i] == needle[0] && memcmp(at + i, needle, length) == 0)
            return true;
    return false;
}

static wchar_t *dxc_widen(const char *text)
{
    size_t length = strlen(text);
    wchar_t *wide = malloc((length + 1) * sizeof *wide);
    if (wide == NULL)
        return NULL;
    size_t count = 0;
    const unsigned char *at = (const unsigned char *)text;
    while (*at) {
        uint32_t code = *at;
        int extra = code < 0x80             ? 0
                    : (code & 0xe0) == 0xc0 ? 1
                    : (code & 0xf0) == 0xe0 ? 2
                    : (code & 0xf8) == 0xf0 ? 3
                                            : -1;
        at++;
        if (extra < 0) {
            wide[count++] = 0xfffd;
            continue;
        }
        code &= extra == 0 ? 0x7f : (0x3f >> extra);
        int taken = 0;
        while (taken < extra && (*at & 0xc0) == 0x80) {
            code = (code << 6) | (*at & 0x3f);
            at++;
            taken++;
        }
        if (taken == extra && sizeof(wchar_t) == 2 && code > 0xffff) {
            /* UTF-16 (Windows): a surrogate pair, for the 4 bytes read */
            code -= 0x10000;
            wide[count++] = (wchar_t)(0xd800 + (code >> 10));
            wide[count++] = (wchar_t)(0xdc00 + (code & 0x3ff));
            continue;
        }
        wide[count++] = taken == extra ? (wchar_t)code : 0xfffd;
    }
    wide[count] = 0;
    return wide;
}

/* A blob's bytes as text for a message (not necessarily terminated). */
static void dxc_blob_span(void *blob, const char **out_text, size_t *out_size)
{
    *out_text = ((dxc_blob_get_buffer_pointer_fn)dxc_vtable_slot(
        blob, DXC_SLOT_BLOB_GET_BUFFER_POINTER))(blob);
    *out_size = ((dxc_blob_get_buffer_size_fn)dxc_vtable_slot(
        blob, DXC_SLOT_BLOB_GET_BUFFER_SIZE))(blob);
    /* UTF-8 blobs count their terminator */
    while (*out_size && (*out_text)[*out_size - 1] == '\0')
        (*out_size)--;
}

cs_status cs_dxc_compile(const char *source, size_t size,
                         const char *entry_point, const char *target,
                         const char *file_name, uint32_t **out_words,
                         size_t *out_word_count)
{
    cs_status status = dxc_load();
    if (status != CS_OK)
        return status;

    wchar_t *wide_name = dxc_widen(file_name);
    wchar_t *wide_entry = dxc_widen(entry_point);
    wchar_t *wide_target = dxc_widen(target);
    if (!wide_name || !wide_entry || !wide_target) {
        free(wide_name);
        free(wide_entry);
        free(wide_target);
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "cannot allocate DXC's arguments");
    }
    /* The original compushady's DXC arguments for SPIR-V, plus the entry
     * point, profile and optimization level (DXC's default, -O3). */
    const wchar_t *arguments[32] = {
        wide_name,
        L"-E",
        wide_entry,
        L"-T",
        wide_target,
        L"-O3",
        L"-spirv",
        L"-fvk-auto-shift-bindings",
        L"-fvk-t-shift",
        L"1024",
        L"0",
        L"-fvk-u-shift",
        L"2048",
        L"0",
        L"-fvk-s-shift",
        L"3072",
        L"0",
        L"-fvk-use-dx-layout",
        L"-fvk-use-scalar-layout",
    };
    uint32_t argument_count = 19;
    bool added_vulkan_1_1 = false, added_hlsl_2021 = false;
    const dxc_buffer buffer = {source, size, DXC_CP_UTF8};

    void *compiler = NULL;
    void *result = NULL;
    void *blob = NULL;
    dxc_hresult hr = dxc.create_instance(&clsid_dxc_compiler,
                                         &iid_idxc_compiler3, &compiler);
    if (hr < 0 || compiler == NULL) {
        status = cs_fail(CS_ERROR_BACKEND,
                         "DXC (%s) could not create a compiler (HRESULT "
                         "0x%08x)",
                         dxc.path, (unsigned)hr);
        goto done;
    }
retry:
    hr = ((dxc_compiler3_compile_fn)dxc_vtable_slot(
        compiler, DXC_SLOT_COMPILER3_COMPILE))(compiler, &buffer, arguments,
                                               argument_count, NULL,
                                               &iid_idxc_result, &result);
    if (hr < 0 || result == NULL) {
        status = cs_fail(CS_ERROR_BACKEND,
                         "%s: DXC's Compile failed (HRESULT 0x%08x)", file_name,
                         (unsigned)hr);
        goto done;
    }
    dxc_hresult compile_status = 0;
    hr = ((dxc_result_get_status_fn)dxc_vtable_slot(
        result, DXC_SLOT_RESULT_GET_STATUS))(result, &compile_status);
    if (hr < 0 || compile_status < 0) {
        const char *text = NULL;
        size_t text_size = 0;
        if (((dxc_result_get_blob_fn)dxc_vtable_slot(
                result, DXC_SLOT_RESULT_GET_ERROR_BUFFER))(result, &blob) >=
                0 &&
            blob)
            dxc_blob_span(blob, &text, &text_size);
        /* What the original arguments refuse and a later environment or
         * language version allows: retried with it, so that everything
         * the original module compiled gives the same bytes. Wave
         * operations need SPIR-V 1.3 (Vulkan 1.1); templates need HLSL
         * 2021, DXC's default only from release 1.7.2212 on. */
        static const char wave[] = "Vulkan 1.1 is required";
        static const char template[] = "'template' is a reserved keyword";
        bool retry_vulkan_1_1 = !added_vulkan_1_1 && text_size &&
                                dxc_text_contains(text, text_size, wave);
        bool retry_hlsl_2021 = !added_hlsl_2021 && text_size &&
                               dxc_text_contains(text, text_size, template);
        if (retry_vulkan_1_1 || retry_hlsl_2021) {
            if (retry_vulkan_1_1) {
                arguments[argument_count++] = L"-fspv-target-env=vulkan1.1";
                added_vulkan_1_1 = true;
            }
            if (retry_hlsl_2021) {
                arguments[argument_count++] = L"-HV";
                arguments[argument_count++] = L"2021";
                added_hlsl_2021 = true;
            }
            dxc_release(blob);
            dxc_release(result);
            blob = NULL;
            result = NULL;
            goto retry;
        }
        if (text_size)
            status =
                cs_fail(CS_ERROR_SHADER_COMPILE, "%.*s", (int)text_size, text);
        else
            status = cs_fail(CS_ERROR_SHADER_COMPILE,
                             "%s: the shader failed to compile with DXC "
                             "(HRESULT 0x%08x)",
                             file_name, (unsigned)compile_status);
        goto done;
    }
    hr = ((dxc_result_get_blob_fn)dxc_vtable_slot(
        result, DXC_SLOT_RESULT_GET_RESULT))(result, &blob);
    if (hr < 0 || blob == NULL) {
        status =
            cs_fail(CS_ERROR_BACKEND, "%s: DXC returned no SPIR-V", file_name);
        goto done;
    }
    const void *bytes = ((dxc_blob_get_buffer_pointer_fn)dxc_vtable_slot(
        blob, DXC_SLOT_BLOB_GET_BUFFER_POINTER))(blob);
    size_t byte_count = ((dxc_blob_get_buffer_size_fn)dxc_vtable_slot(
        blob, DXC_SLOT_BLOB_GET_BUFFER_SIZE))(blob);
    if (bytes == NULL || byte_count < 20 || byte_count % 4 != 0) {
        status = cs_fail(CS_ERROR_BACKEND,
                         "%s: DXC returned %zu bytes, not a SPIR-V module",
                         file_name, byte_count);
        goto done;
    }
    uint32_t *words = malloc(byte_count);
    if (words == NULL) {
        status = cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                         "cannot allocate %zu bytes of SPIR-V", byte_count);
        goto done;
    }
    memcpy(words, bytes, byte_count);
    *out_words = words;
    *out_word_count = byte_count / 4;
    status = CS_OK;
done:
    dxc_release(blob);
    dxc_release(result);
    dxc_release(compiler);
    free(wide_name);
    free(wide_entry);
    free(wide_target);
    return status;
}

cs_status cs_dxc_describe(char *out, size_t capacity)
{
    cs_status status = dxc_load();
    if (status != CS_OK)
        return status;
    int64_t size, mtime;
    char where[1024];
    /* the file the loader took (a bare soname resolves to a path) */
    const char *file = dxc.path;
    if (cs_library_file_of((void *)dxc.create_instance, where, sizeof where))
        file = where;
    if (cs_file_stamp(file, &size, &mtime))
        snprintf(out, capacity, "dxc %s %lld %lld", file, (long long)size,
                 (long long)mtime);
    else
        snprintf(out, capacity, "dxc %s", file);
    return CS_OK;
}
