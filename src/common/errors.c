/* errors.c - the per-thread failure message behind cs_last_error(). */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>

static _Thread_local char last_error[CS_ERROR_MESSAGE_CAPACITY];

cs_status cs_failv(cs_status status, const char *format, va_list args)
{
    vsnprintf(last_error, sizeof last_error, format, args);
    return status;
}

cs_status cs_fail(cs_status status, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    cs_failv(status, format, args);
    va_end(args);
    return status;
}

const char *cs_last_error(void)
{
    return last_error;
}

void cs_carry_status(cs_carried_status *carried, cs_status (*job)(void *),
                     void *arg)
{
    last_error[0] = '\0';
    carried->status = job(arg);
    snprintf(carried->message, sizeof carried->message, "%s",
             carried->status != CS_OK ? last_error : "");
}

cs_status cs_deliver_status(const cs_carried_status *carried)
{
    if (carried->status != CS_OK && carried->message[0])
        return cs_fail(carried->status, "%s", carried->message);
    return carried->status;
}

const char *cs_status_name(cs_status status)
{
    switch (status) {
    case CS_OK: return "CS_OK";
    case CS_ERROR_INVALID_ARGUMENT: return "CS_ERROR_INVALID_ARGUMENT";
    case CS_ERROR_UNSUPPORTED: return "CS_ERROR_UNSUPPORTED";
    case CS_ERROR_BINDING_MISMATCH: return "CS_ERROR_BINDING_MISMATCH";
    case CS_ERROR_SHADER_COMPILE: return "CS_ERROR_SHADER_COMPILE";
    case CS_ERROR_INVALID_SHADER: return "CS_ERROR_INVALID_SHADER";
    case CS_ERROR_OUT_OF_HOST_MEMORY: return "CS_ERROR_OUT_OF_HOST_MEMORY";
    case CS_ERROR_OUT_OF_DEVICE_MEMORY: return "CS_ERROR_OUT_OF_DEVICE_MEMORY";
    case CS_ERROR_DEVICE_LOST: return "CS_ERROR_DEVICE_LOST";
    case CS_ERROR_NO_DEVICE: return "CS_ERROR_NO_DEVICE";
    case CS_ERROR_INVALID_OPERATION: return "CS_ERROR_INVALID_OPERATION";
    case CS_ERROR_BACKEND: return "CS_ERROR_BACKEND";
    case CS_TIMEOUT: return "CS_TIMEOUT";
    case CS_ERROR_OUT_OF_DATE: return "CS_ERROR_OUT_OF_DATE";
    }
    return "CS_ERROR_UNKNOWN";
}

void cs_free(void *memory)
{
    free(memory);
}
