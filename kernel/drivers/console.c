/*
 * The console device behind fds 0/1/2 and /dev/console: a line discipline
 * over the platform's console UART (platform_console_putc; its receive
 * interrupt handler calls console_rx).  Input is cooked: bytes are echoed,
 * backspace erases, Enter ends a line, Ctrl-D ends input (read returns what
 * is there, or 0).  read() sleeps until a whole line or EOF is there.
 *
 * Its open files use console_file_ops (fs.h): read and write, no seek,
 * poll (readable when a line or EOF is there, always writable); /dev/tty
 * opens tty_file_ops, the same with tty(4)'s device number (5:0).
 *
 * Locking: the input buffer is touched only by the normal core (its UART
 * interrupt handler and read syscalls) with interrupts off.  Output takes the
 * console lock so that lines from the two harts do not interleave.
 */
#include "core/param.h"
#include "core/printf.h"
#include "core/proc.h"
#include "core/resched.h"
#include "core/string.h"
#include "core/types.h"
#include "drivers/console.h"
#include "fs/fs.h"
#include "mm/vm.h"
#include "platform/platform.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

static struct {
	char buf[CONSOLE_BUF];
	uint32_t r; /* read index */
	uint32_t w; /* end of the completed lines */
	uint32_t e; /* edit index */
} cons;

#define CTRL(c) ((c) - '@')

/* Erase up to n characters of the line being edited, on screen too. */
static void erase(int n)
{
	console_lock();
	for (; n > 0 && cons.e != cons.w; n--) {
		cons.e--;
		platform_console_putc('\b');
		platform_console_putc(' ');
		platform_console_putc('\b');
	}
	console_unlock();
}

void console_rx(int c)
{
	switch (c) {
	case 0x7f:
	case CTRL('H'):
		erase(1);
		return;
	case CTRL('U'):
		erase(CONSOLE_BUF);
		return;
	}
	if (c == '\r')
		c = '\n';
	if (cons.e - cons.r >= CONSOLE_BUF)
		return; /* full: drop */
	cons.buf[cons.e++ % CONSOLE_BUF] = c;
	if (c != CTRL('D')) {
		console_lock();
		platform_console_putc(c);
		console_unlock();
	}
	if (c == '\n' || c == CTRL('D') || cons.e - cons.r == CONSOLE_BUF) {
		cons.w = cons.e;
		wakeup(&cons);
		poll_wake();
	}
}

/* Normal core only: it may sleep.  (A ring read of the console: -EAGAIN.) */
static long console_read(const struct uview *v, uint64_t udst, size_t n)
{
	size_t got = 0;

	if (this_hart()->role != HART_NORMAL)
		return -EAGAIN;

	while (got < n) {
		while (cons.r == cons.w) {
			if (got)
				return got;
			long r = sleep_on_intr(&cons, 0);

			if (r)
				return r;
		}
		char c = cons.buf[cons.r % CONSOLE_BUF];

		if (c == CTRL('D')) {
			if (!got)
				cons.r++; /* consume EOF; a later read waits again */
			break;
		}
		if (uview_copyout(v, udst + got, &c, 1) < 0)
			return got ? (long)got : -EFAULT;
		cons.r++;
		got++;
		if (c == '\n')
			break;
	}
	return got;
}

/*
 * write(2) to the console.  A long write lets the normal core's other
 * processes run between chunks (cond_resched: the UART is polled, so a
 * 64 KiB write is 0.2 s of output); writes from processes stay whole, as
 * under Linux's tty atomic_write_lock: a process whose write finds another
 * in progress sleeps until it is done (cons_writer; normal core only --
 * the IO core never waits, and its writes interleave by chunk, as before).
 */
static struct proc *cons_writer; /* normal core: the write in progress */

static void writer_enter(void)
{
	struct proc *p = this_proc();

	if (this_hart()->role != HART_NORMAL || !p)
		return;
	while (cons_writer && cons_writer != p)
		sleep_on(&cons_writer, 0);
	cons_writer = p;
}

static void writer_exit(void)
{
	if (this_hart()->role != HART_NORMAL || cons_writer != this_proc())
		return;
	cons_writer = NULL;
	wakeup(&cons_writer);
}

static long console_write(const struct uview *v, uint64_t usrc, size_t n)
{
	char buf[128];
	size_t done = 0;

	writer_enter();
	while (done < n) {
		size_t m = MIN(n - done, sizeof(buf));

		if (uview_copyin(v, buf, usrc + done, m) < 0)
			break;
		console_lock();
		for (size_t i = 0; i < m; i++)
			platform_console_putc(buf[i]);
		console_unlock();
		done += m;
		cond_resched();
	}
	writer_exit();
	return done || !n ? (long)done : -EFAULT;
}

/* fstat of the console, open or by path (/dev/console) */
void console_stat(struct abi_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = ABI_S_IFCHR | 0620;
	st->st_rdev = 0x0501; /* 5:1, Linux's /dev/console */
	st->st_nlink = 1;
	st->st_blksize = 4096;
}

/* A position is -ESPIPE: the console cannot seek. */
static long console_file_read(struct file *f, const struct uview *v,
			      uint64_t udst, size_t n, int64_t off)
{
	return off == -1 ? console_read(v, udst, n) : -ESPIPE;
}

static long console_file_write(struct file *f, const struct uview *v,
			       uint64_t usrc, size_t n, int64_t off)
{
	return off == -1 ? console_write(v, usrc, n) : -ESPIPE;
}

static void console_file_stat(struct file *f, struct abi_stat *st)
{
	console_stat(st);
}

static void tty_file_stat(struct file *f, struct abi_stat *st)
{
	console_stat(st);
	st->st_rdev = ABI_MKDEV(5, 0);
	st->st_mode = ABI_S_IFCHR | 0666;
}

/* readable with a complete line (or EOF) buffered; output never waits */
static unsigned int console_file_poll(struct file *f)
{
	unsigned int mask = ABI_POLLOUT | ABI_POLLWRNORM;

	if (cons.r != cons.w)
		mask |= ABI_POLLIN | ABI_POLLRDNORM;
	return mask;
}

/* termios flags (asm-generic/termbits.h) for what the line discipline does */
#define TERMIOS_ICRNL 0000400
#define TERMIOS_OPOST 0000001
#define TERMIOS_ONLCR 0000004
#define TERMIOS_B115200 0010002
#define TERMIOS_CS8 0000060
#define TERMIOS_CREAD 0000200
#define TERMIOS_ISIG 0000001
#define TERMIOS_ICANON 0000002
#define TERMIOS_ECHO 0000010
#define TERMIOS_ECHOE 0000020
#define TERMIOS_VERASE 2
#define TERMIOS_VEOF 4
#define TERMIOS_VMIN 6

/*
 * The console is a terminal: TCGETS says what its line discipline does
 * (canonical input with echo and erase, CR read as NL, NL written as
 * CR NL), TIOCGWINSZ says 24x80.  Other requests: -ENOTTY (changing the
 * modes is not supported: a program asking for raw mode is told no).
 */
static long console_file_ioctl(struct file *f, unsigned int request,
			       uint64_t arg)
{
	struct proc *p = this_proc();

	if (request == ABI_TCGETS) {
		struct abi_termios t = {
			.c_iflag = TERMIOS_ICRNL,
			.c_oflag = TERMIOS_OPOST | TERMIOS_ONLCR,
			.c_cflag = TERMIOS_B115200 | TERMIOS_CS8 | TERMIOS_CREAD,
			.c_lflag = TERMIOS_ISIG | TERMIOS_ICANON | TERMIOS_ECHO |
				   TERMIOS_ECHOE,
		};

		t.c_cc[TERMIOS_VERASE] = 0x7f;
		t.c_cc[TERMIOS_VEOF] = 0x04;
		t.c_cc[TERMIOS_VMIN] = 1;
		if (copyout(p->mm->pagetable, arg, &t, sizeof(t)) < 0)
			return -EFAULT;
		return 0;
	}
	if (request == ABI_TIOCGWINSZ) {
		struct abi_winsize ws = { .ws_row = 24, .ws_col = 80 };

		if (copyout(p->mm->pagetable, arg, &ws, sizeof(ws)) < 0)
			return -EFAULT;
		return 0;
	}
	return -ENOTTY;
}

const struct file_ops console_file_ops = {
	.read = console_file_read,
	.write = console_file_write,
	.stat = console_file_stat,
	.ioctl = console_file_ioctl,
	.poll = console_file_poll,
};

const struct file_ops tty_file_ops = {
	.read = console_file_read,
	.write = console_file_write,
	.stat = tty_file_stat,
	.ioctl = console_file_ioctl,
	.poll = console_file_poll,
};
