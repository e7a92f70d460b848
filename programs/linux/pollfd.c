/*
 * pollfd: poll(2) (woken by a forked child too), select(2), eventfd(3), the
 * device files and clock_nanosleep(2) through glibc, as a Linux program uses them (built
 * with riscv64-linux-gnu-gcc -static; pytests/test_linux.py runs it).
 * Prints one "pollfd: " line per check and exits 0 when all held, else 1.
 * "pollfd stdin": poll the console for a line (first with a 0 timeout,
 * which must find nothing), then read and print it.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failed;

static void check(int ok, const char *what)
{
	printf("pollfd: %s %s\n", what, ok ? "ok" : "FAILED");
	if (!ok)
		failed = 1;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 +
	       (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static int poll_stdin(void)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };
	char line[80];
	ssize_t n;

	check(poll(&p, 1, 0) == 0, "stdin empty");
	printf("pollfd: waiting\n");
	fflush(stdout);
	check(poll(&p, 1, -1) == 1 && p.revents == POLLIN, "stdin POLLIN");
	n = read(0, line, sizeof(line) - 1);
	line[n > 0 ? n : 0] = 0;
	if (n > 0 && line[n - 1] == '\n')
		line[n - 1] = 0;
	printf("pollfd: read \"%s\"\n", line);
	return failed;
}

int main(int argc, char **argv)
{
	int fds[2], efd, fd;
	struct pollfd p[2];
	struct timespec t0, ts;
	struct stat st;
	fd_set rd;
	struct timeval tv = { 0, 0 };
	uint64_t v;
	unsigned char buf[64];
	int nz = 0;

	if (argc > 1 && !strcmp(argv[1], "stdin"))
		return poll_stdin();
	check(pipe(fds) == 0, "pipe");
	p[0] = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	p[1] = (struct pollfd){ .fd = fds[1], .events = POLLOUT };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	check(poll(p, 1, 50) == 0 && ms_since(&t0) >= 50, "poll timeout 50 ms");
	check(poll(p, 2, 0) == 1 && p[1].revents == POLLOUT, "poll POLLOUT");
	check(write(fds[1], "x", 1) == 1, "write");
	check(poll(p, 1, -1) == 1 && p[0].revents == POLLIN, "poll POLLIN");
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	check(select(fds[0] + 1, &rd, NULL, NULL, &tv) == 1 &&
		      FD_ISSET(fds[0], &rd),
	      "select readable");
	close(fds[1]);
	check(poll(p, 1, -1) == 1 && p[0].revents == (POLLIN | POLLHUP),
	      "poll POLLHUP");
	close(fds[0]);

	/* a forked child writes later: poll sleeps until then */
	check(pipe(fds) == 0, "pipe for a child");
	pid_t pid = fork();

	if (pid == 0) {
		close(fds[0]);
		usleep(30000);
		_exit(write(fds[1], "y", 1) == 1 ? 0 : 1);
	}
	close(fds[1]);
	p[0] = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	check(pid > 0 && poll(p, 1, 10000) == 1 && p[0].revents & POLLIN,
	      "poll woken by a forked child's write");
	int wst = -1;

	check(waitpid(pid, &wst, 0) == pid && WIFEXITED(wst) &&
		      WEXITSTATUS(wst) == 0,
	      "the child exited 0");
	check(read(fds[0], buf, 8) == 1 && poll(p, 1, -1) == 1 &&
		      p[0].revents == POLLHUP,
	      "POLLHUP after the child's exit");
	close(fds[0]);

	efd = eventfd(2, EFD_NONBLOCK | EFD_SEMAPHORE);
	check(efd >= 0, "eventfd");
	check(eventfd_write(efd, 3) == 0, "eventfd_write");
	check(eventfd_read(efd, &v) == 0 && v == 1, "eventfd_read semaphore");
	p[0] = (struct pollfd){ .fd = efd, .events = POLLIN };
	check(poll(p, 1, 0) == 1 && p[0].revents == POLLIN, "eventfd poll");
	close(efd);

	fd = open("/dev/urandom", O_RDONLY);
	check(fd >= 0 && read(fd, buf, sizeof(buf)) == sizeof(buf),
	      "read /dev/urandom");
	for (size_t i = 0; i < sizeof(buf); i++)
		nz += buf[i] != 0;
	check(nz > 40, "random bytes");
	check(fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) &&
		      major(st.st_rdev) == 1 && minor(st.st_rdev) == 9,
	      "/dev/urandom is 1:9");
	close(fd);
	fd = open("/dev/null", O_WRONLY);
	check(fd >= 0 && write(fd, buf, 10) == 10, "write /dev/null");
	close(fd);
	check(stat("/dev/zero", &st) == 0 && major(st.st_rdev) == 1 &&
		      minor(st.st_rdev) == 5,
	      "/dev/zero is 1:5");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ts = (struct timespec){ 0, 20000000 };
	check(clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL) == 0 &&
		      ms_since(&t0) >= 20,
	      "clock_nanosleep 20 ms");
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = ts;
	ts.tv_nsec += 30000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	check(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == 0 &&
		      ms_since(&t0) >= 30,
	      "clock_nanosleep TIMER_ABSTIME");
	check(usleep(10000) == 0, "usleep");
	printf("pollfd: %s\n", failed ? "FAILED" : "all ok");
	return failed;
}
