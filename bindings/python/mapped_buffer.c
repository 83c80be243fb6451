/*
 * mapped_buffer.c - MappedBuffer, the base class that makes
 * compushady.Buffer itself a buffer-protocol provider.
 *
 * compushady.Buffer is a Python class whose native Resource is in its
 * `handle` attribute. A Python class gets the buffer protocol only from a
 * native base class (or from __buffer__, which needs Python 3.12), so
 * Buffer derives from this one: it has no fields of its own (it mixes with
 * any Python class) and exports the mapped memory of `self.handle`, so
 * memoryview(buffer) and numpy.asarray(buffer) work on every supported
 * Python. The view's owner is the Buffer; the Resource it maps is kept in
 * view->internal, so the mapping stays valid (and counted in the
 * Resource's exports) until the view is released, even if `handle` is
 * replaced or the Buffer is dropped meanwhile.
 */
#include "native.h"

static int mapped_buffer_getbuffer(PyObject *self, Py_buffer *view, int flags)
{
    view->obj = NULL;
    PyObject *handle = PyObject_GetAttrString(self, "handle");
    if (!handle) {
        if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
            PyErr_Clear();
            PyErr_SetString(PyExc_BufferError,
                            "this Buffer has no native resource (its "
                            "creation failed), so it has no memory to view");
        }
        return -1;
    }
    if (!Native_Resource_Check(handle)) {
        PyErr_Format(PyExc_BufferError,
                     "Buffer.handle must be a compushady._native.Resource to "
                     "view its memory, got %.200s",
                     Py_TYPE(handle)->tp_name);
        Py_DECREF(handle);
        return -1;
    }
    if (native_resource_getbuffer((ResourceObject *)handle, view, flags) < 0) {
        Py_DECREF(handle);
        return -1;
    }
    /* The view filled for the handle owns a reference to it in view->obj:
     * the Buffer becomes the owner, the reference from GetAttr stays with
     * the view in view->internal until the release. */
    Py_DECREF(view->obj);
    Py_INCREF(self);
    view->obj = self;
    view->internal = handle;
    return 0;
}

static void mapped_buffer_releasebuffer(PyObject *self, Py_buffer *view)
{
    (void)self;
    ResourceObject *handle = view->internal;
    native_resource_releasebuffer(handle, view);
    view->internal = NULL;
    Py_DECREF(handle);
}

static PyBufferProcs mapped_buffer_as_buffer = {
    .bf_getbuffer = mapped_buffer_getbuffer,
    .bf_releasebuffer = mapped_buffer_releasebuffer,
};

PyTypeObject Native_MappedBufferType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "compushady._native.MappedBuffer",
    .tp_doc = "Base class of compushady.Buffer: the buffer protocol over the "
              "mapped memory of self.handle (HEAP_UPLOAD: writable, "
              "HEAP_READBACK: read-only; HEAP_DEFAULT raises BufferError).",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_as_buffer = &mapped_buffer_as_buffer,
    /* no tp_new: only subclasses are made, with object.__new__ */
};
