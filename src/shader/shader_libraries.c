/* shader_libraries.c - loads shaderc, SPIRV-Tools and SPIRV-Cross from
 * their DLLs when built with CS_SHADER_LIBRARIES_AT_RUN_TIME (see
 * shader_libraries.h). Each is searched at its environment variable (a
 * file path), then in the Vulkan SDK (%VULKAN_SDK%/Bin), then by the
 * system's search (the program's folder, PATH). */
#define CS_SHADER_LIBRARIES_DEFINE
#include "shader_internal.h"

#include <shaderc/shaderc.h>
/* libspirv.h defines (not declares) kDefaultMaxIdBound, as validate.c's
 * copy does: this one gets another name */
#define kDefaultMaxIdBound cs_loader_unused_max_id_bound
#include <spirv-tools/libspirv.h>
#undef kDefaultMaxIdBound
#include <spirv_cross/spirv_cross_c.h>

#include "shader_libraries.h"

#ifdef CS_SHADER_LIBRARIES_AT_RUN_TIME

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cs_shaderc_functions cs_shaderc;
cs_spirv_tools_functions cs_spirv_tools;
cs_spirv_cross_functions cs_spirv_cross;

typedef struct library {
    const char *file;     /* the DLL's name */
    const char *variable; /* the environment variable naming its path */
    const char *what;     /* what it does, for the error message */
    const char *const *symbols;
    void **pointers; /* as many as symbols, in the same order */
    size_t count;
    cs_once once;
    cs_status status;
    char error[1024];
} library;

/* Loads one: fills every pointer or none. */
static void load(library *lib)
{
    char why[512] = "not found", path[1024];
    void *handle = NULL;
    const char *explicit_path = getenv(lib->variable);
    const char *sdk = getenv("VULKAN_SDK");
    if (explicit_path && *explicit_path) {
        handle = cs_library_open(explicit_path, why, sizeof why);
    } else {
        if (sdk && *sdk) {
            snprintf(path, sizeof path, "%s/Bin/%s", sdk, lib->file);
            handle = cs_library_open(path, why, sizeof why);
        }
        if (handle == NULL)
            handle = cs_library_open(lib->file, why, sizeof why);
    }
    if (handle == NULL) {
        lib->status = CS_ERROR_UNSUPPORTED;
        snprintf(lib->error, sizeof lib->error,
                 "%s needs %s, which cannot be loaded (%s): install the "
                 "Vulkan SDK (its Bin folder holds it) and put that folder "
                 "on PATH, or set %s to the DLL's path; SPIR-V input needs "
                 "no compiler",
                 lib->what, lib->file, why, lib->variable);
        return;
    }
    for (size_t i = 0; i < lib->count; i++) {
        void *symbol = cs_library_symbol(handle, lib->symbols[i]);
        if (symbol == NULL) {
            memset(lib->pointers, 0, lib->count * sizeof *lib->pointers);
            lib->status = CS_ERROR_UNSUPPORTED;
            snprintf(lib->error, sizeof lib->error,
                     "%s needs %s, whose copy has no %s (too old): install "
                     "a newer Vulkan SDK or set %s to a newer DLL",
                     lib->what, lib->file, lib->symbols[i], lib->variable);
            /* kept loaded: unloading what ran its constructors is not
             * always safe */
            return;
        }
        lib->pointers[i] = symbol;
    }
    lib->status = CS_OK;
}

static cs_status load_once(library *lib, void (*run)(void))
{
    cs_call_once(&lib->once, run);
    if (lib->status != CS_OK)
        return cs_fail(lib->status, "%s", lib->error);
    return CS_OK;
}

#define CS_LIBRARY_NAME(name) #name,
#define CS_LIBRARY_COUNT(name) +1

/* One library: its symbols' names, its loading state, and
 * cs_<name>_load() filling the table cs_<name> (shader_libraries.h). The
 * tables are structs of function pointers only, all the same size: filled
 * as arrays of void * (what GetProcAddress gives). */
#define CS_DEFINE_LIBRARY(name, list, dll, env, purpose)                       \
    _Static_assert(sizeof cs_##name ==                                         \
                       (0 list(CS_LIBRARY_COUNT)) * sizeof(void *),            \
                   #name " table");                                            \
    static const char *const name##_symbols[] = {list(CS_LIBRARY_NAME)};       \
    static library name = {                                                    \
        .file = dll,                                                           \
        .variable = env,                                                       \
        .what = purpose,                                                       \
        .symbols = name##_symbols,                                             \
        .pointers = (void **)&cs_##name,                                       \
        .count = 0 list(CS_LIBRARY_COUNT),                                     \
        .once = CS_ONCE_INIT,                                                  \
    };                                                                         \
    static void load_##name(void)                                              \
    {                                                                          \
        load(&name);                                                           \
    }                                                                          \
    cs_status cs_##name##_load(void)                                           \
    {                                                                          \
        return load_once(&name, load_##name);                                  \
    }

CS_DEFINE_LIBRARY(shaderc, CS_SHADERC_FUNCTIONS, "shaderc_shared.dll",
                  "COMPUSHADY_SHADERC", "compiling HLSL, GLSL or WGSL")
CS_DEFINE_LIBRARY(spirv_tools, CS_SPIRV_TOOLS_FUNCTIONS,
                  "SPIRV-Tools-shared.dll", "COMPUSHADY_SPIRV_TOOLS",
                  "validating SPIR-V")
CS_DEFINE_LIBRARY(spirv_cross, CS_SPIRV_CROSS_FUNCTIONS,
                  "spirv-cross-c-shared.dll", "COMPUSHADY_SPIRV_CROSS",
                  "cross-compiling SPIR-V to GLSL, MSL or HLSL")

#endif
