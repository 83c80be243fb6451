/*
 * device.c - the Device type: one GPU of an Instance, its attributes and
 * the factory methods of every other object.
 */
#include "native.h"

#include <math.h>
#include <stddef.h>

/* T_BOOL reads a char; the info struct stores C bools. */
_Static_assert(sizeof(bool) == sizeof(char), "T_BOOL needs 1-byte bool");

PyObject *native_device_new(InstanceObject *instance, cs_device *device)
{
    DeviceObject *self = PyObject_GC_New(DeviceObject, &Native_DeviceType);
    if (!self)
        return NULL;
    Py_INCREF(instance);
    self->instance = (PyObject *)instance;
    self->device = device;
    self->weakrefs = NULL;
    cs_device_get_info(device, &self->info);
    PyObject_GC_Track((PyObject *)self);
    return (PyObject *)self;
}

static PyObject *device_get_debug_messages(DeviceObject *self,
                                           PyObject *Py_UNUSED(ignored))
{
    char **messages = NULL;
    size_t count = cs_device_take_debug_messages(self->device, &messages);
    PyObject *list = PyList_New(0);
    for (size_t i = 0; list && i < count; i++) {
        PyObject *text =
            PyUnicode_DecodeUTF8(messages[i], strlen(messages[i]), "replace");
        if (!text || PyList_Append(list, text) < 0)
            Py_CLEAR(list);
        Py_XDECREF(text);
    }
    /* Freed on every path: the messages were taken from the device. */
    cs_free_strings(messages);
    return list;
}

static PyObject *u32_triple(const uint32_t values[3])
{
    return Py_BuildValue("(III)", values[0], values[1], values[2]);
}

static PyObject *device_get_max_workgroup_count(DeviceObject *self,
                                                void *Py_UNUSED(closure))
{
    return u32_triple(self->info.max_compute_workgroup_count);
}

static PyObject *device_get_max_workgroup_size(DeviceObject *self,
                                               void *Py_UNUSED(closure))
{
    return u32_triple(self->info.max_compute_workgroup_size);
}

static PyObject *device_repr(DeviceObject *self)
{
    return PyUnicode_FromFormat("<compushady._native.Device '%s'>",
                                self->info.name);
}

static int device_traverse(DeviceObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->instance);
    return 0;
}

static void device_dealloc(DeviceObject *self)
{
    PyObject_GC_UnTrack(self);
    if (self->weakrefs)
        PyObject_ClearWeakRefs((PyObject *)self);
    /* The cs_device belongs to the instance: nothing to release. */
    Py_CLEAR(self->instance);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

#define INFO_MEMBER(name, type)                                                \
    {                                                                          \
#name, type, offsetof(DeviceObject, info.name), READONLY, NULL         \
    }

static PyMemberDef device_members[] = {
    {"name", T_STRING_INPLACE, offsetof(DeviceObject, info.name), READONLY,
     "the device's name"},
    INFO_MEMBER(dedicated_video_memory, T_ULONGLONG),
    INFO_MEMBER(dedicated_system_memory, T_ULONGLONG),
    INFO_MEMBER(shared_system_memory, T_ULONGLONG),
    INFO_MEMBER(vendor_id, T_UINT),
    INFO_MEMBER(device_id, T_UINT),
    INFO_MEMBER(is_hardware, T_BOOL),
    INFO_MEMBER(is_discrete, T_BOOL),
    INFO_MEMBER(supports_sparse, T_BOOL),
    INFO_MEMBER(supports_heaps, T_BOOL),
    INFO_MEMBER(supports_bindless, T_BOOL),
    INFO_MEMBER(supports_float16, T_BOOL),
    INFO_MEMBER(supports_storage_image_without_format, T_BOOL),
    INFO_MEMBER(supports_storage_image_write_without_format, T_BOOL),
    INFO_MEMBER(max_push_constants_size, T_UINT),
    INFO_MEMBER(max_buffer_size, T_ULONGLONG),
    INFO_MEMBER(max_compute_workgroup_invocations, T_UINT),
    INFO_MEMBER(max_compute_shared_memory_size, T_UINT),
    INFO_MEMBER(shader_formats, T_UINT),
    {"instance", T_OBJECT, offsetof(DeviceObject, instance), READONLY,
     "the Instance this device belongs to"},
    {NULL, 0, 0, 0, NULL},
};

static PyGetSetDef device_getset[] = {
    {"max_compute_workgroup_count", (getter)device_get_max_workgroup_count,
     NULL, "(x, y, z) maximum dispatch size", NULL},
    {"max_compute_workgroup_size", (getter)device_get_max_workgroup_size, NULL,
     "(x, y, z) maximum threads of a workgroup", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyObject *device_simulate_device_lost(DeviceObject *self,
                                             PyObject *Py_UNUSED(ignored))
{
    Py_BEGIN_ALLOW_THREADS
    cs_debug_simulate_device_lost(self->device);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyObject *device_set_wait_timeout(DeviceObject *self, PyObject *arg)
{
    uint64_t timeout_ns = 0;
    if (arg != Py_None) {
        double seconds = PyFloat_AsDouble(arg);
        if (seconds == -1.0 && PyErr_Occurred()) {
            /* an int past a double's range: +-infinity */
            if (!PyErr_ExceptionMatches(PyExc_OverflowError))
                return NULL;
            PyErr_Clear();
            int positive = PyObject_RichCompareBool(arg, Py_False, Py_GT);
            if (positive < 0)
                return NULL;
            seconds = positive ? INFINITY : -INFINITY;
        }
        if (!(seconds > 0.0))
            return PyErr_Format(PyExc_ValueError,
                                "the wait timeout must be > 0 seconds or "
                                "None (forever), got %R",
                                arg);
        /* infinity, and anything that does not fit in 64 bits of
         * nanoseconds (~584 years), is forever (0); the shortest finite
         * timeout is 1 ns, never 0 */
        if (seconds >= 1.8e10) {
            timeout_ns = 0;
        } else {
            timeout_ns = (uint64_t)(seconds * 1e9);
            if (timeout_ns == 0)
                timeout_ns = 1;
        }
    }
    cs_device_set_wait_timeout(self->device, timeout_ns);
    Py_RETURN_NONE;
}

static PyObject *device_get_wait_timeout(DeviceObject *self,
                                         PyObject *Py_UNUSED(ignored))
{
    uint64_t timeout_ns = cs_device_get_wait_timeout(self->device);
    if (timeout_ns == 0)
        Py_RETURN_NONE;
    return PyFloat_FromDouble((double)timeout_ns / 1e9);
}

static PyObject *device_get_format_support(DeviceObject *self, PyObject *arg)
{
    uint32_t format = 0;
    if (native_as_u32(arg, "format", NULL, &format) < 0)
        return NULL;
    uint32_t support = 0;
    cs_status status;
    Py_BEGIN_ALLOW_THREADS
    status = cs_device_format_support(self->device, format, &support);
    Py_END_ALLOW_THREADS
    if (status != CS_OK)
        return native_raise(status, NULL);
    return PyLong_FromUnsignedLong(support);
}

static PyMethodDef device_methods[] = {
    {"get_format_support", (PyCFunction)device_get_format_support, METH_O,
     "get_format_support(format) -> FORMAT_SUPPORT_* bits: what the device "
     "can do with a compushady.formats constant"},
    {"get_debug_messages", (PyCFunction)device_get_debug_messages, METH_NOARGS,
     "get_debug_messages() -> list of str; the messages are taken"},
    {"set_wait_timeout", (PyCFunction)device_set_wait_timeout, METH_O,
     "set_wait_timeout(seconds or None): how long calls wait for the GPU "
     "before raising GPUTimeout (None: forever)"},
    {"get_wait_timeout", (PyCFunction)device_get_wait_timeout, METH_NOARGS,
     "get_wait_timeout() -> seconds, or None (forever)"},
    {"_simulate_device_lost", (PyCFunction)device_simulate_device_lost,
     METH_NOARGS,
     "_simulate_device_lost(): FOR TESTS ONLY. Marks the device lost as if "
     "Vulkan had reported VK_ERROR_DEVICE_LOST; every later call on it "
     "raises DeviceLost, for the rest of the process."},
    {"create_heap", (PyCFunction)(void (*)(void))native_device_create_heap,
     METH_VARARGS | METH_KEYWORDS, "create_heap(heap_type, size) -> Heap"},
    {"create_buffer", (PyCFunction)(void (*)(void))native_device_create_buffer,
     METH_VARARGS | METH_KEYWORDS,
     "create_buffer(heap_type, size, stride=0, format=0, heap=None, "
     "heap_offset=0, sparse=False) -> Resource"},
    {"create_texture",
     (PyCFunction)(void (*)(void))native_device_create_texture,
     METH_VARARGS | METH_KEYWORDS,
     "create_texture(kind, width, height, depth, format, heap=None, "
     "heap_offset=0, slices=1, sparse=False) -> Resource"},
    {"create_sampler",
     (PyCFunction)(void (*)(void))native_device_create_sampler,
     METH_VARARGS | METH_KEYWORDS,
     "create_sampler(address_u, address_v, address_w, filter_min, "
     "filter_mag) -> Sampler"},
    {"create_compute",
     (PyCFunction)(void (*)(void))native_device_create_compute,
     METH_VARARGS | METH_KEYWORDS,
     "create_compute(shader, cbv=(), srv=(), uav=(), samplers=(), "
     "push_size=0, bindless=False, max_bindless=64) -> Compute"},
    {"create_swapchain",
     (PyCFunction)(void (*)(void))native_device_create_swapchain,
     METH_VARARGS | METH_KEYWORDS,
     "create_swapchain(platform, display, window, format, num_buffers=3, "
     "width=0, height=0) -> Swapchain"},
    {NULL, NULL, 0, NULL},
};

PyTypeObject Native_DeviceType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "compushady._native.Device",
    .tp_doc = "A GPU; get them from Instance.devices().",
    .tp_basicsize = sizeof(DeviceObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_dealloc = (destructor)device_dealloc,
    .tp_traverse = (traverseproc)device_traverse,
    /* No tp_clear: a Device must keep its Instance (its cs_device lives
     * inside it) as long as it exists; the Instance's tp_clear breaks the
     * Instance <-> devices cycle. */
    .tp_repr = (reprfunc)device_repr,
    .tp_weaklistoffset = offsetof(DeviceObject, weakrefs),
    .tp_methods = device_methods,
    .tp_members = device_members,
    .tp_getset = device_getset,
};
