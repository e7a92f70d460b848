/*
 * The system call table: the single source of truth shared by the kernel
 * (kernel/core/syscall.c builds its dispatch table from it), libuser (the stubs in
 * libuser/syscall.c use the numbers) and the host tools (hosttools/ read the
 * names for traces).
 *
 * Numbers are Linux riscv64's (asm-generic/unistd.h) wherever Linux has the
 * call; calls Linux does not have live at 2000 and above.  Results are the
 * Linux convention: >= 0 on success, -errno (include/uapi/errno.h) on failure.
 *
 * Every pointer argument is checked against the caller's address space: a
 * kernel address, an unmapped page, or a read-only page used for writing gives
 * -EFAULT.  A bad fd gives -EBADF.  Unknown numbers give -ENOSYS.
 *
 * SYSCALL(name, number, nargs, "arguments -> result; errors")
 */
#ifndef UAPI_SYSCALLS_H
#define UAPI_SYSCALLS_H

#define SYSCALL_LIST(SYSCALL)                                                   \
	SYSCALL(getcwd, 17, 2,                                                  \
		"buf, size -> length with the NUL; ERANGE (size too small) "    \
		"EFAULT ENOENT (the cwd was removed)")                          \
	SYSCALL(eventfd2, 19, 2,                                                \
		"initval, flags (EFD_SEMAPHORE EFD_NONBLOCK EFD_CLOEXEC) -> "   \
		"fd; EINVAL EMFILE ENFILE ENOMEM")                              \
	SYSCALL(dup, 23, 1,                                                     \
		"oldfd -> the lowest free fd, sharing the file; EBADF "         \
		"EMFILE")                                                       \
	SYSCALL(dup3, 24, 3,                                                    \
		"oldfd, newfd, flags (O_CLOEXEC) -> newfd (what was there "     \
		"is closed); EINVAL (flags, or oldfd == newfd) EBADF")          \
	SYSCALL(fcntl, 25, 3,                                                   \
		"fd, cmd, arg -> F_DUPFD/F_DUPFD_CLOEXEC: a new fd >= "         \
		"arg; F_GETFD/F_SETFD: FD_CLOEXEC; F_GETFL: access mode | "     \
		"O_APPEND | O_NONBLOCK | O_LARGEFILE (openat's files); "        \
		"F_SETFL: O_APPEND O_NONBLOCK; "                                \
		"EBADF EINVAL (cmd, or arg beyond the table) EMFILE")           \
	SYSCALL(ioctl, 29, 3,                                                   \
		"fd, request, arg -> 0 or a result; the console: TCGETS "       \
		"TCSETS TCSETSW TCSETSF (struct termios), TIOCGWINSZ (24x80), " \
		"TIOCGPGRP TIOCSPGRP TIOCGSID TIOCSCTTY TIOCNOTTY; ENOTTY "     \
		"(another file or request, not the caller's terminal) EPERM "   \
		"ESRCH EINVAL EBADF EFAULT")                                    \
	SYSCALL(mkdirat, 34, 3,                                                 \
		"dirfd, path, mode -> 0; EEXIST ENOENT ENOTDIR ENAMETOOLONG "   \
		"EFAULT ENOSPC EBADF")                                          \
	SYSCALL(unlinkat, 35, 3,                                                \
		"dirfd, path, flags(AT_REMOVEDIR) -> 0; ENOENT EISDIR ENOTDIR " \
		"ENOTEMPTY EBUSY EINVAL ENAMETOOLONG EFAULT EBADF")             \
	SYSCALL(symlinkat, 36, 3,                                               \
		"target, newdirfd, linkpath -> 0; EEXIST ENOENT (empty "        \
		"target) ENOTDIR ENAMETOOLONG EFAULT ENOSPC EBADF")             \
	SYSCALL(linkat, 37, 5,                                                  \
		"olddirfd, oldpath, newdirfd, newpath, flags -> EPERM (no "     \
		"hard links in the memory FS) once the paths check out; "       \
		"EEXIST ENOENT ENOTDIR EINVAL EFAULT EBADF")                    \
	SYSCALL(truncate, 45, 2,                                                \
		"path, length -> 0: a regular file's new size (holes read as "  \
		"zeros); EINVAL (length < 0, not a file) EISDIR EFBIG ENOENT "  \
		"ENOTDIR EFAULT ENAMETOOLONG")                                  \
	SYSCALL(ftruncate, 46, 2,                                               \
		"fd, length -> 0; EBADF EINVAL (not a file open for writing, "  \
		"length < 0) EFBIG")                                            \
	SYSCALL(faccessat, 48, 3,                                               \
		"dirfd, path, mode (F_OK or R_OK|W_OK|X_OK) -> 0 as uid 0: R "  \
		"and W always, X if an x bit is set or a directory; EACCES "    \
		"EINVAL ENOENT ENOTDIR EFAULT EBADF ENAMETOOLONG")              \
	SYSCALL(chdir, 49, 1,                                                   \
		"path -> 0; the cwd, where relative paths and AT_FDCWD start; " \
		"ENOENT ENOTDIR EFAULT ENAMETOOLONG")                           \
	SYSCALL(fchdir, 50, 1, "fd -> 0; EBADF ENOTDIR")                        \
	SYSCALL(fchmod, 52, 2,                                                  \
		"fd, mode -> 0 (the permission bits; not a memory-FS file: "    \
		"nothing); EBADF")                                              \
	SYSCALL(fchmodat, 53, 3,                                                \
		"dirfd, path, mode -> 0 (follows a symbolic link); ENOENT "     \
		"ENOTDIR ENAMETOOLONG ELOOP EFAULT EBADF")                      \
	SYSCALL(openat, 56, 4,                                                  \
		"dirfd, path, flags, mode -> fd; EINVAL (O_CREAT|O_DIRECTORY, " \
		"O_TMPFILE read-only) ENOENT EEXIST EISDIR ENOTDIR EMFILE "     \
		"ENFILE ENOSPC ENAMETOOLONG EFAULT EBADF EOPNOTSUPP "           \
		"(O_TMPFILE)")                                                  \
	SYSCALL(close, 57, 1, "fd -> 0; EBADF")                                 \
	SYSCALL(pipe2, 59, 2,                                                   \
		"int fds[2], flags (O_CLOEXEC O_NONBLOCK) -> 0: fds[0] "        \
		"reads, fds[1] writes, 64 KiB; EINVAL EFAULT EMFILE "           \
		"ENFILE ENOMEM")                                                \
	SYSCALL(getdents64, 61, 3,                                              \
		"fd, buf, len -> bytes (0 at end); EBADF ENOTDIR ENOENT "       \
		"(removed) EINVAL EFAULT")                                      \
	SYSCALL(lseek, 62, 3,                                                   \
		"fd, offset, whence(SET/CUR/END/DATA/HOLE) -> new offset; "     \
		"EBADF EINVAL ENXIO ESPIPE")                                    \
	SYSCALL(read, 63, 3,                                                    \
		"fd, buf, len (at most MAX_RW_COUNT moved) -> bytes (0 at "     \
		"EOF); EBADF EINVAL EFAULT (buf not in user space, even for "   \
		"len 0; len (size_t)-1) EISDIR")                                \
	SYSCALL(write, 64, 3,                                                   \
		"fd, buf, len (at most MAX_RW_COUNT moved) -> bytes; EBADF "    \
		"EINVAL EFAULT (as read) EFBIG ENOSPC")                         \
	SYSCALL(readv, 65, 3,                                                   \
		"fd, const struct iovec *, iovcnt (<= 1024) -> bytes; the "     \
		"whole array is checked first: EBADF EINVAL EFAULT EISDIR "     \
		"ENOMEM, nothing moved")                                        \
	SYSCALL(writev, 66, 3,                                                  \
		"fd, const struct iovec *, iovcnt (<= 1024) -> bytes; as "      \
		"readv: EBADF EINVAL EFAULT ENOMEM, nothing written")           \
	SYSCALL(pread64, 67, 4,                                                 \
		"fd, buf, len, offset -> bytes; the file position is not "      \
		"used; EINVAL (offset < 0, offset + len overflows) EBADF "      \
		"ESPIPE EISDIR EFAULT")                                         \
	SYSCALL(pwrite64, 68, 4,                                                \
		"fd, buf, len, offset -> bytes; EINVAL EBADF ESPIPE EFAULT")    \
	SYSCALL(pselect6, 72, 6,                                                \
		"nfds, readfds, writefds, exceptfds, const struct "             \
		"abi_timespec * (0: forever; time left written back), "         \
		"{sigmask, 8} * (blocked for the call) -> fds ready; EINVAL "   \
		"EBADF EFAULT EINTR")                                           \
	SYSCALL(ppoll, 73, 5,                                                   \
		"struct abi_pollfd *, nfds, const struct abi_timespec * (0: "   \
		"forever; time left written back), sigmask (blocked for the "   \
		"call), sigsetsize 8 -> entries with revents; EINVAL EFAULT "   \
		"EINTR")                                                        \
	SYSCALL(signalfd4, 74, 4,                                               \
		"fd (-1: a new one), const sigset *, sizemask 8, flags "         \
		"(SFD_NONBLOCK SFD_CLOEXEC) -> fd, whose read gives a "         \
		"struct abi_signalfd_siginfo per pending signal of the mask; "  \
		"EINVAL (flags, sizemask, fd not a signalfd) EBADF EFAULT "     \
		"EMFILE ENFILE ENOMEM")                                         \
	SYSCALL(readlinkat, 78, 4,                                              \
		"dirfd, path, buf, bufsiz -> length (no NUL); EINVAL (bufsiz "  \
		"<= 0, or not a symbolic link) ENOENT "                         \
		"ENOTDIR ENAMETOOLONG EFAULT EBADF")                            \
	SYSCALL(newfstatat, 79, 4,                                              \
		"dirfd, path, struct abi_stat *, flags (AT_EMPTY_PATH, "        \
		"AT_SYMLINK_NOFOLLOW, AT_NO_AUTOMOUNT, AT_STATX_*) -> 0; "      \
		"EINVAL ENOENT ENOTDIR ENAMETOOLONG EFAULT EBADF")              \
	SYSCALL(fstat, 80, 2, "fd, struct abi_stat * -> 0; EBADF EFAULT")       \
	SYSCALL(sync, 81, 0, "-> 0 (nothing to write back)")                   \
	SYSCALL(fsync, 82, 1,                                                   \
		"fd -> 0: written back (the memory FS: nothing to do); EBADF "  \
		"EINVAL (a pipe, the console, an eventfd, a ring)")             \
	SYSCALL(fdatasync, 83, 1, "fd -> 0; as fsync")                          \
	SYSCALL(timerfd_create, 85, 2,                                          \
		"clockid (REALTIME MONOTONIC BOOTTIME), flags (TFD_NONBLOCK "   \
		"TFD_CLOEXEC) -> fd, whose 8-byte read gives the expirations "  \
		"since the last; EINVAL EMFILE ENFILE ENOMEM")                  \
	SYSCALL(timerfd_settime, 86, 4,                                         \
		"fd, flags (TFD_TIMER_ABSTIME TFD_TIMER_CANCEL_ON_SET), const " \
		"struct abi_itimerspec * (it_value 0: disarm), old (or 0) -> "  \
		"0; EINVAL EBADF EFAULT")                                       \
	SYSCALL(timerfd_gettime, 87, 2,                                         \
		"fd, struct abi_itimerspec * (the time left, the interval) -> " \
		"0; EINVAL (not a timerfd) EBADF EFAULT")                       \
	SYSCALL(utimensat, 88, 4,                                               \
		"dirfd, path (NULL: dirfd's file), times[2] (NULL: now; "       \
		"UTIME_NOW UTIME_OMIT), flags (AT_SYMLINK_NOFOLLOW "            \
		"AT_EMPTY_PATH) -> 0; the modification time is kept; EINVAL "   \
		"ENOENT ENOTDIR EFAULT EBADF")                                  \
	SYSCALL(exit, 93, 1, "status -> does not return: the thread ends")     \
	SYSCALL(exit_group, 94, 1,                                              \
		"status -> does not return: every thread of the process ends")  \
	SYSCALL(waitid, 95, 5,                                                  \
		"idtype (P_ALL P_PID P_PGID), id, siginfo_t *, options "        \
		"(WEXITED required; WNOHANG WNOWAIT), rusage -> 0; ECHILD "     \
		"EINVAL EFAULT")                                                \
	SYSCALL(set_tid_address, 96, 1,                                         \
		"tidptr -> tid: recorded for thread exit")                      \
	SYSCALL(futex, 98, 6,                                                   \
		"uaddr, op (WAIT WAKE REQUEUE CMP_REQUEUE WAKE_OP WAIT_BITSET " \
		"WAKE_BITSET, |PRIVATE |CLOCK_REALTIME), val, timeout or "     \
		"val2, uaddr2, val3 -> 0 or a count; EAGAIN ETIMEDOUT EINTR "   \
		"EINVAL EFAULT ENOSYS")                                         \
	SYSCALL(set_robust_list, 99, 2,                                         \
		"head, len -> 0: recorded; EINVAL (len is not 24)")             \
	SYSCALL(get_robust_list, 100, 3,                                        \
		"pid, head *, len * -> 0; ESRCH EFAULT")                        \
	SYSCALL(nanosleep, 101, 2,                                              \
		"const struct abi_timespec *req, rem -> 0; EINTR (rem: the "   \
		"rest) EINVAL "                                                 \
		"EFAULT")                                                       \
	SYSCALL(getitimer, 102, 2,                                              \
		"which (ITIMER_REAL), struct itimerval * -> 0; EINVAL EFAULT")  \
	SYSCALL(setitimer, 103, 3,                                              \
		"which (ITIMER_REAL: SIGALRM), const struct itimerval *, "      \
		"struct itimerval *old -> 0; EINVAL (which, tv_usec) EFAULT")   \
	SYSCALL(clock_gettime, 113, 2,                                          \
		"clockid (REALTIME*, MONOTONIC*, BOOTTIME, TAI = time since "   \
		"boot; PROCESS/THREAD_CPUTIME_ID = time run), struct "          \
		"abi_timespec * -> 0; EINVAL EFAULT")                           \
	SYSCALL(clock_getres, 114, 2,                                           \
		"clockid, struct abi_timespec * (may be 0) -> 0: the time "     \
		"CSR's tick; EINVAL EFAULT")                                    \
	SYSCALL(clock_nanosleep, 115, 4,                                        \
		"clockid (REALTIME MONOTONIC BOOTTIME TAI), flags "             \
		"(TIMER_ABSTIME), const struct abi_timespec *req, rem -> 0; "   \
		"EINVAL EFAULT EOPNOTSUPP (raw, coarse, process CPU time)")     \
	SYSCALL(sched_getaffinity, 123, 3,                                      \
		"pid, len, mask -> 8 (bytes written): CPU 0, the normal "       \
		"core; EINVAL (len < 8 or not a multiple of 8) ESRCH "          \
		"EFAULT")                                                       \
	SYSCALL(sched_yield, 124, 0, "-> 0; gives the CPU to the next process") \
	SYSCALL(kill, 129, 2,                                                   \
		"pid (> 0; 0: the caller's group; -1: all but init and the "    \
		"caller; < -1: group -pid), sig (0: existence) -> 0; EINVAL "   \
		"ESRCH")                                                        \
	SYSCALL(tkill, 130, 2,                                                  \
		"tid (= pid), sig -> 0; EINVAL ESRCH")                          \
	SYSCALL(tgkill, 131, 3,                                                 \
		"tgid, tid (= tgid), sig -> 0; EINVAL ESRCH")                   \
	SYSCALL(sigaltstack, 132, 2,                                            \
		"const stack_t *ss, stack_t *old -> 0; EINVAL ENOMEM "          \
		"(< MINSIGSTKSZ) EPERM (on it) EFAULT")                         \
	SYSCALL(rt_sigsuspend, 133, 2,                                          \
		"const sigset_t *, sigsetsize (8) -> -EINTR once a handler "    \
		"ran; EINVAL EFAULT")                                           \
	SYSCALL(rt_sigaction, 134, 4,                                           \
		"sig, const struct sigaction *, struct sigaction *old, "        \
		"sigsetsize (8) -> 0; EINVAL (sig, SIGKILL/SIGSTOP, size) "     \
		"EFAULT")                                                       \
	SYSCALL(rt_sigprocmask, 135, 4,                                         \
		"how (SIG_BLOCK/UNBLOCK/SETMASK), const sigset_t *, sigset_t "  \
		"*old, sigsetsize (8) -> 0; EINVAL EFAULT")                     \
	SYSCALL(rt_sigpending, 136, 2,                                          \
		"sigset_t *, sigsetsize (8) -> 0; EINVAL EFAULT")               \
	SYSCALL(rt_sigreturn, 139, 0,                                           \
		"-> the interrupted a0: registers, FP state, mask and "         \
		"altstack from the rt_sigframe at sp (bad frame: SIGSEGV)")     \
	SYSCALL(reboot, 142, 4,                                                 \
		"magic1, magic2, cmd(POWER_OFF/HALT/RESTART/RESTART2), arg -> " \
		"does not return; CAD_ON/CAD_OFF -> 0; EINVAL EFAULT")          \
	SYSCALL(setpgid, 154, 2,                                                \
		"pid (0: self), pgid (0: pid) -> 0; EINVAL (pgid < 0) ESRCH "   \
		"(not self or a child) EPERM (another session, a session "      \
		"leader, no such group in the session)")                        \
	SYSCALL(getpgid, 155, 1, "pid (0: self) -> its process group; ESRCH")  \
	SYSCALL(getsid, 156, 1, "pid (0: self) -> its session; ESRCH")         \
	SYSCALL(setsid, 157, 0,                                                 \
		"-> the new session (= pid, no controlling terminal); EPERM "   \
		"(already a group leader)")                                     \
	SYSCALL(getgroups, 158, 2, "size, list -> 0 (none); EINVAL")            \
	SYSCALL(uname, 160, 1,                                                  \
		"struct new_utsname * -> 0: Linux 6.1.0-ioring riscv64; "       \
		"EFAULT")                                                       \
	SYSCALL(getrlimit, 163, 2,                                              \
		"resource, struct rlimit * -> 0; EINVAL EFAULT")                \
	SYSCALL(setrlimit, 164, 2,                                              \
		"resource, const struct rlimit * -> 0; EINVAL (resource, "      \
		"or soft above hard) EPERM (RLIMIT_NOFILE above the fd "        \
		"table) EFAULT")                                                \
	SYSCALL(umask, 166, 1, "mask -> the old mask (inherited; first 022)")   \
	SYSCALL(gettimeofday, 169, 2,                                           \
		"struct timeval *, struct timezone * (zeros) -> 0; EFAULT")     \
	SYSCALL(getpid, 172, 0, "-> pid")                                       \
	SYSCALL(getppid, 173, 0, "-> parent pid (0 for init)")                 \
	SYSCALL(getuid, 174, 0,                                                 \
		"-> 0 (root)")                                                  \
	SYSCALL(geteuid, 175, 0,                                                \
		"-> 0")                                                         \
	SYSCALL(getgid, 176, 0,                                                 \
		"-> 0")                                                         \
	SYSCALL(getegid, 177, 0,                                                \
		"-> 0")                                                         \
	SYSCALL(gettid, 178, 0,                                                 \
		"-> tid (the pid: a process is one thread)")                    \
	SYSCALL(sysinfo, 179, 1,                                                \
		"struct abi_sysinfo * -> 0 (freeram = free physical pages * "   \
		"mem_unit); EFAULT")                                            \
	SYSCALL(brk, 214, 1,                                                    \
		"new break (0 = query) -> current break (unchanged on "         \
		"failure, as Linux)")                                           \
	SYSCALL(munmap, 215, 2,                                                 \
		"addr, len -> 0: any page range (a mapping cut is split; "      \
		"nothing mapped is fine); EINVAL ENOMEM")                       \
	SYSCALL(clone, 220, 5,                                                  \
		"flags (exit signal, CLONE_PARENT_SETTID CHILD_SETTID "         \
		"CHILD_CLEARTID SETTLS VFORK; VM only with VFORK), newsp, "     \
		"ptid, tls, ctid -> child pid (0 in the child); a copy of the " \
		"address space; EINVAL (threads: not yet) EAGAIN ENOMEM")       \
	SYSCALL(execve, 221, 3,                                                 \
		"path, argv, envp -> does not return (0 in the new image); "    \
		"ENOENT EACCES ENOEXEC E2BIG EFAULT ENOMEM ENOTDIR "            \
		"ENAMETOOLONG")                                                 \
	SYSCALL(mmap, 222, 6,                                                   \
		"addr (hint; exact with MAP_FIXED, MAP_FIXED_NOREPLACE), len, " \
		"prot, flags (MAP_SHARED/PRIVATE/SHARED_VALIDATE, "             \
		"MAP_ANONYMOUS), fd, offset (a ring fd: IORING_OFF_SQ_RING/"    \
		"CQ_RING/SQES; a memory-FS file: MAP_PRIVATE only, a copy) -> " \
		"address; EINVAL EBADF EACCES ENODEV ENOMEM EEXIST EPERM "      \
		"EOPNOTSUPP")                                                   \
	SYSCALL(fadvise64, 223, 4,                                              \
		"fd, offset, len, advice (POSIX_FADV_*) -> 0: nothing to do; "  \
		"EBADF ESPIPE (a pipe) EINVAL")                                 \
	SYSCALL(mprotect, 226, 3,                                               \
		"addr, len, prot (PROT_NONE/READ/WRITE/EXEC) -> 0; EINVAL "     \
		"ENOMEM (part of the range unmapped)")                          \
	SYSCALL(madvise, 233, 3,                                                \
		"addr, len, advice (NORMAL RANDOM SEQUENTIAL WILLNEED COLD "    \
		"PAGEOUT DONTDUMP DODUMP: nothing to do; DONTNEED, FREE: private " \
		"anonymous pages read back as zeros) -> 0; EINVAL (addr, advice, " \
		"a ring's pages) ENOMEM (part of the range unmapped)")          \
	SYSCALL(wait4, 260, 4,                                                  \
		"pid (-1 any child, 0 the caller's group, < -1 that group), "   \
		"int *status, "                                                 \
		"options (WNOHANG, WUNTRACED, WCONTINUED, __WALL, __WCLONE, "  \
		"__WNOTHREAD), rusage (zeroed) -> pid (0 with WNOHANG and "     \
		"none ready); EINVAL ESRCH ECHILD EFAULT")                      \
	SYSCALL(prlimit64, 261, 4,                                              \
		"pid (0: self), resource, new, old -> 0; as setrlimit and "     \
		"getrlimit, ESRCH")                                             \
	SYSCALL(renameat2, 276, 5,                                              \
		"olddirfd, oldpath, newdirfd, newpath, flags (0, "              \
		"RENAME_NOREPLACE) -> 0; EINVAL (other flags, a directory "     \
		"into itself) ENOENT ENOTDIR EISDIR ENOTEMPTY EEXIST EBUSY "    \
		"EFAULT EBADF")                                                 \
	SYSCALL(getrandom, 278, 3,                                              \
		"buf, len, flags (GRND_NONBLOCK GRND_RANDOM "                   \
		"GRND_INSECURE) -> len (at most 32 MiB); EINVAL (flags) "       \
		"EFAULT")                                                       \
	SYSCALL(statx, 291, 5,                                                  \
		"dirfd, path, flags (AT_EMPTY_PATH AT_SYMLINK_NOFOLLOW "        \
		"AT_NO_AUTOMOUNT AT_STATX_*), mask, struct abi_statx * -> 0, "  \
		"stx_mask = STATX_BASIC_STATS | STATX_MNT_ID; EINVAL (flags, "  \
		"both sync flags, STATX__RESERVED) ENOENT ENOTDIR EFAULT "      \
		"EBADF")                                                        \
	SYSCALL(io_uring_setup, 425, 2,                                         \
		"entries, struct io_uring_params * -> ring fd (close-on-exec); " \
		"EINVAL EFAULT EMFILE ENFILE ENOMEM ENODEV (no IO core)")       \
	SYSCALL(io_uring_enter, 426, 6,                                         \
		"fd, to_submit, min_complete, flags (GETEVENTS, SQ_WAKEUP, "    \
		"SQ_WAIT), sig, sigsz -> to_submit; EBADF EOPNOTSUPP EINVAL")   \
	SYSCALL(io_uring_register, 427, 4,                                      \
		"fd, opcode (REGISTER_BUFFERS: arg = iovecs, nr_args <= 64; "   \
		"UNREGISTER_BUFFERS) -> 0; EBADF EOPNOTSUPP EINVAL EFAULT "     \
		"EBUSY ENXIO ENOMEM")                                           \
	SYSCALL(clone3, 435, 2, "args, size -> ENOSYS (glibc uses clone)")     \
	SYSCALL(faccessat2, 439, 4,                                             \
		"dirfd, path, mode, flags (AT_EACCESS AT_SYMLINK_NOFOLLOW "     \
		"AT_EMPTY_PATH) -> as faccessat; EINVAL (mode, flags)")         \
	SYSCALL(spawn, 2000, 2,                                                 \
		"path, argv (NULL-terminated) -> child pid; the child "         \
		"inherits the fds; ENOENT ENOEXEC E2BIG ENOMEM EAGAIN EFAULT "  \
		"ENAMETOOLONG")                                                 \
	SYSCALL(iocore_ping, 2001, 1,                                           \
		"n -> n: n IPI round trips normal core -> IO core -> normal "   \
		"core, the caller sleeping meanwhile; EINVAL (n < 1 or > "      \
		"1000000), ENODEV (no IO core)")                               \
	SYSCALL(trace_ctl, 2002, 1,                                             \
		"on -> previous state: pause (0) or resume (1) trace "          \
		"recording; EINVAL (not 0 or 1), ENODEV (kernel not booted "    \
		"with trace)")

#define SYSCALL_ENUM(name, nr, nargs, doc) SYS_##name = nr,
enum { SYSCALL_LIST(SYSCALL_ENUM) SYS_MAX_PLUS_ONE };
#undef SYSCALL_ENUM

#endif
