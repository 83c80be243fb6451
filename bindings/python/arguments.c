/*
 * arguments.c - the argument converters every method uses: unsigned ints,
 * buffer-protocol data, push constants and resources, each failing with a
 * message that names the argument.
 */
#include "native.h"

/* Converts value (an int or an object with __index__) to a uint64_t that
 * must also be <= max; bits is only used in the message. */
static int as_unsigned(PyObject *value, const char *name, PyObject *exception,
                       uint64_t max, int bits, uint64_t *out)
{
    if (!exception)
        exception = PyExc_ValueError;
    if (!PyIndex_Check(value)) {
        PyErr_Format(PyExc_TypeError, "%s must be an int, got %.200s", name,
                     Py_TYPE(value)->tp_name);
        return -1;
    }
    PyObject *index = PyNumber_Index(value);
    if (!index)
        return -1;
    int overflow = 0;
    long long as_signed = PyLong_AsLongLongAndOverflow(index, &overflow);
    if (as_signed == -1 && PyErr_Occurred())
        goto fail;
    if (overflow < 0 || (overflow == 0 && as_signed < 0)) {
        PyErr_Format(exception, "%s must be >= 0, got %S", name, index);
        goto fail;
    }
    uint64_t result;
    if (overflow == 0) {
        result = (uint64_t)as_signed;
    } else {
        /* Between 2**63 and 2**64 - 1 still fits an unsigned 64-bit. */
        unsigned long long wide = PyLong_AsUnsignedLongLong(index);
        if (wide == (unsigned long long)-1 && PyErr_Occurred()) {
            if (!PyErr_ExceptionMatches(PyExc_OverflowError))
                goto fail;
            PyErr_Clear();
            PyErr_Format(exception, "%s %S does not fit in %d bits", name,
                         index, bits);
            goto fail;
        }
        result = wide;
    }
    if (result > max) {
        PyErr_Format(exception, "%s %S does not fit in %d bits", name, index,
                     bits);
        goto fail;
    }
    Py_DECREF(index);
    *out = result;
    return 0;
fail:
    Py_DECREF(index);
    return -1;
}

int native_as_u64(PyObject *value, const char *name, PyObject *exception,
                  uint64_t *out)
{
    if (!value)
        return 0;
    return as_unsigned(value, name, exception, UINT64_MAX, 64, out);
}

int native_as_u32(PyObject *value, const char *name, PyObject *exception,
                  uint32_t *out)
{
    if (!value)
        return 0;
    uint64_t wide;
    if (as_unsigned(value, name, exception, UINT32_MAX, 32, &wide) < 0)
        return -1;
    *out = (uint32_t)wide;
    return 0;
}

int native_get_buffer(PyObject *obj, const char *name, bool writable,
                      Py_buffer *view)
{
    if (!PyObject_CheckBuffer(obj)) {
        PyErr_Format(PyExc_TypeError,
                     "%s must be a %sbytes-like object, got %.200s", name,
                     writable ? "writable " : "", Py_TYPE(obj)->tp_name);
        return -1;
    }
    /* PyBUF_C_CONTIGUOUS (not PyBUF_SIMPLE) so that multi-dimensional
     * arrays of any item type are accepted as their raw bytes; without
     * PyBUF_FORMAT the exporter reports them as unsigned bytes. */
    int flags = PyBUF_C_CONTIGUOUS | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) == 0)
        return 0;
    /* The exporter's own message ("ndarray is not C-contiguous", "Object
     * is not writable.") does not say which argument; add it. */
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    PyErr_Format(PyExc_BufferError,
                 "%s must be a C-contiguous%s buffer (%.200s): %S", name,
                 writable ? " writable" : "", Py_TYPE(obj)->tp_name,
                 value ? value : Py_None);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(traceback);
    return -1;
}

int native_as_u32_xyz(PyObject *x_arg, PyObject *y_arg, PyObject *z_arg,
                      PyObject *exception, uint32_t *x, uint32_t *y,
                      uint32_t *z)
{
    if (native_as_u32(x_arg, "x", exception, x) < 0 ||
        native_as_u32(y_arg, "y", exception, y) < 0 ||
        native_as_u32(z_arg, "z", exception, z) < 0)
        return -1;
    return 0;
}

int native_get_push(PyObject *push, Py_buffer *view)
{
    if (!push || push == Py_None) {
        view->obj = NULL;
        view->buf = NULL;
        view->len = 0;
        return 0;
    }
    return native_get_buffer(push, "push", false, view);
}

PyObject *native_release_result(Py_buffer *view, cs_status status,
                                PyObject *exc)
{
    if (view->obj)
        PyBuffer_Release(view);
    if (status != CS_OK)
        return native_raise(status, exc);
    Py_RETURN_NONE;
}

cs_resource *native_resource_arg(PyObject *obj, const char *name)
{
    if (!Native_Resource_Check(obj)) {
        PyErr_Format(PyExc_TypeError,
                     "%s must be a compushady resource, got %.200s", name,
                     Py_TYPE(obj)->tp_name);
        return NULL;
    }
    return ((ResourceObject *)obj)->resource;
}

int native_copy_desc_from(PyObject *const values[NATIVE_COPY_VALUE_COUNT],
                          PyObject *exc, cs_copy_desc *desc)
{
    static const char *const names[NATIVE_COPY_VALUE_COUNT] = {
        NATIVE_COPY_KEYWORDS};
    uint64_t *const wide[3] = {&desc->size, &desc->src_offset,
                               &desc->dst_offset};
    uint32_t *const narrow[NATIVE_COPY_VALUE_COUNT - 3] = {
        &desc->width, &desc->height,    &desc->depth,    &desc->src_x,
        &desc->src_y, &desc->src_z,     &desc->dst_x,    &desc->dst_y,
        &desc->dst_z, &desc->src_slice, &desc->dst_slice};
    *desc = (cs_copy_desc){0};
    for (int i = 0; i < 3; i++) {
        if (native_as_u64(values[i], names[i], exc, wide[i]) < 0)
            return -1;
    }
    for (int i = 3; i < NATIVE_COPY_VALUE_COUNT; i++) {
        if (native_as_u32(values[i], names[i], exc, narrow[i - 3]) < 0)
            return -1;
    }
    return 0;
}
