/* Declarations of the kernel's functions, grouped by the file defining them. */
#ifndef KERNEL_DEFS_H
#define KERNEL_DEFS_H

#include "core/types.h"
#include "mm/memlayout.h"

struct proc;
struct hart;
struct file;
struct inode;
struct kframe;
struct trapframe;
struct abi_stat;

/* string.c */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
size_t strlcpy(char *dst, const char *src, size_t size);
char *strchr(const char *s, int c);
const char *errno_message(int err);

/* printf.c */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
void console_lock(void);
void console_unlock(void);
void console_take_for_panic(void);

/* panic.c */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void panic_trap(struct kframe *kf, uint64_t scause, uint64_t stval)
	__attribute__((noreturn));
void backtrace(uint64_t fp, uint64_t lo, uint64_t hi);
void early_panic(uint64_t scause, uint64_t sepc, uint64_t stval)
	__attribute__((noreturn));
extern volatile int panicking;
extern uint64_t panic_owner;

/* console.c */
void console_rx(int c);
void console_stat(struct abi_stat *st);

/* sbi.c */
#define SBI_SUCCESS 0 /* SBI error codes (the SBI specification) */
#define SBI_ERR_FAILED -1
#define SBI_ERR_NOT_SUPPORTED -2
#define SBI_ERR_INVALID_PARAM -3
#define SBI_ERR_DENIED -4
#define SBI_ERR_INVALID_ADDRESS -5
#define SBI_ERR_ALREADY_AVAILABLE -6
#define SBI_ERR_ALREADY_STARTED -7
#define SBI_ERR_ALREADY_STOPPED -8
const char *sbi_strerror(long err);
void sbi_set_timer(uint64_t when);
void sbi_send_ipi(uint64_t hartid);
long sbi_hart_start(uint64_t hartid, uint64_t start, uint64_t opaque);
/* platform/platform.c (the rest of the platform: platform/platform.h) */
void machine_poweroff(int status) __attribute__((noreturn));
/* reset.S */
void poweroff_bare(int status) __attribute__((noreturn));
void panic_wait_then_poweroff(void) __attribute__((noreturn));

/* fdt.c */
struct bootinfo {
	uint64_t mem_base, mem_size;
	uint64_t timebase;
	uint64_t initrd_start, initrd_end;
	uint64_t dtb, dtb_size;
	uint64_t harts[8];
	int nharts;
	char bootargs[512];
};
extern struct bootinfo bootinfo;
void fdt_parse(uint64_t dtb);

/* kalloc.c */
void kalloc_init(void);
void *kalloc(void);
void kfree(void *page);
void kalloc_release(uint64_t start, uint64_t end);
void page_pin(uint64_t pa);
void page_unpin(uint64_t pa);
uint64_t kalloc_free_pages(void);
uint64_t kalloc_total_pages(void);

/* vm.c */

/*
 * How the kernel reaches a user buffer: by walking the process's page table
 * per page (pt), optionally through a small translation cache (the IO
 * core's, valid while the process's mm_gen has not changed), or through a
 * ring's registered buffer (fixed: pinned pages, no walk at all).
 */
#define XLATE_ENTRIES 16
struct xlate_cache {
	uint64_t gen;		     /* the mm_gen the entries belong to */
	uint64_t vpn[XLATE_ENTRIES]; /* (va >> 12) + 1; 0: empty */
	uint64_t pte[XLATE_ENTRIES];
	uint64_t hits, misses;
};

struct ubuf_fixed {
	uint64_t base, len;
	int npages;
	uint64_t *pa; /* the pinned pages, from the page of base on */
};

struct uview {
	pagetable_t pt;
	struct xlate_cache *cache;    /* NULL: walk every time */
	const uint64_t *mm_gen;	      /* with cache: the process's */
	const struct ubuf_fixed *fixed; /* non-NULL: this buffer only */
};

void *uview_page(const struct uview *v, uint64_t va, uint64_t need);
uint64_t uvm_pte(pagetable_t pt, uint64_t va);
int uview_copyin(const struct uview *v, void *dst, uint64_t usrc, size_t n);
int uview_copyout(const struct uview *v, uint64_t udst, const void *src,
		  size_t n);
void kvm_init(void);
void kvm_init_hart(void);
void kvm_switch_kernel(void);
void kvm_map(uint64_t va, uint64_t pa, uint64_t size, uint64_t perm);
void kvm_unmap(uint64_t va, uint64_t size);
uint64_t kstack_alloc(int slot);
pagetable_t uvm_create(void);
void uvm_free(pagetable_t pt);
int uvm_map_zeroed(pagetable_t pt, uint64_t va, uint64_t len, uint64_t perm);
void *uvm_page(pagetable_t pt, uint64_t va, uint64_t need);
int copyin(pagetable_t pt, void *dst, uint64_t usrc, size_t n);
int copyout(pagetable_t pt, uint64_t udst, const void *src, size_t n);
long copyinstr(pagetable_t pt, char *dst, uint64_t usrc, size_t max);

/*
 * A device register's address: the physical one while paging is off, its
 * place in the device map after.  Derived from satp each time rather than
 * kept in a variable, so that a panic can still reach the console whatever
 * happened to kernel memory.
 */
static inline volatile void *devmem(uint64_t pa)
{
	uint64_t satp;

	asm volatile("csrr %0, satp" : "=r"(satp));
	return (volatile void *)(satp ? pa + DEVMAP_BASE : pa);
}

/* trap.c */
extern uint64_t timebase_hz;
void trap_init_hart(void);
void user_trap(struct trapframe *tf);
void kernel_trap(struct kframe *kf);
void timer_program(void);
uint64_t time_us_to_ticks(uint64_t us);
const char *trap_cause_name(uint64_t scause);

/* proc.c */
void proc_init(void);
void scheduler(void) __attribute__((noreturn));
void yield(void);
void sleep_on(const void *chan, uint64_t wake_time);
void wakeup(const void *chan);
void wakeup_timers(uint64_t now);
uint64_t next_wake_time(void);
int proc_spawn(const char *path, char *const argv[], int argc,
	       struct proc *parent);
void proc_exit(int wait_status) __attribute__((noreturn));
long proc_wait(int pid, uint64_t ustatus, int options);
int proc_count(void);
void proc_trace_drain_all(void);

/* exec.c */
long elf_load(struct proc *p, struct inode *ip, char *const argv[], int argc);

/* syscall.c */
void syscall(struct trapframe *tf);
void syscall_traced(struct trapframe *tf);

/* fs.c (memory file system) and file.c (open files) live in fs.h */

/* ring.c */
void ring_exit_all(struct proc *p);

/* cpio.c */
void initrd_unpack(uint64_t start, uint64_t end);

/* iocore.c */
extern int io_hart;
extern const char iocore_event;
void iocore_main(void) __attribute__((noreturn));
void iocore_ipi(void);
long iocore_ping(long n);

/* main.c */
extern int normal_hart;

extern const char *init_cmdline;
bool bootarg_present(const char *key);

#endif
