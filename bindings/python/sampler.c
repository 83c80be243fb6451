/*
 * sampler.c - the Sampler type.
 */
#include "native.h"

PyObject *native_device_create_sampler(DeviceObject *self, PyObject *args,
                                       PyObject *kwargs)
{
    static char *keywords[] = {"address_u",  "address_v",  "address_w",
                               "filter_min", "filter_mag", NULL};
    PyObject *address_u = NULL, *address_v = NULL, *address_w = NULL;
    PyObject *filter_min = NULL, *filter_mag = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OOOOO:create_sampler",
                                     keywords, &address_u, &address_v,
                                     &address_w, &filter_min, &filter_mag))
        return NULL;
    /* Read as uint32 so that the library, not the C enum conversion,
     * judges unknown values. */
    uint32_t values[5] = {0};
    PyObject *const objects[5] = {address_u, address_v, address_w, filter_min,
                                  filter_mag};
    for (int i = 0; i < 5; i++) {
        if (native_as_u32(objects[i], keywords[i], Native_SamplerException,
                          &values[i]) < 0)
            return NULL;
    }
    cs_sampler_desc desc = {
        .address_u = (cs_address_mode)values[0],
        .address_v = (cs_address_mode)values[1],
        .address_w = (cs_address_mode)values[2],
        .filter_min = (cs_filter)values[3],
        .filter_mag = (cs_filter)values[4],
    };
    cs_sampler *sampler = NULL;
    cs_status status = cs_sampler_create(self->device, &desc, &sampler);
    if (status != CS_OK)
        return native_raise(status, Native_SamplerException);

    SamplerObject *result = PyObject_GC_New(SamplerObject, &Native_SamplerType);
    if (!result) {
        cs_sampler_release(sampler);
        return NULL;
    }
    Py_INCREF(self);
    result->device = (PyObject *)self;
    result->sampler = sampler;
    PyObject_GC_Track((PyObject *)result);
    return (PyObject *)result;
}

static int sampler_traverse(SamplerObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->device);
    return 0;
}

static int sampler_clear(SamplerObject *self)
{
    Py_CLEAR(self->device);
    return 0;
}

static void sampler_dealloc(SamplerObject *self)
{
    PyObject_GC_UnTrack(self);
    cs_sampler_release(self->sampler);
    sampler_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMemberDef sampler_members[] = {
    {"device", T_OBJECT, offsetof(SamplerObject, device), READONLY,
     "the Device that owns the sampler"},
    {NULL, 0, 0, 0, NULL},
};

PyTypeObject Native_SamplerType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "compushady._native.Sampler",
    .tp_doc = "A texture sampler; create with Device.create_sampler().",
    .tp_basicsize = sizeof(SamplerObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_dealloc = (destructor)sampler_dealloc,
    .tp_traverse = (traverseproc)sampler_traverse,
    .tp_clear = (inquiry)sampler_clear,
    .tp_members = sampler_members,
};
