/* Mach-O sample: no system headers, prototypes declared here (see libSystem.tbd). */
typedef unsigned long size_t;
int printf(const char *format, ...);
int puts(const char *s);
char *strcpy(char *dst, const char *src);
int system(const char *command);
void *malloc(size_t size);
void free(void *p);
void *memcpy(void *dst, const void *src, size_t n);
int extra_checksum(const char *data, size_t n);

int counter = 7;
static const char greeting[] = "hello from a Mach-O sample";

static char scratch[4096];
int shared_table[256];

__attribute__((noinline)) static int square(int x) { return x * x + scratch[x & 63]; }

int add_numbers(int a, int b) { return a + square(b) + counter; }

void copy_name(const char *name)
{
    char buffer[64];
    strcpy(buffer, name);
    puts(buffer);
}

int main(int argc, char **argv)
{
    char *p = malloc(32);
    memcpy(p, greeting, 16);
    printf("%s %d\n", p, add_numbers(argc, 3));
    shared_table[argc & 255] = extra_checksum(p, 16);
    free(p);
    if (argc > 1) {
        copy_name(argv[1]);
        return system(argv[1]);
    }
    return 0;
}
