/*
 * Device files (null(4), zero(4), random(4), tty(4)): the character device
 * nodes under /dev, made at boot by dev_init(), each an I_DEV inode whose
 * rdev (Linux's numbers: null 1:3, zero 1:5, random 1:8, urandom 1:9,
 * tty 5:0, console 5:1) picks its file_ops (dev_file_ops) when opened.
 * An open device file keeps its rdev in its private pointer (stat).
 *
 * /dev/null reads end of file and swallows writes; /dev/zero reads zeros
 * and swallows writes; /dev/random and /dev/urandom read the kernel's
 * random stream (core/random.h) and take writes without using them (Linux
 * mixes them in without crediting entropy).  None of them sleeps, so ring
 * operations on them work on the IO core.  /dev/tty and /dev/console are
 * the console (drivers/console.c).  A long read pauses every
 * RESCHED_CHUNK bytes (uview_pause) and, on the normal core, ends short if
 * a signal came meanwhile, as Linux's read_iter_zero.
 *
 * Locking: none of its own; random_bytes takes random_lock.
 */
#include "core/proc.h"
#include "core/random.h"
#include "core/resched.h"
#include "core/string.h"
#include "fs/fs.h"
#include "mm/vm.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

static uint32_t rdev_of(const struct file *f)
{
	return (uint32_t)(uint64_t)f->private;
}

static long null_read(struct file *f, const struct uview *v, uint64_t udst,
		      size_t n, int64_t off)
{
	return 0;
}

static long sink_write(struct file *f, const struct uview *v, uint64_t usrc,
		       size_t n, int64_t off)
{
	return n;
}

/*
 * Between two RESCHED_CHUNKs of a long fill: pause if due (uview_pause);
 * on the normal core a signal that came meanwhile ends the read with what
 * was done, as Linux's read_iter_zero.  Returns false to stop.
 */
static bool fill_pause(const struct uview *v)
{
	struct proc *p = this_proc();

	if (!uview_pause_due(v))
		return true;
	if (!uview_pause(v))
		return false;
	return this_hart()->role != HART_NORMAL || !p || !signal_pending(p);
}

/* fill n user bytes from fill(buf, m) a chunk at a time */
static long fill_user(const struct uview *v, uint64_t udst, size_t n,
		      bool random)
{
	uint8_t buf[256];
	size_t done = 0, since = 0;

	if (!random)
		memset(buf, 0, sizeof(buf));
	while (done < n) {
		size_t m = MIN(n - done, sizeof(buf));

		if (since >= RESCHED_CHUNK) {
			since = 0;
			if (!fill_pause(v))
				break;
		}
		if (random)
			random_bytes(buf, m);
		if (uview_copyout(v, udst + done, buf, m) < 0)
			return done ? (long)done : -EFAULT;
		done += m;
		since += m;
	}
	return done;
}

static long zero_read(struct file *f, const struct uview *v, uint64_t udst,
		      size_t n, int64_t off)
{
	return fill_user(v, udst, n, false);
}

static long random_read(struct file *f, const struct uview *v, uint64_t udst,
			size_t n, int64_t off)
{
	return fill_user(v, udst, n, true);
}

/* Linux's lseek on these devices succeeds and leaves the position at 0 */
static long dev_lseek(struct file *f, long off, long whence)
{
	return 0;
}

static void dev_file_stat(struct file *f, struct abi_stat *st)
{
	dev_stat(rdev_of(f), st);
}

static const struct file_ops null_file_ops = {
	.read = null_read,
	.write = sink_write,
	.lseek = dev_lseek,
	.stat = dev_file_stat,
};

static const struct file_ops zero_file_ops = {
	.read = zero_read,
	.write = sink_write,
	.lseek = dev_lseek,
	.stat = dev_file_stat,
};

static const struct file_ops random_file_ops = {
	.read = random_read,
	.write = sink_write,
	.lseek = dev_lseek,
	.stat = dev_file_stat,
};

static const struct {
	const char *path;
	uint32_t rdev;
	uint32_t mode;
	const struct file_ops *ops;
} devs[] = {
	{ "/dev/null", ABI_MKDEV(1, 3), 0666, &null_file_ops },
	{ "/dev/zero", ABI_MKDEV(1, 5), 0666, &zero_file_ops },
	{ "/dev/random", ABI_MKDEV(1, 8), 0666, &random_file_ops },
	{ "/dev/urandom", ABI_MKDEV(1, 9), 0666, &random_file_ops },
	{ "/dev/tty", ABI_MKDEV(5, 0), 0666, &tty_file_ops },
	{ "/dev/console", ABI_MKDEV(5, 1), 0620, &console_file_ops },
};

void dev_init(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(devs); i++) {
		long err;
		struct inode *ip = fs_create(NULL, devs[i].path, I_DEV, false,
					     &err);

		if (ip) {
			ip->rdev = devs[i].rdev;
			inode_chmod(ip, devs[i].mode);
			inode_put(ip);
		}
	}
}

/* the file_ops for a device number (NULL: no such device, -ENXIO) */
const struct file_ops *dev_file_ops(uint32_t rdev)
{
	for (size_t i = 0; i < ARRAY_SIZE(devs); i++)
		if (devs[i].rdev == rdev)
			return devs[i].ops;
	return NULL;
}

/* a device node's st_mode: S_IFCHR and its permissions */
uint32_t dev_mode(uint32_t rdev)
{
	for (size_t i = 0; i < ARRAY_SIZE(devs); i++)
		if (devs[i].rdev == rdev)
			return ABI_S_IFCHR | devs[i].mode;
	return ABI_S_IFCHR | 0600;
}

void dev_stat(uint32_t rdev, struct abi_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = dev_mode(rdev);
	st->st_dev = 1;
	st->st_rdev = rdev;
	st->st_nlink = 1;
	st->st_blksize = 4096;
}
