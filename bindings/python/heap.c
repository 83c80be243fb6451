/*
 * heap.c - the Heap type: a block of device memory resources can alias.
 */
#include "native.h"

PyObject *native_device_create_heap(DeviceObject *self, PyObject *args,
                                    PyObject *kwargs)
{
    static char *keywords[] = {"heap_type", "size", NULL};
    PyObject *heap_type_arg, *size_arg;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO:create_heap", keywords,
                                     &heap_type_arg, &size_arg))
        return NULL;
    uint32_t heap_type = 0;
    uint64_t size = 0;
    if (native_as_u32(heap_type_arg, "heap_type", Native_HeapException,
                      &heap_type) < 0 ||
        native_as_u64(size_arg, "size", Native_HeapException, &size) < 0)
        return NULL;

    cs_heap *heap = NULL;
    cs_status status;
    /* Allocating device memory can take long. */
    Py_BEGIN_ALLOW_THREADS
    status = cs_heap_create(self->device, (cs_heap_type)heap_type, size, &heap);
    Py_END_ALLOW_THREADS
    if (status != CS_OK)
        return native_raise(status, Native_HeapException);

    HeapObject *result = PyObject_GC_New(HeapObject, &Native_HeapType);
    if (!result) {
        cs_heap_release(heap);
        return NULL;
    }
    Py_INCREF(self);
    result->device = (PyObject *)self;
    result->heap = heap;
    PyObject_GC_Track((PyObject *)result);
    return (PyObject *)result;
}

static PyObject *heap_get_size(HeapObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromUnsignedLongLong(cs_heap_size(self->heap));
}

static PyObject *heap_get_heap_type(HeapObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromLong((long)cs_heap_get_type(self->heap));
}

static int heap_traverse(HeapObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->device);
    return 0;
}

static int heap_clear(HeapObject *self)
{
    Py_CLEAR(self->device);
    return 0;
}

static void heap_dealloc(HeapObject *self)
{
    PyObject_GC_UnTrack(self);
    cs_heap_release(self->heap);
    heap_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMemberDef heap_members[] = {
    {"device", T_OBJECT, offsetof(HeapObject, device), READONLY,
     "the Device that owns the heap"},
    {NULL, 0, 0, 0, NULL},
};

static PyGetSetDef heap_getset[] = {
    {"size", (getter)heap_get_size, NULL, "bytes", NULL},
    {"heap_type", (getter)heap_get_heap_type, NULL,
     "HEAP_DEFAULT, HEAP_UPLOAD or HEAP_READBACK", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject Native_HeapType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "compushady._native.Heap",
    .tp_doc = "Device memory that resources can be placed in; create with "
              "Device.create_heap().",
    .tp_basicsize = sizeof(HeapObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_dealloc = (destructor)heap_dealloc,
    .tp_traverse = (traverseproc)heap_traverse,
    .tp_clear = (inquiry)heap_clear,
    .tp_members = heap_members,
    .tp_getset = heap_getset,
};
