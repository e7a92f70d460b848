/*
 * Kernel printf to the console UART.  Both harts print: a spinlock keeps
 * lines whole.  kprintf may be called with interrupts on or off; it must not
 * be called while holding any other lock that the console path takes.
 * Supports %d %i %u %x %X %p %s %c %% with l/ll/z, width and '0'/'-' flags.
 */
#include "core/panic.h"
#include "core/printf.h"
#include "core/proc.h"
#include "core/spinlock.h"
#include "core/string.h"
#include "core/types.h"
#include "platform/platform.h"

static struct spinlock cons_lock = SPINLOCK_INIT("console");

struct outbuf {
	char *buf; /* NULL: straight to the UART */
	size_t size, len;
};

static void out(struct outbuf *o, char c)
{
	if (!o->buf)
		platform_console_putc(c);
	else if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_num(struct outbuf *o, uint64_t v, int base, bool neg,
		    int width, bool zero, bool left, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		width--;
	if (!left && !zero)
		for (int i = n; i < width; i++)
			out(o, ' ');
	if (neg)
		out(o, '-');
	if (!left && zero)
		for (int i = n; i < width; i++)
			out(o, '0');
	while (n)
		out(o, tmp[--n]);
	if (left)
		for (int i = n; i < width; i++)
			out(o, ' ');
}

static void vformat(struct outbuf *o, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out(o, *fmt);
			continue;
		}
		fmt++;
		bool zero = false, left = false;
		int width = 0, lng = 0;

		for (;; fmt++) {
			if (*fmt == '0')
				zero = true;
			else if (*fmt == '-')
				left = true;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);

			out_num(o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10,
				v < 0, width, zero, left, false);
			break;
		}
		case 'u':
			out_num(o, lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned),
				10, false, width, zero, left, false);
			break;
		case 'x':
		case 'X':
			out_num(o, lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned),
				16, false, width, zero, left, *fmt == 'X');
			break;
		case 'p':
			out(o, '0');
			out(o, 'x');
			out_num(o, (uint64_t)va_arg(ap, void *), 16, false, 16,
				true, false, false);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n;

			if (!s)
				s = "(null)";
			n = strlen(s);
			if (!left)
				for (int i = n; i < width; i++)
					out(o, ' ');
			while (*s)
				out(o, *s++);
			if (left)
				for (int i = n; i < width; i++)
					out(o, ' ');
			break;
		}
		case 'c':
			out(o, (char)va_arg(ap, int));
			break;
		case '%':
			out(o, '%');
			break;
		case 0:
			return;
		default:
			out(o, '%');
			out(o, *fmt);
		}
	}
}

/*
 * During a panic the panicking hart prints without the lock (it may be held
 * by the code that failed); any other hart that tries to print stops here,
 * so the report is not interleaved.
 */
void console_lock(void)
{
	if (READ_ONCE(panicking)) {
		if (panic_owner == (uint64_t)this_hart())
			return;
		for (;;)
			asm volatile("wfi");
	}
	spin_lock(&cons_lock);
}

/*
 * The panicking hart: let a line that another hart is printing finish (it
 * parks at its next console_lock), then keep the lock.  If the lock stays
 * held (the other hart died holding it), print anyway.
 */
void console_take_for_panic(void)
{
	for (long i = 0; i < 10000000; i++)
		if (!__atomic_exchange_n(&cons_lock.locked, 1, __ATOMIC_ACQUIRE))
			return;
}

void console_unlock(void)
{
	if (READ_ONCE(panicking) && panic_owner == (uint64_t)this_hart())
		return;
	spin_unlock(&cons_lock);
}

void kprintf(const char *fmt, ...)
{
	struct outbuf o = { 0 };
	va_list ap;

	console_lock();
	va_start(ap, fmt);
	vformat(&o, fmt, ap);
	va_end(ap);
	console_unlock();
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { buf, size, 0 };

	vformat(&o, fmt, ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return o.len;
}
