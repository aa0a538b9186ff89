# A switch in the shapes MSVC gives 32-bit code (written out: MSVC cannot run here): jmp [table + eax*4] with the cases'
# addresses in a table after the function in .text, once directly and once through a byte table of case numbers. Then one
# whose index changes after its bounds check (the check then says nothing of the table: it must stay unresolved). No unwind
# information: only the tables lead to the cases. The _end labels mark where each function's code ends (for the test).
    .intel_syntax noprefix
    .text
    .globl _main
_main:
    push 2
    call _dispatch
    add esp, 4
    push 7
    call _dispatch2
    add esp, 4
    push 1
    call _unbounded
    add esp, 4
    ret
    .p2align 4, 0xcc
    .globl _dispatch
_dispatch:
    mov eax, dword ptr [esp + 4]
    cmp eax, 5
    ja .Ld_default
    jmp dword ptr [4*eax + .Ld_table]
.Ld_case0:
    mov eax, 10
    ret
.Ld_case1:
    mov eax, 11
    ret
.Ld_case2:
    lea eax, [ecx + 12]
    ret
.Ld_case3:
    imul eax, ecx, 13
    ret
.Ld_case4:
    mov eax, 14
    ret
.Ld_case5:
    xor eax, 15
    ret
.Ld_default:
    xor eax, eax
    ret
    .globl _dispatch_end
_dispatch_end:
    .p2align 2, 0xcc
.Ld_table:
    .long .Ld_case0, .Ld_case1, .Ld_case2, .Ld_case3, .Ld_case4, .Ld_case5
    .p2align 4, 0xcc
    .globl _dispatch2
_dispatch2:
    mov ecx, dword ptr [esp + 4]
    cmp ecx, 20
    ja .Le_default
    movzx eax, byte ptr [ecx + .Le_index]
    jmp dword ptr [4*eax + .Le_table]
.Le_case0:
    mov eax, 20
    ret
.Le_case1:
    mov eax, 21
    ret
.Le_case2:
    mov eax, 22
    ret
.Le_default:
    xor eax, eax
    ret
    .globl _dispatch2_end
_dispatch2_end:
    .p2align 2, 0xcc
.Le_table:
    .long .Le_case0, .Le_case1, .Le_case2, .Le_default
.Le_index:
    .byte 0, 3, 3, 1, 3, 3, 3, 2, 3, 3, 3, 3, 3, 3, 3, 3, 0, 3, 3, 3, 1
    .p2align 4, 0xcc
    .globl _unbounded
_unbounded:
    mov eax, dword ptr [esp + 4]
    cmp eax, 1
    ja .Lu_default
    add eax, dword ptr [esp + 8]
    jmp dword ptr [4*eax + .Lu_table]
.Lu_default:
    xor eax, eax
    ret
    .globl _unbounded_end
_unbounded_end:
    .p2align 2, 0xcc
.Lu_table:
    .long .Lu_case0, .Lu_case1
    .globl _unbounded_case0
_unbounded_case0:
.Lu_case0:
    mov eax, 30
    ret
.Lu_case1:
    mov eax, 31
    ret
