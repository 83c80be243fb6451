/*
 * errors.c - the module's exceptions and the one place where a cs_status
 * becomes a Python exception.
 */
#include "native.h"

PyObject *Native_UnknownBackend;
PyObject *Native_BufferException;
PyObject *Native_Texture1DException;
PyObject *Native_Texture2DException;
PyObject *Native_Texture3DException;
PyObject *Native_SamplerException;
PyObject *Native_HeapException;
PyObject *Native_ComputeException;
PyObject *Native_ShaderCompileError;
PyObject *Native_OutOfDeviceMemory;
PyObject *Native_DeviceLost;
PyObject *Native_BackendError;
PyObject *Native_GPUTimeout;
PyObject *Native_SwapchainOutOfDate;

typedef struct exception_spec {
    PyObject **slot;
    const char *name; /* without the module prefix */
    const char *doc;
    PyObject **base; /* address of a PyExc_* variable */
} exception_spec;

static int add_exception(PyObject *module, const exception_spec *spec)
{
    char qualified[128];
    PyOS_snprintf(qualified, sizeof(qualified), "compushady._native.%s",
                  spec->name);
    PyObject *exception =
        PyErr_NewExceptionWithDoc(qualified, spec->doc, *spec->base, NULL);
    if (!exception)
        return -1;
    /* The module keeps one reference, the C global another: the global
     * outlives any module dict clearing at shutdown. */
    Py_INCREF(exception);
    if (PyModule_AddObject(module, spec->name, exception) < 0) {
        Py_DECREF(exception);
        Py_DECREF(exception);
        return -1;
    }
    *spec->slot = exception;
    return 0;
}

int native_errors_init(PyObject *module)
{
    const exception_spec specs[] = {
        {&Native_UnknownBackend, "UnknownBackend",
         "The requested backend does not exist.", &PyExc_Exception},
        {&Native_BufferException, "BufferException",
         "Bad buffer arguments or operation.", &PyExc_ValueError},
        {&Native_Texture1DException, "Texture1DException",
         "Bad Texture1D arguments or operation.", &PyExc_ValueError},
        {&Native_Texture2DException, "Texture2DException",
         "Bad Texture2D arguments or operation.", &PyExc_ValueError},
        {&Native_Texture3DException, "Texture3DException",
         "Bad Texture3D arguments or operation.", &PyExc_ValueError},
        {&Native_SamplerException, "SamplerException", "Bad sampler arguments.",
         &PyExc_ValueError},
        {&Native_HeapException, "HeapException", "Bad heap arguments.",
         &PyExc_ValueError},
        {&Native_ComputeException, "ComputeException",
         "Bad Compute arguments, binding mismatch or invalid SPIR-V.",
         &PyExc_ValueError},
        {&Native_ShaderCompileError, "ShaderCompileError",
         "A shader failed to compile; the message holds the diagnostics.",
         &PyExc_ValueError},
        {&Native_OutOfDeviceMemory, "OutOfDeviceMemory",
         "Device memory could not be allocated.", &PyExc_MemoryError},
        {&Native_DeviceLost, "DeviceLost",
         "The device was lost; every later call on it fails.",
         &PyExc_RuntimeError},
        {&Native_BackendError, "BackendError",
         "The GPU backend failed, or no usable device was found.",
         &PyExc_RuntimeError},
        {&Native_GPUTimeout, "GPUTimeout",
         "A wait for the GPU ran past the wait timeout "
         "(config.set_wait_timeout); the GPU work is still running.",
         &PyExc_TimeoutError},
        {&Native_SwapchainOutOfDate, "SwapchainOutOfDate",
         "A Swapchain made with auto_recreate=False no longer matches its "
         "window: call its recreate(), then present again.",
         &PyExc_RuntimeError},
    };
    for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
        if (add_exception(module, &specs[i]) < 0)
            return -1;
    }
    return 0;
}

PyObject *native_raise(cs_status status, PyObject *object_exception)
{
    const char *message = cs_last_error();
    if (!message || !message[0])
        message = cs_status_name(status);

    PyObject *type;
    switch (status) {
    case CS_ERROR_OUT_OF_HOST_MEMORY: type = PyExc_MemoryError; break;
    case CS_ERROR_OUT_OF_DEVICE_MEMORY: type = Native_OutOfDeviceMemory; break;
    case CS_ERROR_DEVICE_LOST: type = Native_DeviceLost; break;
    case CS_TIMEOUT: type = Native_GPUTimeout; break;
    case CS_ERROR_OUT_OF_DATE: type = Native_SwapchainOutOfDate; break;
    case CS_ERROR_BACKEND:
    case CS_ERROR_NO_DEVICE: type = Native_BackendError; break;
    case CS_ERROR_SHADER_COMPILE: type = Native_ShaderCompileError; break;
    default:
        type = object_exception ? object_exception : PyExc_ValueError;
        break;
    }
    /* Not PyErr_SetString: a message may quote non-UTF-8 bytes (a shader
     * source given as bytes), which must not become a UnicodeDecodeError. */
    PyObject *text =
        PyUnicode_DecodeUTF8(message, (Py_ssize_t)strlen(message), "replace");
    if (text) {
        PyErr_SetObject(type, text);
        Py_DECREF(text);
    }
    return NULL;
}
