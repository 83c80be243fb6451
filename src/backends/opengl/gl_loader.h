/*
 * gl_loader.h - the EGL and OpenGL functions of the OpenGL backend, loaded
 * at run time.
 *
 * The library does not link libEGL nor libGL: gl_loader.c opens libEGL.so.1
 * (cs_library_open; glvnd's dispatcher, which finds Mesa's or NVIDIA's EGL)
 * when the first OpenGL instance is created, and asks eglGetProcAddress for
 * every GL function once a context exists (EGL_KHR_get_all_proc_addresses: core
 * functions too). As in vk_loader.h each name is a macro for a pointer
 * named cs_..., so that a program linking libGL itself sees no clash. A
 * function used outside these lists is a compile error: add it here.
 */
#ifndef CS_GL_LOADER_H
#define CS_GL_LOADER_H

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GL/glcorearb.h>

#include "../../core/backend.h"

/* clang-format off */
#define CS_EGL_FUNCTIONS(X) \
    X(eglGetProcAddress, PFNEGLGETPROCADDRESSPROC) \
    X(eglQueryString, PFNEGLQUERYSTRINGPROC) \
    X(eglGetError, PFNEGLGETERRORPROC) \
    X(eglInitialize, PFNEGLINITIALIZEPROC) \
    X(eglTerminate, PFNEGLTERMINATEPROC) \
    X(eglBindAPI, PFNEGLBINDAPIPROC) \
    X(eglCreateContext, PFNEGLCREATECONTEXTPROC) \
    X(eglDestroyContext, PFNEGLDESTROYCONTEXTPROC) \
    X(eglMakeCurrent, PFNEGLMAKECURRENTPROC) \
    X(eglGetCurrentContext, PFNEGLGETCURRENTCONTEXTPROC) \
    X(eglReleaseThread, PFNEGLRELEASETHREADPROC) \
    X(eglChooseConfig, PFNEGLCHOOSECONFIGPROC)

#define CS_EGL_EXT_FUNCTIONS(X) \
    X(eglQueryDevicesEXT, PFNEGLQUERYDEVICESEXTPROC) \
    X(eglQueryDeviceStringEXT, PFNEGLQUERYDEVICESTRINGEXTPROC) \
    X(eglGetPlatformDisplayEXT, PFNEGLGETPLATFORMDISPLAYEXTPROC) \
    X(eglQueryDeviceAttribEXT, PFNEGLQUERYDEVICEATTRIBEXTPROC)

#define CS_GL_FUNCTIONS(X) \
    X(glGetError, PFNGLGETERRORPROC) \
    X(glGetString, PFNGLGETSTRINGPROC) \
    X(glGetStringi, PFNGLGETSTRINGIPROC) \
    X(glGetIntegerv, PFNGLGETINTEGERVPROC) \
    X(glGetInteger64v, PFNGLGETINTEGER64VPROC) \
    X(glGetIntegeri_v, PFNGLGETINTEGERI_VPROC) \
    X(glGetInternalformativ, PFNGLGETINTERNALFORMATIVPROC) \
    X(glGetInteger64i_v, PFNGLGETINTEGER64I_VPROC) \
    X(glEnable, PFNGLENABLEPROC) \
    X(glDisable, PFNGLDISABLEPROC) \
    X(glFinish, PFNGLFINISHPROC) \
    X(glFlush, PFNGLFLUSHPROC) \
    X(glDebugMessageCallback, PFNGLDEBUGMESSAGECALLBACKPROC) \
    X(glDebugMessageControl, PFNGLDEBUGMESSAGECONTROLPROC) \
    X(glCreateBuffers, PFNGLCREATEBUFFERSPROC) \
    X(glDeleteBuffers, PFNGLDELETEBUFFERSPROC) \
    X(glNamedBufferStorage, PFNGLNAMEDBUFFERSTORAGEPROC) \
    X(glNamedBufferSubData, PFNGLNAMEDBUFFERSUBDATAPROC) \
    X(glCopyNamedBufferSubData, PFNGLCOPYNAMEDBUFFERSUBDATAPROC) \
    X(glMapNamedBufferRange, PFNGLMAPNAMEDBUFFERRANGEPROC) \
    X(glUnmapNamedBuffer, PFNGLUNMAPNAMEDBUFFERPROC) \
    X(glFlushMappedNamedBufferRange, PFNGLFLUSHMAPPEDNAMEDBUFFERRANGEPROC) \
    X(glBindBuffer, PFNGLBINDBUFFERPROC) \
    X(glBindBufferBase, PFNGLBINDBUFFERBASEPROC) \
    X(glBindBufferRange, PFNGLBINDBUFFERRANGEPROC) \
    X(glClearNamedBufferSubData, PFNGLCLEARNAMEDBUFFERSUBDATAPROC) \
    X(glGetNamedBufferSubData, PFNGLGETNAMEDBUFFERSUBDATAPROC) \
    X(glCreateTextures, PFNGLCREATETEXTURESPROC) \
    X(glDeleteTextures, PFNGLDELETETEXTURESPROC) \
    X(glTextureStorage1D, PFNGLTEXTURESTORAGE1DPROC) \
    X(glTextureStorage2D, PFNGLTEXTURESTORAGE2DPROC) \
    X(glTextureStorage3D, PFNGLTEXTURESTORAGE3DPROC) \
    X(glTextureBufferRange, PFNGLTEXTUREBUFFERRANGEPROC) \
    X(glTextureParameteri, PFNGLTEXTUREPARAMETERIPROC) \
    X(glTextureSubImage1D, PFNGLTEXTURESUBIMAGE1DPROC) \
    X(glTextureSubImage2D, PFNGLTEXTURESUBIMAGE2DPROC) \
    X(glTextureSubImage3D, PFNGLTEXTURESUBIMAGE3DPROC) \
    X(glGetTextureSubImage, PFNGLGETTEXTURESUBIMAGEPROC) \
    X(glCopyImageSubData, PFNGLCOPYIMAGESUBDATAPROC) \
    X(glBindTextureUnit, PFNGLBINDTEXTUREUNITPROC) \
    X(glBindImageTexture, PFNGLBINDIMAGETEXTUREPROC) \
    X(glPixelStorei, PFNGLPIXELSTOREIPROC) \
    X(glCreateSamplers, PFNGLCREATESAMPLERSPROC) \
    X(glDeleteSamplers, PFNGLDELETESAMPLERSPROC) \
    X(glSamplerParameteri, PFNGLSAMPLERPARAMETERIPROC) \
    X(glSamplerParameterf, PFNGLSAMPLERPARAMETERFPROC) \
    X(glBindSampler, PFNGLBINDSAMPLERPROC) \
    X(glCreateShader, PFNGLCREATESHADERPROC) \
    X(glDeleteShader, PFNGLDELETESHADERPROC) \
    X(glShaderBinary, PFNGLSHADERBINARYPROC) \
    X(glSpecializeShader, PFNGLSPECIALIZESHADERPROC) \
    X(glShaderSource, PFNGLSHADERSOURCEPROC) \
    X(glCompileShader, PFNGLCOMPILESHADERPROC) \
    X(glGetShaderiv, PFNGLGETSHADERIVPROC) \
    X(glGetShaderInfoLog, PFNGLGETSHADERINFOLOGPROC) \
    X(glCreateProgram, PFNGLCREATEPROGRAMPROC) \
    X(glDeleteProgram, PFNGLDELETEPROGRAMPROC) \
    X(glAttachShader, PFNGLATTACHSHADERPROC) \
    X(glLinkProgram, PFNGLLINKPROGRAMPROC) \
    X(glGetProgramiv, PFNGLGETPROGRAMIVPROC) \
    X(glGetProgramInfoLog, PFNGLGETPROGRAMINFOLOGPROC) \
    X(glUseProgram, PFNGLUSEPROGRAMPROC) \
    X(glDispatchCompute, PFNGLDISPATCHCOMPUTEPROC) \
    X(glDispatchComputeIndirect, PFNGLDISPATCHCOMPUTEINDIRECTPROC) \
    X(glMemoryBarrier, PFNGLMEMORYBARRIERPROC) \
    X(glFenceSync, PFNGLFENCESYNCPROC) \
    X(glClientWaitSync, PFNGLCLIENTWAITSYNCPROC) \
    X(glDeleteSync, PFNGLDELETESYNCPROC) \
    X(glGetSynciv, PFNGLGETSYNCIVPROC) \
    X(glGenQueries, PFNGLGENQUERIESPROC) \
    X(glDeleteQueries, PFNGLDELETEQUERIESPROC) \
    X(glQueryCounter, PFNGLQUERYCOUNTERPROC) \
    X(glGetQueryObjectui64v, PFNGLGETQUERYOBJECTUI64VPROC) \
    X(glGetQueryObjectiv, PFNGLGETQUERYOBJECTIVPROC)
/* clang-format on */

#define CS_GL_DECLARE_POINTER(name, type) extern type cs_##name;
CS_EGL_FUNCTIONS(CS_GL_DECLARE_POINTER)
CS_EGL_EXT_FUNCTIONS(CS_GL_DECLARE_POINTER)
CS_GL_FUNCTIONS(CS_GL_DECLARE_POINTER)
#undef CS_GL_DECLARE_POINTER

#define eglGetProcAddress cs_eglGetProcAddress
#define eglQueryString cs_eglQueryString
#define eglGetError cs_eglGetError
#define eglInitialize cs_eglInitialize
#define eglTerminate cs_eglTerminate
#define eglBindAPI cs_eglBindAPI
#define eglCreateContext cs_eglCreateContext
#define eglDestroyContext cs_eglDestroyContext
#define eglMakeCurrent cs_eglMakeCurrent
#define eglGetCurrentContext cs_eglGetCurrentContext
#define eglReleaseThread cs_eglReleaseThread
#define eglChooseConfig cs_eglChooseConfig
#define eglQueryDevicesEXT cs_eglQueryDevicesEXT
#define eglQueryDeviceStringEXT cs_eglQueryDeviceStringEXT
#define eglGetPlatformDisplayEXT cs_eglGetPlatformDisplayEXT
#define eglQueryDeviceAttribEXT cs_eglQueryDeviceAttribEXT
#define glGetError cs_glGetError
#define glGetString cs_glGetString
#define glGetStringi cs_glGetStringi
#define glGetIntegerv cs_glGetIntegerv
#define glGetInteger64v cs_glGetInteger64v
#define glGetIntegeri_v cs_glGetIntegeri_v
#define glGetInternalformativ cs_glGetInternalformativ
#define glGetInteger64i_v cs_glGetInteger64i_v
#define glEnable cs_glEnable
#define glDisable cs_glDisable
#define glFinish cs_glFinish
#define glFlush cs_glFlush
#define glDebugMessageCallback cs_glDebugMessageCallback
#define glDebugMessageControl cs_glDebugMessageControl
#define glCreateBuffers cs_glCreateBuffers
#define glDeleteBuffers cs_glDeleteBuffers
#define glNamedBufferStorage cs_glNamedBufferStorage
#define glNamedBufferSubData cs_glNamedBufferSubData
#define glCopyNamedBufferSubData cs_glCopyNamedBufferSubData
#define glMapNamedBufferRange cs_glMapNamedBufferRange
#define glUnmapNamedBuffer cs_glUnmapNamedBuffer
#define glFlushMappedNamedBufferRange cs_glFlushMappedNamedBufferRange
#define glBindBuffer cs_glBindBuffer
#define glBindBufferBase cs_glBindBufferBase
#define glBindBufferRange cs_glBindBufferRange
#define glClearNamedBufferSubData cs_glClearNamedBufferSubData
#define glGetNamedBufferSubData cs_glGetNamedBufferSubData
#define glCreateTextures cs_glCreateTextures
#define glDeleteTextures cs_glDeleteTextures
#define glTextureStorage1D cs_glTextureStorage1D
#define glTextureStorage2D cs_glTextureStorage2D
#define glTextureStorage3D cs_glTextureStorage3D
#define glTextureBufferRange cs_glTextureBufferRange
#define glTextureParameteri cs_glTextureParameteri
#define glTextureSubImage1D cs_glTextureSubImage1D
#define glTextureSubImage2D cs_glTextureSubImage2D
#define glTextureSubImage3D cs_glTextureSubImage3D
#define glGetTextureSubImage cs_glGetTextureSubImage
#define glCopyImageSubData cs_glCopyImageSubData
#define glBindTextureUnit cs_glBindTextureUnit
#define glBindImageTexture cs_glBindImageTexture
#define glPixelStorei cs_glPixelStorei
#define glCreateSamplers cs_glCreateSamplers
#define glDeleteSamplers cs_glDeleteSamplers
#define glSamplerParameteri cs_glSamplerParameteri
#define glSamplerParameterf cs_glSamplerParameterf
#define glBindSampler cs_glBindSampler
#define glCreateShader cs_glCreateShader
#define glDeleteShader cs_glDeleteShader
#define glShaderBinary cs_glShaderBinary
#define glSpecializeShader cs_glSpecializeShader
#define glShaderSource cs_glShaderSource
#define glCompileShader cs_glCompileShader
#define glGetShaderiv cs_glGetShaderiv
#define glGetShaderInfoLog cs_glGetShaderInfoLog
#define glCreateProgram cs_glCreateProgram
#define glDeleteProgram cs_glDeleteProgram
#define glAttachShader cs_glAttachShader
#define glLinkProgram cs_glLinkProgram
#define glGetProgramiv cs_glGetProgramiv
#define glGetProgramInfoLog cs_glGetProgramInfoLog
#define glUseProgram cs_glUseProgram
#define glDispatchCompute cs_glDispatchCompute
#define glDispatchComputeIndirect cs_glDispatchComputeIndirect
#define glMemoryBarrier cs_glMemoryBarrier
#define glFenceSync cs_glFenceSync
#define glClientWaitSync cs_glClientWaitSync
#define glDeleteSync cs_glDeleteSync
#define glGetSynciv cs_glGetSynciv
#define glGenQueries cs_glGenQueries
#define glDeleteQueries cs_glDeleteQueries
#define glQueryCounter cs_glQueryCounter
#define glGetQueryObjectui64v cs_glGetQueryObjectui64v
#define glGetQueryObjectiv cs_glGetQueryObjectiv

/* Opens libEGL.so.1 (COMPUSHADY_EGL_LIBRARY overrides the path) and loads
 * the EGL functions; once per process. */
cs_status gl_loader_load(void);
/* Whether this process was made by fork() from the one that opened EGL:
 * its displays and the driver's threads belong to the parent there. */
bool gl_loader_forked(void);
/* Loads the GL functions through eglGetProcAddress; with a context
 * current. Names the first missing one on failure. */
cs_status gl_loader_load_gl(void);

#endif
