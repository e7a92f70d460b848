# Build the kernel, libuser and the programs; run them in QEMU; test.
#   make run        boot, run the demonstration, power off
#   make test       build everything and run the pytest suite
#   make conformance  liburing's own test suite (Debian 12's liburing 2.3),
#                   one boot per test: a table and a pass/skip/fail total
#   LIBURING=1      boot its initrd instead (/liburing/, 512 MiB):
#                   make qemu LIBURING=1 INIT="/liburing/run /liburing/nop.t"
#   make qemu       boot to the shell (INIT="/bin/prog args" for another
#                   first process; EXTRA="files" adds files to /bin;
#                   CPUS=n harts, default 2; ICOUNT=1 deterministic mode)
#   make qemu-gdb   the same, waiting for gdb-multiarch on port 1234
#   make bench      trapbench and ringbench under -icount (instructions per
#                   operation), and ringbench with tracing off and on
#   TRACE=x.perfetto-trace   run traced: raw stream x.perfetto-trace.bin,
#                   its summary, and the Perfetto timeline
#   TRACING=0       build the kernel without trace points
#   V=1             show the full compiler command lines
#   make soak N=10 LOAD=2   make test N times beside LOAD CPU hogs
#   make soak-boot  300 boots of trivial programs: no panic, hang or wrong
#                   exit status
# Every target first checks the Debian packages it needs (hosttools/deps.sh).

CROSS   ?= riscv64-unknown-elf-
CC      := $(CROSS)gcc
OBJDUMP := $(CROSS)objdump
NM      := $(CROSS)nm
PYTHON  ?= /usr/bin/python3
QEMU    ?= qemu-system-riscv64
B       := build
CPUS    ?= 2
MEM     ?= 128M
INIT    ?=
EXTRA   ?=
KARGS   ?=
ICOUNT  ?= 0
TRACE   ?=
TRACING ?= 1
V       ?= 0
N       ?= 10
LOAD    ?= 0
BOOTS   ?= 300

# quiet build: "CC kernel/core/proc.c"; V=1 shows the commands, make -s neither
ifeq ($(V),1)
Q :=
quiet = @:
else
Q := @
quiet = @printf '  %-7s %s\n'
endif
ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
quiet = @:
endif

# TRACE= must name a place QEMU can write the trace to: one line if not
ifneq ($(TRACE),)
ifneq ($(filter qemu qemu-cmd qemu-gdb,$(MAKECMDGOALS)),)
ifneq ($(shell mkdir -p $(dir $(TRACE)) 2>/dev/null && \
	touch $(TRACE).bin $(TRACE) 2>/dev/null && echo ok),ok)
$(error TRACE=$(TRACE): cannot write $(TRACE).bin and $(TRACE) there)
endif
endif
endif

ARCH    := -march=rv64imac -misa-spec=2.2 -mabi=lp64 -mcmodel=medany
KCFLAGS := $(ARCH) -std=gnu11 -O2 -g -Wall -Werror -ffreestanding -nostdlib \
	-fno-builtin -fno-stack-protector -fno-pic -fno-omit-frame-pointer \
	-fno-tree-loop-distribute-patterns -Iinclude -Ikernel -MMD -MP \
	$(if $(filter 0,$(TRACING)),-DTRACING_OFF)
KLDFLAGS := -nostdlib -static -Wl,--no-relax -Wl,--build-id=none \
	-T kernel/arch/riscv/kernel.ld

# the kernel by subsystem (kernel/<dir>/*.c, *.S); headers are included
# by their path under kernel/ ("core/proc.h", "mm/memlayout.h").  BOARD
# picks the platform/<board>/ folder behind platform/platform.h.
BOARD ?= qemu-virt
KDIRS := arch/riscv core mm fs ring trace drivers platform platform/$(BOARD)
KSRC  := $(foreach d,$(KDIRS),$(wildcard kernel/$(d)/*.c kernel/$(d)/*.S))
KOBJ  := $(patsubst kernel/%,$(B)/kernel/%.o,$(KSRC))

# libuser: built with the same flags ucc gives programs
UCC      := hosttools/ucc
LUSRC    := $(wildcard libuser/*.c) $(wildcard libuser/*.S)
LUOBJ    := $(patsubst libuser/%,$(B)/libuser/%.o,$(filter-out libuser/crt0.S,$(LUSRC)))
LIBUSER  := $(B)/libuser/libuser.a $(B)/libuser/crt0.o
PROGS    := $(patsubst programs/%.c,%,$(wildcard programs/*.c))
PROGBIN  := $(patsubst %,$(B)/bin/%,$(PROGS))
# programs/linux/: ordinary Linux programs, built as a Linux user would,
# with Debian's cross compiler against glibc, -static (the kernel's contract)
LCC      := riscv64-linux-gnu-gcc
LCFLAGS  := -O2 -g -static -Wall -Werror
LPROGS   := $(patsubst programs/linux/%.c,%,$(wildcard programs/linux/*.c))
LPROGBIN := $(patsubst %,$(B)/bin/%,$(LPROGS))
DATA     := $(wildcard programs/data/*)
# busybox, the shell and tools users get: built from Debian's source package
# by hosttools/busybox.sh, cached under build/busybox/
BUSYBOX  := $(B)/busybox/busybox

DEPS_OK  := $(B)/.deps-ok
# EXTRA= files go into an initrd of their own, so the default one stays as is
BASE_INITRD := $(B)/initrd$(if $(strip $(EXTRA)),-extra).cpio
# LIBURING=1: boot liburing's test suite's initrd instead (make conformance)
LIBURING ?= 0
LURING   := $(B)/liburing
LURING_INITRD := $(LURING)/initrd.cpio
INITRD   := $(if $(filter 1,$(LIBURING)),$(LURING_INITRD),$(BASE_INITRD))
# its 61 MB initrd and the tests' memory: 512 MiB unless MEM= says
ifeq ($(LIBURING)$(origin MEM),1file)
MEM      := 512M
endif

comma := ,
INIT_PROG := $(firstword $(INIT))
INIT_ARGS := $(wordlist 2,1000,$(INIT))
# ICOUNT=1: the IO core must not spin (harts run in turn): see kernel/ring/iocore.c
BOOTARGS  := $(strip $(KARGS) $(if $(filter 1,$(ICOUNT)),iopoll=wfi) \
	$(if $(TRACE),trace) \
	$(if $(INIT),init=$(INIT_PROG) -- $(INIT_ARGS)))
QEMUOPTS  = -machine virt -smp $(CPUS) -m $(MEM) -nographic -bios default \
	-kernel $(B)/kernel.elf -initrd $(INITRD) \
	$(if $(BOOTARGS),-append "$(BOOTARGS)") \
	$(if $(filter 1,$(ICOUNT)),-icount shift=0$(comma)sleep=off) \
	$(if $(TRACE),-chardev file$(comma)id=trace$(comma)path=$(TRACE).bin \
		-device pci-serial$(comma)chardev=trace)

.PHONY: all run test conformance soak soak-boot qemu qemu-cmd qemu-gdb bench \
	clean trace-check FORCE
all: $(DEPS_OK) $(B)/kernel.elf $(INITRD)

$(DEPS_OK): hosttools/deps.sh
	@mkdir -p $(B)
	@hosttools/deps.sh
	@touch $@

# ---- kernel ----
# the flags the kernel was built with: a change (TRACING=0) rebuilds it
$(B)/kernel/cflags: FORCE | $(DEPS_OK)
	@mkdir -p $(@D)
	@echo '$(KCFLAGS)' | cmp -s - $@ || echo '$(KCFLAGS)' > $@

$(B)/kernel/%.c.o: kernel/%.c $(B)/kernel/cflags | $(DEPS_OK)
	@mkdir -p $(@D)
	$(quiet) CC $<
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(B)/kernel/%.S.o: kernel/%.S $(B)/kernel/cflags | $(DEPS_OK)
	@mkdir -p $(@D)
	$(quiet) AS $<
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(B)/kernel.elf: $(KOBJ) kernel/arch/riscv/kernel.ld
	$(quiet) LD $@
	$(Q)$(CC) $(KCFLAGS) $(KLDFLAGS) $(KOBJ) -lgcc -o $@
	$(quiet) OBJDUMP $(B)/kernel.asm
	$(Q)$(OBJDUMP) -S $@ > $(B)/kernel.asm
	$(Q)$(NM) -n $@ > $(B)/kernel.sym

# ---- libuser and programs ----
$(B)/libuser/%.c.o: libuser/%.c $(UCC) | $(DEPS_OK)
	@mkdir -p $(@D)
	$(quiet) UCC $<
	$(Q)UCC_NOLINK=1 $(UCC) -O2 -g -Werror -MMD -MP -c $< -o $@

$(B)/libuser/%.S.o: libuser/%.S $(UCC) | $(DEPS_OK)
	@mkdir -p $(@D)
	$(quiet) UCC $<
	$(Q)UCC_NOLINK=1 $(UCC) -O2 -g -Werror -MMD -MP -c $< -o $@

$(B)/libuser/crt0.o: libuser/crt0.S $(UCC) | $(DEPS_OK)
	@mkdir -p $(@D)
	$(quiet) UCC $<
	$(Q)UCC_NOLINK=1 $(UCC) -O2 -g -Werror -MMD -MP -c $< -o $@

$(B)/libuser/libuser.a: $(LUOBJ)
	$(quiet) AR $@
	$(Q)rm -f $@
	$(Q)$(CROSS)ar rcs $@ $^

$(B)/bin/%: programs/%.c $(LIBUSER) libuser/user.ld $(UCC)
	@mkdir -p $(@D)
	$(quiet) UCC $<
	$(Q)$(UCC) -O2 -g -Werror -MMD -MP -MF $@.d $< -o $@

$(B)/bin/%: programs/linux/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(quiet) LCC $<
	$(Q)$(LCC) $(LCFLAGS) -MMD -MP -MF $@.d $< -o $@

# pie: a static PIE without a C library (Debian's glibc has no rcrt1.o)
$(B)/bin/pie: LCFLAGS = -O2 -g -static-pie -nostdlib -ffreestanding -fPIE \
	-Wl,--no-dynamic-linker -Wall -Werror

$(BUSYBOX): hosttools/busybox.sh | $(DEPS_OK)
	+$(Q)hosttools/busybox.sh $(B)/busybox

# the initrd: /bin (programs, busybox with a symbolic link per applet whose
# name no program has taken, and EXTRA), /data (test data), /tmp, /etc
# (passwd and group: root, for id, whoami, ls -l), as a
# cpio "newc" archive made from a fresh staging tree every time
$(BASE_INITRD): $(PROGBIN) $(LPROGBIN) $(BUSYBOX) $(DATA) $(EXTRA) FORCE
	@rm -rf $(B)/stage && mkdir -p $(B)/stage/bin $(B)/stage/data $(B)/stage/tmp
	@cp $(PROGBIN) $(LPROGBIN) $(BUSYBOX) $(EXTRA) $(B)/stage/bin/
	@$(CROSS)strip --strip-debug $(addprefix $(B)/stage/bin/,$(notdir $(PROGBIN) $(LPROGBIN)))
	@cd $(B)/stage/bin && for a in $$(cat ../../busybox/applets); do \
	  [ -e $$a ] || ln -s busybox $$a; done
	@mkdir -p $(B)/stage/etc && echo 'root:x:0:0:root:/:/bin/sh' > $(B)/stage/etc/passwd && \
	  echo 'root:x:0:' > $(B)/stage/etc/group
	@$(if $(DATA),cp $(DATA) $(B)/stage/data/)
	@(cd $(B)/stage && find . -mindepth 1 | LC_ALL=C sort | \
	  cpio -o -H newc --quiet -R 0:0) > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi
FORCE:

# ---- liburing's own test suite (make conformance) ----
# hosttools/liburing.sh fetches Debian 12's liburing source package and
# builds its tests static (cached under build/liburing/: it returns at once
# when nothing changed); their initrd holds /liburing/ (the tests, the
# helper exec-target.t and run, the first process that runs one) and /tmp
$(LURING)/tests.list: FORCE | $(DEPS_OK)
	+$(Q)hosttools/liburing.sh $(LURING)

$(LURING)/run: programs/liburing/run.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(quiet) LCC $<
	$(Q)$(LCC) $(LCFLAGS) $< -o $@

$(LURING_INITRD): $(LURING)/tests.list $(LURING)/run
	@rm -rf $(LURING)/stage && mkdir -p $(LURING)/stage/liburing $(LURING)/stage/tmp
	@cp $(LURING)/tests/*.t $(LURING)/stage/liburing/
	@$(CROSS)strip -o $(LURING)/stage/liburing/run $(LURING)/run
	@(cd $(LURING)/stage && find . -mindepth 1 | LC_ALL=C sort | \
	  cpio -o -H newc --quiet -R 0:0) > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

# ---- running ----
# TRACE=path.perfetto-trace: the raw trace stream goes to path.perfetto-trace.bin,
# is summarized, and decoded into path.perfetto-trace for ui.perfetto.dev
qemu: all
	$(QEMU) $(QEMUOPTS) $(if $(TRACE),; s=$$?; \
	  $(PYTHON) hosttools/trace.py summary $(TRACE).bin; \
	  $(PYTHON) hosttools/trace.py perfetto $(TRACE).bin $(TRACE); exit $$s)

# the QEMU command line, for the test harness (one definition, no copy)
qemu-cmd: all
	@echo '$(QEMU) $(QEMUOPTS)'

qemu-gdb: all
	@hosttools/deps.sh gdb-multiarch
	@echo "*** waiting for gdb: gdb-multiarch -ex 'target remote :1234' $(B)/kernel.elf"
	$(QEMU) $(QEMUOPTS) -S -s

run: all
	@$(MAKE) --no-print-directory -s qemu INIT=/bin/demo \
		TRACE=traces/run.perfetto-trace

# optional: check a trace with Perfetto's own importer (hosttools/perfetto_check.sh)
trace-check:
	@test -n "$(TRACE)" || { echo "usage: make trace-check TRACE=x.perfetto-trace"; exit 2; }
	hosttools/perfetto_check.sh $(TRACE)

bench: all
	@$(MAKE) --no-print-directory -s qemu ICOUNT=1 INIT=/bin/trapbench | grep '^trapbench:'
	@$(MAKE) --no-print-directory -s qemu ICOUNT=1 INIT=/bin/ringbench | grep '^ringbench:' | sed 's/$$/ xlate=cache/'
	@$(MAKE) --no-print-directory -s qemu ICOUNT=1 INIT=/bin/ringbench KARGS=ringxlate=walk | grep '^ringbench: op=read' | sed 's/$$/ xlate=walk/'
	@$(MAKE) --no-print-directory -s qemu ICOUNT=1 INIT="/bin/ringbench overhead" TRACE=$(B)/bench.perfetto-trace | grep '^ringbench:'

test: all
	$(PYTHON) -m pytest -q pytests

# liburing's own test suite, one boot per test: a table and a total line
conformance: all
	@$(PYTHON) hosttools/conformance.py

# robustness: the suite N times beside LOAD CPU hogs; BOOTS boots in a row
soak: all
	@hosttools/soak.sh $(N) $(LOAD)

soak-boot: all
	@$(PYTHON) hosttools/soak_boot.py $(BOOTS)

clean:
	rm -rf $(B)

-include $(KOBJ:.o=.d) $(LUOBJ:.o=.d) $(B)/libuser/crt0.d \
	$(addsuffix .d,$(PROGBIN) $(LPROGBIN))
