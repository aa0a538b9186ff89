/* A console program that imports the risky APIs the findings rules look for. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int scale(int x) { return x * 3 + 1; }

int main(int argc, char **argv)
{
    char buf[64];
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    if (argc > 1) strcpy(buf, argv[1]); else buf[0] = 0;
    if (IsDebuggerPresent()) return 2;
    if (argc > 2) system(buf);
    if (argc > 3) WinExec(buf, 0);
    if (argc > 4) CreateProcessA(NULL, buf, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi);
    printf("%d %s\n", scale(argc), buf);
    return 0;
}
