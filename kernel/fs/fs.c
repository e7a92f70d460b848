/*
 * The memory file system: a tree of inodes in a fixed table, file data in
 * pages from kalloc() reached through a two-level index (512 x 512 pages, so
 * files up to 1 GiB; holes read as zeros).  Filled at boot from the initrd
 * (cpio.c); files written at run time live in memory until unlinked.
 *
 * Semantics follow Linux: an unlinked file stays readable through open
 * files until the last close; "." and ".." resolve; a path component longer
 * than NAME_MAX gives -ENAMETOOLONG; a non-directory in the middle of a path
 * gives -ENOTDIR.
 *
 * Locking: fs_lock (see fs.h) around every inode access.  Data copies to and
 * from user memory go through the direct map one user page at a time
 * (uview_page, mm/vm.c), so nothing here can fault or sleep while holding
 * the lock.  A long copy lets fs_lock go every RESCHED_CHUNK bytes to give
 * way (copy_break: to the other core spinning for it, to the normal core's
 * other processes, to the normal core waiting for the IO core's mm_lock).
 */
#include "arch/riscv/riscv.h"
#include "arch/riscv/trap.h"
#include "core/param.h"
#include "core/resched.h"
#include "core/spinlock.h"
#include "core/string.h"
#include "core/types.h"
#include "fs/fs.h"
#include "mm/kalloc.h"
#include "mm/vm.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

#define IDX_ENTRIES (PGSIZE / sizeof(void *))
#define MAX_FILE_PAGES (IDX_ENTRIES * IDX_ENTRIES)

static struct spinlock fs_lock = SPINLOCK_INIT("fs");
static struct inode inodes[NINODE];
static struct inode *root;
static uint32_t next_ino = 1;

static struct inode *inode_alloc(enum itype type)
{
	for (int i = 0; i < NINODE; i++) {
		struct inode *ip = &inodes[i];

		if (ip->type == I_FREE) {
			memset(ip, 0, sizeof(*ip));
			ip->type = type;
			ip->ino = next_ino++;
			/* Linux's for 0666/0777 under umask 022 */
			ip->mode = type == I_DIR ? 0755 : type == I_SYMLINK ? 0777
									     : 0644;
			ip->mtime = rdtime();
			return ip;
		}
	}
	return NULL;
}

/* fs_lock held.  Free the data pages beyond the first `keep` pages. */
static void data_free(struct inode *ip, uint64_t keep)
{
	void **top = ip->index;

	if (!top)
		return;
	for (size_t i = 0; i < IDX_ENTRIES; i++) {
		void **leaf = top[i];
		uint64_t first = i * IDX_ENTRIES;

		if (!leaf || first + IDX_ENTRIES <= keep)
			continue;
		for (size_t j = 0; j < IDX_ENTRIES; j++) {
			if (leaf[j] && first + j >= keep) {
				kfree(leaf[j]);
				leaf[j] = NULL;
			}
		}
		if (first >= keep) {
			kfree(leaf);
			top[i] = NULL;
		}
	}
	if (!keep) {
		kfree(top);
		ip->index = NULL;
	}
}

/* fs_lock held.  The data page holding page number pn, made if alloc. */
static uint8_t *data_page(struct inode *ip, uint64_t pn, bool alloc)
{
	void **leaf;

	if (pn >= MAX_FILE_PAGES)
		return NULL;
	if (!ip->index && (!alloc || !(ip->index = kalloc())))
		return NULL;
	leaf = ip->index[pn / IDX_ENTRIES];
	if (!leaf) {
		if (!alloc || !(leaf = kalloc()))
			return NULL;
		ip->index[pn / IDX_ENTRIES] = leaf;
	}
	if (!leaf[pn % IDX_ENTRIES] && alloc)
		leaf[pn % IDX_ENTRIES] = kalloc();
	return leaf[pn % IDX_ENTRIES];
}

/*
 * fs_lock held.  Free an inode that has neither a name nor a reference.
 * Every entry holds a reference on its directory (so that ".." of a removed
 * but open directory stays valid): freeing the entry drops it.
 */
static void inode_release(struct inode *ip)
{
	while (ip->ref == 0 && ip->nlink == 0 && ip != root) {
		struct inode *parent = ip->parent;

		data_free(ip, 0);
		ip->type = I_FREE;
		parent->ref--;
		ip = parent;
	}
}

void inode_get(struct inode *ip)
{
	spin_lock(&fs_lock);
	ip->ref++;
	spin_unlock(&fs_lock);
}

void inode_put(struct inode *ip)
{
	spin_lock(&fs_lock);
	ip->ref--;
	inode_release(ip);
	spin_unlock(&fs_lock);
}

/* fs_lock held. */
static struct inode *dir_find(struct inode *dir, const char *name, size_t len)
{
	if (len == 1 && name[0] == '.')
		return dir;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return dir->parent;
	for (struct inode *c = dir->children; c; c = c->next)
		if (strlen(c->name) == len && !memcmp(c->name, name, len))
			return c;
	return NULL;
}

/* fs_lock held. */
static void dir_link(struct inode *dir, struct inode *ip, const char *name,
		     size_t len)
{
	struct inode **pp = &dir->children;

	memcpy(ip->name, name, len);
	ip->name[len] = 0;
	ip->parent = dir;
	dir->ref++; /* dropped when ip is freed (inode_release) */
	ip->nlink = 1;
	ip->next = NULL;
	while (*pp)
		pp = &(*pp)->next;
	*pp = ip;
	dir->mtime = rdtime();
}

/* fs_lock held. */
static void dir_unlink(struct inode *ip)
{
	struct inode **pp = &ip->parent->children;

	while (*pp != ip)
		pp = &(*pp)->next;
	*pp = ip->next;
	ip->parent->mtime = rdtime();
	ip->nlink = 0;
	ip->next = NULL;
}

/* fs_lock held.  A symbolic link's target: NUL-terminated in its page. */
static const char *link_target(struct inode *ip)
{
	const char *t = (const char *)data_page(ip, 0, false);

	return t && ip->size ? t : NULL;
}

static struct inode *walk(struct inode *base, const char *path,
			  const char **last, size_t *lastlen, bool follow,
			  int *links, long *err);

/*
 * fs_lock held.  Where the symbolic link ip (found in directory dir)
 * leads: its target walked from dir (or the root), following links.  At
 * most SYMLOOP_MAX links are followed in one lookup: then -ELOOP.
 */
static struct inode *follow_link(struct inode *dir, struct inode *ip,
				 int *links, long *err)
{
	const char *target = link_target(ip);

	if (++*links > SYMLOOP_MAX) {
		*err = -ELOOP;
		return NULL;
	}
	if (!target) {
		*err = -ENOENT;
		return NULL;
	}
	return walk(dir, target, NULL, NULL, true, links, err);
}

/*
 * fs_lock held.  Walk path from base (root if NULL or if path is absolute).
 * If last is given, stop before the last component: return its directory
 * and the last name in last and lastlen (length 0 for "/").  Symbolic links
 * met on the way are followed; one that is the last component too if
 * follow (or if a slash follows it).
 */
static struct inode *walk(struct inode *base, const char *path,
			  const char **last, size_t *lastlen, bool follow,
			  int *links, long *err)
{
	struct inode *ip = (path[0] == '/' || !base) ? root : base;
	const char *s = path;

	if (!*path) {
		*err = -ENOENT;
		return NULL;
	}
	for (;;) {
		const char *name;
		size_t len;

		while (*s == '/')
			s++;
		name = s;
		while (*s && *s != '/')
			s++;
		len = s - name;
		if (len > ABI_NAME_MAX) {
			*err = -ENAMETOOLONG;
			return NULL;
		}
		while (*s == '/')
			s++;
		if (last && !*s) {
			*last = name;
			*lastlen = len;
			return ip;
		}
		if (len == 0)
			return ip; /* "/" or trailing slashes */
		if (ip->type != I_DIR) {
			*err = -ENOTDIR;
			return NULL;
		}
		struct inode *next = dir_find(ip, name, len);

		if (!next) {
			*err = -ENOENT;
			return NULL;
		}
		if (next->type == I_SYMLINK &&
		    (*s || follow || s[-1] == '/')) {
			next = follow_link(ip, next, links, err);
			if (!next)
				return NULL;
		}
		ip = next;
		if (!*s) {
			/* "file/" names a directory */
			if (s[-1] == '/' && ip->type != I_DIR) {
				*err = -ENOTDIR;
				return NULL;
			}
			return ip;
		}
	}
}

static struct inode *walk_path(struct inode *base, const char *path,
			       const char **last, size_t *lastlen, long *err)
{
	int links = 0;

	return walk(base, path, last, lastlen, true, &links, err);
}

/*
 * Look up path; the inode comes back with a reference (inode_put it).
 * A symbolic link as the last component is followed if follow; if not, the
 * link itself comes back (lstat, readlinkat, O_NOFOLLOW).
 */
struct inode *fs_lookup_at(struct inode *base, const char *path, bool follow,
			   long *err)
{
	struct inode *ip;
	int links = 0;

	spin_lock(&fs_lock);
	ip = walk(base, path, NULL, NULL, follow, &links, err);
	if (ip)
		ip->ref++;
	spin_unlock(&fs_lock);
	return ip;
}

struct inode *fs_lookup(struct inode *base, const char *path, long *err)
{
	return fs_lookup_at(base, path, true, err);
}

/*
 * fs_lock held.  Create path as a file, directory or symbolic link, or
 * return the existing one (-EEXIST if excl, or if it exists as a directory
 * and a directory is asked for; an existing symbolic link is followed
 * unless excl, and must lead somewhere: -ENOENT if it dangles).  The inode
 * comes back with a reference.
 */
static struct inode *create_locked(struct inode *base, const char *path,
				   enum itype type, bool excl, long *err)
{
	struct inode *dir, *ip;
	const char *name;
	size_t len;
	int links = 0;

	dir = walk_path(base, path, &name, &len, err);
	if (!dir)
		return NULL;
	if (dir->type != I_DIR) {
		*err = -ENOTDIR;
		return NULL;
	}
	if (len == 0) { /* "/" */
		*err = type == I_DIR ? -EEXIST : -EISDIR;
		return NULL;
	}
	ip = dir_find(dir, name, len);
	if (ip && ip->type == I_SYMLINK && !excl && type != I_DIR) {
		ip = follow_link(dir, ip, &links, err);
		if (!ip)
			return NULL;
	}
	if (ip) {
		if (excl || type == I_DIR) {
			*err = -EEXIST;
			return NULL;
		}
		if (name[len] == '/' && ip->type != I_DIR) {
			*err = -ENOTDIR;
			return NULL;
		}
		ip->ref++;
		return ip;
	}
	if (name[len] == '/' && type != I_DIR) {
		*err = -EISDIR; /* "newfile/" with O_CREAT */
		return NULL;
	}
	if (dir->nlink == 0) {
		*err = -ENOENT; /* directory was removed */
		return NULL;
	}
	ip = inode_alloc(type);
	if (!ip) {
		*err = -ENOSPC;
		return NULL;
	}
	dir_link(dir, ip, name, len);
	ip->ref++;
	return ip;
}

struct inode *fs_create(struct inode *base, const char *path, enum itype type,
			bool excl, long *err)
{
	struct inode *ip;

	spin_lock(&fs_lock);
	ip = create_locked(base, path, type, excl, err);
	spin_unlock(&fs_lock);
	return ip;
}

static long write_locked(struct inode *ip, const void *src, uint64_t off,
			 size_t n);

/*
 * symlink(2): a new symbolic link at path holding target (len bytes, 0 <
 * len < PGSIZE: the caller checks), its data a NUL-terminated page.
 */
long fs_symlink(struct inode *base, const char *path, const char *target,
		size_t len)
{
	struct inode *ip;
	long err = 0;
	char nul = 0;

	spin_lock(&fs_lock);
	ip = create_locked(base, path, I_SYMLINK, true, &err);
	if (!ip)
		goto out;
	if (write_locked(ip, target, 0, len) != (long)len ||
	    write_locked(ip, &nul, len, 1) != 1) {
		dir_unlink(ip);
		err = -ENOSPC;
	}
	ip->size = len;
	ip->ref--;
	inode_release(ip);
out:
	spin_unlock(&fs_lock);
	return err;
}

/* fs_lock held: dir is ip or below it (a directory moved under itself) */
static bool is_under(struct inode *dir, struct inode *ip)
{
	for (;;) {
		if (dir == ip)
			return true;
		if (dir == root)
			return false;
		dir = dir->parent;
	}
}

/* fs_lock held: "", ".", ".." as the last name cannot be renamed */
static bool dot_name(const char *name, size_t len)
{
	return len == 0 || (len == 1 && name[0] == '.') ||
	       (len == 2 && name[0] == '.' && name[1] == '.');
}

/*
 * renameat2(2) without flags or with RENAME_NOREPLACE (noreplace): move the
 * entry oldpath to newpath, replacing what is there (a file by a
 * non-directory, an empty directory by a directory), as Linux's checks:
 * -ENOENT, -ENOTDIR, -EISDIR, -ENOTEMPTY, -EEXIST (noreplace), -EINVAL (a
 * directory into itself), -EBUSY ("." or ".." as a name).
 */
long fs_rename(struct inode *obase, const char *opath, struct inode *nbase,
	       const char *npath, bool noreplace)
{
	struct inode *odir, *ndir, *ip, *victim;
	const char *oname, *nname;
	size_t olen, nlen;
	long err = 0;

	spin_lock(&fs_lock);
	odir = walk_path(obase, opath, &oname, &olen, &err);
	if (!odir)
		goto out;
	ndir = walk_path(nbase, npath, &nname, &nlen, &err);
	if (!ndir)
		goto out;
	if (odir->type != I_DIR || ndir->type != I_DIR) {
		err = -ENOTDIR;
		goto out;
	}
	if (dot_name(oname, olen) || dot_name(nname, nlen)) {
		err = -EBUSY;
		goto out;
	}
	ip = dir_find(odir, oname, olen);
	if (!ip) {
		err = -ENOENT;
		goto out;
	}
	if (ip->type != I_DIR && (oname[olen] == '/' || nname[nlen] == '/')) {
		err = -ENOTDIR;
		goto out;
	}
	victim = dir_find(ndir, nname, nlen);
	if (victim == ip)
		goto out; /* the same file: nothing to do */
	if (victim && noreplace) {
		err = -EEXIST;
		goto out;
	}
	if (ip->type == I_DIR && is_under(ndir, ip)) {
		err = -EINVAL;
		goto out;
	}
	if (victim && victim->type == I_DIR && ip->type != I_DIR)
		err = -EISDIR;
	else if (victim && victim->type != I_DIR && ip->type == I_DIR)
		err = -ENOTDIR;
	else if (victim && victim->children)
		err = -ENOTEMPTY;
	else if (ndir->nlink == 0)
		err = -ENOENT;
	if (err)
		goto out;
	if (victim) {
		dir_unlink(victim);
		inode_release(victim);
	}
	dir_unlink(ip);
	ip->ref++; /* held while it has no name */
	odir->ref--; /* the entry's reference on its old directory */
	dir_link(ndir, ip, nname, nlen);
	ip->ref--;
	inode_release(odir);
out:
	spin_unlock(&fs_lock);
	return err;
}

long fs_unlink(struct inode *base, const char *path, bool rmdir)
{
	struct inode *dir, *ip;
	const char *name;
	size_t len;
	long err = 0;

	spin_lock(&fs_lock);
	dir = walk_path(base, path, &name, &len, &err);
	if (!dir)
		goto out;
	if (dir->type != I_DIR) {
		err = -ENOTDIR;
		goto out;
	}
	if (len == 0 || (len == 1 && name[0] == '.')) {
		err = rmdir ? (len ? -EINVAL : -EBUSY) : -EISDIR;
		goto out;
	}
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		err = rmdir ? -ENOTEMPTY : -EISDIR;
		goto out;
	}
	ip = dir_find(dir, name, len);
	if (!ip) {
		err = -ENOENT;
		goto out;
	}
	if (rmdir) {
		if (ip->type != I_DIR)
			err = -ENOTDIR;
		else if (ip->children)
			err = -ENOTEMPTY;
	} else {
		if (ip->type == I_DIR)
			err = -EISDIR;
		else if (name[len] == '/')
			err = -ENOTDIR;
	}
	if (err)
		goto out;
	dir_unlink(ip);
	inode_release(ip);
out:
	spin_unlock(&fs_lock);
	return err;
}

/* fs_lock held. */
static long read_locked(struct inode *ip, void *dst, uint64_t off, size_t n)
{
	size_t done = 0;

	if (off >= ip->size)
		return 0;
	n = MIN(n, ip->size - off);
	while (done < n) {
		uint64_t pos = off + done;
		size_t m = MIN(n - done, PGSIZE - pos % PGSIZE);
		uint8_t *page = data_page(ip, pos / PGSIZE, false);

		if (page)
			memcpy((uint8_t *)dst + done, page + pos % PGSIZE, m);
		else
			memset((uint8_t *)dst + done, 0, m);
		done += m;
	}
	return done;
}

/* fs_lock held. */
static long write_locked(struct inode *ip, const void *src, uint64_t off,
			 size_t n)
{
	size_t done = 0;

	if (off >= MAX_FILE_PAGES * PGSIZE)
		return n ? -EFBIG : 0;
	n = MIN(n, MAX_FILE_PAGES * PGSIZE - off);
	while (done < n) {
		uint64_t pos = off + done;
		size_t m = MIN(n - done, PGSIZE - pos % PGSIZE);
		uint8_t *page = data_page(ip, pos / PGSIZE, true);

		if (!page)
			break;
		memcpy(page + pos % PGSIZE, (const uint8_t *)src + done, m);
		done += m;
	}
	if (done == 0 && n)
		return -ENOSPC;
	if (off + done > ip->size)
		ip->size = off + done;
	ip->mtime = rdtime();
	return done;
}

long inode_read(struct inode *ip, void *dst, uint64_t off, size_t n)
{
	long r;

	spin_lock(&fs_lock);
	r = read_locked(ip, dst, off, n);
	spin_unlock(&fs_lock);
	return r;
}

long inode_write(struct inode *ip, const void *src, uint64_t off, size_t n)
{
	long r;

	spin_lock(&fs_lock);
	r = write_locked(ip, src, off, n);
	spin_unlock(&fs_lock);
	return r;
}

/*
 * Between two chunks of a long copy to or from user memory, fs_lock held:
 * if another core spins for fs_lock, or v's holder should pause
 * (uview_pause_due: the normal core wants the IO core's mm_lock; on the
 * normal core, other processes should run), let fs_lock go, pause, take
 * it back.  The inode cannot go away meanwhile: the caller's open file
 * holds a reference.  Returns false if the copy must stop.
 */
static bool copy_break(const struct uview *v)
{
	bool ok;

	if (likely(!spin_contended(&fs_lock) && !uview_pause_due(v)))
		return true;
	spin_unlock(&fs_lock);
	ok = uview_pause(v);
	lock_reacquire(&fs_lock);
	return ok;
}

/*
 * A long copy pauses between chunks (copy_break), so before its first pause
 * it claims in *off the range it has still to move: a reader or writer
 * sharing the file offset then goes after this one, as Linux's f_pos_lock
 * makes it.  At the end the offset is where the copy stopped -- unless
 * someone moved it after the claim (lseek).  A copy that never pauses
 * (every short one) holds fs_lock throughout and just stores its end.
 */
struct claim {
	uint64_t pos;  /* where the copy is */
	uint64_t end;  /* what *off was set to at the first pause; 0: none */
	size_t next;   /* done count at which to consider the next pause */
};

static bool claim_break(const struct uview *v, uint64_t *off,
			struct claim *c, uint64_t left)
{
	c->next += RESCHED_CHUNK;
	if (!c->end) {
		c->end = c->pos + left;
		*off = c->end;
	}
	return copy_break(v);
}

static void claim_settle(uint64_t *off, const struct claim *c)
{
	if (!c->end || *off == c->end)
		*off = c->pos;
}

/*
 * Read into user memory at udst (reached through v), from and advancing *off
 * (a file offset, under fs_lock).  Returns bytes read, or -EFAULT if the
 * first user page is bad.
 */
long inode_read_user(struct inode *ip, const struct uview *v, uint64_t *off,
		     uint64_t udst, size_t n)
{
	struct claim c = { .next = RESCHED_CHUNK };
	size_t done = 0;

	spin_lock(&fs_lock);
	c.pos = *off;
	while (done < n) {
		size_t m;
		void *k;
		long r;

		if (unlikely(done >= c.next)) {
			/* no further than the claim, even if the file grows */
			if (!c.end)
				n = done + (c.pos < ip->size ?
					    MIN(n - done, ip->size - c.pos) : 0);
			if (!claim_break(v, off, &c, n - done))
				break;
			if (done >= n)
				break;
		}
		m = MIN(n - done, PGSIZE - (udst + done) % PGSIZE);
		k = uview_page(v, udst + done, PTE_W);
		if (!k) {
			if (!done) {
				spin_unlock(&fs_lock);
				return -EFAULT;
			}
			break;
		}
		r = read_locked(ip, k, c.pos, m);
		c.pos += r;
		done += r;
		if ((size_t)r < m)
			break;
	}
	claim_settle(off, &c);
	spin_unlock(&fs_lock);
	return done;
}

/*
 * Write from user memory at usrc into the file at *off (or at its end if
 * append), advancing *off.  An O_APPEND write is one step under fs_lock,
 * never paused: appends stay whole (Linux holds the inode lock for them).
 */
long inode_write_user(struct inode *ip, const struct uview *v, uint64_t *off,
		      bool append, uint64_t usrc, size_t n)
{
	struct claim c = { .next = append ? ~0UL : RESCHED_CHUNK };
	size_t done = 0;
	long r = 0;

	spin_lock(&fs_lock);
	if (append)
		*off = ip->size;
	c.pos = *off;
	while (done < n) {
		size_t m = MIN(n - done, PGSIZE - (usrc + done) % PGSIZE);
		const void *k;

		if (unlikely(done >= c.next) &&
		    !claim_break(v, off, &c, n - done))
			break;
		k = uview_page(v, usrc + done, PTE_R);
		if (!k) {
			r = -EFAULT;
			break;
		}
		r = write_locked(ip, k, c.pos, m);
		if (r <= 0)
			break;
		c.pos += r;
		done += r;
		if ((size_t)r < m)
			break;
	}
	claim_settle(off, &c);
	spin_unlock(&fs_lock);
	return done ? (long)done : r;
}

/* lseek on a file offset (*pos, under fs_lock like every file offset) */
long inode_seek(struct inode *ip, uint64_t *pos, long off, long whence)
{
	long r;

	spin_lock(&fs_lock);
	switch (whence) {
	case ABI_SEEK_SET:
		r = off;
		break;
	case ABI_SEEK_CUR:
		r = *pos + off;
		break;
	case ABI_SEEK_END:
		r = ip->size + off;
		break;
	case ABI_SEEK_DATA:
	case ABI_SEEK_HOLE:
		/* as Linux's generic llseek: all data, a hole at the end */
		if ((uint64_t)off >= ip->size) {
			r = -ENXIO;
			goto out;
		}
		r = whence == ABI_SEEK_DATA ? off : (long)ip->size;
		break;
	default:
		r = -EINVAL;
		goto out;
	}
	if (r < 0)
		r = -EINVAL;
	else
		*pos = r;
out:
	spin_unlock(&fs_lock);
	return r;
}

/*
 * A regular file's size becomes len (O_TRUNC, truncate, ftruncate): the
 * pages past it are freed and the rest of its last page zeroed, so that a
 * later extension reads zeros; growing makes a hole.  0 or -EFBIG.
 */
long inode_truncate(struct inode *ip, uint64_t len)
{
	uint8_t *page;

	if (len > MAX_FILE_PAGES * PGSIZE)
		return -EFBIG;
	spin_lock(&fs_lock);
	if (len < ip->size) {
		data_free(ip, ROUNDUP(len, PGSIZE) / PGSIZE);
		page = len % PGSIZE ? data_page(ip, len / PGSIZE, false) : NULL;
		if (page)
			memset(page + len % PGSIZE, 0, PGSIZE - len % PGSIZE);
	}
	ip->size = len;
	ip->mtime = rdtime();
	spin_unlock(&fs_lock);
	return 0;
}

/* utimensat: the modification time, in time-CSR ticks since boot */
void inode_set_mtime(struct inode *ip, uint64_t t)
{
	spin_lock(&fs_lock);
	ip->mtime = t;
	spin_unlock(&fs_lock);
}

/* chmod: the permission bits (a symbolic link's own stay 0777) */
void inode_chmod(struct inode *ip, uint32_t mode)
{
	spin_lock(&fs_lock);
	if (ip->type != I_SYMLINK)
		ip->mode = mode & 07777;
	spin_unlock(&fs_lock);
}

void inode_stat(struct inode *ip, struct abi_stat *st)
{
	uint64_t t;

	memset(st, 0, sizeof(*st));
	spin_lock(&fs_lock);
	st->st_dev = 1;
	st->st_ino = ip->ino;
	st->st_mode = ip->type == I_DEV ? dev_mode(ip->rdev)
		      : (ip->type == I_DIR       ? ABI_S_IFDIR
			 : ip->type == I_SYMLINK ? ABI_S_IFLNK
						 : ABI_S_IFREG) | ip->mode;
	st->st_nlink = ip->nlink ? 1 : 0;
	st->st_size = ip->type == I_FILE || ip->type == I_SYMLINK ? ip->size
								  : 0;
	st->st_blksize = PGSIZE;
	st->st_blocks = ROUNDUP(st->st_size, 512) / 512;
	st->st_rdev = ip->type == I_DEV ? ip->rdev : 0;
	t = ip->mtime;
	spin_unlock(&fs_lock);
	st->st_mtime_sec = t / timebase_hz;
	st->st_mtime_nsec = t % timebase_hz * (1000000000 / timebase_hz);
	st->st_atime_sec = st->st_ctime_sec = st->st_mtime_sec;
	st->st_atime_nsec = st->st_ctime_nsec = st->st_mtime_nsec;
}

static int dtype_of(struct inode *ip)
{
	switch (ip->type) {
	case I_DIR:
		return ABI_DT_DIR;
	case I_DEV:
		return ABI_DT_CHR;
	case I_SYMLINK:
		return ABI_DT_LNK;
	default:
		return ABI_DT_REG;
	}
}

/* readlink(2): the target of symbolic link ip (-EINVAL if it is not one)
 * into buf, at most size bytes, without a NUL; returns the length. */
long inode_readlink(struct inode *ip, char *buf, size_t size)
{
	long r = -EINVAL;

	spin_lock(&fs_lock);
	if (ip->type == I_SYMLINK)
		r = read_locked(ip, buf, 0, MIN(size, ip->size));
	spin_unlock(&fs_lock);
	return r;
}

/*
 * Directory entry number pos (0 ".", 1 "..", then the entries in creation
 * order).  Returns 1 and fills name/ino/dtype, 0 past the end, or -errno.
 */
long inode_dirent(struct inode *dir, uint64_t pos, char *name, size_t size,
		  uint64_t *ino, int *dtype)
{
	struct inode *ip = NULL;

	spin_lock(&fs_lock);
	if (dir->type != I_DIR) {
		spin_unlock(&fs_lock);
		return -ENOTDIR;
	}
	if (pos == 0 || pos == 1) {
		ip = pos ? dir->parent : dir;
		strlcpy(name, pos ? ".." : ".", size);
	} else if (dir->nlink) {
		ip = dir->children;
		for (uint64_t i = 2; ip && i < pos; i++)
			ip = ip->next;
		if (ip)
			strlcpy(name, ip->name, size);
	}
	if (ip) {
		*ino = ip->ino;
		*dtype = dtype_of(ip);
	}
	spin_unlock(&fs_lock);
	return ip != NULL;
}

void fs_init(void)
{
	long err;
	struct inode *ip;

	root = inode_alloc(I_DIR);
	root->parent = root;
	root->nlink = 1;
	ip = fs_create(NULL, "/dev", I_DIR, false, &err);
	inode_put(ip);
	dev_init();
}

/*
 * getcwd: the absolute path of directory dir into buf (size bytes with
 * the NUL), built from the parent links.  Returns the length with the NUL,
 * -ERANGE if it does not fit, -ENOENT if dir was removed (Linux's getcwd
 * of a deleted directory).
 */
long inode_path(struct inode *dir, char *buf, size_t size)
{
	long r;
	size_t len = 0;

	spin_lock(&fs_lock);
	if (!dir)
		dir = root;
	if (dir->nlink == 0 && dir != root) {
		spin_unlock(&fs_lock);
		return -ENOENT;
	}
	/* the names, from dir up, written right to left at buf's end */
	r = -ERANGE;
	if (size < 2)
		goto out;
	buf[size - 1] = '\0';
	len = 1;
	for (struct inode *ip = dir; ip != root; ip = ip->parent) {
		size_t n = strlen(ip->name);

		if (len + n + 1 > size)
			goto out;
		len += n;
		memcpy(buf + size - len, ip->name, n);
		buf[size - ++len] = '/';
	}
	if (len == 1)
		buf[size - ++len] = '/';
	memmove(buf, buf + size - len, len);
	r = len;
out:
	spin_unlock(&fs_lock);
	return r;
}
