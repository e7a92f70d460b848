/*
 * The kernel's user ABI besides syscall numbers and errno: open flags, the
 * stat, dirent, timespec and sysinfo layouts, wait status, reboot magic.
 * Values and layouts are Linux riscv64's (asm-generic), prefixed ABI_ so
 * that user code can include this next to picolibc's own headers; libuser
 * translates between picolibc's definitions and these.
 */
#ifndef UAPI_ABI_H
#define UAPI_ABI_H

#include <stdint.h>

/* openat flags (asm-generic/fcntl.h) */
#define ABI_O_ACCMODE 03
#define ABI_O_RDONLY 00
#define ABI_O_WRONLY 01
#define ABI_O_RDWR 02
#define ABI_O_CREAT 0100
#define ABI_O_EXCL 0200
#define ABI_O_NOCTTY 0400
#define ABI_O_TRUNC 01000
#define ABI_O_APPEND 02000
#define ABI_O_NONBLOCK 04000
#define ABI_O_DIRECTORY 0200000
#define ABI_O_NOFOLLOW 0400000
#define ABI_O_CLOEXEC 02000000
#define ABI_O_PATH 010000000
#define ABI___O_TMPFILE 020000000
#define ABI_O_TMPFILE (ABI___O_TMPFILE | ABI_O_DIRECTORY)

#define ABI_AT_FDCWD (-100)
#define ABI_AT_REMOVEDIR 0x200
#define ABI_RENAME_NOREPLACE 1
#define ABI_AT_SYMLINK_NOFOLLOW 0x100
#define ABI_AT_SYMLINK_FOLLOW 0x400
#define ABI_AT_NO_AUTOMOUNT 0x800
#define ABI_AT_EMPTY_PATH 0x1000
#define ABI_AT_STATX_SYNC_TYPE 0x6000 /* FORCE_SYNC 0x2000, DONT_SYNC 0x4000 */
#define ABI_AT_EACCESS 0x200 /* faccessat2: the effective ids */

/* faccessat modes */
#define ABI_F_OK 0
#define ABI_X_OK 1
#define ABI_W_OK 2
#define ABI_R_OK 4

/* O_LARGEFILE: forced on by the kernel on 64-bit (Linux's force_o_largefile) */
#define ABI_O_LARGEFILE 0100000

/* statx(2): the mask bits, and struct statx (256 bytes) */
#define ABI_STATX_BASIC_STATS 0x07ff /* TYPE MODE NLINK UID GID ATIME MTIME
				      * CTIME INO SIZE BLOCKS */
#define ABI_STATX_BTIME 0x0800
#define ABI_STATX_MNT_ID 0x1000
#define ABI_STATX__RESERVED 0x80000000U
#define ABI_STATX_ATTR_MOUNT_ROOT 0x2000

struct abi_statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t __reserved;
};

struct abi_statx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t __spare0;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct abi_statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major;
	uint32_t stx_rdev_minor;
	uint32_t stx_dev_major;
	uint32_t stx_dev_minor;
	uint64_t stx_mnt_id;
	uint32_t stx_dio_mem_align;
	uint32_t stx_dio_offset_align;
	uint64_t __spare3[12];
};

#define ABI_SEEK_SET 0
#define ABI_SEEK_CUR 1
#define ABI_SEEK_END 2
#define ABI_SEEK_DATA 3
#define ABI_SEEK_HOLE 4

/* st_mode */
#define ABI_S_IFMT 0170000
#define ABI_S_IFDIR 0040000
#define ABI_S_IFCHR 0020000
#define ABI_S_IFREG 0100000
#define ABI_S_IFIFO 0010000
#define ABI_S_IFLNK 0120000

/* asm-generic/stat.h: struct stat, 128 bytes */
struct abi_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint32_t st_mode;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	uint64_t st_rdev;
	uint64_t __pad1;
	int64_t st_size;
	int32_t st_blksize;
	int32_t __pad2;
	int64_t st_blocks;
	int64_t st_atime_sec;
	uint64_t st_atime_nsec;
	int64_t st_mtime_sec;
	uint64_t st_mtime_nsec;
	int64_t st_ctime_sec;
	uint64_t st_ctime_nsec;
	uint32_t __unused4;
	uint32_t __unused5;
};

/* getdents64 record; d_reclen is a multiple of 8 */
struct abi_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};
#define ABI_DT_CHR 2
#define ABI_DT_DIR 4
#define ABI_DT_REG 8
#define ABI_DT_LNK 10

struct abi_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};
#define ABI_CLOCK_REALTIME 0
#define ABI_CLOCK_MONOTONIC 1
#define ABI_CLOCK_PROCESS_CPUTIME_ID 2
#define ABI_CLOCK_THREAD_CPUTIME_ID 3
#define ABI_CLOCK_MONOTONIC_RAW 4
#define ABI_CLOCK_REALTIME_COARSE 5
#define ABI_CLOCK_MONOTONIC_COARSE 6
#define ABI_CLOCK_BOOTTIME 7
#define ABI_CLOCK_REALTIME_ALARM 8
#define ABI_CLOCK_BOOTTIME_ALARM 9
#define ABI_CLOCK_TAI 11

/* linux/sysinfo.h on a 64-bit target: 112 bytes */
struct abi_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram;
	uint64_t freeram;
	uint64_t sharedram;
	uint64_t bufferram;
	uint64_t totalswap;
	uint64_t freeswap;
	uint16_t procs;
	uint16_t pad;
	uint32_t pad2;
	uint64_t totalhigh;
	uint64_t freehigh;
	uint32_t mem_unit;
	char _f[4];
};

/* readv/writev and the ring's READV/WRITEV: struct iovec, 16 bytes */
struct abi_iovec {
	uint64_t iov_base;
	uint64_t iov_len;
};
#define ABI_UIO_MAXIOV 1024

/* mmap (asm-generic/mman-common.h) */
#define ABI_PROT_NONE 0x0
#define ABI_PROT_READ 0x1
#define ABI_PROT_WRITE 0x2
#define ABI_PROT_EXEC 0x4
#define ABI_MAP_SHARED 0x01
#define ABI_MAP_PRIVATE 0x02
#define ABI_MAP_SHARED_VALIDATE 0x03
#define ABI_MAP_TYPE 0x0f
#define ABI_MAP_FIXED 0x10
#define ABI_MAP_ANONYMOUS 0x20
#define ABI_MAP_GROWSDOWN 0x0100
#define ABI_MAP_DENYWRITE 0x0800
#define ABI_MAP_EXECUTABLE 0x1000
#define ABI_MAP_LOCKED 0x2000
#define ABI_MAP_NORESERVE 0x4000
#define ABI_MAP_POPULATE 0x8000
#define ABI_MAP_NONBLOCK 0x10000
#define ABI_MAP_STACK 0x20000
#define ABI_MAP_HUGETLB 0x40000
#define ABI_MAP_SYNC 0x80000
#define ABI_MAP_FIXED_NOREPLACE 0x100000

/* madvise advice */
#define ABI_MADV_NORMAL 0
#define ABI_MADV_RANDOM 1
#define ABI_MADV_SEQUENTIAL 2
#define ABI_MADV_WILLNEED 3
#define ABI_MADV_DONTNEED 4
#define ABI_MADV_FREE 8
#define ABI_MADV_DONTDUMP 16
#define ABI_MADV_DODUMP 17
#define ABI_MADV_COLD 20
#define ABI_MADV_PAGEOUT 21

/* wait4 */
#define ABI_WNOHANG 1
#define ABI_WUNTRACED 2
#define ABI_WCONTINUED 8
#define ABI___WNOTHREAD 0x20000000
#define ABI___WALL 0x40000000
#define ABI___WCLONE 0x80000000
#define ABI_W_EXITCODE(code, sig) (((code) & 0xff) << 8 | ((sig) & 0x7f))
/* signal numbers used to report a process killed for a fault */
#define ABI_SIGILL 4
#define ABI_SIGTRAP 5
#define ABI_SIGBUS 7
#define ABI_SIGKILL 9
#define ABI_SIGSEGV 11

/* reboot (linux/reboot.h) */
#define ABI_REBOOT_MAGIC1 0xfee1dead
#define ABI_REBOOT_MAGIC2 672274793
#define ABI_REBOOT_MAGIC2A 85072278
#define ABI_REBOOT_MAGIC2B 369367448
#define ABI_REBOOT_MAGIC2C 537993216
#define ABI_REBOOT_CMD_RESTART 0x01234567
#define ABI_REBOOT_CMD_HALT 0xCDEF0123
#define ABI_REBOOT_CMD_POWER_OFF 0x4321FEDC
#define ABI_REBOOT_CMD_RESTART2 0xA1B2C3D4
#define ABI_REBOOT_CMD_CAD_ON 0x89ABCDEF
#define ABI_REBOOT_CMD_CAD_OFF 0x00000000

/* limits */
#define ABI_PATH_MAX 4096 /* including the NUL */
#define ABI_NAME_MAX 255
#define ABI_ARG_MAX 4096 /* argv strings + pointers given to spawn */
#define ABI_SPAWN_ARGC_MAX 64

/* uname (struct new_utsname) */
#define ABI_UTSNAME_LEN 65
struct abi_utsname {
	char sysname[ABI_UTSNAME_LEN];
	char nodename[ABI_UTSNAME_LEN];
	char release[ABI_UTSNAME_LEN];
	char version[ABI_UTSNAME_LEN];
	char machine[ABI_UTSNAME_LEN];
	char domainname[ABI_UTSNAME_LEN];
};

/* resource limits (asm-generic/resource.h) */
#define ABI_RLIMIT_CPU 0
#define ABI_RLIMIT_FSIZE 1
#define ABI_RLIMIT_DATA 2
#define ABI_RLIMIT_STACK 3
#define ABI_RLIMIT_CORE 4
#define ABI_RLIMIT_RSS 5
#define ABI_RLIMIT_NPROC 6
#define ABI_RLIMIT_NOFILE 7
#define ABI_RLIMIT_MEMLOCK 8
#define ABI_RLIMIT_AS 9
#define ABI_RLIMIT_SIGPENDING 11
#define ABI_RLIMIT_MSGQUEUE 12
#define ABI_RLIM_NLIMITS 16
#define ABI_RLIM_INFINITY (~0UL)
struct abi_rlimit {
	uint64_t rlim_cur, rlim_max;
};

struct abi_timeval {
	int64_t tv_sec, tv_usec;
};

struct abi_timezone {
	int32_t tz_minuteswest, tz_dsttime;
};

/* the robust futex list head glibc registers (set_robust_list) */
#define ABI_ROBUST_LIST_HEAD_SIZE 24
struct abi_robust_list_head {
	uint64_t next;		 /* struct robust_list *: a circular list */
	int64_t futex_offset;	 /* from an entry to its futex word */
	uint64_t list_op_pending; /* an entry being taken or released */
};

/* futex(2): linux/futex.h */
#define ABI_FUTEX_WAIT 0
#define ABI_FUTEX_WAKE 1
#define ABI_FUTEX_REQUEUE 3
#define ABI_FUTEX_CMP_REQUEUE 4
#define ABI_FUTEX_WAKE_OP 5
#define ABI_FUTEX_WAIT_BITSET 9
#define ABI_FUTEX_WAKE_BITSET 10
#define ABI_FUTEX_PRIVATE_FLAG 128
#define ABI_FUTEX_CLOCK_REALTIME 256
#define ABI_FUTEX_BITSET_MATCH_ANY 0xffffffffu
#define ABI_FUTEX_WAITERS 0x80000000u
#define ABI_FUTEX_OWNER_DIED 0x40000000u
#define ABI_FUTEX_TID_MASK 0x3fffffffu

/* terminal ioctls (asm-generic/ioctls.h, termbits.h) */
#define ABI_TCGETS 0x5401
#define ABI_TCSETS 0x5402
#define ABI_TCSETSW 0x5403
#define ABI_TCSETSF 0x5404
#define ABI_TIOCGWINSZ 0x5413
#define ABI_TIOCSCTTY 0x540e
#define ABI_TIOCGPGRP 0x540f
#define ABI_TIOCSPGRP 0x5410
#define ABI_TIOCNOTTY 0x5422
#define ABI_TIOCGSID 0x5429
#define ABI_FIONREAD 0x541B
#define ABI_NCCS 19
struct abi_termios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[ABI_NCCS];
};
struct abi_winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* processes: clone, execve, wait4/waitid (linux/sched.h, linux/wait.h) */
#define ABI_CSIGNAL 0x000000ff /* clone: the exit signal */
#define ABI_CLONE_VM 0x00000100
#define ABI_CLONE_FS 0x00000200
#define ABI_CLONE_FILES 0x00000400
#define ABI_CLONE_SIGHAND 0x00000800
#define ABI_CLONE_VFORK 0x00004000
#define ABI_CLONE_THREAD 0x00010000
#define ABI_CLONE_SYSVSEM 0x00040000
#define ABI_CLONE_SETTLS 0x00080000
#define ABI_CLONE_PARENT_SETTID 0x00100000
#define ABI_CLONE_CHILD_CLEARTID 0x00200000
#define ABI_CLONE_DETACHED 0x00400000
#define ABI_CLONE_CHILD_SETTID 0x01000000
#define ABI_SIGCHLD 17
#define ABI_WEXITED 0x00000004
#define ABI_WNOWAIT 0x01000000
#define ABI_P_ALL 0
#define ABI_P_PID 1
#define ABI_P_PGID 2
#define ABI_CLD_EXITED 1
#define ABI_CLD_KILLED 2
/* the part of siginfo_t waitid fills (128 bytes in all) */
struct abi_siginfo_chld {
	int32_t si_signo, si_errno, si_code, pad;
	int32_t si_pid, si_uid, si_status;
};
#define ABI_SIGINFO_SIZE 128
/* execve: argv and envp each up to ABI_SPAWN_ARGC_MAX strings in
 * ABI_ARG_MAX bytes (more: E2BIG; Linux allows far more) */
/* signals (signal(7), asm-generic/signal.h; riscv64 has no SA_RESTORER) */
#define ABI_NSIG 64
#define ABI_SIGHUP 1
#define ABI_SIGINT 2
#define ABI_SIGQUIT 3
#define ABI_SIGABRT 6
#define ABI_SIGFPE 8
#define ABI_SIGUSR1 10
#define ABI_SIGUSR2 12
#define ABI_SIGPIPE 13
#define ABI_SIGALRM 14
#define ABI_SIGTERM 15
#define ABI_SIGCONT 18
#define ABI_SIGSTOP 19
#define ABI_SIGTSTP 20
#define ABI_SIGTTIN 21
#define ABI_SIGTTOU 22
#define ABI_SIGURG 23
#define ABI_SIGXCPU 24
#define ABI_SIGXFSZ 25
#define ABI_SIGWINCH 28
#define ABI_SIGSYS 31
#define ABI_SIG_DFL 0
#define ABI_SIG_IGN 1
#define ABI_SIG_BLOCK 0
#define ABI_SIG_UNBLOCK 1
#define ABI_SIG_SETMASK 2
#define ABI_SA_NOCLDSTOP 0x00000001
#define ABI_SA_NOCLDWAIT 0x00000002
#define ABI_SA_SIGINFO 0x00000004
#define ABI_SA_ONSTACK 0x08000000
#define ABI_SA_RESTART 0x10000000
#define ABI_SA_NODEFER 0x40000000
#define ABI_SA_RESETHAND 0x80000000UL
#define ABI_SS_ONSTACK 1
#define ABI_SS_DISABLE 2
#define ABI_SS_AUTODISARM (1U << 31)
#define ABI_MINSIGSTKSZ 2048
/* si_code */
#define ABI_SI_USER 0
#define ABI_SI_KERNEL 0x80
#define ABI_SI_TKILL (-6)
#define ABI_ILL_ILLOPC 1
#define ABI_SEGV_MAPERR 1
#define ABI_SEGV_ACCERR 2
#define ABI_BUS_ADRALN 1
#define ABI_TRAP_BRKPT 1
#define ABI_CLD_DUMPED 3
#define ABI_WCOREFLAG 0x80
#define ABI_ITIMER_REAL 0

/* the kernel's struct sigaction on riscv64 (no sa_restorer) */
struct abi_sigaction {
	uint64_t sa_handler;
	uint64_t sa_flags;
	uint64_t sa_mask;
};

/* stack_t */
struct abi_stack {
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
};

/* siginfo_t: 128 bytes; the fields this kernel fills */
struct abi_siginfo {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t pad;
	union {
		struct {
			int32_t si_pid; /* kill, tkill */
			uint32_t si_uid;
		};
		uint64_t si_addr; /* faults */
	};
	int32_t si_status; /* SIGCHLD */
	uint8_t rest[128 - 28];
};

/* struct sigcontext: user_regs_struct (pc, x1..x31) and the D state of
 * union __riscv_fp_state (whose Q member makes it 528 bytes, 16-aligned) */
struct abi_sigcontext {
	uint64_t regs[32];
	uint64_t fpregs[32];
	uint32_t fcsr;
	uint8_t fp_rest[528 - 32 * 8 - 4];
} __attribute__((aligned(16)));

/* riscv64's struct ucontext */
struct abi_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct abi_stack uc_stack;
	uint64_t uc_sigmask;
	uint8_t unused[1024 / 8 - 8];
	struct abi_sigcontext uc_mcontext;
};

/* what a handler's sp points at */
struct abi_rt_sigframe {
	struct abi_siginfo info;
	struct abi_ucontext uc;
};

/* poll(2), ppoll (asm-generic/poll.h) */
struct abi_pollfd {
	int32_t fd;
	int16_t events, revents;
};
#define ABI_POLLIN 0x0001
#define ABI_POLLPRI 0x0002
#define ABI_POLLOUT 0x0004
#define ABI_POLLERR 0x0008
#define ABI_POLLHUP 0x0010
#define ABI_POLLNVAL 0x0020
#define ABI_POLLRDNORM 0x0040
#define ABI_POLLRDBAND 0x0080
#define ABI_POLLWRNORM 0x0100
#define ABI_POLLWRBAND 0x0200

/* eventfd2 flags (= O_CLOEXEC, O_NONBLOCK) and EFD_SEMAPHORE */
#define ABI_EFD_SEMAPHORE 00000001
#define ABI_EFD_NONBLOCK 00004000
#define ABI_EFD_CLOEXEC 02000000

/* clock_nanosleep */
#define ABI_TIMER_ABSTIME 1

/* timerfd_create flags (= O_NONBLOCK, O_CLOEXEC), timerfd_settime flags */
#define ABI_TFD_NONBLOCK 00004000
#define ABI_TFD_CLOEXEC 02000000
#define ABI_TFD_TIMER_ABSTIME 1
#define ABI_TFD_TIMER_CANCEL_ON_SET 2

/* timerfd_settime/gettime's struct itimerspec */
struct abi_itimerspec {
	struct abi_timespec it_interval;
	struct abi_timespec it_value;
};

/* signalfd4 flags (= O_NONBLOCK, O_CLOEXEC) */
#define ABI_SFD_NONBLOCK 00004000
#define ABI_SFD_CLOEXEC 02000000

/* what a read of a signalfd gives, one per signal: 128 bytes */
struct abi_signalfd_siginfo {
	uint32_t ssi_signo;
	int32_t ssi_errno;
	int32_t ssi_code;
	uint32_t ssi_pid;
	uint32_t ssi_uid;
	int32_t ssi_fd;
	uint32_t ssi_tid;
	uint32_t ssi_band;
	uint32_t ssi_overrun;
	uint32_t ssi_trapno;
	int32_t ssi_status;
	int32_t ssi_int;
	uint64_t ssi_ptr;
	uint64_t ssi_utime;
	uint64_t ssi_stime;
	uint64_t ssi_addr;
	uint16_t ssi_addr_lsb;
	uint16_t pad2;
	int32_t ssi_syscall;
	uint64_t ssi_call_addr;
	uint32_t ssi_arch;
	uint8_t pad[28];
};

/* device numbers (st_rdev = major << 8 | minor for these small ones) */
#define ABI_MKDEV(ma, mi) (((ma) << 8) | (mi))

#endif
