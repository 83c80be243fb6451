/* formats.c - the DXGI-numbered texel formats the API knows, from the one
 * list in include/compushady_formats.h. */
#include "internal.h"

#include <string.h>

typedef struct format_entry {
    cs_format format;
    uint32_t texel_size;
    cs_component_type component_type;
    uint32_t components;
    const char *name;
} format_entry;

/* from the one list of formats (include/compushady_formats.h) */
static const format_entry known_formats[] = {
#define FORMAT_ENTRY(name, value, texel_size, type, components, ...)           \
    {value, texel_size, CS_COMPONENT_##type, components, #name},
    CS_FORMAT_LIST(FORMAT_ENTRY)
#undef FORMAT_ENTRY
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
    const format_entry *entry = find_format(format);
    return entry ? entry->component_type : CS_COMPONENT_NONE;
}

uint32_t cs_format_component_count(cs_format format)
{
    const format_entry *entry = find_format(format);
    return entry ? entry->components : 0;
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
