/*
 * The console device behind fds 0/1/2 and /dev/console: a line discipline
 * over the platform's console UART (platform_console_putc; its receive
 * interrupt handler calls console_rx), set by termios(3) as on Linux
 * (TCGETS, TCSETS, TCSETSW, TCSETSF): canonical input (ICANON, the
 * default) is cooked: bytes are echoed (ECHO), backspace erases (ECHOE),
 * Ctrl-U kills the line, Enter ends a line, Ctrl-D ends input (read returns
 * what is there, or 0), and read() sleeps until a whole line or EOF is
 * there.  Non-canonical input (what busybox's line editing asks for) hands
 * over every byte as it comes, echoed only if ECHO: read() returns what is
 * there, sleeping for the first byte unless VMIN is 0 (VTIME is not
 * implemented).  ICRNL maps CR to NL.  The editing characters are fixed
 * (erase DEL or Ctrl-H, kill Ctrl-U, end of file Ctrl-D; TCSETS keeps
 * whatever c_cc says for them, but they stay these).  ISIG: Ctrl-C
 * (VINTR) and Ctrl-\ (VQUIT) send SIGINT and SIGQUIT to the foreground
 * process group and drop the input, Ctrl-Z (VSUSP) sends SIGTSTP (which
 * stops nothing: stopping is not built, signal.c); a c_cc of 0 disables
 * one.  The modes and the state below are the one console's, for everyone.
 *
 * Job control: the console is the controlling terminal of one session
 * (from boot, the first process's: session 1, foreground group 1), with
 * Linux's TIOCGPGRP, TIOCSPGRP, TIOCGSID, TIOCSCTTY and TIOCNOTTY rules
 * (core/pgrp.c has the groups).  Not built: SIGTTIN/SIGTTOU for a
 * background group that reads or writes, SIGHUP when the session ends.
 *
 * Its open files use console_file_ops (fs.h): read and write, no seek,
 * poll (readable when a line or EOF is there, or in non-canonical mode any
 * byte; always writable); /dev/tty
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
#define TERMIOS_VINTR 0
#define TERMIOS_VQUIT 1
#define TERMIOS_VERASE 2
#define TERMIOS_VKILL 3
#define TERMIOS_VEOF 4
#define TERMIOS_VMIN 6
#define TERMIOS_VSUSP 10

#define CTRL(c) ((c) - '@')

static struct {
	char buf[CONSOLE_BUF];
	uint32_t r; /* read index */
	uint32_t w; /* end of the completed lines (non-canonical: of input) */
	uint32_t e; /* edit index */
	struct abi_termios tio; /* the modes (TCGETS/TCSETS) */
	int sid;	/* the session it is the controlling terminal of (0: none) */
	int fg_pgrp;	/* that session's foreground process group */
} cons = {
	.sid = 1,
	.fg_pgrp = 1,
	.tio = {
		.c_iflag = TERMIOS_ICRNL,
		.c_oflag = TERMIOS_OPOST | TERMIOS_ONLCR,
		.c_cflag = TERMIOS_B115200 | TERMIOS_CS8 | TERMIOS_CREAD,
		.c_lflag = TERMIOS_ISIG | TERMIOS_ICANON | TERMIOS_ECHO |
			   TERMIOS_ECHOE,
		.c_cc = {
			[TERMIOS_VINTR] = CTRL('C'),
			[TERMIOS_VQUIT] = CTRL('\\'),
			[TERMIOS_VSUSP] = CTRL('Z'),
			[TERMIOS_VERASE] = 0x7f,
			[TERMIOS_VKILL] = CTRL('U'),
			[TERMIOS_VEOF] = CTRL('D'),
			[TERMIOS_VMIN] = 1,
		},
	},
};

static bool canonical(void)
{
	return cons.tio.c_lflag & TERMIOS_ICANON;
}

static void echo_char(int c)
{
	if (!(cons.tio.c_lflag & TERMIOS_ECHO))
		return;
	console_lock();
	platform_console_putc(c);
	console_unlock();
}

/* Erase up to n characters of the line being edited, on screen too. */
static void erase(int n)
{
	bool echo = cons.tio.c_lflag & TERMIOS_ECHO &&
		    cons.tio.c_lflag & TERMIOS_ECHOE;

	console_lock();
	for (; n > 0 && cons.e != cons.w; n--) {
		cons.e--;
		if (echo) {
			platform_console_putc('\b');
			platform_console_putc(' ');
			platform_console_putc('\b');
		}
	}
	console_unlock();
}

/* what has been typed up to the edit index becomes readable */
static void input_ready(void)
{
	cons.w = cons.e;
	wakeup(&cons);
	poll_wake();
}

/*
 * ISIG: c is the console's VINTR, VQUIT or VSUSP character (0 disables
 * one): its signal to the foreground group, the input dropped (as Linux
 * without NOFLSH; not for VSUSP, which stops nothing here).
 */
static bool signal_char(int c)
{
	static const struct {
		int cc, sig;
	} chars[] = {
		{ TERMIOS_VINTR, ABI_SIGINT },
		{ TERMIOS_VQUIT, ABI_SIGQUIT },
		{ TERMIOS_VSUSP, ABI_SIGTSTP },
	};

	if (!(cons.tio.c_lflag & TERMIOS_ISIG))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(chars); i++) {
		if (!c || cons.tio.c_cc[chars[i].cc] != c)
			continue;
		if (chars[i].sig != ABI_SIGTSTP)
			cons.r = cons.w = cons.e;
		if (cons.sid)
			pgrp_signal(cons.fg_pgrp, chars[i].sig, ABI_SI_KERNEL,
				    0);
		return true;
	}
	return false;
}

void console_rx(int c)
{
	if (c == '\r' && (cons.tio.c_iflag & TERMIOS_ICRNL))
		c = '\n';
	if (signal_char(c))
		return;
	if (canonical()) {
		if (c == 0x7f || c == CTRL('H')) {
			erase(1);
			return;
		}
		if (c == CTRL('U')) {
			erase(CONSOLE_BUF);
			return;
		}
	}
	if (cons.e - cons.r >= CONSOLE_BUF)
		return; /* full: drop */
	cons.buf[cons.e++ % CONSOLE_BUF] = c;
	if (!canonical() || c != CTRL('D'))
		echo_char(c);
	if (!canonical() || c == '\n' || c == CTRL('D') ||
	    cons.e - cons.r == CONSOLE_BUF)
		input_ready();
}

/* Normal core only: it may sleep.  (A ring read of the console: -EAGAIN.) */
static long console_read(const struct uview *v, uint64_t udst, size_t n)
{
	size_t got = 0;

	if (this_hart()->role != HART_NORMAL)
		return -EAGAIN;

	while (got < n) {
		while (cons.r == cons.w) {
			if (got || (!canonical() && !cons.tio.c_cc[TERMIOS_VMIN]))
				return got;
			long r = sleep_on_intr(&cons, 0);

			if (r)
				return r;
		}
		char c = cons.buf[cons.r % CONSOLE_BUF];

		if (!canonical()) {
			if (uview_copyout(v, udst + got, &c, 1) < 0)
				return got ? (long)got : -EFAULT;
			cons.r++;
			got++;
			continue;
		}
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

/*
 * TCSETS* with the new modes t: TCSETSF also drops the input not yet read
 * (output is never buffered, so TCSETSW has nothing to wait for).
 * Switching to non-canonical mode makes a half-typed line readable;
 * switching back starts a new line there.
 */
static void termios_set(const struct abi_termios *t, bool flush)
{
	if (flush)
		cons.r = cons.w = cons.e;
	cons.tio = *t;
	if (!canonical() && cons.w != cons.e)
		input_ready();
}

/*
 * Job control's requests, as Linux's tty_jobctrl: only for a process whose
 * session has the console as its terminal (else -ENOTTY), but TIOCSCTTY,
 * which makes it so for a session leader without one (-EPERM if not a
 * leader, or if another session has it and arg is not 1).
 */
static long jobctl_ioctl(struct proc *p, unsigned int request, uint64_t arg)
{
	int v;

	if (request == ABI_TIOCSCTTY) {
		if (p->pid == p->sid && cons.sid == p->sid)
			return 0;
		if (p->pid != p->sid || (cons.sid && arg != 1))
			return -EPERM;
		cons.sid = p->sid;
		cons.fg_pgrp = p->pgid;
		return 0;
	}
	if (cons.sid != p->sid)
		return -ENOTTY;
	switch (request) {
	case ABI_TIOCGPGRP:
	case ABI_TIOCGSID:
		v = request == ABI_TIOCGPGRP ? cons.fg_pgrp : cons.sid;
		return copyout(p->mm->pagetable, arg, &v, sizeof(v)) < 0 ? -EFAULT
								     : 0;
	case ABI_TIOCSPGRP:
		if (copyin(p->mm->pagetable, &v, arg, sizeof(v)) < 0)
			return -EFAULT;
		if (v < 0)
			return -EINVAL;
		switch (pgrp_exists(v, p->sid)) {
		case 0:
			return -ESRCH;
		case -1:
			return -EPERM;
		}
		cons.fg_pgrp = v;
		return 0;
	case ABI_TIOCNOTTY:
		if (p->pid == p->sid) /* the leader gives it up */
			cons.sid = cons.fg_pgrp = 0;
		return 0;
	}
	return -ENOTTY;
}

/*
 * The console is a terminal: TCGETS and TCSETS/TCSETSW/TCSETSF (the line
 * discipline's modes, above), TIOCGWINSZ says 24x80, and job control's
 * requests (jobctl_ioctl).  Other requests: -ENOTTY.
 */
static long console_file_ioctl(struct file *f, unsigned int request,
			       uint64_t arg)
{
	struct proc *p = this_proc();
	struct abi_termios t;

	switch (request) {
	case ABI_TCGETS:
		if (copyout(p->mm->pagetable, arg, &cons.tio, sizeof(cons.tio)) < 0)
			return -EFAULT;
		return 0;
	case ABI_TCSETS:
	case ABI_TCSETSW:
	case ABI_TCSETSF:
		if (copyin(p->mm->pagetable, &t, arg, sizeof(t)) < 0)
			return -EFAULT;
		termios_set(&t, request == ABI_TCSETSF);
		return 0;
	case ABI_TIOCGWINSZ: {
		struct abi_winsize ws = { .ws_row = 24, .ws_col = 80 };

		if (copyout(p->mm->pagetable, arg, &ws, sizeof(ws)) < 0)
			return -EFAULT;
		return 0;
	}
	}
	return jobctl_ioctl(p, request, arg);
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
