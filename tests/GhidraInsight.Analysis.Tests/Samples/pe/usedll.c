/* Calls peexports.dll by name and by ordinal; linked normally and with lld's --delayload. */
int add_numbers(int a, int b);
int mul_numbers(int a, int b);
int hidden_ordinal(void);

int main(int argc, char **argv)
{
    (void)argv;
    return add_numbers(argc, 2) + mul_numbers(argc, 3) + hidden_ordinal();
}
