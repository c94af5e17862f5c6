/* holdfd - open FILE read-only and hold the fd; on SIGUSR1 read it through that fd from
 * offset 0 and report "len=N nonzero=M" (bytes that are not zero) to REPORT, then exit.
 * Writes "held\n" to REPORT once the fd is open. Used by the shred tests to prove the
 * overwrite: after the shred the held inode must keep its length and read all zeros. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[1 << 16];
	unsigned long long len = 0, nonzero = 0;
	sigset_t set;
	struct stat st;
	FILE *rep;
	int fd, sig;
	ssize_t n;

	if (argc != 3) {
		fprintf(stderr, "usage: holdfd FILE REPORT\n");
		return 2;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	rep = fopen(argv[2], "w");
	if (!rep) {
		perror(argv[2]);
		return 1;
	}
	fputs("held\n", rep);
	fflush(rep);
	sigwait(&set, &sig);
	fstat(fd, &st);
	for (off_t off = 0; (n = pread(fd, buf, sizeof(buf), off)) > 0; off += n) {
		len += (unsigned long long)n;
		for (ssize_t i = 0; i < n; i++)
			nonzero += buf[i] != 0;
	}
	fprintf(rep, "len=%llu size=%lld nonzero=%llu nlink=%lu\n", len, (long long)st.st_size, nonzero,
		(unsigned long)st.st_nlink);
	fclose(rep);
	return 0;
}
