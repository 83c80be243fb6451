/*
 * common.h - what every part of the library shares, below all of them:
 * failures with a message (errors.c), the binding convention's register
 * bases, and the plain values the core and the shader part hand each other.
 * Includes nothing of src/core, src/shader or src/backends (caches and
 * hashing: cache.h, beside this file).
 *
 * Layers: common <- shader <- backends; common <- core <- backends; the
 * core reaches the shader part through the public API (compushady.h)
 * alone, the backends through src/shader/shader.h
 * (tests/python/test_layering.py checks the #include lines).
 */
#ifndef CS_COMMON_H
#define CS_COMMON_H

#include "compushady.h"

#include "../platform/platform.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* >>errors: every failure goes through cs_fail(), which records the message
 * for cs_last_error() and returns the status, so callers write
 * `return cs_fail(CS_ERROR_..., "...", ...);`. */
cs_status cs_fail(cs_status status, const char *format, ...)
    CS_PRINTF_FORMAT(2, 3);
cs_status cs_failv(cs_status status, const char *format, va_list args);

/* The capacity of cs_last_error()'s buffer (longer messages are cut). */
enum { CS_ERROR_MESSAGE_CAPACITY = 8192 };

/* A job's outcome carried from the thread that ran it (whose
 * cs_last_error() is its own) to the thread that waits for it. */
typedef struct cs_carried_status {
    cs_status status;
    char message[CS_ERROR_MESSAGE_CAPACITY]; /* "" for a bare status */
} cs_carried_status;
/* On the running thread: runs job(arg) with a clean cs_last_error() and
 * keeps its status and message in *carried. */
void cs_carry_status(cs_carried_status *carried, cs_status (*job)(void *),
                     void *arg);
/* On the waiting thread: the status, its message made this thread's
 * cs_last_error() (a bare status leaves it as it is). */
cs_status cs_deliver_status(const cs_carried_status *carried);

/* Register classes of the binding convention. */
enum {
    CS_REGISTER_B_BASE = 0,
    CS_REGISTER_T_BASE = 1024,
    CS_REGISTER_U_BASE = 2048,
    CS_REGISTER_S_BASE = 3072,
};

/* A storage image or storage texel buffer of a shader with a resource
 * bound: its binding, the SPIR-V ImageFormat the shader declares, the
 * format of the resource bound (the core lists a compute's:
 * cs_compute_storage_bindings in core/backend.h; the shader part patches
 * modules to them: cs_spirv_prepare_storage_formats in shader/shader.h). */
typedef struct cs_storage_binding {
    uint32_t binding;
    uint32_t declared_format; /* SPIR-V ImageFormat; 0 = Unknown */
    cs_format format;         /* of the resource bound */
} cs_storage_binding;

#endif
