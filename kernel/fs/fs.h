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

#include "core/types.h"
#include "uapi/abi.h"

enum itype { I_FREE, I_FILE, I_DIR, I_DEV };

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
	char name[ABI_NAME_MAX + 1];
};

enum ftype { F_NONE, F_INODE, F_CONSOLE, F_RING };

struct file {
	int ref; /* atomic */
	enum ftype type;
	bool readable, writable, append;
	uint64_t off;	  /* under fs_lock */
	struct inode *ip; /* F_INODE */
	struct ring *ring; /* F_RING */
};

/* fs.c */
void fs_init(void);
struct inode *fs_lookup(struct inode *base, const char *path, long *err);
struct inode *fs_create(struct inode *base, const char *path, enum itype type,
			bool excl, long *err);
long fs_unlink(struct inode *base, const char *path, bool rmdir);
void inode_get(struct inode *ip);
void inode_put(struct inode *ip);
long inode_read(struct inode *ip, void *dst, uint64_t off, size_t n);
long inode_write(struct inode *ip, const void *src, uint64_t off, size_t n);
long inode_truncate(struct inode *ip);
long inode_seek(struct inode *ip, uint64_t *pos, long off, long whence);
void inode_stat(struct inode *ip, struct abi_stat *st);
long inode_dirent(struct inode *dir, uint64_t pos, char *name, size_t size,
		  uint64_t *ino, int *dtype);
struct uview;
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
int fd_install(struct proc *p, struct file *f, bool cloexec);
struct file *fd_get(struct proc *p, int fd);
struct file *fd_remove(struct proc *p, int fd, bool keep_ring);
long file_read(struct file *f, const struct uview *v, uint64_t udst, size_t n,
	       int64_t off);
long file_write(struct file *f, const struct uview *v, uint64_t usrc, size_t n,
		int64_t off);
long file_rw_iov(struct file *f, const struct uview *v, uint64_t uiov,
		 uint32_t cnt, int64_t off, bool write, bool *short_io);

/* sysfile.c: shared with the ring operations */
long path_in(pagetable_t pt, uint64_t upath, char **out, bool allow_empty);
long file_openat(struct proc *p, long dirfd, const char *path, long flags);
long file_close_fd(struct proc *p, long fd, bool from_ring);

/* ring.c */
void ring_file_released(struct ring *r);

#endif
