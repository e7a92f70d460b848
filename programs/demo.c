/*
 * demo: what `make run` shows.  Runs a few programs, works with files,
 * runs several processes at once on the normal core, measures a system call
 * and an IPI round trip to the IO core, and prints a summary.
 * (`demo worker ID` is the child used for the concurrency part.)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <usys.h>
#include <uapi/syscalls.h>

static int checks, failures;

static void check(int ok, const char *what)
{
	checks++;
	if (!ok)
		failures++;
	printf("  [%s] %s\n", ok ? "ok" : "FAILED", what);
}

static int run(char *const argv[])
{
	int status, pid = spawn(argv[0], argv);

	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int worker(int id)
{
	unsigned long x = id, sum = 0;

	/* compute for a while, then sleep, a few times */
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 200000; i++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			sum += x >> 60;
		}
		printf("    worker %d (pid %d): round %d\n", id, getpid(), round);
		usleep(5000);
	}
	return (int)(sum % 7) == 7 ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "worker"))
		return worker(atoi(argv[2]));

	printf("== demo: a dual-core kernel (normal core + IO core) ==\n");
	printf("\n-- programs from the memory file system --\n");
	check(run((char *[]){ "/bin/uls", "/data", NULL }) == 0, "ls /data");
	check(run((char *[]){ "/bin/ucat", "/data/hello.txt", NULL }) == 0,
	      "cat /data/hello.txt");
	check(run((char *[]){ "/bin/uecho", "echo", "with", "arguments", NULL }) == 0,
	      "echo with arguments");

	printf("\n-- files written at run time live in memory --\n");
	const char msg[] = "written by demo\n";
	char back[64] = { 0 };
	int fd = open("/tmp/demo.txt", O_CREAT | O_TRUNC | O_WRONLY, 0644);

	check(fd >= 0 && write(fd, msg, sizeof(msg) - 1) == sizeof(msg) - 1 &&
		      close(fd) == 0,
	      "create and write /tmp/demo.txt");
	fd = open("/tmp/demo.txt", O_RDONLY);
	check(fd >= 0 && read(fd, back, sizeof(back)) == sizeof(msg) - 1 &&
		      !strcmp(back, msg) && close(fd) == 0,
	      "read it back");
	check(unlink("/tmp/demo.txt") == 0 && open("/tmp/demo.txt", O_RDONLY) < 0 &&
		      errno == ENOENT,
	      "unlink it; open now fails with ENOENT");

	printf("\n-- three processes at once (round robin, sleeping) --\n");
	int pids[3], ok = 1;

	for (int i = 0; i < 3; i++) {
		char id[8];

		snprintf(id, sizeof(id), "%d", i);
		pids[i] = spawn("/bin/demo", (char *[]){ "demo", "worker", id, NULL });
		ok &= pids[i] > 0;
	}
	for (int i = 0; i < 3; i++) {
		int status;

		ok &= waitpid(pids[i], &status, 0) == pids[i] && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0;
	}
	check(ok, "spawn 3 workers and wait for them");

	printf("\n-- I/O through the ring: no trap per request --\n");
	check(run((char *[]){ "/bin/iodemo", NULL }) == 0,
	      "iodemo: the same reads in the four styles of the design notes");
	check(run((char *[]){ "/bin/ringcp", "/bin/uls", "/tmp/ls.copy", NULL }) == 0 &&
		      run((char *[]){ "/tmp/ls.copy", "/data", NULL }) == 0,
	      "ringcp /bin/uls through the ring, then run the copy");
	unlink("/tmp/ls.copy");

	printf("\n-- a user fault kills only that process --\n");
	check(run((char *[]){ "/bin/fault", "null", NULL }) == 128 + 11,
	      "fault null: killed with SIGSEGV, the kernel goes on");

	printf("\n-- measurements (wall clock under QEMU: indicative only) --\n");
	const long n = 20000;
	uint64_t t0 = rdtime();

	for (long i = 0; i < n; i++)
		__syscall0(SYS_getpid);
	uint64_t t1 = rdtime();
	long pings = iocore_ping(100);
	uint64_t t2 = rdtime();

	printf("  getpid round trip: %lu ns (%ld calls)\n",
	       (unsigned long)((t1 - t0) * 100 / n), n);
	check(pings == 100, "100 IPI round trips normal core -> IO core -> normal core");
	if (pings == 100)
		printf("  IPI round trip: %lu us\n",
		       (unsigned long)((t2 - t1) / 10 / 100));
	printf("  free memory: %ld pages\n", free_pages());

	printf("\n== demo summary: %d checks, %d failed ==\n", checks, failures);
	return failures ? 1 : 0;
}
