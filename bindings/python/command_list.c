/*
 * command_list.c - the CommandList and Fence types: dispatches and copies
 * recorded into a cs_command_list, submitted together; a Fence to wait on,
 * with the GPU time of the submission. The library keeps every recorded
 * object alive on the C side, so the Python objects hold only their Device.
 */
#include "native.h"

#include <math.h>

typedef struct CommandListObject {
    PyObject_HEAD PyObject *device; /* DeviceObject */
    cs_command_list *list;
    int timestamps;
} CommandListObject;

typedef struct FenceObject {
    PyObject_HEAD PyObject *device; /* DeviceObject */
    cs_fence *fence;
    int timestamps;
} FenceObject;

static PyTypeObject Native_CommandListType;
static PyTypeObject Native_FenceType;

/* The exception of a resource, as Resource methods raise. */
static PyObject *resource_exception_of(PyObject *resource)
{
    switch (((ResourceObject *)resource)->info.kind) {
    case CS_RESOURCE_TEXTURE1D: return Native_Texture1DException;
    case CS_RESOURCE_TEXTURE2D: return Native_Texture2DException;
    case CS_RESOURCE_TEXTURE3D: return Native_Texture3DException;
    default: return Native_BufferException;
    }
}

static PyObject *create_command_list(PyObject *module, PyObject *args,
                                     PyObject *kwargs)
{
    (void)module;
    static char *keywords[] = {"device", "timestamps", NULL};
    PyObject *device;
    int timestamps = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|p:create_command_list",
                                     keywords, &device, &timestamps))
        return NULL;
    if (!Native_Device_Check(device))
        return PyErr_Format(PyExc_TypeError,
                            "device must be a compushady device, got %.200s",
                            Py_TYPE(device)->tp_name);
    cs_command_list *list = NULL;
    cs_status status;
    Py_BEGIN_ALLOW_THREADS
    status = cs_command_list_create(((DeviceObject *)device)->device,
                                    timestamps ? CS_COMMAND_LIST_TIMESTAMPS : 0,
                                    &list);
    Py_END_ALLOW_THREADS
    if (status != CS_OK)
        return native_raise(status, Native_ComputeException);
    CommandListObject *object =
        PyObject_New(CommandListObject, &Native_CommandListType);
    if (!object) {
        cs_command_list_release(list);
        return NULL;
    }
    Py_INCREF(device);
    object->device = device;
    object->list = list;
    object->timestamps = timestamps;
    return (PyObject *)object;
}

static int check_compute(PyObject *compute)
{
    if (PyObject_TypeCheck(compute, &Native_ComputeType))
        return 0;
    PyErr_Format(PyExc_TypeError,
                 "compute must be a compushady Compute, got %.200s",
                 Py_TYPE(compute)->tp_name);
    return -1;
}

/* The cs_compute of a native Compute or of the Python compushady.Compute
 * around one (its handle): CommandList.dispatch reaches this method without
 * a Python wrapper in between, for speed. */
static cs_compute *compute_of(PyObject *compute)
{
    if (PyObject_TypeCheck(compute, &Native_ComputeType))
        return ((ComputeObject *)compute)->compute;
    static PyObject *handle_name;
    if (!handle_name && !(handle_name = PyUnicode_InternFromString("handle")))
        return NULL;
    PyObject *handle = PyObject_GetAttr(compute, handle_name);
    if (!handle) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError))
            return NULL;
        PyErr_Clear();
    }
    cs_compute *result = NULL;
    if (handle && PyObject_TypeCheck(handle, &Native_ComputeType))
        result = ((ComputeObject *)handle)->compute;
    else
        PyErr_Format(PyExc_TypeError,
                     "compute must be a compushady.Compute, got %.200s",
                     Py_TYPE(compute)->tp_name);
    Py_XDECREF(handle);
    return result;
}

/* Records are quick (no GPU wait): the GIL stays held. repeat records the
 * same dispatch that many times, each after the one before (one Python
 * call for many dispatches: what costs most when recording from Python is
 * the call itself). */
static PyObject *list_dispatch(CommandListObject *self, PyObject *const *args,
                               Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"compute", "x",    "y",
                                        "z",       "push", "repeat"};
    PyObject *values[6];
    if (native_collect_arguments("dispatch", names, 6, 4, args, nargs, kwnames,
                                 values) < 0)
        return NULL;
    cs_compute *compute = compute_of(values[0]);
    if (!compute)
        return NULL;
    PyObject *exc = Native_ComputeException, *repeat_arg = values[5];
    uint32_t x = 0, y = 0, z = 0, repeat = 1;
    if (native_as_u32_xyz(values[1], values[2], values[3], exc, &x, &y, &z) < 0)
        return NULL;
    if (repeat_arg && PyLong_Check(repeat_arg)) {
        int overflow;
        long long value = PyLong_AsLongLongAndOverflow(repeat_arg, &overflow);
        if (overflow < 0 || (overflow == 0 && value < 1)) {
            PyErr_Format(exc, "repeat must be at least 1, got %S", repeat_arg);
            return NULL;
        }
    }
    if (native_as_u32(repeat_arg, "repeat", exc, &repeat) < 0)
        return NULL;
    Py_buffer view;
    if (native_get_push(values[4], &view) < 0)
        return NULL;
    cs_status status = CS_OK;
    for (uint32_t i = 0; i < repeat && status == CS_OK; i++)
        status = cs_command_list_dispatch(self->list, compute, x, y, z,
                                          view.buf, (size_t)view.len);
    return native_release_result(&view, status, exc);
}

static PyObject *list_dispatch_indirect(CommandListObject *self, PyObject *args,
                                        PyObject *kwargs)
{
    static char *keywords[] = {"compute", "buffer", "offset", "push", NULL};
    PyObject *compute, *buffer, *offset_arg = NULL, *push = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|OO:dispatch_indirect",
                                     keywords, &compute, &buffer, &offset_arg,
                                     &push))
        return NULL;
    if (check_compute(compute) < 0)
        return NULL;
    cs_resource *indirect = native_resource_arg(buffer, "buffer");
    if (!indirect)
        return NULL;
    PyObject *exc = Native_ComputeException;
    uint64_t offset = 0;
    if (native_as_u64(offset_arg, "offset", exc, &offset) < 0)
        return NULL;
    Py_buffer view;
    if (native_get_push(push, &view) < 0)
        return NULL;
    cs_status status = cs_command_list_dispatch_indirect(
        self->list, ((ComputeObject *)compute)->compute, indirect, offset,
        view.buf, (size_t)view.len);
    return native_release_result(&view, status, exc);
}

static PyObject *list_copy(CommandListObject *self, PyObject *args,
                           PyObject *kwargs)
{
    static char *keywords[] = {"source", "destination", NATIVE_COPY_KEYWORDS,
                               NULL};
    PyObject *source, *destination;
    PyObject *values[NATIVE_COPY_VALUE_COUNT] = {NULL};
    PyObject **v = values;
    if (!PyArg_ParseTupleAndKeywords(
            args, kwargs, "OO|OOOOOOOOOOOOOO:copy", keywords, &source,
            &destination, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
            &v[7], &v[8], &v[9], &v[10], &v[11], &v[12], &v[13]))
        return NULL;
    if (!Native_Resource_Check(source) || !Native_Resource_Check(destination))
        return PyErr_Format(PyExc_TypeError,
                            "source and destination must be compushady "
                            "resources, got %.200s and %.200s",
                            Py_TYPE(source)->tp_name,
                            Py_TYPE(destination)->tp_name);
    PyObject *exc = resource_exception_of(source);
    cs_copy_desc desc;
    if (native_copy_desc_from(values, exc, &desc) < 0)
        return NULL;
    cs_status status =
        cs_command_list_copy(self->list, ((ResourceObject *)source)->resource,
                             ((ResourceObject *)destination)->resource, &desc);
    if (status != CS_OK)
        return native_raise(status, exc);
    Py_RETURN_NONE;
}

static PyObject *list_submit(CommandListObject *self, PyObject *args,
                             PyObject *kwargs)
{
    static char *keywords[] = {"wait", NULL};
    int wait = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|p:submit", keywords,
                                     &wait))
        return NULL;
    cs_fence *fence = NULL;
    cs_status status;
    Py_BEGIN_ALLOW_THREADS
    status = cs_command_list_submit(self->list, &fence);
    if (status == CS_OK && wait)
        status = cs_fence_wait(fence, UINT64_MAX);
    Py_END_ALLOW_THREADS
    if (status != CS_OK) {
        cs_fence_release(fence);
        return native_raise(status, Native_ComputeException);
    }
    FenceObject *object = PyObject_New(FenceObject, &Native_FenceType);
    if (!object) {
        cs_fence_release(fence);
        return NULL;
    }
    Py_INCREF(self->device);
    object->device = self->device;
    object->fence = fence;
    object->timestamps = self->timestamps;
    return (PyObject *)object;
}

static PyObject *list_reset(CommandListObject *self, PyObject *unused)
{
    (void)unused;
    cs_status status;
    Py_BEGIN_ALLOW_THREADS
    status = cs_command_list_reset(self->list);
    Py_END_ALLOW_THREADS
    if (status != CS_OK)
        return native_raise(status, Native_ComputeException);
    Py_RETURN_NONE;
}

static PyObject *list_get_count(CommandListObject *self, void *closure)
{
    (void)closure;
    return PyLong_FromUnsignedLong(cs_command_list_count(self->list));
}

static void list_dealloc(CommandListObject *self)
{
    cs_command_list *list = self->list;
    /* the last reference waits for submitted work */
    Py_BEGIN_ALLOW_THREADS
    cs_command_list_release(list);
    Py_END_ALLOW_THREADS
    Py_CLEAR(self->device);
    PyObject_Free(self);
}

#define KW_METHOD(name, function, doc)                                         \
    {                                                                          \
        name, (PyCFunction)(void (*)(void))function,                           \
            METH_VARARGS | METH_KEYWORDS, doc                                  \
    }

static PyMethodDef list_methods[] = {
    {"dispatch", (PyCFunction)(void (*)(void))list_dispatch,
     METH_FASTCALL | METH_KEYWORDS,
     "dispatch(compute, x, y, z, push=None, repeat=1)"},
    KW_METHOD("dispatch_indirect", list_dispatch_indirect,
              "dispatch_indirect(compute, buffer, offset=0, push=None)"),
    KW_METHOD("copy", list_copy,
              "copy(source, destination, size=0, src_offset=0, "
              "dst_offset=0, width=0, height=0, depth=0, src_x=0, src_y=0, "
              "src_z=0, dst_x=0, dst_y=0, dst_z=0, src_slice=0, dst_slice=0)"),
    KW_METHOD("submit", list_submit, "submit(wait=True) -> Fence"),
    {"reset", (PyCFunction)list_reset, METH_NOARGS,
     "reset(): wait for the list's work, drop its commands"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef list_getset[] = {
    {"count", (getter)list_get_count, NULL, "commands recorded", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMemberDef list_members[] = {
    {"device", T_OBJECT, offsetof(CommandListObject, device), READONLY,
     "the Device the list runs on"},
    {"timestamps", T_BOOL, offsetof(CommandListObject, timestamps), READONLY,
     "whether GPU timestamps are recorded"},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject Native_CommandListType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "compushady._native.CommandList",
    .tp_doc = "Dispatches and copies submitted together; create with "
              "create_command_list().",
    .tp_basicsize = sizeof(CommandListObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_dealloc = (destructor)list_dealloc,
    .tp_methods = list_methods,
    .tp_getset = list_getset,
    .tp_members = list_members,
};

/* >>fence ----------------------------------------------------------------- */

static PyObject *fence_wait(FenceObject *self, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"timeout", NULL};
    PyObject *timeout_arg = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O:wait", keywords,
                                     &timeout_arg))
        return NULL;
    uint64_t timeout_ns = UINT64_MAX;
    if (timeout_arg != Py_None) {
        double seconds = PyFloat_AsDouble(timeout_arg);
        if (seconds == -1.0 && PyErr_Occurred()) {
            /* an int past a double's range: +-infinity */
            if (!PyErr_ExceptionMatches(PyExc_OverflowError))
                return NULL;
            PyErr_Clear();
            int positive =
                PyObject_RichCompareBool(timeout_arg, Py_False, Py_GT);
            if (positive < 0)
                return NULL;
            seconds = positive ? INFINITY : -INFINITY;
        }
        if (!(seconds >= 0.0))
            return PyErr_Format(PyExc_ValueError,
                                "timeout must be >= 0 seconds or None, got %R",
                                timeout_arg);
        timeout_ns =
            seconds >= 1.8e10 ? UINT64_MAX - 1 : (uint64_t)(seconds * 1e9);
    }
    cs_status status;
    /* False when the timeout given ran out; wait(None) that ran past the
     * device's wait timeout raises GPUTimeout */
    Py_BEGIN_ALLOW_THREADS
    status = cs_fence_wait(self->fence, timeout_ns);
    Py_END_ALLOW_THREADS
    if (status == CS_TIMEOUT && timeout_arg != Py_None)
        Py_RETURN_FALSE;
    if (status != CS_OK)
        return native_raise(status, Native_ComputeException);
    Py_RETURN_TRUE;
}

static PyObject *fence_get_done(FenceObject *self, void *closure)
{
    (void)closure;
    return PyBool_FromLong(cs_fence_is_done(self->fence));
}

/* Waits for the fence's work and reads its GPU time: 0, or -1 with the
 * exception set. */
static int wait_gpu_total(FenceObject *self, uint64_t *total)
{
    cs_status status;
    Py_BEGIN_ALLOW_THREADS
    status = cs_fence_gpu_time_ns(self->fence, total, NULL, 0);
    Py_END_ALLOW_THREADS
    if (status == CS_OK)
        return 0;
    native_raise(status, Native_ComputeException);
    return -1;
}

/* Seconds, or None without timestamps; waits for the work. */
static PyObject *fence_get_gpu_time(FenceObject *self, void *closure)
{
    (void)closure;
    if (!self->timestamps)
        Py_RETURN_NONE;
    uint64_t total = 0;
    if (wait_gpu_total(self, &total) < 0)
        return NULL;
    return PyFloat_FromDouble((double)total / 1e9);
}

static PyObject *fence_get_gpu_times(FenceObject *self, void *closure)
{
    (void)closure;
    if (!self->timestamps)
        Py_RETURN_NONE;
    uint64_t total = 0;
    if (wait_gpu_total(self, &total) < 0)
        return NULL;
    size_t count = cs_fence_command_count(self->fence);
    uint64_t *times = PyMem_Malloc((count ? count : 1) * sizeof *times);
    if (!times)
        return PyErr_NoMemory();
    cs_fence_gpu_time_ns(self->fence, &total, times, count);
    PyObject *result = PyList_New((Py_ssize_t)count);
    for (size_t i = 0; result && i < count; i++) {
        PyObject *value = PyFloat_FromDouble((double)times[i] / 1e9);
        if (!value) {
            Py_CLEAR(result);
            break;
        }
        PyList_SET_ITEM(result, (Py_ssize_t)i, value);
    }
    PyMem_Free(times);
    return result;
}

static void fence_dealloc(FenceObject *self)
{
    cs_fence *fence = self->fence;
    /* may drop the list's last reference, which waits for its work */
    Py_BEGIN_ALLOW_THREADS
    cs_fence_release(fence);
    Py_END_ALLOW_THREADS
    Py_CLEAR(self->device);
    PyObject_Free(self);
}

static PyMethodDef fence_methods[] = {
    KW_METHOD("wait", fence_wait,
              "wait(timeout=None) -> True when done, False on timeout"),
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef fence_getset[] = {
    {"done", (getter)fence_get_done, NULL, "the work has finished", NULL},
    {"gpu_time", (getter)fence_get_gpu_time, NULL,
     "GPU seconds of the whole submission (None without timestamps)", NULL},
    {"gpu_times", (getter)fence_get_gpu_times, NULL,
     "GPU seconds of each command (None without timestamps)", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMemberDef fence_members[] = {
    {"device", T_OBJECT, offsetof(FenceObject, device), READONLY,
     "the Device of the submission"},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject Native_FenceType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "compushady._native.Fence",
    .tp_doc = "A submitted CommandList's work; from CommandList.submit().",
    .tp_basicsize = sizeof(FenceObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_dealloc = (destructor)fence_dealloc,
    .tp_methods = fence_methods,
    .tp_getset = fence_getset,
    .tp_members = fence_members,
};

static PyMethodDef module_functions[] = {
    KW_METHOD("create_command_list", create_command_list,
              "create_command_list(device, timestamps=False) -> CommandList"),
    {NULL, NULL, 0, NULL},
};

int native_command_list_init(PyObject *module)
{
    PyTypeObject *types[2] = {&Native_CommandListType, &Native_FenceType};
    const char *names[2] = {"CommandList", "Fence"};
    for (int i = 0; i < 2; i++) {
        if (PyType_Ready(types[i]) < 0)
            return -1;
        Py_INCREF(types[i]);
        if (PyModule_AddObject(module, names[i], (PyObject *)types[i]) < 0) {
            Py_DECREF(types[i]);
            return -1;
        }
    }
    return PyModule_AddFunctions(module, module_functions);
}
