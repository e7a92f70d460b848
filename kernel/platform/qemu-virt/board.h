/*
 * QEMU virt's documented defaults (QEMU's hw/riscv/virt.c memory map),
 * used only where an address is needed before the device tree is read:
 * the console for the first boot lines and a panic in fdt_parse, and
 * poweroff_bare before platform_init has put the tree's test-device
 * address in its place.  Everything else comes from the tree (board.c).
 * Usable from assembly too (poweroff.S).  Locking: virt_test_pa is written
 * once, by platform_init on the boot hart before the other harts start;
 * any hart reads it after.
 */
#ifndef KERNEL_PLATFORM_QEMU_VIRT_BOARD_H
#define KERNEL_PLATFORM_QEMU_VIRT_BOARD_H

#define VIRT_BOARD_NAME "qemu-virt"
#define VIRT_UART0_DEFAULT 0x10000000 /* ns16550a */
#define VIRT_TEST_DEFAULT 0x100000    /* sifive,test1: power-off */

/* the sifive,test device's finisher words (QEMU hw/misc/sifive_test.c) */
#define SIFIVE_TEST_PASS 0x5555 /* exit status 0 */
#define SIFIVE_TEST_FAIL 0x3333 /* exit status << 16 | FAIL */

#ifndef __ASSEMBLER__
#include "core/types.h"
extern uint64_t virt_test_pa; /* poweroff.S: the test device, 0: none */
#endif

#endif
