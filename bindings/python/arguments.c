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
    if (PyLong_CheckExact(value)) {
        /* the common case, without the __index__ round trip: a small
         * non-negative int is answered here, anything else below */
        int overflow = 0;
        long long small = PyLong_AsLongLongAndOverflow(value, &overflow);
        if (overflow == 0 && small >= 0 && (uint64_t)small <= max) {
            *out = (uint64_t)small;
            return 0;
        }
    }
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

/* Whether obj, or the exporter under the memoryviews obj is made of, is a
 * numpy array: numpy refuses ':' in the field names it writes into a
 * format, so there a name (:name:) can be skipped exactly. Others (ctypes)
 * write any name: one holding ':' could make an item code look like part
 * of a name (T{<i:a:b:<O:c:d:} hides an 'O'). */
static bool names_are_exact(PyObject *obj)
{
    for (int depth = 0; obj && PyMemoryView_Check(obj) && depth < 64; depth++)
        obj = PyMemoryView_GET_BASE(obj);
    PyObject *mro = obj ? Py_TYPE(obj)->tp_mro : NULL;
    if (!mro || !PyTuple_Check(mro))
        return false;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(mro); i++) {
        PyTypeObject *type = (PyTypeObject *)PyTuple_GET_ITEM(mro, i);
        if (strcmp(type->tp_name, "numpy.ndarray") == 0)
            return true;
    }
    return false;
}

/* The first item code of a PEP 3118 format that is not plain bytes or a
 * number (Python objects 'O', pointers 'P' and '&', function pointers,
 * bits, anything unknown), or NULL when every item is plain. Structures
 * (T{...}), sub-arrays ((2,3)f), repeat counts, byte orders and field
 * names (:name:) are walked through: a structure of numbers is plain.
 * Where names are not exact, a name holding 'O', 'P' or '&' counts as
 * such a code (*in_name set): it may be one. */
static const char *first_unplain_code(const char *format, bool exact_names,
                                      bool *in_name)
{
    static const char plain_codes[] = "xcbB?hHiIlLqQnNefdgspuw";
    static const char layout[] = "@=<>!^(),T{}Z";
    *in_name = false;
    for (const char *c = format; *c; c++) {
        if (*c == ':') {
            const char *name_end = strchr(c + 1, ':');
            if (!name_end)
                return c; /* cut short (a NUL in a name) or malformed */
            for (const char *n = c + 1; !exact_names && n < name_end; n++) {
                if (*n == 'O' || *n == 'P' || *n == '&') {
                    *in_name = true;
                    return n;
                }
            }
            c = name_end;
            continue;
        }
        if (Py_ISSPACE(*c) || Py_ISDIGIT(*c) || strchr(layout, *c) ||
            strchr(plain_codes, *c))
            continue;
        return c;
    }
    return NULL;
}

static const char *code_meaning(char code)
{
    switch (code) {
    case 'O': return "Python objects";
    case 'P':
    case '&': return "pointers";
    case 'X': return "function pointers";
    case 't': return "bit fields";
    default: return "items that are not plain numbers";
    }
}

/* Refuses a view whose items are not plain bytes or numbers: writing raw
 * bytes over object pointers corrupts memory, reading them leaks
 * addresses. */
static int check_plain_items(const Py_buffer *view, const char *name,
                             PyObject *obj)
{
    if (!view->format)
        return 0;
    bool in_name;
    /* the exporter is looked at only for formats with names: the common
     * ones ("B", "f", "<i") cost a scan of a few characters */
    bool exact = !strchr(view->format, ':') || names_are_exact(obj);
    const char *bad = first_unplain_code(view->format, exact, &in_name);
    if (!bad)
        return 0;
    PyErr_Format(PyExc_TypeError,
                 "%s must hold plain bytes or numbers, got a %.200s of "
                 "format '%.100s' (%s); convert it first, e.g. "
                 "numpy.ascontiguousarray(a, dtype=numpy.float32) or "
                 "bytes(...)",
                 name, Py_TYPE(obj)->tp_name, view->format,
                 in_name ? "a field name that may hide Python objects or "
                           "pointers: this exporter allows ':' in names"
                         : code_meaning(*bad));
    return -1;
}

/* The exporter refused the view. A BufferError is the protocol's "cannot
 * export that": it becomes one naming the argument, caused by the
 * original. Anything else (a KeyboardInterrupt or an error raised by the
 * object's own __buffer__) passes through unchanged; an Exception gets a
 * note naming the argument where notes exist (3.11+). */
static void explain_export_failure(PyObject *obj, const char *name)
{
    bool buffer_error = PyErr_ExceptionMatches(PyExc_BufferError);
    if (!buffer_error && !PyErr_ExceptionMatches(PyExc_Exception))
        return; /* KeyboardInterrupt, SystemExit: exactly as raised */
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    if (value && traceback)
        PyException_SetTraceback(value, traceback);
    if (!buffer_error) {
        if (value && PyObject_HasAttrString(value, "add_note")) {
            PyObject *done = PyObject_CallMethod(
                value, "add_note", "N",
                PyUnicode_FromFormat("raised while compushady read argument "
                                     "'%s' (a %.200s) as a buffer",
                                     name, Py_TYPE(obj)->tp_name));
            Py_XDECREF(done);
            PyErr_Clear(); /* a failed note must not hide the error */
        }
        PyErr_Restore(type, value, traceback);
        return;
    }
    PyErr_Format(PyExc_BufferError,
                 "%s cannot be read as a buffer (%.200s): %S", name,
                 Py_TYPE(obj)->tp_name, value ? value : Py_None);
    PyObject *new_type, *new_value, *new_traceback;
    PyErr_Fetch(&new_type, &new_value, &new_traceback);
    PyErr_NormalizeException(&new_type, &new_value, &new_traceback);
    if (new_value && value) {
        /* both steal a reference */
        Py_INCREF(value);
        PyException_SetCause(new_value, value);
        Py_INCREF(value);
        PyException_SetContext(new_value, value);
    }
    PyErr_Restore(new_type, new_value, new_traceback);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(traceback);
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
    /* Strides and the format, read-only allowed: every exporter can give
     * that, so a refusal is the exporter's own error; contiguity,
     * writability and the item type are then checked here, each with its
     * own message (numpy's ValueErrors say neither which argument nor
     * what to do). A view that is not read-only is writable (PEP 3118). */
    if (PyObject_GetBuffer(obj, view, PyBUF_RECORDS_RO) < 0) {
        explain_export_failure(obj, name);
        return -1;
    }
    if (!PyBuffer_IsContiguous(view, 'C')) {
        PyErr_Format(PyExc_BufferError,
                     "%s must be a C-contiguous%s buffer (%.200s): this one "
                     "has gaps or another order; %s",
                     name, writable ? " writable" : "", Py_TYPE(obj)->tp_name,
                     writable ? "read into a contiguous array, then copy "
                                "into this one"
                              : "copy it first, e.g. bytes(memoryview(x)) or "
                                "numpy.ascontiguousarray(x)");
        goto fail;
    }
    if (writable && view->readonly) {
        PyErr_Format(PyExc_BufferError,
                     "%s must be a C-contiguous writable buffer (%.200s): "
                     "this one is read-only; pass a bytearray or a writable "
                     "array",
                     name, Py_TYPE(obj)->tp_name);
        goto fail;
    }
    if (check_plain_items(view, name, obj) < 0)
        goto fail;
    return 0;
fail:
    PyBuffer_Release(view);
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

int native_copy_buffer(PyObject *obj, const char *name, void **out_data,
                       size_t *out_size)
{
    Py_buffer view;
    if (native_get_buffer(obj, name, false, &view) < 0)
        return -1;
    /* malloc's alignment suits SPIR-V words; one byte for an empty one */
    void *copy = PyMem_RawMalloc(view.len ? (size_t)view.len : 1);
    if (!copy) {
        PyBuffer_Release(&view);
        PyErr_NoMemory();
        return -1;
    }
    memcpy(copy, view.buf, (size_t)view.len);
    *out_data = copy;
    *out_size = (size_t)view.len;
    PyBuffer_Release(&view);
    return 0;
}

int native_collect_arguments(const char *function, const char *const names[],
                             Py_ssize_t count, Py_ssize_t required,
                             PyObject *const *args, Py_ssize_t nargs,
                             PyObject *kwnames, PyObject **values)
{
    if (nargs > count) {
        PyErr_Format(PyExc_TypeError,
                     "%s() takes at most %zd arguments (%zd given)", function,
                     count, nargs);
        return -1;
    }
    for (Py_ssize_t i = 0; i < count; i++)
        values[i] = i < nargs ? args[i] : NULL;
    Py_ssize_t keywords = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t k = 0; k < keywords; k++) {
        PyObject *key = PyTuple_GET_ITEM(kwnames, k);
        Py_ssize_t i = 0;
        while (i < count && PyUnicode_CompareWithASCIIString(key, names[i]))
            i++;
        if (i == count) {
            PyErr_Format(PyExc_TypeError,
                         "%s() got an unexpected keyword argument '%U'",
                         function, key);
            return -1;
        }
        if (values[i]) {
            PyErr_Format(PyExc_TypeError,
                         "%s() got multiple values for argument '%s'", function,
                         names[i]);
            return -1;
        }
        values[i] = args[nargs + k];
    }
    for (Py_ssize_t i = 0; i < required; i++) {
        if (!values[i]) {
            PyErr_Format(PyExc_TypeError,
                         "%s() missing required argument '%s' (pos %zd)",
                         function, names[i], i + 1);
            return -1;
        }
    }
    return 0;
}
