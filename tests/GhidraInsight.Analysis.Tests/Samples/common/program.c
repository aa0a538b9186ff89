/* A small program with functions, calls, strings and risky calls: the seed of fuzz tests and engine checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned int table[8] = { 0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 1, 2, 3, 4 };
static char scratch[256];

__attribute__((noinline)) static unsigned int mix(unsigned int x)
{
    for (int i = 0; i < 8; i++) {
        x = (x << 5 | x >> 27) ^ table[i];
    }
    return x;
}

__attribute__((noinline)) int checksum(const char *text)
{
    unsigned int sum = 0;
    while (*text) {
        sum = mix(sum + (unsigned char)*text++);
    }
    return (int)sum;
}

__attribute__((noinline)) void remember(const char *text)
{
    strcpy(scratch, text);
    printf("remembered %s (%d)\n", scratch, checksum(scratch));
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        remember(argv[1]);
        if (argc > 2) {
            return system(argv[2]);
        }
    }
    puts("usage: program TEXT [COMMAND]");
    return checksum(argv[0]) & 1;
}
