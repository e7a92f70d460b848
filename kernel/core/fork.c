/*
 * The system calls that make and change processes as Linux has them:
 * clone (fork-style), clone3 (-ENOSYS: glibc falls back to clone), execve
 * and waitid.  They copy their arguments from user memory and call
 * proc.c's proc_fork()/proc_waitid() and exec.c's proc_execve().
 *
 * Locking: normal core only, interrupts off, as every system call.
 */
#include "core/proc.h"
#include "core/string.h"
#include "mm/kalloc.h"
#include "mm/vm.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

/* riscv's clone: flags, newsp, parent_tid, tls, child_tid */
long sys_clone(long flags, long newsp, long ptid, long tls, long ctid,
	       long a5)
{
	return proc_fork(flags, newsp, ptid, tls, ctid);
}

long sys_clone3(long uargs, long size, long a2, long a3, long a4, long a5)
{
	return -ENOSYS;
}

/*
 * A NULL-terminated user array of strings into a kernel page: up to
 * ABI_SPAWN_ARGC_MAX pointers in argv[], their bytes in buf (ABI_ARG_MAX,
 * NULs included); more is E2BIG.  A NULL array is empty.
 */
static long strings_in(pagetable_t pt, uint64_t uarr, char *buf, char **argv)
{
	size_t used = 0;
	long n = 0, r;

	if (!uarr)
		return 0;
	for (;;) {
		uint64_t u;

		if (copyin(pt, &u, uarr + 8 * n, 8) < 0)
			return -EFAULT;
		if (!u)
			return n;
		if (n == ABI_SPAWN_ARGC_MAX)
			return -E2BIG;
		r = copyinstr(pt, buf + used, u, ABI_ARG_MAX - used);
		if (r < 0)
			return r == -ENAMETOOLONG ? -E2BIG : r;
		argv[n++] = buf + used;
		used += r + 1;
	}
}

long sys_execve(long upath, long uargv, long uenvp, long a3, long a4,
		long a5)
{
	struct proc *p = this_proc();
	char *path = kalloc(), *args = kalloc(), *envs = kalloc();
	char *argv[ABI_SPAWN_ARGC_MAX], *envp[ABI_SPAWN_ARGC_MAX];
	long argc, envc, r;

	r = -ENOMEM;
	if (!path || !args || !envs)
		goto out;
	r = copyinstr(p->mm->pagetable, path, upath, ABI_PATH_MAX);
	if (r == 0)
		r = -ENOENT;
	if (r < 0)
		goto out;
	r = argc = strings_in(p->mm->pagetable, uargv, args, argv);
	if (r < 0)
		goto out;
	r = envc = strings_in(p->mm->pagetable, uenvp, envs, envp);
	if (r < 0)
		goto out;
	r = proc_execve(path, argv, argc, envp, envc);
out:
	if (path)
		kfree(path);
	if (args)
		kfree(args);
	if (envs)
		kfree(envs);
	return r;
}

long sys_waitid(long idtype, long id, long uinfo, long options, long rusage,
		long a5)
{
	/* struct rusage: 2 timevals + 14 longs; no usage is kept: zeros */
	static const uint8_t zero_rusage[144];
	long r = proc_waitid(idtype, id, uinfo, options);

	if (r == 0 && rusage &&
	    copyout(this_proc()->mm->pagetable, rusage, zero_rusage,
		    sizeof(zero_rusage)) < 0)
		return -EFAULT;
	return r;
}
