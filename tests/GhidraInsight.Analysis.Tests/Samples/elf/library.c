/* ELF parser sample: a shared library with exported functions and data. */
#include <stdio.h>
#include <string.h>

int library_version = 3;

static unsigned hash_step(unsigned h, char c)
{
    return (h * 33u) ^ (unsigned char)c;
}

unsigned library_hash(const char *text)
{
    unsigned h = 5381u;
    while (*text != '\0')
    {
        h = hash_step(h, *text++);
    }
    return h;
}

int library_greet(char *out, size_t size, const char *name)
{
    return snprintf(out, size, "hi %s (%zu)", name, strlen(name));
}

__attribute__((weak)) int library_optional(void)
{
    return library_version + 1;
}
