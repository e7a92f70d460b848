/*
 * Open files: the system-wide file table and the per-process fd table.
 * A struct file is shared by every fd (in any process) that refers to it,
 * with its offset, as on Linux after fork or dup.
 *
 * Locking: ftable_lock protects the ref counts (a leaf lock).  A process's
 * fd table is normal-core state (proc.h).
 */
#include "defs.h"
#include "fs.h"
#include "param.h"
#include "proc.h"
#include "spinlock.h"
#include "uapi/errno.h"

static struct spinlock ftable_lock = SPINLOCK_INIT("ftable");
static struct file files[NFILE];
static struct file *console;

struct file *file_alloc(void)
{
	struct file *f = NULL;

	spin_lock(&ftable_lock);
	for (int i = 0; i < NFILE; i++) {
		if (files[i].ref == 0) {
			f = &files[i];
			memset(f, 0, sizeof(*f));
			f->ref = 1;
			break;
		}
	}
	spin_unlock(&ftable_lock);
	return f;
}

struct file *file_dup(struct file *f)
{
	spin_lock(&ftable_lock);
	f->ref++;
	spin_unlock(&ftable_lock);
	return f;
}

void file_close(struct file *f)
{
	struct inode *ip;
	int ref;

	spin_lock(&ftable_lock);
	ref = --f->ref;
	ip = f->ip;
	if (ref == 0)
		f->type = F_NONE;
	spin_unlock(&ftable_lock);
	if (ref == 0 && ip)
		inode_put(ip);
}

/* The console's struct file, shared by fds 0-2 of the first process. */
struct file *console_file(void)
{
	if (!console) {
		console = file_alloc();
		console->type = F_CONSOLE;
		console->readable = console->writable = true;
	}
	return console;
}

/* The lowest free fd of the current process, or -EMFILE. */
int fd_free_slot(void)
{
	struct proc *p = this_proc();

	for (int fd = 0; fd < NOFILE; fd++)
		if (!p->ofile[fd])
			return fd;
	return -EMFILE;
}

/* Give f the lowest free fd of the current process, or -EMFILE. */
int fd_install(struct file *f)
{
	struct proc *p = this_proc();

	for (int fd = 0; fd < NOFILE; fd++) {
		if (!p->ofile[fd]) {
			p->ofile[fd] = f;
			return fd;
		}
	}
	return -EMFILE;
}

struct file *fd_get(int fd)
{
	if (fd < 0 || fd >= NOFILE)
		return NULL;
	return this_proc()->ofile[fd];
}
