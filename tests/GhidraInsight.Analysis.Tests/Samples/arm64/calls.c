/* AArch64 sample: freestanding (no headers, no libc), built with clang and lld at test time. */
typedef __SIZE_TYPE__ size_t;

volatile int sink;
static int table[64];

__attribute__((noinline)) static int square(int x) { return x * x + table[x & 63]; }

__attribute__((noinline)) int add_numbers(int a, int b) { return a + square(b); }

__attribute__((noinline)) int classify(int op, int a, int b)
{
    switch (op) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return b ? a / b : 0;
    case 4: return a & b;
    case 5: return a | b;
    case 6: return a ^ b;
    case 7: return square(a);
    default: return -1;
    }
}

__attribute__((noinline)) size_t copy_bytes(char *dst, const char *src, size_t n)
{
    size_t i = 0;
    for (; i < n && src[i]; i++) {
        dst[i] = src[i];
    }
    return i;
}

__attribute__((noinline)) int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

typedef int (*binary_op)(int, int);

__attribute__((noinline)) int apply(binary_op op, int a, int b) { return op(a, b); }

__attribute__((noinline)) static int tail(int x) { return add_numbers(x, 3); }

int main(int argc, char **argv)
{
    char buffer[32];
    int total = add_numbers(argc, 2) + classify(argc & 7, argc, 5);
    total += (int)copy_bytes(buffer, argv[0], sizeof buffer);
    total += fib(argc + 5) + apply(add_numbers, total, argc) + tail(argc);
    sink = total;
    return total & 0x7f;
}
