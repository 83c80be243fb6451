/*
 * swapchain.c - the Swapchain type: presenting textures to a window.
 */
#include "native.h"

/* A window-system handle: an int (or an object with __index__) that is not
 * 0 and fits in 64 bits. */
static int handle_arg(PyObject *value, const char *name, uint64_t *out)
{
    if (!PyIndex_Check(value)) {
        PyErr_Format(PyExc_TypeError,
                     "%s must be an int (a pointer or window id), got %s", name,
                     Py_TYPE(value)->tp_name);
        return -1;
    }
    if (native_as_u64(value, name, PyExc_ValueError, out) < 0)
        return -1;
    if (*out == 0) {
        PyErr_Format(PyExc_ValueError, "%s must not be 0 (NULL)", name);
        return -1;
    }
    return 0;
}

static const char *const present_mode_names[] = {"fifo", "mailbox",
                                                 "immediate"};
enum { PRESENT_MODE_COUNT = 3 };

static int present_mode_from_name(const char *name, cs_present_mode *out)
{
    for (int mode = 0; mode < PRESENT_MODE_COUNT; mode++) {
        if (strcmp(name, present_mode_names[mode]) == 0) {
            *out = (cs_present_mode)mode;
            return 0;
        }
    }
    PyErr_Format(PyExc_ValueError,
                 "present_mode must be \"fifo\", \"mailbox\" or "
                 "\"immediate\", got \"%s\"",
                 name);
    return -1;
}

PyObject *native_device_create_swapchain(DeviceObject *self, PyObject *args,
                                         PyObject *kwargs)
{
    static char *keywords[] = {
        "platform", "display", "window",       "format",        "num_buffers",
        "width",    "height",  "present_mode", "auto_recreate", NULL};
    const char *platform;
    PyObject *display_object, *window_object, *format_object;
    PyObject *num_buffers_object = NULL, *width_object = NULL,
             *height_object = NULL;
    const char *present_mode = "fifo";
    int auto_recreate = 1;
    if (!PyArg_ParseTupleAndKeywords(
            args, kwargs, "sOOO|OOOsp:create_swapchain", keywords, &platform,
            &display_object, &window_object, &format_object,
            &num_buffers_object, &width_object, &height_object, &present_mode,
            &auto_recreate))
        return NULL;
    cs_swapchain_desc desc = {.num_buffers = 3};
    if (present_mode_from_name(present_mode, &desc.present_mode) < 0)
        return NULL;
    if (!auto_recreate)
        desc.flags |= CS_SWAPCHAIN_MANUAL_RECREATE;
    if (strcmp(platform, "x11") == 0) {
        desc.platform = CS_WINDOW_XLIB;
    } else if (strcmp(platform, "wayland") == 0) {
        desc.platform = CS_WINDOW_WAYLAND;
    } else if (strcmp(platform, "win32") == 0) {
        desc.platform = CS_WINDOW_WIN32;
    } else {
        return PyErr_Format(PyExc_ValueError,
                            "platform must be \"x11\", \"wayland\" or "
                            "\"win32\", got \"%s\"",
                            platform);
    }
    uint64_t display = 0;
    /* a Win32 HINSTANCE may be 0: the program's own */
    bool any_display = desc.platform == CS_WINDOW_WIN32 &&
                       PyIndex_Check(display_object) &&
                       PyNumber_AsSsize_t(display_object, NULL) == 0;
    if ((!any_display && handle_arg(display_object, "display", &display) < 0) ||
        handle_arg(window_object, "window", &desc.window) < 0 ||
        native_as_u32(format_object, "format", PyExc_ValueError, &desc.format) <
            0 ||
        native_as_u32(num_buffers_object, "num_buffers", PyExc_ValueError,
                      &desc.num_buffers) < 0 ||
        native_as_u32(width_object, "width", PyExc_ValueError, &desc.width) <
            0 ||
        native_as_u32(height_object, "height", PyExc_ValueError, &desc.height) <
            0)
        return NULL;
    if ((uint64_t)(uintptr_t)display != display)
        return PyErr_Format(PyExc_ValueError,
                            "display 0x%llx is not a pointer of this process",
                            (unsigned long long)display);
    desc.display = (void *)(uintptr_t)display;

    cs_swapchain *swapchain = NULL;
    cs_status status;
    Py_BEGIN_ALLOW_THREADS
    status = cs_swapchain_create(self->device, &desc, &swapchain);
    Py_END_ALLOW_THREADS
    if (status != CS_OK)
        return native_raise(status, PyExc_ValueError);

    SwapchainObject *result =
        PyObject_GC_New(SwapchainObject, &Native_SwapchainType);
    if (!result) {
        cs_swapchain_release(swapchain);
        return NULL;
    }
    Py_INCREF(self);
    result->device = (PyObject *)self;
    result->swapchain = swapchain;
    PyObject_GC_Track((PyObject *)result);
    return (PyObject *)result;
}

static PyObject *swapchain_present(SwapchainObject *self, PyObject *args,
                                   PyObject *kwargs)
{
    static char *keywords[] = {"texture", "x", "y", NULL};
    PyObject *texture;
    PyObject *x_object = NULL, *y_object = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|OO:present", keywords,
                                     &texture, &x_object, &y_object))
        return NULL;
    if (!Native_Resource_Check(texture))
        return PyErr_Format(PyExc_TypeError,
                            "texture must be a compushady Texture2D, got %s",
                            Py_TYPE(texture)->tp_name);
    uint32_t x = 0, y = 0;
    if (native_as_u32(x_object, "x", PyExc_ValueError, &x) < 0 ||
        native_as_u32(y_object, "y", PyExc_ValueError, &y) < 0)
        return NULL;
    cs_resource *resource = ((ResourceObject *)texture)->resource;
    cs_status status;
    /* the texture stays alive in args while the GIL is released */
    Py_BEGIN_ALLOW_THREADS
    status = cs_swapchain_present(self->swapchain, resource, x, y);
    Py_END_ALLOW_THREADS
    if (status != CS_OK)
        return native_raise(status, PyExc_ValueError);
    Py_RETURN_NONE;
}

static PyObject *swapchain_recreate(SwapchainObject *self, PyObject *args,
                                    PyObject *kwargs)
{
    static char *keywords[] = {"width", "height", NULL};
    PyObject *width_object = NULL, *height_object = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OO:recreate", keywords,
                                     &width_object, &height_object))
        return NULL;
    uint32_t width = 0, height = 0;
    if (native_as_u32(width_object, "width", PyExc_ValueError, &width) < 0 ||
        native_as_u32(height_object, "height", PyExc_ValueError, &height) < 0)
        return NULL;
    cs_status status;
    Py_BEGIN_ALLOW_THREADS
    status = cs_swapchain_recreate(self->swapchain, width, height);
    Py_END_ALLOW_THREADS
    if (status != CS_OK)
        return native_raise(status, PyExc_ValueError);
    Py_RETURN_NONE;
}

static PyObject *swapchain_get_present_mode(SwapchainObject *self,
                                            void *closure)
{
    (void)closure;
    return PyUnicode_FromString(
        present_mode_names[cs_swapchain_get_present_mode(self->swapchain)]);
}

static PyObject *swapchain_get_present_modes(SwapchainObject *self,
                                             void *closure)
{
    (void)closure;
    uint32_t modes = cs_swapchain_get_present_modes(self->swapchain);
    PyObject *names = PyList_New(0);
    for (int mode = 0; names && mode < PRESENT_MODE_COUNT; mode++) {
        if (!(modes & (1u << mode)))
            continue;
        PyObject *name = PyUnicode_FromString(present_mode_names[mode]);
        if (!name || PyList_Append(names, name) < 0)
            Py_CLEAR(names);
        Py_XDECREF(name);
    }
    if (!names)
        return NULL;
    PyObject *tuple = PyList_AsTuple(names);
    Py_DECREF(names);
    return tuple;
}

static PyObject *swapchain_get_recreate_count(SwapchainObject *self,
                                              void *closure)
{
    (void)closure;
    return PyLong_FromUnsignedLongLong(
        cs_swapchain_get_recreate_count(self->swapchain));
}

static PyObject *swapchain_get_width(SwapchainObject *self, void *closure)
{
    (void)closure;
    uint32_t width = 0;
    cs_swapchain_get_size(self->swapchain, &width, NULL);
    return PyLong_FromUnsignedLong(width);
}

static PyObject *swapchain_get_height(SwapchainObject *self, void *closure)
{
    (void)closure;
    uint32_t height = 0;
    cs_swapchain_get_size(self->swapchain, NULL, &height);
    return PyLong_FromUnsignedLong(height);
}

static PyObject *swapchain_get_format(SwapchainObject *self, void *closure)
{
    (void)closure;
    return PyLong_FromUnsignedLong(cs_swapchain_get_format(self->swapchain));
}

static int swapchain_traverse(SwapchainObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->device);
    return 0;
}

static int swapchain_clear(SwapchainObject *self)
{
    Py_CLEAR(self->device);
    return 0;
}

static void swapchain_dealloc(SwapchainObject *self)
{
    PyObject_GC_UnTrack(self);
    /* waits for the queue to be idle: release the GIL meanwhile */
    cs_swapchain *swapchain = self->swapchain;
    self->swapchain = NULL;
    Py_BEGIN_ALLOW_THREADS
    cs_swapchain_release(swapchain);
    Py_END_ALLOW_THREADS
    swapchain_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef swapchain_methods[] = {
    {"present", (PyCFunction)(void (*)(void))swapchain_present,
     METH_VARARGS | METH_KEYWORDS,
     "present(texture, x=0, y=0): show a Texture2D at (x, y) of the window, "
     "converting its format where needed; waits for the next vertical "
     "blank when every image is in use (FIFO)"},
    {"recreate", (PyCFunction)(void (*)(void))swapchain_recreate,
     METH_VARARGS | METH_KEYWORDS,
     "recreate(width=0, height=0): rebuild the images for the window's "
     "current size (width/height: the new size where the application "
     "chooses it, Wayland)"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef swapchain_getset[] = {
    {"width", (getter)swapchain_get_width, NULL,
     "width of the swapchain's images (the window's)", NULL},
    {"height", (getter)swapchain_get_height, NULL,
     "height of the swapchain's images (the window's)", NULL},
    {"format", (getter)swapchain_get_format, NULL,
     "the swapchain's format (compushady.formats)", NULL},
    {"present_mode", (getter)swapchain_get_present_mode, NULL,
     "\"fifo\", \"mailbox\" or \"immediate\"", NULL},
    {"present_modes", (getter)swapchain_get_present_modes, NULL,
     "the present modes the window offers (a tuple of names)", NULL},
    {"recreate_count", (getter)swapchain_get_recreate_count, NULL,
     "how many times the images were recreated (resizes, out of date)", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMemberDef swapchain_members[] = {
    {"device", T_OBJECT, offsetof(SwapchainObject, device), READONLY,
     "the Device that presents"},
    {NULL, 0, 0, 0, NULL},
};

PyTypeObject Native_SwapchainType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "compushady._native.Swapchain",
    .tp_doc = "Presents textures to a window; create with "
              "Device.create_swapchain().",
    .tp_basicsize = sizeof(SwapchainObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_dealloc = (destructor)swapchain_dealloc,
    .tp_traverse = (traverseproc)swapchain_traverse,
    .tp_clear = (inquiry)swapchain_clear,
    .tp_methods = swapchain_methods,
    .tp_getset = swapchain_getset,
    .tp_members = swapchain_members,
};
