/*
 * compute.c - the Compute type: a pipeline with its bound resources, and
 * its dispatches.
 */
#include "native.h"

/* One of the cbv/srv/uav/samplers arguments, converted to C handles. */
typedef struct binding_list {
    const char *name;
    bool samplers;   /* items are Samplers, not Resources */
    PyObject *items; /* tuple copy: a list could change while unlocked */
    void **handles;  /* PyMem array of cs_resource* or cs_sampler* */
    uint32_t count;
} binding_list;

static void binding_list_release(binding_list *list)
{
    Py_CLEAR(list->items);
    PyMem_Free(list->handles);
    list->handles = NULL;
}

static int binding_list_parse(binding_list *list, PyObject *sequence)
{
    if (!sequence || sequence == Py_None)
        sequence = NULL;
    list->items = sequence ? PySequence_Tuple(sequence) : PyTuple_New(0);
    if (!list->items) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Format(PyExc_TypeError,
                         "%s must be a list of compushady %s, got %.200s",
                         list->name, list->samplers ? "samplers" : "resources",
                         Py_TYPE(sequence)->tp_name);
        }
        return -1;
    }
    Py_ssize_t count = PyTuple_GET_SIZE(list->items);
    if ((size_t)count > UINT32_MAX) {
        PyErr_Format(Native_ComputeException, "%s has too many items (%zd)",
                     list->name, count);
        return -1;
    }
    list->count = (uint32_t)count;
    list->handles = PyMem_Calloc(count ? (size_t)count : 1, sizeof(void *));
    if (!list->handles) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *item = PyTuple_GET_ITEM(list->items, i);
        if (list->samplers ? Native_Sampler_Check(item)
                           : Native_Resource_Check(item)) {
            list->handles[i] = list->samplers
                                   ? (void *)((SamplerObject *)item)->sampler
                                   : (void *)((ResourceObject *)item)->resource;
            continue;
        }
        PyErr_Format(PyExc_TypeError,
                     "%s[%zd] must be a compushady %s, got %.200s", list->name,
                     i, list->samplers ? "sampler" : "resource",
                     Py_TYPE(item)->tp_name);
        return -1;
    }
    return 0;
}

PyObject *native_device_create_compute(DeviceObject *self, PyObject *args,
                                       PyObject *kwargs)
{
    static char *keywords[] = {
        "shader",    "cbv",      "srv",          "uav",    "samplers",
        "push_size", "bindless", "max_bindless", "format", NULL};
    PyObject *shader, *cbv = NULL, *srv = NULL, *uav = NULL, *samplers = NULL;
    PyObject *push_size_arg = NULL, *max_bindless_arg = NULL;
    PyObject *format_arg = NULL;
    int bindless = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|OOOOOpOO:create_compute",
                                     keywords, &shader, &cbv, &srv, &uav,
                                     &samplers, &push_size_arg, &bindless,
                                     &max_bindless_arg, &format_arg))
        return NULL;
    PyObject *exc = Native_ComputeException;
    cs_compute_desc desc = {.bindless = bindless, .max_bindless = 64};
    uint32_t format = CS_SHADER_FORMAT_SPIRV;
    if (native_as_u32(push_size_arg, "push_size", exc, &desc.push_size) < 0 ||
        native_as_u32(max_bindless_arg, "max_bindless", exc,
                      &desc.max_bindless) < 0 ||
        native_as_u32(format_arg, "format", exc, &format) < 0)
        return NULL;

    binding_list lists[4] = {
        {.name = "cbv"},
        {.name = "srv"},
        {.name = "uav"},
        {.name = "samplers", .samplers = true},
    };
    PyObject *const sequences[4] = {cbv, srv, uav, samplers};
    PyObject *result = NULL;
    void *spirv = NULL;
    size_t spirv_size = 0;
    for (int i = 0; i < 4; i++) {
        if (binding_list_parse(&lists[i], sequences[i]) < 0)
            goto done;
    }
    /* A copy: the library validates the module, hashes it for its caches
     * and hands it to the driver with the GIL released; the caller's
     * buffer could change in between (a bytearray written by another
     * thread), and a module changed after validation crashes the driver. */
    if (native_copy_buffer(shader, "shader", &spirv, &spirv_size) < 0)
        goto done;

    /* format: a CS_SHADER_FORMAT_* (SHADER_FORMAT_* of the module) */
    desc.format = (cs_shader_format)format;
    desc.code = spirv;
    desc.code_size = spirv_size;
    desc.cbv = (cs_resource *const *)lists[0].handles;
    desc.cbv_count = lists[0].count;
    desc.srv = (cs_resource *const *)lists[1].handles;
    desc.srv_count = lists[1].count;
    desc.uav = (cs_resource *const *)lists[2].handles;
    desc.uav_count = lists[2].count;
    desc.samplers = (cs_sampler *const *)lists[3].handles;
    desc.sampler_count = lists[3].count;

    cs_compute *compute = NULL;
    cs_status status;
    /* Pipeline creation compiles the shader in the driver: slow. The
     * tuples keep every handle alive meanwhile. */
    Py_BEGIN_ALLOW_THREADS
    status = cs_compute_create(self->device, &desc, &compute);
    Py_END_ALLOW_THREADS
    if (status != CS_OK) {
        native_raise(status, exc);
        goto done;
    }

    ComputeObject *object = PyObject_GC_New(ComputeObject, &Native_ComputeType);
    PyObject *bound = PySequence_Concat(lists[0].items, lists[1].items);
    for (int i = 2; bound && i < 4; i++)
        Py_SETREF(bound, PySequence_Concat(bound, lists[i].items));
    PyObject *bindless_dict = PyDict_New();
    if (!object || !bound || !bindless_dict) {
        cs_compute_release(compute);
        Py_XDECREF(bound);
        Py_XDECREF(bindless_dict);
        if (object) {
            /* Not yet tracked, fields unset: free without tp_dealloc. */
            PyObject_GC_Del(object);
        }
        goto done;
    }
    Py_INCREF(self);
    object->device = (PyObject *)self;
    object->bound = bound;
    object->bindless = bindless_dict;
    object->compute = compute;
    object->weakrefs = NULL;
    PyObject_GC_Track((PyObject *)object);
    result = (PyObject *)object;
done:
    PyMem_RawFree(spirv);
    for (int i = 0; i < 4; i++)
        binding_list_release(&lists[i]);
    return result;
}

static PyObject *compute_dispatch(ComputeObject *self, PyObject *args,
                                  PyObject *kwargs)
{
    static char *keywords[] = {"x", "y", "z", "push", NULL};
    PyObject *x_arg, *y_arg, *z_arg, *push = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOO|O:dispatch", keywords,
                                     &x_arg, &y_arg, &z_arg, &push))
        return NULL;
    PyObject *exc = Native_ComputeException;
    uint32_t x = 0, y = 0, z = 0;
    if (native_as_u32_xyz(x_arg, y_arg, z_arg, exc, &x, &y, &z) < 0)
        return NULL;
    Py_buffer view;
    if (native_get_push(push, &view) < 0)
        return NULL;
    cs_status status;
    Py_BEGIN_ALLOW_THREADS
    status =
        cs_compute_dispatch(self->compute, x, y, z, view.buf, (size_t)view.len);
    Py_END_ALLOW_THREADS
    return native_release_result(&view, status, exc);
}

/* Like dispatch; returns the GPU time in seconds (timestamps). */
static PyObject *compute_dispatch_timed(ComputeObject *self, PyObject *args,
                                        PyObject *kwargs)
{
    static char *keywords[] = {"x", "y", "z", "push", NULL};
    PyObject *x_arg, *y_arg, *z_arg, *push = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOO|O:dispatch_timed",
                                     keywords, &x_arg, &y_arg, &z_arg, &push))
        return NULL;
    PyObject *exc = Native_ComputeException;
    uint32_t x = 0, y = 0, z = 0;
    if (native_as_u32_xyz(x_arg, y_arg, z_arg, exc, &x, &y, &z) < 0)
        return NULL;
    Py_buffer view;
    if (native_get_push(push, &view) < 0)
        return NULL;
    cs_status status;
    uint64_t gpu_ns = 0;
    Py_BEGIN_ALLOW_THREADS
    status = cs_compute_dispatch_timed(self->compute, x, y, z, view.buf,
                                       (size_t)view.len, &gpu_ns);
    Py_END_ALLOW_THREADS
    if (view.obj)
        PyBuffer_Release(&view);
    if (status != CS_OK)
        return native_raise(status, exc);
    return PyFloat_FromDouble((double)gpu_ns / 1e9);
}

static PyObject *compute_dispatch_indirect(ComputeObject *self, PyObject *args,
                                           PyObject *kwargs)
{
    static char *keywords[] = {"buffer", "offset", "push", NULL};
    PyObject *buffer, *offset_arg = NULL, *push = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|OO:dispatch_indirect",
                                     keywords, &buffer, &offset_arg, &push))
        return NULL;
    PyObject *exc = Native_ComputeException;
    cs_resource *indirect = native_resource_arg(buffer, "buffer");
    if (!indirect)
        return NULL;
    uint64_t offset = 0;
    if (native_as_u64(offset_arg, "offset", exc, &offset) < 0)
        return NULL;
    Py_buffer view;
    if (native_get_push(push, &view) < 0)
        return NULL;
    cs_status status;
    Py_BEGIN_ALLOW_THREADS
    status = cs_compute_dispatch_indirect(self->compute, indirect, offset,
                                          view.buf, (size_t)view.len);
    Py_END_ALLOW_THREADS
    return native_release_result(&view, status, exc);
}

static PyObject *compute_bind(ComputeObject *self, PyObject *args,
                              PyObject *kwargs, cs_bind_kind kind,
                              const char *name)
{
    static char *keywords[] = {"index", "resource", NULL};
    PyObject *index_arg, *resource;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO", keywords, &index_arg,
                                     &resource))
        return NULL;
    PyObject *exc = Native_ComputeException;
    uint32_t index = 0;
    if (native_as_u32(index_arg, "index", exc, &index) < 0)
        return NULL;
    if (!Native_Resource_Check(resource))
        return PyErr_Format(PyExc_TypeError,
                            "%s: resource must be a compushady resource, got "
                            "%.200s",
                            name, Py_TYPE(resource)->tp_name);
    cs_status status = cs_compute_bind(self->compute, kind, index,
                                       ((ResourceObject *)resource)->resource);
    if (status != CS_OK)
        return native_raise(status, exc);
    /* Keep the Python object alive like the ones given at creation; a
     * rebinding of the same slot replaces it. */
    PyObject *key = Py_BuildValue("(iI)", (int)kind, index);
    if (!key)
        return NULL;
    int failed = PyDict_SetItem(self->bindless, key, resource);
    Py_DECREF(key);
    if (failed < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *compute_bind_cbv(ComputeObject *self, PyObject *args,
                                  PyObject *kwargs)
{
    return compute_bind(self, args, kwargs, CS_BIND_CBV, "bind_cbv");
}

static PyObject *compute_bind_srv(ComputeObject *self, PyObject *args,
                                  PyObject *kwargs)
{
    return compute_bind(self, args, kwargs, CS_BIND_SRV, "bind_srv");
}

static PyObject *compute_bind_uav(ComputeObject *self, PyObject *args,
                                  PyObject *kwargs)
{
    return compute_bind(self, args, kwargs, CS_BIND_UAV, "bind_uav");
}

static int compute_traverse(ComputeObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->device);
    Py_VISIT(self->bound);
    Py_VISIT(self->bindless);
    return 0;
}

static int compute_clear(ComputeObject *self)
{
    Py_CLEAR(self->device);
    Py_CLEAR(self->bound);
    Py_CLEAR(self->bindless);
    return 0;
}

static void compute_dealloc(ComputeObject *self)
{
    PyObject_GC_UnTrack(self);
    if (self->weakrefs)
        PyObject_ClearWeakRefs((PyObject *)self);
    cs_compute_release(self->compute);
    compute_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

#define KW_METHOD(name, function, doc)                                         \
    {                                                                          \
        name, (PyCFunction)(void (*)(void))function,                           \
            METH_VARARGS | METH_KEYWORDS, doc                                  \
    }

static PyMethodDef compute_methods[] = {
    KW_METHOD("dispatch", compute_dispatch, "dispatch(x, y, z, push=None)"),
    KW_METHOD("dispatch_timed", compute_dispatch_timed,
              "dispatch_timed(x, y, z, push=None) -> GPU seconds"),
    KW_METHOD("dispatch_indirect", compute_dispatch_indirect,
              "dispatch_indirect(buffer, offset=0, push=None)"),
    KW_METHOD("bind_cbv", compute_bind_cbv, "bind_cbv(index, resource)"),
    KW_METHOD("bind_srv", compute_bind_srv, "bind_srv(index, resource)"),
    KW_METHOD("bind_uav", compute_bind_uav, "bind_uav(index, resource)"),
    {NULL, NULL, 0, NULL},
};

static PyMemberDef compute_members[] = {
    {"device", T_OBJECT, offsetof(ComputeObject, device), READONLY,
     "the Device that runs the compute"},
    {NULL, 0, 0, 0, NULL},
};

PyTypeObject Native_ComputeType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "compushady._native.Compute",
    .tp_doc = "A compute pipeline with its bindings; create with "
              "Device.create_compute().",
    .tp_basicsize = sizeof(ComputeObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_dealloc = (destructor)compute_dealloc,
    .tp_traverse = (traverseproc)compute_traverse,
    .tp_clear = (inquiry)compute_clear,
    .tp_weaklistoffset = offsetof(ComputeObject, weakrefs),
    .tp_methods = compute_methods,
    .tp_members = compute_members,
};
