/*
 * instance.c - the Instance type: a started backend and its devices.
 */
#include "native.h"

#include <stddef.h>

PyObject *native_instance_create(PyObject *module, PyObject *args,
                                 PyObject *kwargs)
{
    (void)module;
    static char *keywords[] = {"debug", "backend", NULL};
    int debug = 0;
    const char *backend = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|pz:create_instance",
                                     keywords, &debug, &backend))
        return NULL;

    InstanceObject *self =
        PyObject_GC_New(InstanceObject, &Native_InstanceType);
    if (!self)
        return NULL;
    self->instance = NULL;
    self->devices = NULL;
    self->weakrefs = NULL;
    PyObject_GC_Track((PyObject *)self);

    cs_instance_desc desc = {
        .flags = debug ? CS_INSTANCE_DEBUG : 0,
        .backend = backend,
    };
    cs_status status;
    /* Loading the driver and enumerating devices can take long. */
    Py_BEGIN_ALLOW_THREADS
    status = cs_instance_create(&desc, &self->instance);
    Py_END_ALLOW_THREADS
    if (status != CS_OK) {
        Py_DECREF(self);
        /* The only invalid argument create_instance can have is the name. */
        return native_raise(status, Native_UnknownBackend);
    }
    return (PyObject *)self;
}

static PyObject *instance_devices(InstanceObject *self,
                                  PyObject *Py_UNUSED(ignored))
{
    /* Built once so that every call returns the same Device objects. */
    if (!self->devices) {
        size_t count = cs_instance_device_count(self->instance);
        PyObject *devices = PyList_New((Py_ssize_t)count);
        if (!devices)
            return NULL;
        for (size_t i = 0; i < count; i++) {
            PyObject *device = native_device_new(
                self, cs_instance_get_device(self->instance, i));
            if (!device) {
                Py_DECREF(devices);
                return NULL;
            }
            PyList_SET_ITEM(devices, (Py_ssize_t)i, device);
        }
        /* An allocation above may have run the GC, and with it code that
         * called devices() on another thread: keep the first list. */
        if (!self->devices)
            self->devices = devices;
        else
            Py_DECREF(devices);
    }
    /* A new list each time: callers may modify it; the items are shared. */
    return PyList_GetSlice(self->devices, 0, PY_SSIZE_T_MAX);
}

static PyObject *instance_get_backend_name(InstanceObject *self,
                                           void *Py_UNUSED(closure))
{
    return PyUnicode_FromString(cs_instance_backend_name(self->instance));
}

static PyObject *instance_get_debug_enabled(InstanceObject *self,
                                            void *Py_UNUSED(closure))
{
    return PyBool_FromLong(cs_instance_debug_enabled(self->instance));
}

static int instance_traverse(InstanceObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->devices);
    return 0;
}

static int instance_clear(InstanceObject *self)
{
    Py_CLEAR(self->devices);
    return 0;
}

static void instance_dealloc(InstanceObject *self)
{
    PyObject_GC_UnTrack(self);
    if (self->weakrefs)
        PyObject_ClearWeakRefs((PyObject *)self);
    instance_clear(self);
    cs_instance_release(self->instance);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef instance_methods[] = {
    {"devices", (PyCFunction)instance_devices, METH_NOARGS,
     "devices() -> list of Device (the same objects on every call)"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef instance_getset[] = {
    {"backend_name", (getter)instance_get_backend_name, NULL,
     "name of the backend (\"vulkan\")", NULL},
    {"debug_enabled", (getter)instance_get_debug_enabled, NULL,
     "True when validation messages are collected: debug was asked and the "
     "validation layer is installed",
     NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject Native_InstanceType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "compushady._native.Instance",
    .tp_doc = "A started backend; create with create_instance().",
    .tp_basicsize = sizeof(InstanceObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_dealloc = (destructor)instance_dealloc,
    .tp_traverse = (traverseproc)instance_traverse,
    .tp_clear = (inquiry)instance_clear,
    .tp_weaklistoffset = offsetof(InstanceObject, weakrefs),
    .tp_methods = instance_methods,
    .tp_getset = instance_getset,
};
