/* Function-discovery corpus: ordinary C with callbacks, a dispatch table, a switch and static helpers. Linked statically,
   so the C library's own functions (with their symbols) make up most of the binary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct item { char name[16]; long weight; };

static int by_weight(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    return (x->weight > y->weight) - (x->weight < y->weight);
}

static int by_name(const void *a, const void *b) { return strcmp(((const struct item *)a)->name, ((const struct item *)b)->name); }

static long twice(long v) { return v * 2; }
static long square(long v) { return v * v; }
static long negate(long v) { return -v; }
static long (*const transforms[])(long) = { twice, square, negate };

static const char *classify(int c)
{
    switch (c) {
    case 'a': case 'e': case 'i': case 'o': case 'u': return "vowel";
    case '0': case '1': case '2': case '3': case '4': return "low digit";
    case '5': case '6': case '7': case '8': case '9': return "high digit";
    case ' ': return "space";
    case '\n': return "newline";
    default: return "other";
    }
}

/* A dense switch: compiled to a jump table (absolute entries when static, offsets from the table in position-independent code). */
__attribute__((noinline)) static long dispatch(int op, long a, long b)
{
    switch (op) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return b ? a / b : 0;
    case 4: return a << (b & 7);
    case 5: return a >> (b & 7);
    case 6: return a & b;
    case 7: return a | b;
    case 8: return a ^ b;
    case 9: return a % (b ? b : 1);
    default: return -1;
    }
}

static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(int argc, char **argv)
{
    int count = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 8;
    struct item *items = calloc((size_t)count, sizeof *items);
    for (int i = 0; i < count; i++) {
        snprintf(items[i].name, sizeof items[i].name, "item%d", (i * 7) % count);
        items[i].weight = transforms[i % 3](i);
    }
    qsort(items, (size_t)count, sizeof *items, argc > 2 ? by_name : by_weight);
    for (int i = 0; i < count; i++) {
        printf("%s %ld %s\n", items[i].name, items[i].weight, classify(items[i].name[4]));
    }
    printf("%ld %ld\n", fib(count), dispatch(argc % 11, count, 3));
    free(items);
    return 0;
}
