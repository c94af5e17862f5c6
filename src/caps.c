/* caps.c - capability names, sets and securebits through libcap.
 * Owns every capget/capset/PR_CAPBSET_DROP/ambient/securebits call in tmpinit; never changes
 * uids (privs.c does) and never decides the order (privs.c does, with the why). */
#include "caps.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/securebits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "log.h"

static void capsp_free(cap_t *c)
{
	if (*c)
		cap_free(*c);
}

#define cleanup_cap __attribute__((cleanup(capsp_free)))

static unsigned caps_count(void)
{
	cap_value_t n = cap_max_bits(); /* from /proc/sys/kernel/cap_last_cap when readable */

	return n > 0 && n <= 64 ? (unsigned)n : CAP_LAST_CAP + 1;
}

uint64_t caps_supported(void)
{
	unsigned n = caps_count();

	return n >= 64 ? CAPS_ALL : (1ULL << n) - 1;
}

static int caps_parse_word(const char *w, uint64_t *mask)
{
	char name[64];
	cap_value_t v;
	size_t i, off = 0;

	if (strcasecmp(w, "all") == 0) {
		*mask = CAPS_ALL;
		return 0;
	}
	if (strcasecmp(w, "none") == 0)
		return 0;
	if (strncasecmp(w, "cap_", 4) != 0) {
		memcpy(name, "cap_", 4);
		off = 4;
	}
	if (strlen(w) + off >= sizeof(name))
		return -EINVAL;
	for (i = 0; w[i]; i++) {
		if (!isalnum((unsigned char)w[i]) && w[i] != '_')
			return -EINVAL;
		name[off + i] = (char)tolower((unsigned char)w[i]);
	}
	name[off + i] = '\0';
	/* cap_from_name() also takes bare numbers; the config takes names only. */
	if (isdigit((unsigned char)name[4]) || cap_from_name(name, &v) < 0 || v < 0 || v >= 64)
		return -EINVAL;
	*mask |= CAPS_BIT(v);
	return 0;
}

int caps_parse(const char *list, uint64_t *mask, char *bad, size_t badlen)
{
	char word[128];
	const char *p = list;

	*mask = 0;
	while (*p) {
		size_t n = strcspn(p, ", \t");

		if (n == 0) {
			p++;
			continue;
		}
		if (n >= sizeof(word)) {
			snprintf(bad, badlen, "%.*s", (int)n, p);
			return -EINVAL;
		}
		memcpy(word, p, n);
		word[n] = '\0';
		if (caps_parse_word(word, mask) < 0) {
			snprintf(bad, badlen, "%s", word);
			return -EINVAL;
		}
		p += n;
	}
	return 0;
}

void caps_format(uint64_t mask, char *buf, size_t cap)
{
	size_t len = 0;

	mask &= caps_supported();
	buf[0] = '\0';
	if (!mask) {
		snprintf(buf, cap, "none");
		return;
	}
	if (mask == caps_supported()) {
		snprintf(buf, cap, "all");
		return;
	}
	for (unsigned c = 0; c < 64 && len < cap; c++) {
		char *name;

		if (!(mask & CAPS_BIT(c)))
			continue;
		name = cap_to_name((cap_value_t)c);
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? "," : "", name ? name : "?");
		cap_free(name);
	}
}

void caps_format_secbits(unsigned bits, char *buf, size_t cap)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ SECBIT_NOROOT, "noroot" },
		{ SECBIT_NOROOT_LOCKED, "noroot_locked" },
		{ SECBIT_NO_SETUID_FIXUP, "no_setuid_fixup" },
		{ SECBIT_NO_SETUID_FIXUP_LOCKED, "no_setuid_fixup_locked" },
		{ SECBIT_KEEP_CAPS, "keep_caps" },
		{ SECBIT_KEEP_CAPS_LOCKED, "keep_caps_locked" },
		{ SECBIT_NO_CAP_AMBIENT_RAISE, "no_cap_ambient_raise" },
		{ SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED, "no_cap_ambient_raise_locked" },
	};
	size_t len = 0;

	snprintf(buf, cap, "none");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && len < cap; i++)
		if (bits & names[i].bit)
			len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? "," : "", names[i].name);
}

/* The hex value after "\nKEY:\t" in a /proc status text, 0 when found. */
static int caps_status_field(const char *text, const char *key, uint64_t *out)
{
	const char *p = strstr(text, key);
	char *end;
	unsigned long long v;

	if (!p)
		return -ENOENT;
	errno = 0;
	v = strtoull(p + strlen(key), &end, 16);
	if (errno || end == p + strlen(key) || *end != '\n')
		return -EINVAL;
	*out = v;
	return 0;
}

/* The bounding and ambient sets in one read of /proc/self/status instead of two prctl()
 * calls per capability (about 80 system calls on the start path). Plain read(2) and strstr:
 * stdio and sscanf over every line cost more instructions than the rest of the start did.
 * -errno when /proc is not there (a chroot without it), and the caller asks the kernel one
 * capability at a time. */
static int caps_read_status(uint64_t *bnd, uint64_t *amb)
{
	char text[4096];
	size_t len = 0;
	int err = 0, fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while (len < sizeof(text) - 1) {
		ssize_t n = read(fd, text + len, sizeof(text) - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = -errno;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (err)
		return err;
	text[len] = '\0';
	if (caps_status_field(text, "\nCapBnd:\t", bnd) < 0 || caps_status_field(text, "\nCapAmb:\t", amb) < 0)
		return -ENOENT;
	return 0;
}

int caps_read(struct caps_state *st)
{
	cleanup_cap cap_t c = cap_get_proc();
	unsigned n = caps_count();
	bool from_status;
	int err;

	memset(st, 0, sizeof(*st));
	if (!c) {
		err = errno;
		log_error("read the capabilities of tmpinit: %s", strerror(err));
		return -err;
	}
	from_status = caps_read_status(&st->bnd, &st->amb) == 0;
	for (unsigned i = 0; i < n; i++) {
		cap_flag_value_t v;

		if (cap_get_flag(c, (cap_value_t)i, CAP_PERMITTED, &v) == 0 && v)
			st->prm |= CAPS_BIT(i);
		if (cap_get_flag(c, (cap_value_t)i, CAP_EFFECTIVE, &v) == 0 && v)
			st->eff |= CAPS_BIT(i);
		if (cap_get_flag(c, (cap_value_t)i, CAP_INHERITABLE, &v) == 0 && v)
			st->inh |= CAPS_BIT(i);
		if (from_status)
			continue;
		if (cap_get_bound((cap_value_t)i) == 1)
			st->bnd |= CAPS_BIT(i);
		if (cap_get_ambient((cap_value_t)i) == 1)
			st->amb |= CAPS_BIT(i);
	}
	st->secbits = cap_get_secbits();
	return 0;
}

static const char *caps_name_of(unsigned c, char *buf, size_t len)
{
	char *name = cap_to_name((cap_value_t)c);

	snprintf(buf, len, "%s", name ? name : "?");
	cap_free(name);
	return buf;
}

int caps_drop_bounding(uint64_t keep, uint64_t bnd)
{
	unsigned n = caps_count();
	char name[64];
	int err;

	for (unsigned c = 0; c < n; c++) {
		if ((keep & CAPS_BIT(c)) || !(bnd & CAPS_BIT(c)))
			continue; /* kept, or already out of the bounding set: nothing to ask */
		if (cap_drop_bound((cap_value_t)c) < 0) {
			err = errno;
			log_error("drop %s from the bounding set: %s (hint: tmpinit needs CAP_SETPCAP to drop it; "
				  "or have the runtime drop it, e.g. docker --cap-drop, and [capabilities] keep stays as it is)",
				  caps_name_of(c, name, sizeof(name)), strerror(err));
			return -err;
		}
	}
	return 0;
}

int caps_set(uint64_t prm, uint64_t eff, uint64_t inh)
{
	cleanup_cap cap_t c = cap_init();
	unsigned n = caps_count();
	char want[1024];
	int err;

	if (!c) {
		err = errno;
		log_error("allocate a capability set: %s", strerror(err));
		return -err;
	}
	for (unsigned i = 0; i < n; i++) {
		cap_value_t v = (cap_value_t)i;

		if ((prm & CAPS_BIT(i)) && cap_set_flag(c, CAP_PERMITTED, 1, &v, CAP_SET) < 0)
			return -EINVAL;
		if ((eff & CAPS_BIT(i)) && cap_set_flag(c, CAP_EFFECTIVE, 1, &v, CAP_SET) < 0)
			return -EINVAL;
		if ((inh & CAPS_BIT(i)) && cap_set_flag(c, CAP_INHERITABLE, 1, &v, CAP_SET) < 0)
			return -EINVAL;
	}
	if (cap_set_proc(c) < 0) {
		err = errno;
		caps_format(prm, want, sizeof(want));
		log_error("set the permitted/effective/inheritable capabilities to %s: %s "
			  "(hint: tmpinit can only keep capabilities it has itself; compare [capabilities] keep "
			  "with the CapPrm of tmpinit in /proc/1/status)",
			  want, strerror(err));
		return -err;
	}
	return 0;
}

int caps_set_ambient(uint64_t amb)
{
	unsigned n = caps_count();
	char name[64];
	int err;

	/* PR_CAP_AMBIENT_CLEAR_ALL first: the set must be exactly AMB, not AMB plus leftovers. */
	if (cap_reset_ambient() < 0) {
		err = errno;
		log_error("clear the ambient capabilities: %s (hint: the kernel needs ambient capabilities, Linux 4.3+)",
			  strerror(err));
		return -err;
	}
	for (unsigned c = 0; c < n; c++) {
		if (!(amb & CAPS_BIT(c)))
			continue;
		if (cap_set_ambient((cap_value_t)c, CAP_SET) < 0) {
			err = errno;
			log_error("raise %s as an ambient capability: %s (hint: it must be permitted and inheritable, "
				  "and securebit no_cap_ambient_raise must be clear)",
				  caps_name_of(c, name, sizeof(name)), strerror(err));
			return -err;
		}
	}
	return 0;
}

int caps_set_secbits(unsigned bits)
{
	char want[256];
	int err;

	if (cap_get_secbits() == bits)
		return 0; /* already so: nothing to ask, so no CAP_SETPCAP needed */
	if (cap_set_secbits(bits) < 0) {
		err = errno;
		caps_format_secbits(bits, want, sizeof(want));
		log_error("set the securebits to %s: %s (hint: tmpinit needs CAP_SETPCAP for this; a locked bit "
			  "set by the runtime cannot be changed)",
			  want, strerror(err));
		return -err;
	}
	return 0;
}
