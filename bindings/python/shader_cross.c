/*
 * shader_cross.c - `_native.cross_compile`: SPIR-V to GLSL, MSL or HLSL
 * source (cs_shader_cross_compile), for hlsl.dxc.compile and the command
 * line's `compile --to`.
 */
#include "native.h"

PyObject *native_cross_compile(PyObject *module, PyObject *args,
                               PyObject *kwargs)
{
    (void)module;
    static char *keywords[] = {"spirv", "language", "entry_point", NULL};
    PyObject *spirv;
    const char *language;
    const char *entry_point = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "Os|z:cross_compile",
                                     keywords, &spirv, &language, &entry_point))
        return NULL;
    cs_shader_cross_desc desc = {.entry_point = entry_point};
    if (strcmp(language, "glsl") == 0)
        desc.language = CS_CROSS_GLSL;
    else if (strcmp(language, "msl") == 0)
        desc.language = CS_CROSS_MSL;
    else if (strcmp(language, "hlsl") == 0)
        desc.language = CS_CROSS_HLSL;
    else
        return PyErr_Format(PyExc_ValueError,
                            "language must be \"glsl\", \"msl\" or \"hlsl\", "
                            "got \"%s\"",
                            language);
    Py_buffer view;
    if (native_get_buffer(spirv, "spirv", false, &view) < 0)
        return NULL;
    desc.spirv = view.buf;
    desc.spirv_size = (size_t)view.len;
    char *source = NULL;
    size_t size = 0;
    uint32_t workgroup_size[3] = {0, 0, 0};
    cs_status status;
    Py_BEGIN_ALLOW_THREADS
    status = cs_shader_cross_compile(&desc, &source, &size, workgroup_size);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (status != CS_OK)
        return native_raise(status, Native_ShaderCompileError);
    PyObject *result =
        Py_BuildValue("y#(III)", source, (Py_ssize_t)size, workgroup_size[0],
                      workgroup_size[1], workgroup_size[2]);
    cs_free(source);
    return result;
}
