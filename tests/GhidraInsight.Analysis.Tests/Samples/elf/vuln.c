/* ELF parser sample: risky libc calls, a few local and global functions, data and bss. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *gets(char *s); /* removed from C11 headers; declared so the sample still imports it */

int counter = 7;
static char scratch[64];
const char greeting[] = "hello from the sample";

static int mix(int a, int b)
{
    return (a * 31) ^ b;
}

int copy_name(const char *name)
{
    char buffer[32];
    strcpy(buffer, name);
    memcpy(scratch, buffer, sizeof buffer);
    return (int)strlen(buffer);
}

void run_command(const char *command)
{
    char line[128];
    snprintf(line, sizeof line, "echo %s", command);
    if (system(line) != 0)
    {
        counter--;
    }
}

int main(int argc, char **argv)
{
    char input[16];
    if (argc > 3 && gets(input) != NULL)
    {
        printf("%s\n", input);
    }
    printf("%s %d\n", greeting, mix(argc, counter));
    if (argc > 1)
    {
        counter += copy_name(argv[1]);
        run_command(argv[1]);
    }
    return counter & 0x7f;
}
