# A 32-bit function nothing calls, after int3 padding at a 16-byte boundary, beginning with MSVC's hot-patch point
# (mov edi, edi), as Windows' own functions do. Short on purpose: only how it begins can tell it is a function.
    .intel_syntax noprefix
    .text
    .globl _main
_main:
    xor eax, eax
    ret
    .p2align 4, 0xcc
    .globl _hot_patchable
_hot_patchable:
    mov edi, edi
    mov eax, dword ptr [esp + 4]
    add eax, dword ptr [esp + 8]
    ret 8
    .p2align 4, 0xcc
    .globl _entries_end
_entries_end:
    int3
