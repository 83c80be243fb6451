/*
 * native.h - declarations shared by the files of the CPython extension
 * module `compushady._native` (see README.md next to this file).
 *
 * Every Python object holds its C handle plus strong references to the
 * Python objects of its parents, so that a parent outlives its children on
 * the Python side too (the library already keeps its own references on the
 * C side).
 */
#ifndef COMPUSHADY_NATIVE_H
#define COMPUSHADY_NATIVE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include "compushady.h"

/* >>objects --------------------------------------------------------------- */

typedef struct InstanceObject {
    PyObject_HEAD cs_instance *instance;
    PyObject *devices; /* list of DeviceObject, built once; NULL until then */
    PyObject *weakrefs;
} InstanceObject;

typedef struct DeviceObject {
    PyObject_HEAD PyObject
        *instance; /* InstanceObject: the cs_device lives inside it */
    cs_device *device;
    cs_device_info info; /* read once: the attributes never change */
    PyObject *weakrefs;
} DeviceObject;

typedef struct HeapObject {
    PyObject_HEAD PyObject *device; /* DeviceObject */
    cs_heap *heap;
} HeapObject;

typedef struct ResourceObject {
    PyObject_HEAD PyObject *device; /* DeviceObject */
    PyObject *heap; /* HeapObject the resource is placed in, or NULL */
    cs_resource *resource;
    cs_resource_info info;
    Py_ssize_t exports; /* live buffer-protocol views of the mapped memory */
    PyObject *weakrefs;
} ResourceObject;

typedef struct SamplerObject {
    PyObject_HEAD PyObject *device; /* DeviceObject */
    cs_sampler *sampler;
} SamplerObject;

typedef struct SwapchainObject {
    PyObject_HEAD PyObject *device; /* DeviceObject */
    cs_swapchain *swapchain;
} SwapchainObject;

typedef struct ComputeObject {
    PyObject_HEAD PyObject *device; /* DeviceObject */
    PyObject *bound;    /* tuple of every Resource/Sampler given at creation */
    PyObject *bindless; /* dict (kind, index) -> Resource from bind_*() */
    cs_compute *compute;
    PyObject *weakrefs;
} ComputeObject;

extern PyTypeObject Native_InstanceType;
extern PyTypeObject Native_DeviceType;
extern PyTypeObject Native_HeapType;
extern PyTypeObject Native_ResourceType;
extern PyTypeObject Native_SamplerType;
extern PyTypeObject Native_ComputeType;
extern PyTypeObject Native_SwapchainType;

#define Native_Device_Check(op) PyObject_TypeCheck(op, &Native_DeviceType)
#define Native_Heap_Check(op) PyObject_TypeCheck(op, &Native_HeapType)
#define Native_Resource_Check(op) PyObject_TypeCheck(op, &Native_ResourceType)
#define Native_Sampler_Check(op) PyObject_TypeCheck(op, &Native_SamplerType)

/* >>constructors (called from Device methods and module functions) ------- */

PyObject *native_instance_create(PyObject *module, PyObject *args,
                                 PyObject *kwargs);
/* A new Device for a cs_device of instance (a borrowed pointer). */
PyObject *native_device_new(InstanceObject *instance, cs_device *device);
PyObject *native_device_create_heap(DeviceObject *self, PyObject *args,
                                    PyObject *kwargs);
PyObject *native_device_create_buffer(DeviceObject *self, PyObject *args,
                                      PyObject *kwargs);
PyObject *native_device_create_texture(DeviceObject *self, PyObject *args,
                                       PyObject *kwargs);
PyObject *native_device_create_sampler(DeviceObject *self, PyObject *args,
                                       PyObject *kwargs);
PyObject *native_device_create_compute(DeviceObject *self, PyObject *args,
                                       PyObject *kwargs);
PyObject *native_device_create_swapchain(DeviceObject *self, PyObject *args,
                                         PyObject *kwargs);

/* command_list.c: adds CommandList, Fence and create_command_list(). */
int native_command_list_init(PyObject *module);

/* >>buffer protocol (resource.c, mapped_buffer.c) ------------------------- */

/* The buffer protocol of a Resource: its mapped memory, for host-visible
 * buffers; every view counts in self->exports until released. */
int native_resource_getbuffer(ResourceObject *self, Py_buffer *view, int flags);
void native_resource_releasebuffer(ResourceObject *self, Py_buffer *view);

/* mapped_buffer.c: the base class that gives compushady.Buffer the buffer
 * protocol of its handle (memoryview(buffer) on every Python version). */
extern PyTypeObject Native_MappedBufferType;

/* >>errors ---------------------------------------------------------------- */

extern PyObject *Native_UnknownBackend;
extern PyObject *Native_BufferException;
extern PyObject *Native_Texture1DException;
extern PyObject *Native_Texture2DException;
extern PyObject *Native_Texture3DException;
extern PyObject *Native_SamplerException;
extern PyObject *Native_HeapException;
extern PyObject *Native_ComputeException;
extern PyObject *Native_ShaderCompileError;
extern PyObject *Native_OutOfDeviceMemory;
extern PyObject *Native_DeviceLost;
extern PyObject *Native_GPUTimeout;
extern PyObject *Native_SwapchainOutOfDate;
extern PyObject *Native_BackendError;

/* Creates the exceptions and adds them to module. */
int native_errors_init(PyObject *module);

/* Sets the Python exception for a failed library call and returns NULL.
 * Must run on the thread that made the call (cs_last_error() is per
 * thread), after the GIL is back. Statuses about the arguments or the
 * operation raise object_exception (the exception of the object the call is
 * about); the others raise their own exception (see README.md). */
PyObject *native_raise(cs_status status, PyObject *object_exception);

/* >>arguments (arguments.c) ----------------------------------------------- */

/* Converts an optional unsigned argument. value NULL (argument not given)
 * leaves *out untouched. Non-integers raise TypeError; negative values and
 * values wider than the C type raise exception (a ValueError subclass),
 * naming the argument. Return 0 on success, -1 with an exception set. */
int native_as_u64(PyObject *value, const char *name, PyObject *exception,
                  uint64_t *out);
int native_as_u32(PyObject *value, const char *name, PyObject *exception,
                  uint32_t *out);
/* native_as_u32 of the x, y and z arguments (group counts or a tile's
 * coordinates), in that order, named "x", "y" and "z". */
int native_as_u32_xyz(PyObject *x_arg, PyObject *y_arg, PyObject *z_arg,
                      PyObject *exception, uint32_t *x, uint32_t *y,
                      uint32_t *z);

/* Gets a C-contiguous buffer of obj (writable when asked) whose items are
 * plain bytes or numbers (no Python objects or pointers: a format is
 * requested and checked), each refusal with a message naming the argument;
 * an exporter's own error other than BufferError passes through. Release
 * with PyBuffer_Release(). */
int native_get_buffer(PyObject *obj, const char *name, bool writable,
                      Py_buffer *view);

/* A private copy (PyMem_RawMalloc, free with PyMem_RawFree) of a
 * bytes-like argument, checked as native_get_buffer does, for inputs that
 * are validated and then used again (SPIR-V, shader sources): another
 * thread, or code that released the GIL, may change the caller's buffer
 * between the two. 0 on success, -1 with the exception set. */
int native_copy_buffer(PyObject *obj, const char *name, void **out_data,
                       size_t *out_size);

/* Optional push constants: push NULL or None gives an empty view (obj
 * NULL: nothing to release), else native_get_buffer(push, "push", false,
 * view). Release with PyBuffer_Release() when view->obj is set. */
int native_get_push(PyObject *push, Py_buffer *view);

/* Ends a call that took a buffer view: releases it (when view->obj is set;
 * an empty push view has none), then gives None when status is CS_OK, else
 * NULL with status raised as exc. */
PyObject *native_release_result(Py_buffer *view, cs_status status,
                                PyObject *exc);

/* The arguments of a METH_FASTCALL | METH_KEYWORDS call, by position then
 * by keyword, into values[count] (NULL where not given; names in order),
 * with Python's TypeErrors for too many, unknown, repeated or missing (the
 * first required ones) arguments. The fast path of the hot methods:
 * PyArg_ParseTupleAndKeywords builds a tuple and a dict per call. */
int native_collect_arguments(const char *function, const char *const names[],
                             Py_ssize_t count, Py_ssize_t required,
                             PyObject *const *args, Py_ssize_t nargs,
                             PyObject *kwnames, PyObject **values);

/* The cs_resource behind obj, or NULL with a TypeError "<name> must be a
 * compushady resource, got <type>". */
cs_resource *native_resource_arg(PyObject *obj, const char *name);

/* The copy_to keywords after the resources, in the order of
 * NATIVE_COPY_KEYWORDS: size, src_offset, dst_offset (64-bit), then width,
 * height, depth, src_x/y/z, dst_x/y/z, src_slice, dst_slice (32-bit).
 * values[i] may be NULL (0). 0 on success, -1 with the exception set. */
#define NATIVE_COPY_VALUE_COUNT 14
#define NATIVE_COPY_KEYWORDS                                                   \
    "size", "src_offset", "dst_offset", "width", "height", "depth", "src_x",   \
        "src_y", "src_z", "dst_x", "dst_y", "dst_z", "src_slice", "dst_slice"
int native_copy_desc_from(PyObject *const values[NATIVE_COPY_VALUE_COUNT],
                          PyObject *exc, cs_copy_desc *desc);

/* _native.cross_compile(spirv, language, entry_point=None) -> (source
 * bytes, (x, y, z)) (shader_cross.c) */
PyObject *native_cross_compile(PyObject *module, PyObject *args,
                               PyObject *kwargs);

#endif /* COMPUSHADY_NATIVE_H */
