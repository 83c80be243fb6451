/*
 * resource.c - the Resource type: buffers and textures, their host
 * transfers, GPU copies, and the buffer protocol over mapped buffers.
 */
#include "native.h"

/* Host transfers at least this big release the GIL: below it, the memcpy
 * costs less than giving the GIL away and taking it back. */
#define NATIVE_UNLOCKED_TRANSFER_SIZE (64 * 1024)

static PyObject *exception_for_kind(cs_resource_kind kind)
{
    switch (kind) {
    case CS_RESOURCE_BUFFER: return Native_BufferException;
    case CS_RESOURCE_TEXTURE1D: return Native_Texture1DException;
    case CS_RESOURCE_TEXTURE2D: return Native_Texture2DException;
    case CS_RESOURCE_TEXTURE3D: return Native_Texture3DException;
    }
    return PyExc_ValueError;
}

static PyObject *resource_exception(const ResourceObject *self)
{
    return exception_for_kind(self->info.kind);
}

/* Reads the optional heap argument: None or a Heap. */
static int parse_heap(PyObject *heap_arg, cs_heap **out_heap)
{
    *out_heap = NULL;
    if (!heap_arg || heap_arg == Py_None)
        return 0;
    if (!Native_Heap_Check(heap_arg)) {
        PyErr_Format(PyExc_TypeError,
                     "heap must be a compushady Heap or None, got %.200s",
                     Py_TYPE(heap_arg)->tp_name);
        return -1;
    }
    *out_heap = ((HeapObject *)heap_arg)->heap;
    return 0;
}

/* Creates the resource and its Python object; heap_arg is None/NULL or a
 * Heap (already checked). */
static PyObject *create_resource(DeviceObject *device,
                                 const cs_resource_desc *desc,
                                 PyObject *heap_arg)
{
    cs_resource *resource = NULL;
    cs_status status;
    /* Allocating and binding device memory can take long; desc and the heap
     * (held by the caller's arguments) stay valid meanwhile. */
    Py_BEGIN_ALLOW_THREADS
    status = cs_resource_create(device->device, desc, &resource);
    Py_END_ALLOW_THREADS
    if (status != CS_OK)
        return native_raise(status, exception_for_kind(desc->kind));

    ResourceObject *self =
        PyObject_GC_New(ResourceObject, &Native_ResourceType);
    if (!self) {
        cs_resource_release(resource);
        return NULL;
    }
    Py_INCREF(device);
    self->device = (PyObject *)device;
    self->heap = NULL;
    if (heap_arg && heap_arg != Py_None) {
        Py_INCREF(heap_arg);
        self->heap = heap_arg;
    }
    self->resource = resource;
    cs_resource_get_info(resource, &self->info);
    self->exports = 0;
    self->weakrefs = NULL;
    PyObject_GC_Track((PyObject *)self);
    return (PyObject *)self;
}

PyObject *native_device_create_buffer(DeviceObject *self, PyObject *args,
                                      PyObject *kwargs)
{
    static char *keywords[] = {"heap_type", "size",        "stride", "format",
                               "heap",      "heap_offset", "sparse", NULL};
    PyObject *heap_type_arg, *size_arg, *stride_arg = NULL;
    PyObject *format_arg = NULL, *heap_arg = NULL, *heap_offset_arg = NULL;
    int sparse = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|OOOOp:create_buffer",
                                     keywords, &heap_type_arg, &size_arg,
                                     &stride_arg, &format_arg, &heap_arg,
                                     &heap_offset_arg, &sparse))
        return NULL;
    PyObject *exc = Native_BufferException;
    uint32_t heap_type = 0;
    cs_resource_desc desc = {.kind = CS_RESOURCE_BUFFER, .sparse = sparse};
    if (native_as_u32(heap_type_arg, "heap_type", exc, &heap_type) < 0 ||
        native_as_u64(size_arg, "size", exc, &desc.size) < 0 ||
        native_as_u32(stride_arg, "stride", exc, &desc.stride) < 0 ||
        native_as_u32(format_arg, "format", exc, &desc.format) < 0 ||
        native_as_u64(heap_offset_arg, "heap_offset", exc, &desc.heap_offset) <
            0 ||
        parse_heap(heap_arg, &desc.heap) < 0)
        return NULL;
    desc.heap_type = (cs_heap_type)heap_type;
    return create_resource(self, &desc, heap_arg);
}

PyObject *native_device_create_texture(DeviceObject *self, PyObject *args,
                                       PyObject *kwargs)
{
    static char *keywords[] = {"kind",   "width", "height",      "depth",
                               "format", "heap",  "heap_offset", "slices",
                               "sparse", NULL};
    PyObject *kind_arg, *width_arg, *height_arg, *depth_arg, *format_arg;
    PyObject *heap_arg = NULL, *heap_offset_arg = NULL, *slices_arg = NULL;
    int sparse = 0;
    if (!PyArg_ParseTupleAndKeywords(
            args, kwargs, "OOOOO|OOOp:create_texture", keywords, &kind_arg,
            &width_arg, &height_arg, &depth_arg, &format_arg, &heap_arg,
            &heap_offset_arg, &slices_arg, &sparse))
        return NULL;
    uint32_t kind = 0;
    if (native_as_u32(kind_arg, "kind", NULL, &kind) < 0)
        return NULL;
    /* Checked here: kind 0 would silently make a buffer. */
    if (kind < CS_RESOURCE_TEXTURE1D || kind > CS_RESOURCE_TEXTURE3D)
        return PyErr_Format(PyExc_ValueError,
                            "kind must be 1, 2 or 3 (Texture1D/2D/3D), got %u",
                            kind);
    PyObject *exc = exception_for_kind((cs_resource_kind)kind);
    cs_resource_desc desc = {
        .kind = (cs_resource_kind)kind,
        .heap_type = CS_HEAP_DEFAULT,
        .slices = 1,
        .sparse = sparse,
    };
    if (native_as_u32(width_arg, "width", exc, &desc.width) < 0 ||
        native_as_u32(height_arg, "height", exc, &desc.height) < 0 ||
        native_as_u32(depth_arg, "depth", exc, &desc.depth) < 0 ||
        native_as_u32(format_arg, "format", exc, &desc.format) < 0 ||
        native_as_u64(heap_offset_arg, "heap_offset", exc, &desc.heap_offset) <
            0 ||
        native_as_u32(slices_arg, "slices", exc, &desc.slices) < 0 ||
        parse_heap(heap_arg, &desc.heap) < 0)
        return NULL;
    return create_resource(self, &desc, heap_arg);
}

/* >>host transfers -------------------------------------------------------- */

static PyThreadState *unlock_if_large(uint64_t size)
{
    return size >= NATIVE_UNLOCKED_TRANSFER_SIZE ? PyEval_SaveThread() : NULL;
}

static void relock(PyThreadState *state)
{
    if (state)
        PyEval_RestoreThread(state);
}

static PyObject *resource_upload(ResourceObject *self, PyObject *args,
                                 PyObject *kwargs)
{
    static char *keywords[] = {"data", "offset", NULL};
    PyObject *data, *offset_arg = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O:upload", keywords,
                                     &data, &offset_arg))
        return NULL;
    uint64_t offset = 0;
    if (native_as_u64(offset_arg, "offset", resource_exception(self), &offset) <
        0)
        return NULL;
    Py_buffer view;
    if (native_get_buffer(data, "data", false, &view) < 0)
        return NULL;
    PyThreadState *state = unlock_if_large((uint64_t)view.len);
    cs_status status =
        cs_buffer_upload(self->resource, offset, view.buf, (uint64_t)view.len);
    relock(state);
    PyBuffer_Release(&view);
    if (status != CS_OK)
        return native_raise(status, resource_exception(self));
    Py_RETURN_NONE;
}

/* The pitch, width, height and bytes_per_pixel of upload2d/readback2d. */
static int as_rows(PyObject *pitch_arg, PyObject *width_arg,
                   PyObject *height_arg, PyObject *bpp_arg, PyObject *exc,
                   uint32_t *pitch, uint32_t *width, uint32_t *height,
                   uint32_t *bytes_per_pixel)
{
    if (native_as_u32(pitch_arg, "pitch", exc, pitch) < 0 ||
        native_as_u32(width_arg, "width", exc, width) < 0 ||
        native_as_u32(height_arg, "height", exc, height) < 0 ||
        native_as_u32(bpp_arg, "bytes_per_pixel", exc, bytes_per_pixel) < 0)
        return -1;
    return 0;
}

static PyObject *resource_upload2d(ResourceObject *self, PyObject *args,
                                   PyObject *kwargs)
{
    static char *keywords[] = {"data",   "pitch",           "width",
                               "height", "bytes_per_pixel", NULL};
    PyObject *data, *pitch_arg, *width_arg, *height_arg, *bpp_arg;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOOOO:upload2d", keywords,
                                     &data, &pitch_arg, &width_arg, &height_arg,
                                     &bpp_arg))
        return NULL;
    PyObject *exc = resource_exception(self);
    uint32_t pitch = 0, width = 0, height = 0, bytes_per_pixel = 0;
    if (as_rows(pitch_arg, width_arg, height_arg, bpp_arg, exc, &pitch, &width,
                &height, &bytes_per_pixel) < 0)
        return NULL;
    Py_buffer view;
    if (native_get_buffer(data, "data", false, &view) < 0)
        return NULL;
    PyThreadState *state = unlock_if_large((uint64_t)view.len);
    cs_status status =
        cs_buffer_upload2d(self->resource, view.buf, (uint64_t)view.len, pitch,
                           width, height, bytes_per_pixel);
    relock(state);
    return native_release_result(&view, status, exc);
}

static PyObject *resource_upload_chunked(ResourceObject *self, PyObject *args,
                                         PyObject *kwargs)
{
    static char *keywords[] = {"data", "stride", "filler", NULL};
    PyObject *data, *stride_arg, *filler;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOO:upload_chunked",
                                     keywords, &data, &stride_arg, &filler))
        return NULL;
    PyObject *exc = resource_exception(self);
    uint32_t stride = 0;
    if (native_as_u32(stride_arg, "stride", exc, &stride) < 0)
        return NULL;
    Py_buffer view, filler_view;
    if (native_get_buffer(data, "data", false, &view) < 0)
        return NULL;
    if (native_get_buffer(filler, "filler", false, &filler_view) < 0) {
        PyBuffer_Release(&view);
        return NULL;
    }
    if ((uint64_t)filler_view.len > UINT32_MAX) {
        PyBuffer_Release(&filler_view);
        PyBuffer_Release(&view);
        return PyErr_Format(exc, "filler of %zd bytes does not fit in 32 bits",
                            filler_view.len);
    }
    PyThreadState *state = unlock_if_large((uint64_t)view.len);
    cs_status status = cs_buffer_upload_chunked(
        self->resource, view.buf, (uint64_t)view.len, stride, filler_view.buf,
        (uint32_t)filler_view.len);
    relock(state);
    PyBuffer_Release(&filler_view);
    return native_release_result(&view, status, exc);
}

static PyObject *resource_readback(ResourceObject *self, PyObject *args,
                                   PyObject *kwargs)
{
    static char *keywords[] = {"size", "offset", NULL};
    PyObject *size_arg = NULL, *offset_arg = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OO:readback", keywords,
                                     &size_arg, &offset_arg))
        return NULL;
    PyObject *exc = resource_exception(self);
    uint64_t size = 0, offset = 0;
    if (native_as_u64(size_arg, "size", exc, &size) < 0 ||
        native_as_u64(offset_arg, "offset", exc, &offset) < 0)
        return NULL;
    uint64_t resource_size = self->info.size;
    if (size == 0)
        size = offset < resource_size ? resource_size - offset : 0;
    if (size == 0 || offset > resource_size || size > resource_size - offset) {
        /* Nothing to read, or a range the library will refuse: let it judge
         * (heap first, then range, with its own message) before anything is
         * allocated. data is NULL: the library checks heap and range before
         * it looks at data, and refuses a NULL data it would have to use. */
        cs_status status =
            cs_buffer_readback(self->resource, offset, NULL, size);
        if (status != CS_OK)
            return native_raise(status, exc);
        if (size == 0)
            return PyBytes_FromStringAndSize(NULL, 0);
        return PyErr_Format(exc,
                            "readback of %llu bytes at offset %llu does not "
                            "fit in the %llu-byte resource",
                            (unsigned long long)size,
                            (unsigned long long)offset,
                            (unsigned long long)resource_size);
    }
    PyObject *result = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)size);
    if (!result)
        return NULL;
    PyThreadState *state = unlock_if_large(size);
    cs_status status = cs_buffer_readback(self->resource, offset,
                                          PyBytes_AS_STRING(result), size);
    relock(state);
    if (status != CS_OK) {
        Py_DECREF(result);
        return native_raise(status, exc);
    }
    return result;
}

static PyObject *resource_readback_to_buffer(ResourceObject *self,
                                             PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"obj", "offset", NULL};
    PyObject *obj, *offset_arg = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O:readback_to_buffer",
                                     keywords, &obj, &offset_arg))
        return NULL;
    PyObject *exc = resource_exception(self);
    uint64_t offset = 0;
    if (native_as_u64(offset_arg, "offset", exc, &offset) < 0)
        return NULL;
    Py_buffer view;
    if (native_get_buffer(obj, "buffer", true, &view) < 0)
        return NULL;
    PyThreadState *state = unlock_if_large((uint64_t)view.len);
    cs_status status = cs_buffer_readback(self->resource, offset, view.buf,
                                          (uint64_t)view.len);
    relock(state);
    return native_release_result(&view, status, exc);
}

static PyObject *resource_readback2d(ResourceObject *self, PyObject *args,
                                     PyObject *kwargs)
{
    static char *keywords[] = {"pitch", "width", "height", "bytes_per_pixel",
                               NULL};
    PyObject *pitch_arg, *width_arg, *height_arg, *bpp_arg;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOOO:readback2d", keywords,
                                     &pitch_arg, &width_arg, &height_arg,
                                     &bpp_arg))
        return NULL;
    PyObject *exc = resource_exception(self);
    uint32_t pitch = 0, width = 0, height = 0, bytes_per_pixel = 0;
    if (as_rows(pitch_arg, width_arg, height_arg, bpp_arg, exc, &pitch, &width,
                &height, &bytes_per_pixel) < 0)
        return NULL;
    /* The packed size can exceed 64 bits with three 32-bit factors. */
    uint64_t row_size = (uint64_t)width * bytes_per_pixel;
    uint64_t size;
    if (__builtin_mul_overflow(row_size, (uint64_t)height, &size) ||
        size > (uint64_t)PY_SSIZE_T_MAX)
        return PyErr_Format(exc,
                            "readback2d of %u rows of %llu bytes is too large",
                            height, (unsigned long long)row_size);
    /* The packed rows lie inside the buffer, so more bytes than it has is
     * a call the library refuses (heap, pitch, then range, with the sizes
     * in its message) before it touches data: ask it before allocating. */
    if (size > self->info.size) {
        cs_status status = cs_buffer_readback2d(
            self->resource, NULL, size, pitch, width, height, bytes_per_pixel);
        if (status != CS_OK)
            return native_raise(status, exc);
        return PyErr_Format(exc,
                            "readback2d: %u rows of %llu bytes (%llu bytes) "
                            "do not fit in the %llu-byte buffer",
                            height, (unsigned long long)row_size,
                            (unsigned long long)size,
                            (unsigned long long)self->info.size);
    }
    PyObject *result = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)size);
    if (!result)
        return NULL;
    PyThreadState *state = unlock_if_large(size);
    cs_status status =
        cs_buffer_readback2d(self->resource, PyBytes_AS_STRING(result), size,
                             pitch, width, height, bytes_per_pixel);
    relock(state);
    if (status != CS_OK) {
        Py_DECREF(result);
        return native_raise(status, exc);
    }
    return result;
}

/* >>copy ------------------------------------------------------------------ */

static PyObject *resource_copy_to(ResourceObject *self, PyObject *args,
                                  PyObject *kwargs)
{
    static char *keywords[] = {"destination", NATIVE_COPY_KEYWORDS, NULL};
    PyObject *destination;
    PyObject *values[NATIVE_COPY_VALUE_COUNT] = {NULL};
    PyObject **v = values;
    if (!PyArg_ParseTupleAndKeywords(
            args, kwargs, "O|OOOOOOOOOOOOOO:copy_to", keywords, &destination,
            &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8],
            &v[9], &v[10], &v[11], &v[12], &v[13]))
        return NULL;
    cs_resource *destination_handle =
        native_resource_arg(destination, "destination");
    if (!destination_handle)
        return NULL;
    PyObject *exc = resource_exception(self);
    cs_copy_desc desc;
    if (native_copy_desc_from(values, exc, &desc) < 0)
        return NULL;
    cs_status status;
    Py_BEGIN_ALLOW_THREADS
    status = cs_resource_copy(self->resource, destination_handle, &desc);
    Py_END_ALLOW_THREADS
    if (status != CS_OK)
        return native_raise(status, exc);
    Py_RETURN_NONE;
}

/* >>sparse ---------------------------------------------------------------- */

static PyObject *resource_bind_tile(ResourceObject *self, PyObject *args,
                                    PyObject *kwargs)
{
    static char *keywords[] = {"x",           "y",     "z", "heap",
                               "heap_offset", "slice", NULL};
    PyObject *x_arg, *y_arg, *z_arg, *heap_arg = NULL;
    PyObject *heap_offset_arg = NULL, *slice_arg = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOO|OOO:bind_tile",
                                     keywords, &x_arg, &y_arg, &z_arg,
                                     &heap_arg, &heap_offset_arg, &slice_arg))
        return NULL;
    PyObject *exc = resource_exception(self);
    uint32_t x = 0, y = 0, z = 0, slice = 0;
    uint64_t heap_offset = 0;
    cs_heap *heap = NULL;
    if (native_as_u32_xyz(x_arg, y_arg, z_arg, exc, &x, &y, &z) < 0 ||
        native_as_u64(heap_offset_arg, "heap_offset", exc, &heap_offset) < 0 ||
        native_as_u32(slice_arg, "slice", exc, &slice) < 0 ||
        parse_heap(heap_arg, &heap) < 0)
        return NULL;
    /* The library keeps its own reference to the heap while a tile maps
     * it: the Python Heap may go away. heap_arg is held by the arguments
     * during the call. */
    cs_status status;
    Py_BEGIN_ALLOW_THREADS
    status = cs_resource_bind_tile(self->resource, x, y, z, slice, heap,
                                   heap_offset);
    Py_END_ALLOW_THREADS
    if (status != CS_OK)
        return native_raise(status, exc);
    Py_RETURN_NONE;
}

/* >>buffer protocol ------------------------------------------------------- */

int native_resource_getbuffer(ResourceObject *self, Py_buffer *view, int flags)
{
    const char *heap_name = self->info.heap_type == CS_HEAP_UPLOAD ? "UPLOAD"
                            : self->info.heap_type == CS_HEAP_READBACK
                                ? "READBACK"
                                : "DEFAULT";
    if (self->info.kind != CS_RESOURCE_BUFFER ||
        self->info.heap_type == CS_HEAP_DEFAULT) {
        if (self->info.kind == CS_RESOURCE_BUFFER)
            PyErr_Format(PyExc_BufferError,
                         "a buffer in the %s heap is not host-visible, so it "
                         "has no memory to view: create it with HEAP_UPLOAD "
                         "or HEAP_READBACK for a view without a copy, or "
                         "read a copy with Buffer.to_numpy()",
                         heap_name);
        else
            PyErr_Format(PyExc_BufferError,
                         "a texture in the %s heap is not host-visible; copy "
                         "it to a HEAP_READBACK buffer to read it",
                         heap_name);
        view->obj = NULL;
        return -1;
    }
    /* READBACK memory is what the GPU wrote for the CPU to read: exported
     * read-only so that a stray write cannot be mistaken for GPU output. */
    bool readonly = self->info.heap_type == CS_HEAP_READBACK;
    if ((flags & PyBUF_WRITABLE) && readonly) {
        PyErr_SetString(PyExc_BufferError,
                        "a READBACK buffer is read-only; write to a buffer "
                        "created with HEAP_UPLOAD");
        view->obj = NULL;
        return -1;
    }
    if (self->info.size > (uint64_t)PY_SSIZE_T_MAX) {
        PyErr_SetString(PyExc_BufferError, "buffer too large to expose");
        view->obj = NULL;
        return -1;
    }
    void *mapped = cs_buffer_mapped(self->resource);
    if (!mapped) {
        PyErr_SetString(PyExc_BufferError, cs_last_error());
        view->obj = NULL;
        return -1;
    }
    /* Fills a 1-D unsigned-byte view and takes a reference to self in
     * view->obj: the mapping lives as long as the resource. */
    if (PyBuffer_FillInfo(view, (PyObject *)self, mapped,
                          (Py_ssize_t)self->info.size, readonly, flags) < 0)
        return -1;
    self->exports++;
    return 0;
}

void native_resource_releasebuffer(ResourceObject *self, Py_buffer *view)
{
    (void)view;
    self->exports--;
}

static PyBufferProcs resource_as_buffer = {
    .bf_getbuffer = (getbufferproc)native_resource_getbuffer,
    .bf_releasebuffer = (releasebufferproc)native_resource_releasebuffer,
};

/* >>type ------------------------------------------------------------------ */

static PyObject *resource_get_kind(ResourceObject *self,
                                   void *Py_UNUSED(closure))
{
    return PyLong_FromLong((long)self->info.kind);
}

static PyObject *resource_get_heap_type(ResourceObject *self,
                                        void *Py_UNUSED(closure))
{
    return PyLong_FromLong((long)self->info.heap_type);
}

static PyObject *resource_repr(ResourceObject *self)
{
    static const char *const kinds[] = {"Buffer", "Texture1D", "Texture2D",
                                        "Texture3D"};
    const char *kind =
        (unsigned)self->info.kind < 4 ? kinds[self->info.kind] : "Resource";
    return PyUnicode_FromFormat(
        "<compushady._native.Resource %s size=%llu heap_type=%d>", kind,
        (unsigned long long)self->info.size, (int)self->info.heap_type);
}

static int resource_traverse(ResourceObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->device);
    Py_VISIT(self->heap);
    return 0;
}

static int resource_clear(ResourceObject *self)
{
    Py_CLEAR(self->device);
    Py_CLEAR(self->heap);
    return 0;
}

static void resource_dealloc(ResourceObject *self)
{
    PyObject_GC_UnTrack(self);
    if (self->weakrefs)
        PyObject_ClearWeakRefs((PyObject *)self);
    cs_resource_release(self->resource);
    resource_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

#define INFO_MEMBER(name, type)                                                \
    {                                                                          \
#name, type, offsetof(ResourceObject, info.name), READONLY, NULL       \
    }

static PyMemberDef resource_members[] = {
    INFO_MEMBER(size, T_ULONGLONG),
    INFO_MEMBER(heap_size, T_ULONGLONG),
    INFO_MEMBER(stride, T_UINT),
    INFO_MEMBER(format, T_UINT),
    INFO_MEMBER(width, T_UINT),
    INFO_MEMBER(height, T_UINT),
    INFO_MEMBER(depth, T_UINT),
    INFO_MEMBER(slices, T_UINT),
    INFO_MEMBER(row_pitch, T_UINT),
    INFO_MEMBER(tiles_x, T_UINT),
    INFO_MEMBER(tiles_y, T_UINT),
    INFO_MEMBER(tiles_z, T_UINT),
    INFO_MEMBER(tile_width, T_UINT),
    INFO_MEMBER(tile_height, T_UINT),
    INFO_MEMBER(tile_depth, T_UINT),
    {"device", T_OBJECT, offsetof(ResourceObject, device), READONLY,
     "the Device that owns the resource"},
    {"heap", T_OBJECT, offsetof(ResourceObject, heap), READONLY,
     "the Heap the resource is placed in, or None"},
    {NULL, 0, 0, 0, NULL},
};

static PyGetSetDef resource_getset[] = {
    {"kind", (getter)resource_get_kind, NULL, "0 buffer, 1/2/3 Texture1D/2D/3D",
     NULL},
    {"heap_type", (getter)resource_get_heap_type, NULL,
     "HEAP_DEFAULT, HEAP_UPLOAD or HEAP_READBACK", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

#define KW_METHOD(name, function, doc)                                         \
    {                                                                          \
        name, (PyCFunction)(void (*)(void))function,                           \
            METH_VARARGS | METH_KEYWORDS, doc                                  \
    }

static PyMethodDef resource_methods[] = {
    KW_METHOD("upload", resource_upload, "upload(data, offset=0)"),
    KW_METHOD("upload2d", resource_upload2d,
              "upload2d(data, pitch, width, height, bytes_per_pixel)"),
    KW_METHOD("upload_chunked", resource_upload_chunked,
              "upload_chunked(data, stride, filler)"),
    KW_METHOD("readback", resource_readback,
              "readback(size=0, offset=0) -> bytes (size 0 = to the end)"),
    KW_METHOD("readback_to_buffer", resource_readback_to_buffer,
              "readback_to_buffer(obj, offset=0): fills the whole object"),
    KW_METHOD("readback2d", resource_readback2d,
              "readback2d(pitch, width, height, bytes_per_pixel) -> bytes"),
    KW_METHOD("copy_to", resource_copy_to,
              "copy_to(destination, size=0, src_offset=0, dst_offset=0, "
              "width=0, height=0, depth=0, src_x=0, src_y=0, src_z=0, "
              "dst_x=0, dst_y=0, dst_z=0, src_slice=0, dst_slice=0)"),
    KW_METHOD("bind_tile", resource_bind_tile,
              "bind_tile(x, y, z, heap=None, heap_offset=0, slice=0): map "
              "one tile of a sparse resource onto a Heap (None unmaps)"),
    {NULL, NULL, 0, NULL},
};

PyTypeObject Native_ResourceType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "compushady._native.Resource",
    .tp_doc = "A buffer or texture; create with Device.create_buffer() or "
              "Device.create_texture().",
    .tp_basicsize = sizeof(ResourceObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_dealloc = (destructor)resource_dealloc,
    .tp_traverse = (traverseproc)resource_traverse,
    .tp_clear = (inquiry)resource_clear,
    .tp_repr = (reprfunc)resource_repr,
    .tp_weaklistoffset = offsetof(ResourceObject, weakrefs),
    .tp_as_buffer = &resource_as_buffer,
    .tp_methods = resource_methods,
    .tp_members = resource_members,
    .tp_getset = resource_getset,
};
