/* gl_backend.c - the OpenGL backend's table for the core (docs/opengl.md):
 * every entry gl_<entry> (src/core/backend.h, gl_internal.h). */
#include "gl_internal.h"

const cs_backend cs_opengl_backend = {.name = "opengl", CS_BACKEND_TABLE(gl)};
