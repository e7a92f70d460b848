/*
 * sh: the shell.  Reads a line, splits it into words (double or single
 * quotes group words), and runs the program: a word without '/' is looked
 * up in /bin.  Built-ins: exit [status], poweroff.  Ctrl-D at the prompt
 * exits.  Prints the prompt "$ " when reading from the console.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <usys.h>

#define MAXARGS 32

static int split(char *line, char **argv)
{
	int argc = 0;
	char *s = line;

	while (*s) {
		char *out;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		if (argc == MAXARGS - 1) {
			fprintf(stderr, "sh: too many arguments\n");
			return -1;
		}
		argv[argc++] = out = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\n') {
			if (*s == '"' || *s == '\'') {
				char q = *s++;

				while (*s && *s != q)
					*out++ = *s++;
				if (*s)
					s++;
			} else {
				*out++ = *s++;
			}
		}
		if (*s)
			s++;
		*out = 0;
	}
	argv[argc] = NULL;
	return argc;
}

static int run(char **argv)
{
	char path[256];
	int pid, status;

	if (strchr(argv[0], '/'))
		snprintf(path, sizeof(path), "%s", argv[0]);
	else
		snprintf(path, sizeof(path), "/bin/%s", argv[0]);
	pid = spawn(path, argv);
	if (pid < 0) {
		fprintf(stderr, "sh: %s: %s\n", argv[0], strerror(errno));
		return 127;
	}
	if (waitpid(pid, &status, 0) < 0) {
		fprintf(stderr, "sh: wait: %s\n", strerror(errno));
		return 1;
	}
	if (WIFSIGNALED(status)) {
		printf("sh: %s: killed by signal %d\n", argv[0], WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}

int main(void)
{
	char line[512], *argv[MAXARGS];
	int interactive = isatty(0), last = 0;

	for (;;) {
		if (interactive) {
			printf("$ ");
			fflush(stdout);
		}
		if (!fgets(line, sizeof(line), stdin))
			break;
		int argc = split(line, argv);

		if (argc <= 0)
			continue;
		if (!strcmp(argv[0], "exit"))
			return argc > 1 ? atoi(argv[1]) : last;
		if (!strcmp(argv[0], "poweroff")) {
			fflush(stdout);
			poweroff();
		}
		last = run(argv);
	}
	return last;
}
