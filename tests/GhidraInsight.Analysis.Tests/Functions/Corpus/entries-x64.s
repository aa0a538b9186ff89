# Functions nothing calls or points to, each after int3 padding at a 16-byte boundary, beginning as MSVC's x64 code (saving
# into the caller's home space, or through rax/r11 = rsp first) and Go's (the stack check against g's stack guard) begin.
# Short on purpose: only how they begin can tell they are functions. The _end label marks where the code ends (for the test).
    .intel_syntax noprefix
    .text
    .globl main
main:
    xor eax, eax
    ret
    .p2align 4, 0xcc
    .globl msvc_home_space
msvc_home_space:
    mov qword ptr [rsp + 8], rbx
    sub rsp, 32
    mov rbx, rcx
    lea rax, [rbx + 1]
    add rsp, 32
    mov rbx, qword ptr [rsp + 8]
    ret
    .p2align 4, 0xcc
    .globl msvc_frame_in_r11
msvc_frame_in_r11:
    mov r11, rsp
    mov qword ptr [r11 + 8], rbx
    lea eax, [rcx + rdx]
    mov rbx, qword ptr [r11 + 8]
    ret
    .p2align 4, 0xcc
    .globl go_stack_check
go_stack_check:
    cmp rsp, qword ptr [r14 + 16]
    jbe .Lgrow
    lea rax, [rax + rbx]
    ret
.Lgrow:
    jmp go_stack_check
    .p2align 4, 0xcc
    .globl entries_end
entries_end:
    int3
