"""Numbers from the RISC-V privileged specification that the trace decoder
shows by name (not the kernel's ABI, so not in include/uapi; the kernel's
own names are in kernel/arch/riscv/).

    CAUSES     {scause: name}
    SIP_SSIP, SIP_STIP   sip's software and timer interrupt-pending bits
"""

CAUSES = {0x8000000000000001: "software interrupt (IPI)",
          0x8000000000000005: "timer interrupt",
          0x8000000000000009: "external interrupt",
          0: "instruction address misaligned", 1: "instruction access fault",
          2: "illegal instruction", 3: "breakpoint",
          4: "load address misaligned", 5: "load access fault",
          6: "store address misaligned", 7: "store access fault",
          12: "instruction page fault", 13: "load page fault",
          15: "store page fault"}
SIP_SSIP = 1 << 1
SIP_STIP = 1 << 5
