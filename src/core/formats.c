/* formats.c - the DXGI-numbered texel formats the API knows. */
#include "internal.h"

#include <string.h>

typedef struct format_entry {
    cs_format format;
    uint32_t texel_size;
    const char *name;
} format_entry;

/* The numbering is DXGI_FORMAT's, as compushady.formats exposes it. */
static const format_entry known_formats[] = {
    {2, 16, "R32G32B32A32_FLOAT"}, {3, 16, "R32G32B32A32_UINT"},
    {4, 16, "R32G32B32A32_SINT"},  {6, 12, "R32G32B32_FLOAT"},
    {7, 12, "R32G32B32_UINT"},     {8, 12, "R32G32B32_SINT"},
    {10, 8, "R16G16B16A16_FLOAT"}, {11, 8, "R16G16B16A16_UNORM"},
    {12, 8, "R16G16B16A16_UINT"},  {13, 8, "R16G16B16A16_SNORM"},
    {14, 8, "R16G16B16A16_SINT"},  {16, 8, "R32G32_FLOAT"},
    {17, 8, "R32G32_UINT"},        {18, 8, "R32G32_SINT"},
    {24, 4, "R10G10B10A2_UNORM"},  {25, 4, "R10G10B10A2_UINT"},
    {28, 4, "R8G8B8A8_UNORM"},     {29, 4, "R8G8B8A8_UNORM_SRGB"},
    {30, 4, "R8G8B8A8_UINT"},      {31, 4, "R8G8B8A8_SNORM"},
    {32, 4, "R8G8B8A8_SINT"},      {34, 4, "R16G16_FLOAT"},
    {35, 4, "R16G16_UNORM"},       {36, 4, "R16G16_UINT"},
    {37, 4, "R16G16_SNORM"},       {38, 4, "R16G16_SINT"},
    {41, 4, "R32_FLOAT"},          {42, 4, "R32_UINT"},
    {43, 4, "R32_SINT"},           {49, 2, "R8G8_UNORM"},
    {50, 2, "R8G8_UINT"},          {51, 2, "R8G8_SNORM"},
    {52, 2, "R8G8_SINT"},          {54, 2, "R16_FLOAT"},
    {55, 2, "R16_UNORM"},          {57, 2, "R16_UINT"},
    {58, 2, "R16_SNORM"},          {59, 2, "R16_SINT"},
    {61, 1, "R8_UNORM"},           {62, 1, "R8_UINT"},
    {63, 1, "R8_SNORM"},           {64, 1, "R8_SINT"},
    {87, 4, "B8G8R8A8_UNORM"},     {91, 4, "B8G8R8A8_UNORM_SRGB"},
};

static const format_entry *find_format(cs_format format)
{
    for (size_t i = 0; i < sizeof known_formats / sizeof known_formats[0];
         i++) {
        if (known_formats[i].format == format)
            return &known_formats[i];
    }
    return NULL;
}

uint32_t cs_format_texel_size(cs_format format)
{
    const format_entry *entry = find_format(format);
    return entry ? entry->texel_size : 0;
}

const char *cs_format_name(cs_format format)
{
    const format_entry *entry = find_format(format);
    return entry ? entry->name : NULL;
}

cs_component_type cs_format_component_type(cs_format format)
{
    const char *name = cs_format_name(format);
    const char *suffix = name ? strchr(name, '_') : NULL;
    if (!suffix)
        return CS_COMPONENT_NONE;
    if (strcmp(suffix, "_UINT") == 0)
        return CS_COMPONENT_UINT;
    if (strcmp(suffix, "_SINT") == 0)
        return CS_COMPONENT_SINT;
    return CS_COMPONENT_FLOAT; /* _FLOAT, _UNORM, _SNORM, _UNORM_SRGB */
}

uint32_t cs_format_component_count(cs_format format)
{
    const char *name = cs_format_name(format);
    uint32_t count = 0;
    for (; name && *name && *name != '_'; name++)
        count += *name == 'R' || *name == 'G' || *name == 'B' || *name == 'A';
    return count;
}

const char *cs_component_type_name(cs_component_type type)
{
    switch (type) {
    case CS_COMPONENT_FLOAT: return "float";
    case CS_COMPONENT_SINT: return "int";
    case CS_COMPONENT_UINT: return "uint";
    default: return "untyped";
    }
}
