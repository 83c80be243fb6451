/*
 * module.c - the `compushady._native` module: init, exceptions and the
 * functions that need no device (shader compilation and reflection).
 */
#include "native.h"

static PyObject *module_compile_shader(PyObject *module, PyObject *args,
                                       PyObject *kwargs)
{
    (void)module;
    static char *keywords[] = {"source",   "entry_point", "target", "language",
                               "compiler", "constants",   NULL};
    PyObject *source;
    const char *entry_point = "main";
    const char *target = "cs_6_0";
    const char *language = "hlsl";
    const char *compiler = NULL;
    PyObject *constants = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|ssszO:compile_shader",
                                     keywords, &source, &entry_point, &target,
                                     &language, &compiler, &constants))
        return NULL;

    cs_shader_compile_desc desc = {
        .entry_point = entry_point,
        .target = target,
        .file_name = "shader",
    };
    if (strcmp(language, "hlsl") == 0) {
        desc.language = CS_SHADER_HLSL;
    } else if (strcmp(language, "glsl") == 0) {
        desc.language = CS_SHADER_GLSL;
    } else if (strcmp(language, "wgsl") == 0) {
        desc.language = CS_SHADER_WGSL;
    } else {
        return PyErr_Format(PyExc_ValueError,
                            "language must be \"hlsl\", \"glsl\" or "
                            "\"wgsl\", got "
                            "\"%s\"",
                            language);
    }
    /* None or "glslang": the built-in compiler; "dxc": DXC (HLSL only) */
    if (compiler == NULL || strcmp(compiler, "glslang") == 0) {
        desc.compiler = CS_HLSL_COMPILER_DEFAULT;
    } else if (strcmp(compiler, "dxc") == 0 &&
               desc.language == CS_SHADER_HLSL) {
        desc.compiler = CS_HLSL_COMPILER_DXC;
    } else {
        return PyErr_Format(PyExc_ValueError,
                            "compiler must be None, \"glslang\" or, for "
                            "HLSL, \"dxc\", got \"%s\"",
                            compiler);
    }

    /* source as str (UTF-8, cached in the str, immutable, alive in args
     * while the GIL is released) or as a copy of a bytes-like object: the
     * compiler reads it without the GIL, while another thread could
     * change the caller's buffer. */
    void *source_copy = NULL;
    if (PyUnicode_Check(source)) {
        Py_ssize_t size;
        desc.source = PyUnicode_AsUTF8AndSize(source, &size);
        if (!desc.source)
            return NULL;
        desc.source_size = (size_t)size;
    } else {
        if (native_copy_buffer(source, "source", &source_copy,
                               &desc.source_size) < 0)
            return NULL;
        desc.source = source_copy;
    }
    if (desc.source_size == 0) {
        PyMem_RawFree(source_copy);
        /* source_size 0 would mean strlen() to the library. */
        return PyErr_Format(Native_ShaderCompileError,
                            "source is empty: expected the text of a %s "
                            "compute shader",
                            language);
    }

    /* WGSL override values: {name or @id: number or bool}, names copied
     * so that the dict may change while the GIL is released */
    cs_shader_constant *values = NULL;
    char *names = NULL;
    if (constants && constants != Py_None) {
        if (!PyDict_Check(constants) || desc.language != CS_SHADER_WGSL) {
            PyMem_RawFree(source_copy);
            return PyErr_Format(PyExc_TypeError,
                                "constants must be a dict of WGSL override "
                                "values (name or @id -> number), got %s",
                                Py_TYPE(constants)->tp_name);
        }
        Py_ssize_t count = PyDict_Size(constants), at = 0, used = 0;
        PyObject *key, *value;
        size_t bytes = 0;
        while (PyDict_Next(constants, &at, &key, &value)) {
            const char *name =
                PyUnicode_Check(key) ? PyUnicode_AsUTF8(key) : NULL;
            if (!name) {
                PyMem_RawFree(source_copy);
                if (!PyErr_Occurred())
                    PyErr_Format(PyExc_TypeError,
                                 "constants keys must be override names "
                                 "(str), got %s",
                                 Py_TYPE(key)->tp_name);
                return NULL;
            }
            bytes += strlen(name) + 1;
        }
        values = PyMem_Calloc((size_t)count + 1, sizeof *values);
        names = PyMem_Malloc(bytes + 1);
        if (!values || !names) {
            PyMem_Free(values);
            PyMem_Free(names);
            PyMem_RawFree(source_copy);
            return PyErr_NoMemory();
        }
        char *next = names;
        at = 0;
        while (PyDict_Next(constants, &at, &key, &value)) {
            double number = PyFloat_AsDouble(value);
            if (number == -1.0 && PyErr_Occurred()) {
                PyMem_Free(values);
                PyMem_Free(names);
                PyMem_RawFree(source_copy);
                return NULL;
            }
            const char *name = PyUnicode_AsUTF8(key);
            size_t length = strlen(name) + 1;
            memcpy(next, name, length);
            values[used].name = next;
            values[used].value = number;
            next += length;
            used++;
        }
        desc.constants = values;
        desc.constant_count = (uint32_t)used;
    }

    void *spirv = NULL;
    size_t spirv_size = 0;
    cs_status status;
    Py_BEGIN_ALLOW_THREADS
    status = cs_shader_compile(&desc, &spirv, &spirv_size);
    Py_END_ALLOW_THREADS
    PyMem_RawFree(source_copy);
    PyMem_Free(values);
    PyMem_Free(names);
    if (status != CS_OK)
        return native_raise(status, Native_ShaderCompileError);
    PyObject *result = PyBytes_FromStringAndSize(spirv, (Py_ssize_t)spirv_size);
    cs_free(spirv);
    return result;
}

static PyObject *module_dxc_available(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    bool available;
    Py_BEGIN_ALLOW_THREADS
    available = cs_shader_dxc_available();
    Py_END_ALLOW_THREADS
    return PyBool_FromLong(available);
}

static const char *binding_type_name(cs_binding_type type)
{
    switch (type) {
    case CS_BINDING_CONSTANT_BUFFER: return "cbv";
    case CS_BINDING_STORAGE_BUFFER: return "storage_buffer";
    case CS_BINDING_UNIFORM_TEXEL_BUFFER: return "uniform_texel_buffer";
    case CS_BINDING_STORAGE_TEXEL_BUFFER: return "storage_texel_buffer";
    case CS_BINDING_SAMPLED_IMAGE: return "sampled_image";
    case CS_BINDING_STORAGE_IMAGE: return "storage_image";
    case CS_BINDING_SAMPLER: return "sampler";
    }
    return "unknown";
}

static PyObject *binding_to_dict(const cs_shader_binding *binding)
{
    return Py_BuildValue(
        "{s:I,s:I,s:s,s:O,s:i,s:O,s:I,s:I,s:s}", "set", binding->set, "binding",
        binding->binding, "type", binding_type_name(binding->type), "read_only",
        binding->read_only ? Py_True : Py_False, "dim", (int)binding->dim,
        "arrayed", binding->arrayed ? Py_True : Py_False, "image_format",
        binding->image_format, "array_size", binding->array_size, "name",
        binding->name);
}

static PyObject *module_reflect_shader(PyObject *module, PyObject *args,
                                       PyObject *kwargs)
{
    (void)module;
    static char *keywords[] = {"spirv", NULL};
    PyObject *spirv;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:reflect_shader", keywords,
                                     &spirv))
        return NULL;
    /* A copy: the GIL is held, but code that released it (numpy, I/O)
     * may still write the caller's buffer while the module is parsed. */
    void *words = NULL;
    size_t size = 0;
    if (native_copy_buffer(spirv, "spirv", &words, &size) < 0)
        return NULL;
    cs_shader_reflection reflection;
    cs_status status = cs_shader_reflect(words, size, &reflection);
    PyMem_RawFree(words);
    if (status != CS_OK)
        return native_raise(status, Native_ComputeException);

    PyObject *result = NULL;
    PyObject *bindings = PyList_New(reflection.binding_count);
    for (uint32_t i = 0; bindings && i < reflection.binding_count; i++) {
        PyObject *item = binding_to_dict(&reflection.bindings[i]);
        if (!item)
            Py_CLEAR(bindings);
        else
            PyList_SET_ITEM(bindings, i, item);
    }
    if (bindings) {
        result = Py_BuildValue(
            "{s:(III),s:I,s:s,s:N}", "workgroup_size",
            reflection.workgroup_size[0], reflection.workgroup_size[1],
            reflection.workgroup_size[2], "push_constant_size",
            reflection.push_constant_size, "entry_point",
            reflection.entry_point, "bindings", bindings);
    }
    cs_shader_reflection_free(&reflection);
    return result;
}

static PyObject *module_format_texel_size(PyObject *module, PyObject *arg)
{
    (void)module;
    uint32_t format = 0;
    if (native_as_u32(arg, "format", NULL, &format) < 0)
        return NULL;
    return PyLong_FromUnsignedLong(cs_format_texel_size(format));
}

static PyObject *module_format_name(PyObject *module, PyObject *arg)
{
    (void)module;
    uint32_t format = 0;
    if (native_as_u32(arg, "format", NULL, &format) < 0)
        return NULL;
    const char *name = cs_format_name(format);
    if (!name)
        Py_RETURN_NONE;
    return PyUnicode_FromString(name);
}

/* Cache kinds by name, in cs_cache_kind order. */
static const char *const cache_kind_names[CS_CACHE_KIND_COUNT] = {
    "compile", "module", "pipeline", "driver"};

static int parse_cache_kind(PyObject *arg, cs_cache_kind *out_kind)
{
    const char *name = PyUnicode_Check(arg) ? PyUnicode_AsUTF8(arg) : NULL;
    for (int kind = 0; name && kind < CS_CACHE_KIND_COUNT; kind++) {
        if (strcmp(name, cache_kind_names[kind]) == 0) {
            *out_kind = (cs_cache_kind)kind;
            return 0;
        }
    }
    if (!PyErr_Occurred())
        PyErr_Format(PyExc_ValueError,
                     "unknown cache %R: expected 'compile', 'module', "
                     "'pipeline' or 'driver'",
                     arg);
    return -1;
}

static PyObject *module_set_cache_limits(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *kind_arg;
    unsigned long long entries, bytes;
    if (!PyArg_ParseTuple(args, "OKK:set_cache_limits", &kind_arg, &entries,
                          &bytes))
        return NULL;
    cs_cache_kind kind;
    if (parse_cache_kind(kind_arg, &kind) < 0)
        return NULL;
    cs_status status = cs_cache_set_limits(kind, entries, bytes);
    if (status != CS_OK)
        return native_raise(status, PyExc_ValueError);
    Py_RETURN_NONE;
}

static PyObject *module_get_cache_limits(PyObject *module, PyObject *arg)
{
    (void)module;
    cs_cache_kind kind;
    if (parse_cache_kind(arg, &kind) < 0)
        return NULL;
    uint64_t entries = 0, bytes = 0;
    cs_status status = cs_cache_get_limits(kind, &entries, &bytes);
    if (status != CS_OK)
        return native_raise(status, PyExc_ValueError);
    return Py_BuildValue("(KK)", (unsigned long long)entries,
                         (unsigned long long)bytes);
}

/* BACKENDS: the names of the backends compiled in, in order of preference
 * (compushady.backends.KNOWN_BACKENDS) */
static PyObject *backend_names(void)
{
    size_t count = cs_backend_count();
    PyObject *names = PyTuple_New((Py_ssize_t)count);
    for (size_t i = 0; names && i < count; i++) {
        PyObject *name = PyUnicode_FromString(cs_backend_name(i));
        if (!name) {
            Py_CLEAR(names);
            break;
        }
        PyTuple_SET_ITEM(names, (Py_ssize_t)i, name);
    }
    return names;
}

/* prewarm_compiler(language): builds the compiler's tables for "hlsl",
 * "glsl" or "wgsl" (cs_shader_prewarm), without the GIL: the Python module
 * calls it from a thread of its own at import. */
static PyObject *module_prewarm_compiler(PyObject *module, PyObject *arg)
{
    (void)module;
    static const struct {
        const char *name;
        cs_shader_language language;
    } languages[] = {{"hlsl", CS_SHADER_HLSL},
                     {"glsl", CS_SHADER_GLSL},
                     {"wgsl", CS_SHADER_WGSL}};
    const char *name = PyUnicode_Check(arg) ? PyUnicode_AsUTF8(arg) : NULL;
    if (!name) {
        if (!PyErr_Occurred())
            PyErr_Format(PyExc_TypeError, "language must be a str, got %.200s",
                         Py_TYPE(arg)->tp_name);
        return NULL;
    }
    for (size_t i = 0; i < sizeof languages / sizeof languages[0]; i++) {
        if (strcmp(name, languages[i].name) != 0)
            continue;
        cs_status status;
        Py_BEGIN_ALLOW_THREADS
        status = cs_shader_prewarm(languages[i].language);
        Py_END_ALLOW_THREADS
        if (status != CS_OK)
            return native_raise(status, Native_ShaderCompileError);
        Py_RETURN_NONE;
    }
    return PyErr_Format(PyExc_ValueError,
                        "language must be \"hlsl\", \"glsl\" or \"wgsl\", "
                        "got \"%s\"",
                        name);
}

static PyMethodDef module_methods[] = {
    {"prewarm_compiler", module_prewarm_compiler, METH_O,
     "prewarm_compiler(language): build the compiler's tables now"},
    {"create_instance", (PyCFunction)(void (*)(void))native_instance_create,
     METH_VARARGS | METH_KEYWORDS,
     "create_instance(debug=False, backend=None) -> Instance"},
    {"compile_shader", (PyCFunction)(void (*)(void))module_compile_shader,
     METH_VARARGS | METH_KEYWORDS,
     "compile_shader(source, entry_point=\"main\", target=\"cs_6_0\", "
     "language=\"hlsl\", compiler=None, constants=None) -> SPIR-V bytes"},
    {"cross_compile", (PyCFunction)(void (*)(void))native_cross_compile,
     METH_VARARGS | METH_KEYWORDS,
     "cross_compile(spirv, language, entry_point=None) -> (source bytes, "
     "(x, y, z))"},
    {"dxc_available", module_dxc_available, METH_NOARGS,
     "dxc_available() -> whether a DXC library can be loaded"},
    {"reflect_shader", (PyCFunction)(void (*)(void))module_reflect_shader,
     METH_VARARGS | METH_KEYWORDS, "reflect_shader(spirv) -> dict"},
    {"format_texel_size", module_format_texel_size, METH_O,
     "format_texel_size(format) -> bytes per texel (0 when unknown)"},
    {"format_name", module_format_name, METH_O,
     "format_name(format) -> DXGI name without prefix, or None"},
    {"set_cache_limits", module_set_cache_limits, METH_VARARGS,
     "set_cache_limits(cache, max_entries, max_bytes)"},
    {"get_cache_limits", module_get_cache_limits, METH_O,
     "get_cache_limits(cache) -> (max_entries, max_bytes)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef native_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "compushady._native",
    .m_doc = "C core of compushady: instances, devices, resources, "
             "computes. See bindings/python/README.md.",
    .m_size = -1,
    .m_methods = module_methods,
};

static int add_type(PyObject *module, PyTypeObject *type, const char *name)
{
    if (PyType_Ready(type) < 0)
        return -1;
    Py_INCREF(type);
    if (PyModule_AddObject(module, name, (PyObject *)type) < 0) {
        Py_DECREF(type);
        return -1;
    }
    return 0;
}

/* visibility: Python 3.8 does not export PyMODINIT_FUNC itself, and the
 * extension is built with -fvisibility=hidden */
__attribute__((visibility("default"))) PyMODINIT_FUNC PyInit__native(void)
{
    PyObject *module = PyModule_Create(&native_module);
    if (!module)
        return NULL;
    if (add_type(module, &Native_InstanceType, "Instance") < 0 ||
        add_type(module, &Native_DeviceType, "Device") < 0 ||
        add_type(module, &Native_HeapType, "Heap") < 0 ||
        add_type(module, &Native_ResourceType, "Resource") < 0 ||
        add_type(module, &Native_SamplerType, "Sampler") < 0 ||
        add_type(module, &Native_ComputeType, "Compute") < 0 ||
        add_type(module, &Native_SwapchainType, "Swapchain") < 0 ||
        add_type(module, &Native_MappedBufferType, "MappedBuffer") < 0 ||
        native_errors_init(module) < 0)
        goto fail;
    if (PyModule_AddIntConstant(module, "HEAP_DEFAULT", CS_HEAP_DEFAULT) < 0 ||
        PyModule_AddIntConstant(module, "HEAP_UPLOAD", CS_HEAP_UPLOAD) < 0 ||
        PyModule_AddIntConstant(module, "HEAP_READBACK", CS_HEAP_READBACK) <
            0 ||
        PyModule_AddObject(module, "VERSION",
                           Py_BuildValue("(iii)", CS_VERSION_MAJOR,
                                         CS_VERSION_MINOR, CS_VERSION_PATCH)) <
            0 ||
        PyModule_AddObject(module, "BACKENDS", backend_names()) < 0 ||
        PyModule_AddIntConstant(module, "SHADER_FORMAT_SPIRV",
                                CS_SHADER_FORMAT_SPIRV) < 0 ||
        PyModule_AddIntConstant(module, "SHADER_FORMAT_GLSL",
                                CS_SHADER_FORMAT_GLSL) < 0 ||
        PyModule_AddIntConstant(module, "SHADER_FORMAT_HLSL",
                                CS_SHADER_FORMAT_HLSL) < 0 ||
        PyModule_AddIntConstant(module, "SHADER_FORMAT_MSL",
                                CS_SHADER_FORMAT_MSL) < 0 ||
        PyModule_AddIntConstant(module, "SHADER_FORMAT_WGSL",
                                CS_SHADER_FORMAT_WGSL) < 0)
        goto fail;
    if (PyModule_AddIntConstant(module, "FORMAT_SUPPORT_TEXTURE_SRV",
                                CS_FORMAT_SUPPORT_TEXTURE_SRV) < 0 ||
        PyModule_AddIntConstant(module, "FORMAT_SUPPORT_TEXTURE_UAV",
                                CS_FORMAT_SUPPORT_TEXTURE_UAV) < 0 ||
        PyModule_AddIntConstant(module, "FORMAT_SUPPORT_TEXTURE_FILTER_LINEAR",
                                CS_FORMAT_SUPPORT_TEXTURE_FILTER_LINEAR) < 0 ||
        PyModule_AddIntConstant(module, "FORMAT_SUPPORT_BUFFER_SRV",
                                CS_FORMAT_SUPPORT_BUFFER_SRV) < 0 ||
        PyModule_AddIntConstant(module, "FORMAT_SUPPORT_BUFFER_UAV",
                                CS_FORMAT_SUPPORT_BUFFER_UAV) < 0)
        goto fail;
    if (native_command_list_init(module) < 0)
        goto fail;
    return module;
fail:
    Py_DECREF(module);
    return NULL;
}
