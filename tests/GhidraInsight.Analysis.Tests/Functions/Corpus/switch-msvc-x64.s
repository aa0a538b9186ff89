# A switch in the shapes MSVC gives x64 code (MSVC cannot run here, so they are written out): the cases' RVAs in a table
# after the function in .text, reached through the image base (lea rdx, [__ImageBase]; mov ecx, [rdx + rax*4 + table_rva];
# add rcx, rdx; jmp rcx), once directly and once through a byte table of case numbers (sparse cases). No unwind information:
# only the tables lead to the cases. dispatch_end and dispatch2_end mark where each function's code ends (for the test).
    .intel_syntax noprefix
    .text
    .globl main
main:
    mov ecx, 2
    call dispatch
    mov ecx, 7
    call dispatch2
    ret
    .p2align 4, 0xcc
    .globl dispatch
dispatch:
    cmp ecx, 5
    ja .Ld_default
    movsxd rax, ecx
    lea rdx, [rip + __ImageBase]
    mov ecx, dword ptr [rdx + 4*rax + .Ld_table@IMGREL]
    add rcx, rdx
    jmp rcx
.Ld_case0:
    mov eax, 10
    ret
.Ld_case1:
    mov eax, 11
    ret
.Ld_case2:
    lea eax, [rcx + 12]
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
    .globl dispatch_end
dispatch_end:
    .p2align 2, 0xcc
.Ld_table:
    .rva .Ld_case0, .Ld_case1, .Ld_case2, .Ld_case3, .Ld_case4, .Ld_case5
    .p2align 4, 0xcc
    .globl dispatch2
dispatch2:
    cmp ecx, 20
    ja .Le_default
    mov eax, ecx
    lea rdx, [rip + __ImageBase]
    movzx eax, byte ptr [rdx + rax + .Le_index@IMGREL]
    mov ecx, dword ptr [rdx + 4*rax + .Le_table@IMGREL]
    add rcx, rdx
    jmp rcx
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
    .globl dispatch2_end
dispatch2_end:
    .p2align 2, 0xcc
.Le_table:
    .rva .Le_case0, .Le_case1, .Le_case2, .Le_default
.Le_index:
    .byte 0, 3, 3, 1, 3, 3, 3, 2, 3, 3, 3, 3, 3, 3, 3, 3, 0, 3, 3, 3, 1
