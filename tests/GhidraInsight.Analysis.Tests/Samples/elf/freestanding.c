/* ELF parser sample without headers, so clang can build relocatable objects for any target (no libc needed). */
extern int external_counter;
extern void external_log(const char *message, int value);

static const char label[] = "freestanding";
int table[8] = {1, 2, 3, 5, 8, 13, 21, 34};
static int state;

static int step(int x)
{
    return (x * 1103515245 + 12345) & 0x7fffffff;
}

int checksum(const unsigned char *data, int length)
{
    int sum = 0;
    for (int i = 0; i < length; i++)
    {
        sum = step(sum + data[i]);
    }
    return sum;
}

void record(int value)
{
    state += value + table[value & 7] + external_counter;
    external_log(label, state);
}
