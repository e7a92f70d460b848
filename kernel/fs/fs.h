/*
 * The memory file system (fs.c) and open files (file.c).
 *
 * Locking: fs_lock protects every inode field and every file's offset; it
 * may be taken by either core, never while sleeping.  Lock order:
 * proc.mm_lock, proc.fd_lock, fs_lock, ftable_lock, kmem.lock.  A struct
 * file's ref count is atomic.
 */
#ifndef KERNEL_FS_H
#define KERNEL_FS_H

#include "core/param.h"
#include "core/spinlock.h"
#include "core/types.h"
#include "uapi/abi.h"

enum itype { I_FREE, I_FILE, I_DIR, I_DEV, I_SYMLINK };

struct inode {
	/* all under fs_lock */
	enum itype type;
	uint32_t ino;
	int nlink;  /* 1 while it has a name in a directory, 0 once unlinked */
	int ref;    /* references: open files, lookups, entries (for dirs) */
	uint64_t size;
	struct inode *parent;	/* directory holding it (root: itself) */
	struct inode *children; /* directory: first entry */
	struct inode *next;	/* next entry in the parent */
	void **index;		/* data: two-level page index (fs.c) */
	uint64_t mtime;		/* time CSR ticks since boot */
	uint32_t rdev;		/* I_DEV: ABI_MKDEV(major, minor) (dev.c) */
	uint16_t mode;		/* permission bits (07777; chmod, the initrd) */
	/* I_SYMLINK: the target is the data, size bytes and a NUL */
	char name[ABI_NAME_MAX + 1];
};

struct file;
struct uview;
struct vma;

/*
 * What an open file does, one table per kind of file (as xv6's devsw and
 * Linux's file_operations): the memory FS's files and directories
 * (inode_file_ops, dir_file_ops, file.c; f->ops == &dir_file_ops is how a
 * directory is recognised), the console (console_file_ops and
 * tty_file_ops, drivers/console.c), the devices under /dev (dev.c), pipes
 * (pipe.c), eventfds (eventfd.c), timerfds (timerfd.c), signalfds
 * (signalfd.c), a ring's fd (ring_file_ops, ring/ring.c;
 * f->ops == &ring_file_ops is how a ring fd is recognised).  A NULL entry
 * is what the call gives on Linux for a file
 * without it:
 *
 *   read, write  f is readable/writable, the buffer passed access_ok and
 *                n > 0 (checked by file_read/file_write; n == 0 reaches
 *                read only for a directory); the copy stops at the first
 *                fault; off is a position or -1, the file offset.
 *                NULL: -EINVAL.  Called on either core, with the caller's
 *                uview (the owner's mm_lock held on the IO core); may not
 *                sleep on the IO core.  A long one pauses every
 *                RESCHED_CHUNK bytes (core/resched.h, uview_pause).
 *   lseek        lseek(2).  NULL: the file cannot seek: lseek, pread64 and
 *                pwrite64 give -ESPIPE, a ring operation's offset is ignored.
 *   stat         fills *st for fstat.  NULL: all zeros (an anonymous inode).
 *   mmap         mmap(2) of len bytes (> 0, page-aligned) from offset off
 *                (page-aligned), before an address is picked (v->flags
 *                has VMA_SHARED for MAP_SHARED, v->perm the permission):
 *                checks that they can be mapped (-errno if not) and fills
 *                in v->pages (len / PGSIZE physical pages, which stay the
 *                file's; NULL: fresh zeroed pages, which mm fills from the
 *                file with read if the op sets VMA_COPY), v->ops and
 *                v->private (mm/mmap.h).  Normal core; the caller holds a
 *                reference to f until v->ops->open has run.  NULL: -ENODEV.
 *   poll         the file's ready mask now (ABI_POLLIN, POLLOUT, POLLERR,
 *                POLLHUP, ...), for ppoll (poll.c) and the ring's POLL_ADD
 *                (either core: it only reads, never sleeps); whatever
 *                changes the answer calls poll_wake().  NULL: always
 *                readable and writable (Linux's DEFAULT_POLLMASK).
 *   poll_events  a count of the events of this file that made it ready
 *                for some of want (a pipe's writes for its read end), and
 *                in *key the ready bits such an event reports: the ring's
 *                POLL_ADD reports an event even if the readiness has gone
 *                again since (the data read), and a multishot one posts
 *                once per event, as Linux's wait-queue wakeups carry a key.
 *                Either core.  NULL: only the ready mask counts.
 *   ioctl        ioctl(2) request with its argument (a user address for
 *                the terminal requests).  Normal core.  NULL: -ENOTTY.
 *   normal_core_only  its operations may sleep and its state is the
 *                normal core's: the IO core only polls it (POLL_ADD), a
 *                ring read or write of it gives -EAGAIN.
 *   ring_nowait  read and write may run on the IO core too (a pipe, an
 *                eventfd): there they never wait -- -EAGAIN where they
 *                would, and the ring waits for poll to say ready (as
 *                Linux's io_uring arms a poll) -- nor spin on a lock the
 *                normal core may hold while it waits for mm_lock: they try
 *                it, and give -ERETRY, "again at once", if it is busy.
 *                Their wakeups go through the IO core's deferred work.
 *   Either flag: the IO core never drops the last reference of the file
 *   (file_put defers it to the normal core, iocore_defer_put), so release
 *   always runs on the normal core.
 *   release      after the last reference is dropped (file_put): gets the
 *                file's private pointer, not the file, whose slot may
 *                already be reused.  NULL: nothing to do.
 *
 * Locking: the ops are called with no lock of file.c held; each takes what
 * it needs (inode files: fs_lock inside fs.c for the inode and f->off; the
 * console: its own; a ring: none).  To add a kind of file (disk, FAT32,
 * pipe, IPC ring): write its table next to its code, declare it below, set
 * f->ops and the private pointer where its files are opened.
 */
struct file_ops {
	long (*read)(struct file *f, const struct uview *v, uint64_t udst,
		     size_t n, int64_t off);
	long (*write)(struct file *f, const struct uview *v, uint64_t usrc,
		      size_t n, int64_t off);
	long (*lseek)(struct file *f, long off, long whence);
	void (*stat)(struct file *f, struct abi_stat *st);
	long (*mmap)(struct file *f, struct vma *v, uint64_t off, uint64_t len);
	long (*ioctl)(struct file *f, unsigned int request, uint64_t arg);
	/* write back what the file holds (datasync: its data only); NULL:
	 * nothing to sync, fsync is -EINVAL as Linux */
	long (*fsync)(struct file *f, bool datasync);
	unsigned int (*poll)(struct file *f);
	uint64_t (*poll_events)(struct file *f, unsigned int want,
				unsigned int *key);
	void (*release)(void *private);
	bool normal_core_only;
	bool ring_nowait;
};

/*
 * Kernel-internal result of a ring_nowait file's read or write on the IO
 * core: a lock was busy, try again on the next pass (never seen by a user).
 */
#define ERETRY 531

/* May f's read or write wait here?  (Not on the IO core, not O_NONBLOCK.) */
bool file_may_wait(const struct file *f);
bool file_state_lock(struct spinlock *l);
void file_wakeup(const void *chan);

extern const struct file_ops inode_file_ops;
extern const struct file_ops dir_file_ops;
extern const struct file_ops console_file_ops;
extern const struct file_ops ring_file_ops;
extern const struct file_ops pipe_file_ops;
extern const struct file_ops tty_file_ops;
extern const struct file_ops eventfd_file_ops;
extern const struct file_ops timerfd_file_ops;
extern const struct file_ops signalfd_file_ops;

struct file {
	int ref; /* atomic */
	const struct file_ops *ops; /* set once, before it is installed */
	bool readable, writable, append;
	bool nonblock; /* O_NONBLOCK: set at open, by fcntl(F_SETFL) */
	bool largefile; /* O_LARGEFILE: opened by openat (forced on 64-bit) */
	uint64_t off; /* under fs_lock */
	union {	      /* the private pointer, given to ops->release */
		void *private;
		struct inode *ip;  /* inode_file_ops, dir_file_ops */
		struct ring *ring; /* ring_file_ops */
	};
};

/*
 * A thread group's open files and current directory (Linux's files_struct
 * and fs_struct in one: threads share both, fork copies both).
 * files_alloc() gives an empty table, files_free() returns it once empty.
 *
 * Locking: fd_lock guards ofile[], cloexec[], exiting and cwd: the IO core
 * uses them for the rings of the group (OPENAT, CLOSE, fd lookups).
 */
struct files_struct {
	int users; /* threads using it (normal core) */
	struct spinlock fd_lock;
	bool exiting; /* the table is being closed: no new fds */
	struct file *ofile[NOFILE];
	bool cloexec[NOFILE];
	struct inode *cwd; /* the current directory (a reference); NULL: / */
};

struct files_struct *files_alloc(void);
void files_free(struct files_struct *fs);

/* fs.c */
void fs_init(void);
struct inode *fs_lookup(struct inode *base, const char *path, long *err);
struct inode *fs_lookup_at(struct inode *base, const char *path, bool follow,
			   long *err);
struct inode *fs_create(struct inode *base, const char *path, enum itype type,
			bool excl, long *err);
long fs_unlink(struct inode *base, const char *path, bool rmdir);
long fs_symlink(struct inode *base, const char *path, const char *target,
		size_t len);
long fs_rename(struct inode *obase, const char *opath, struct inode *nbase,
	       const char *npath, bool noreplace);
long inode_readlink(struct inode *ip, char *buf, size_t size);
long inode_path(struct inode *dir, char *buf, size_t size);
void inode_get(struct inode *ip);
void inode_put(struct inode *ip);
long inode_read(struct inode *ip, void *dst, uint64_t off, size_t n);
long inode_write(struct inode *ip, const void *src, uint64_t off, size_t n);
long inode_truncate(struct inode *ip, uint64_t len);
long inode_seek(struct inode *ip, uint64_t *pos, long off, long whence);
void inode_stat(struct inode *ip, struct abi_stat *st);
void inode_set_mtime(struct inode *ip, uint64_t t);
void inode_chmod(struct inode *ip, uint32_t mode);
long inode_dirent(struct inode *dir, uint64_t pos, char *name, size_t size,
		  uint64_t *ino, int *dtype);
long inode_read_user(struct inode *ip, const struct uview *v, uint64_t *off,
		     uint64_t udst, size_t n);
long inode_write_user(struct inode *ip, const struct uview *v, uint64_t *off,
		      bool append, uint64_t usrc, size_t n);

/* file.c */
struct proc;
struct ring;
struct file *file_alloc(void);
struct file *file_dup(struct file *f);
void file_put(struct file *f);
struct file *console_file(void);
int fd_free_slot(struct proc *p);
int fd_limit(struct proc *p);
int fd_install(struct proc *p, struct file *f, bool cloexec);
struct file *fd_get(struct proc *p, int fd);
struct file *fd_remove(struct proc *p, int fd, bool keep_ring);
struct inode *file_dir(struct file *f);
long file_fsync(struct file *f, bool datasync);
void anon_inode_stat(struct file *f, struct abi_stat *st);
long file_rw_ok(struct file *f, bool write);
long file_read_checked(struct file *f, const struct uview *v, uint64_t udst,
		       size_t n, int64_t off);
long file_write_checked(struct file *f, const struct uview *v, uint64_t usrc,
			size_t n, int64_t off);

/* off + n fits in an off_t (off == -1, the file position, passes) */
static inline bool file_pos_ok(int64_t off, uint64_t n)
{
	return (int64_t)((uint64_t)off + n) >= off;
}

/*
 * read(2) and write(2) on a file into or from user memory reached through v
 * (the caller's page table, or a ring owner's, or a registered buffer): the
 * common part of the system calls and the ring operations.  off == -1 means
 * the file position.  The usual case is tested inline at once: the file
 * open for it and able to, 0 < n, buffer and count both below
 * FILE_RW_FAST_LIMIT (so that Linux's access_ok holds), the position not
 * overflowing; anything else goes to file_read_checked/file_write_checked
 * (file.c), which check in Linux's order and give Linux's error.
 */
#define FILE_RW_FAST_LIMIT 0x7ffff000UL /* Linux's MAX_RW_COUNT */

static inline long file_read(struct file *f, const struct uview *v,
			     uint64_t udst, size_t n, int64_t off)
{
	long (*read)(struct file *, const struct uview *, uint64_t, size_t,
		     int64_t) = f->ops->read;

	if (likely(f->readable && read && n &&
		   (udst | n) < FILE_RW_FAST_LIMIT && file_pos_ok(off, n)))
		return read(f, v, udst, n, off);
	return file_read_checked(f, v, udst, n, off);
}

static inline long file_write(struct file *f, const struct uview *v,
			      uint64_t usrc, size_t n, int64_t off)
{
	long (*write)(struct file *, const struct uview *, uint64_t, size_t,
		      int64_t) = f->ops->write;

	if (likely(f->writable && write && n &&
		   (usrc | n) < FILE_RW_FAST_LIMIT && file_pos_ok(off, n)))
		return write(f, v, usrc, n, off);
	return file_write_checked(f, v, usrc, n, off);
}
long file_rw_iov(struct file *f, const struct uview *v, uint64_t uiov,
		 uint64_t cnt, int64_t off, bool write, bool *short_io);

/* sysfile.c: shared with the ring operations */
long path_in(pagetable_t pt, uint64_t upath, char **out, bool allow_empty);
long file_openat(struct proc *p, long dirfd, const char *path, long flags);
long file_open_nofd(struct proc *p, long dirfd, const char *path, long flags,
		    struct file **fp);
long file_close_fd(struct proc *p, long fd, bool from_ring);

/* eventfd.c: a ring's registered eventfd */
void eventfd_signal(struct file *f, uint64_t n);
bool eventfd_file(const struct file *f);

/* dev.c: the device nodes under /dev */
void dev_init(void);
const struct file_ops *dev_file_ops(uint32_t rdev);
void dev_stat(uint32_t rdev, struct abi_stat *st);
uint32_t dev_mode(uint32_t rdev);

/*
 * poll.c: what ppoll waits on; every file state change calls poll_wake()
 * (either core), which counts it in poll_seq (the ring's POLL_ADD looks)
 */
void poll_wake(void);
void poll_wake_sleepers(void);
extern uint64_t poll_seq;
extern uint32_t ring_poll_waiters;
unsigned int file_poll(struct file *f);
uint64_t file_poll_events(struct file *f, unsigned int want,
			  unsigned int *key);

/* timerfd.c: the timer scan's part (wakeup_timers, next_wake_time) */
extern bool timerfd_armed; /* some timerfd is armed */
void timerfd_timers(uint64_t now);
uint64_t timerfd_next(void);

/* signalfd.c: a signal became pending (signal_send): wake the readers */
void signalfd_notify(void);

/* cpio.c: the initrd into the memory FS */
void initrd_unpack(uint64_t start, uint64_t end);

#endif
