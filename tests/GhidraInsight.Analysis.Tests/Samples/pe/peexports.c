/* A DLL with named, data, ordinal-only and (through peexports.def) forwarded exports. */
__declspec(dllexport) int add_numbers(int a, int b) { return a + b; }
__declspec(dllexport) int mul_numbers(int a, int b) { return a * b; }
__declspec(dllexport) int exported_counter = 7;
__declspec(dllexport) const char *greeting(void) { return "hello"; }
__declspec(dllexport) int hidden_ordinal(void) { return 42; }
